import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { JdbAgent } from '../../config/schema.js';
import type { FreeSpinCatalog } from '../../domain/freespins/catalog.js';
import type { FreeSpinEventService } from '../../domain/freespins/eventService.js';
import type { FreeSpinReportService } from '../../domain/freespins/reportService.js';
import { compileValidator, type Validator } from '../../platform/validation.js';

/** The domain services a JDB action may call. */
export interface JdbServices {
  catalog: FreeSpinCatalog;
  events: FreeSpinEventService;
  reports: FreeSpinReportService;
}

export interface ActionContext {
  /** The agent `dc` and `x` authenticated. */
  agent: JdbAgent;
  services: JdbServices;
}

/** One numbered action: the schema of its decrypted parameters and what it answers (`data`). */
export interface JdbAction {
  action: number;
  validate: Validator<unknown>;
  run(context: ActionContext, params: unknown): Promise<unknown>;
}

export function defineAction<S extends TSchema>(definition: {
  action: number;
  params: S;
  run(context: ActionContext, params: Static<S>): Promise<unknown>;
}): JdbAction {
  return {
    action: definition.action,
    validate: compileValidator(definition.params, 'x') as Validator<unknown>,
    run: definition.run as JdbAction['run'],
  };
}

/** Schema pieces shared by the actions. */

/** A string of one of `values` (an enum, so a wrong value is named with the allowed ones). */
export const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

/** An event id: JDB sends a Long or a String (1–50 characters). */
export const eventIdSchema = Type.Unsafe<string | number>({ type: ['string', 'integer'], minLength: 1, maxLength: 50 });

export const gameIds = Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 100 });

/**
 * JDB's `String(n)` is n characters (code points, as `maxLength` counts them), not bytes: a
 * 70-character Chinese event name is a valid `String(70)`.
 */
export const jdbString = (maxCharacters: number, minCharacters = 1) =>
  Type.String({ minLength: minCharacters, maxLength: maxCharacters });

/** A player account (uid): String(50). */
export const uidSchema = jdbString(50);

/** Up to 50,000 uids per call; a uid given twice counts once. */
export const playerList = Type.Array(uidSchema, { maxItems: 50_000 });

export const freeSpinTypeNames = ['NORMAL', 'FEATURE'] as const;

/** The `status` filter of Actions 76 and 71: 0 INACTIVE, 1 ACTIVE, 2 EXPIRED, 3 TERMINATED. */
export const statusFilterSchema = Type.Integer({ minimum: 0, maximum: 3 });

/** The `types` filter of Actions 76 and 71. */
export const typesFilterSchema = Type.Array(oneOf(freeSpinTypeNames), { minItems: 1 });
