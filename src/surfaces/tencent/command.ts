import type { Static, TSchema } from '@sinclair/typebox';
import type { TencentApp } from '../../config/schema.js';
import type { BattleService } from '../../domain/battles/battleService.js';
import type { CallbackConfigService } from '../../domain/callbacks/callbackConfigService.js';
import type { GiftCatalogService } from '../../domain/gifts/giftCatalogService.js';
import type { GiftSendService } from '../../domain/gifts/giftSendService.js';
import type { RoomService } from '../../domain/rooms/roomService.js';
import type { RateRule } from '../../platform/rateLimiter.js';
import { compileValidator, type Validator } from '../../platform/validation.js';
import { wireFieldNames } from './errorCodes.js';

/** The domain services a Tencent command may call. */
export interface TencentServices {
  rooms: RoomService;
  battles: BattleService;
  giftCatalog: GiftCatalogService;
  giftSends: GiftSendService;
  callbackConfig: CallbackConfigService;
}

export interface CommandContext {
  app: TencentApp;
  /** The admin identifier from the URL, verified by its UserSig. */
  identifier: string;
  services: TencentServices;
}

/** A rate rule per app; `code` is the wire code when exceeded (60007 unless the API documents another). */
export type CommandRate = RateRule & { code?: number };

/** Extra fields of the reply envelope (usually `{ Response: … }`), or undefined for envelope-only replies. */
export type CommandReply = Record<string, unknown> | undefined;

/** A second limit on one resource named in the body (e.g. create_room: the same RoomId once a second). */
export interface KeyedRate<B = unknown> {
  rate: CommandRate;
  key(body: B): string;
}

export interface Command {
  /** `service/command`, as in the URL after /v4/. */
  path: string;
  rate: CommandRate;
  /** The code when the identifier is not an admin (60010 unless the API documents another). */
  notAdminCode: number | undefined;
  keyedRate: KeyedRate | undefined;
  /** The wire name of each domain field name its domain errors may carry (see `domainErrorInfo`). */
  fieldNames: Readonly<Record<string, string>>;
  validate: Validator<unknown>;
  run(context: CommandContext, body: unknown): Promise<CommandReply>;
}

export function defineCommand<S extends TSchema>(definition: {
  path: string;
  rate: CommandRate;
  keyedRate?: KeyedRate<Static<S>>;
  notAdminCode?: number;
  /** Wire names of domain fields where this command's differ from the surface's `wireFieldNames`. */
  fieldNames?: Record<string, string>;
  body: S;
  run(context: CommandContext, body: Static<S>): Promise<CommandReply>;
}): Command {
  return {
    path: definition.path,
    rate: definition.rate,
    keyedRate: definition.keyedRate as KeyedRate | undefined,
    notAdminCode: definition.notAdminCode,
    fieldNames: definition.fieldNames ? { ...wireFieldNames, ...definition.fieldNames } : wireFieldNames,
    validate: compileValidator(definition.body) as Validator<unknown>,
    run: definition.run as Command['run'],
  };
}

/** Documented frequency limits. */
export const perSecond = (limit: number, code?: number): CommandRate => ({ limit, perMs: 1000, code });
