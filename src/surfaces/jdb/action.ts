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

/** An event id: JDB sends a Long or a String. */
export const eventIdSchema = Type.Unsafe<string | number>({ type: ['string', 'integer'] });

export const gameIds = Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 100 });

export const playerList = Type.Array(Type.String({ minLength: 1, maxBytes: 50 }), { maxItems: 50_000 });

export const freeSpinTypeNames = ['NORMAL', 'FEATURE'] as const;

/** The `status` filter of Actions 76 and 71: 0 INACTIVE, 1 ACTIVE, 2 EXPIRED, 3 TERMINATED. */
export const statusFilterSchema = Type.Integer({ minimum: 0, maximum: 3 });

/** The `types` filter of Actions 76 and 71. */
export const typesFilterSchema = Type.Array(oneOf(freeSpinTypeNames), { minItems: 1 });
