import type { DomainErrorCode } from '../../platform/errors.js';
import type { ErrorTable } from '../kit/surface.js';

/** An admin API refusal: HTTP status and `{error: {code, message}}`. */
export class AdminError<Code extends string = string> extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP statuses of the admin API's own refusals (`bad_request` is Fastify's status for the request: 400 or 415). */
export const adminRefusalStatuses = {
  unauthorized: [401],
  invalid_json: [400],
  invalid_parameter: [400],
  forbidden: [403],
  bad_request: [400, 415],
  not_found: [404],
  body_too_large: [413],
  internal: [500],
} as const;

export type AdminRefusalCode = keyof typeof adminRefusalStatuses;

function refusal<Code extends AdminRefusalCode>(
  code: Code,
  message: string,
  status: number = adminRefusalStatuses[code][0],
) {
  return new AdminError(status, code, message);
}

/** The admin API's own refusals, made before or around a domain service. */
export const adminRefusals = {
  unauthorized: (message: string) => refusal('unauthorized', message),
  invalidJson: (message: string) => refusal('invalid_json', message),
  invalidParameter: (message: string) => refusal('invalid_parameter', message),
  forbidden: (message: string) => refusal('forbidden', message),
  badRequest: (message: string, status = 400) => refusal('bad_request', message, status),
  notFound: (message: string) => refusal('not_found', message),
  bodyTooLarge: (message: string) => refusal('body_too_large', message),
  internal: () => refusal('internal', 'internal server error'),
};

/**
 * Every domain error as an HTTP status of the admin API (body `{error: {code, message}}`, the
 * code being the domain's): the admin API calls every service, so it meets every code.
 */
export const domainErrorToStatus: ErrorTable<DomainErrorCode, number> = {
  invalid_parameter: 400,
  not_found: 404,
  room_exists: 409,
  room_not_found: 404,
  metadata_too_many_keys: 409,
  metadata_key_too_large: 400,
  metadata_value_too_large: 400,
  metadata_total_too_large: 409,
  metadata_keys_not_found: 404,
  battle_not_found: 404,
  battle_not_running: 409,
  room_in_battle: 409,
  no_callee_joined: 409,
  too_many_rooms: 400,
  gifting_disabled: 403,
  gift_exists: 409,
  gift_not_found: 404,
  gift_limit_reached: 409,
  room_gifts_disabled: 409,
  gift_rejected: 409,
  category_exists: 409,
  category_not_found: 404,
  translation_not_found: 404,
  catalog_not_empty: 409,
  callback_config_exists: 409,
  callback_config_not_found: 404,
  callback_token_not_found: 404,
  agent_not_found: 404,
  event_not_found: 404,
  event_exists: 409,
  event_state: 409,
  player_not_bound: 404,
  no_spins_left: 409,
  spin_conflict: 409,
  insufficient_funds: 409,
  idempotency_conflict: 409,
  client_not_found: 400,
  match_not_found: 404,
  match_of_another_client: 403,
  not_in_match: 400,
  match_not_live: 409,
  result_conflict: 409,
  token_not_found: 404,
  token_expired: 410,
  delivery_state: 409,
  internal: 500,
};
