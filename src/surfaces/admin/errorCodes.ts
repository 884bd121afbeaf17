import type { DomainErrorCode } from '../../platform/errors.js';

/** Every domain error as an HTTP status of the admin API (body `{error: {code, message}}`). */
export const domainErrorToStatus: Record<DomainErrorCode, number> = {
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
  agent_not_found: 404,
  event_not_found: 404,
  event_exists: 409,
  event_state: 409,
  player_not_bound: 404,
  no_spins_left: 409,
  spin_conflict: 409,
  rate_limited: 429,
  internal: 500,
};
