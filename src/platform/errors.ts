/**
 * Typed domain errors. Every capability throws these; each surface maps the `code` to its own
 * wire code in one table (see src/surfaces/<surface>/errorCodes.ts). The codes are grouped by
 * the capability that throws them, so a surface's table covers exactly the groups of the
 * services it calls, and the compiler refuses a table with a gap.
 */
export const commonErrorCodes = ['invalid_parameter', 'internal'] as const;

export const roomErrorCodes = [
  'room_exists',
  'room_not_found',
  'metadata_too_many_keys',
  'metadata_key_too_large',
  'metadata_value_too_large',
  'metadata_total_too_large',
  'metadata_keys_not_found',
] as const;

export const battleErrorCodes = [
  'battle_not_found',
  'battle_not_running',
  'room_in_battle',
  'no_callee_joined',
  'too_many_rooms',
] as const;

export const giftErrorCodes = [
  'gifting_disabled',
  'gift_exists',
  'gift_not_found',
  'gift_limit_reached',
  'room_gifts_disabled',
  'gift_rejected',
  'category_exists',
  'category_not_found',
  'translation_not_found',
  'catalog_not_empty',
] as const;

/** An app's callback configuration made at run time (Tencent's `live_config` commands). */
export const callbackConfigErrorCodes = [
  'callback_config_exists',
  'callback_config_not_found',
  'callback_token_not_found',
] as const;

/** Free-spin events and their players' bindings (the JDB actions). */
export const freeSpinEventErrorCodes = ['agent_not_found', 'event_not_found', 'event_exists', 'event_state'] as const;

/** Spins reported by game servers (the admin API). */
export const spinErrorCodes = ['player_not_bound', 'no_spins_left', 'spin_conflict'] as const;

export const ledgerErrorCodes = ['insufficient_funds', 'idempotency_conflict'] as const;

export const matchErrorCodes = [
  'client_not_found',
  'match_not_found',
  'match_of_another_client',
  'not_in_match',
  'match_not_live',
  'result_conflict',
  'token_not_found',
  'token_expired',
] as const;

/** Outbox deliveries (the admin API). */
export const deliveryErrorCodes = ['not_found', 'delivery_state'] as const;

export const domainErrorCodes = [
  ...commonErrorCodes,
  ...roomErrorCodes,
  ...battleErrorCodes,
  ...giftErrorCodes,
  ...callbackConfigErrorCodes,
  ...freeSpinEventErrorCodes,
  ...spinErrorCodes,
  ...ledgerErrorCodes,
  ...matchErrorCodes,
  ...deliveryErrorCodes,
] as const;

/** The codes of one or more groups above, e.g. `CodeOf<typeof roomErrorCodes>`. */
export type CodeOf<Group extends readonly string[]> = Group[number];

export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** The request field the error is about, in the caller's own words (optional). */
  readonly field: string | undefined;
  /**
   * A wire code to answer with instead of the surface's own mapping, when an outside party
   * chose it (e.g. a tenant's before-send-gift callback rejecting with its own code).
   */
  readonly passThroughCode: number | undefined;

  constructor(code: DomainErrorCode, message: string, options: { field?: string; passThroughCode?: number } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = options.field;
    this.passThroughCode = options.passThroughCode;
  }
}

export function invalidParameter(message: string, field?: string): DomainError {
  return new DomainError('invalid_parameter', message, { field });
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
