import type {
  CodeOf,
  DomainError,
  battleErrorCodes,
  callbackConfigErrorCodes,
  commonErrorCodes,
  giftErrorCodes,
  roomErrorCodes,
} from '../../platform/errors.js';
import type { ErrorTable } from '../kit/surface.js';
import type { UserSigFailure } from './userSig.js';

/** Tencent REST common codes (60000–79999) that the surface itself answers with. */
export const TencentCode = {
  ok: 0,
  badRequest: 60002,
  badJson: 60003,
  identifierMissing: 60004,
  userSigMissing: 60005,
  unknownSdkAppId: 60006,
  rateLimited: 60007,
  unknownCommand: 60009,
  notAdmin: 60010,
  sdkAppIdMissing: 60012,
  userSigExpired: 70001,
  userSigEmpty: 70002,
  userSigInvalid: 70003,
  userSigMismatch: 70009,
  identifierMismatch: 70013,
  sdkAppIdMismatch: 70014,
  internal: 100001,
  invalidParameter: 100002,
  /** The gift-configuration APIs' answer to an identifier that is not an admin. */
  giftConfigNotAdmin: 100006,
  /** A per-key limit (`create_room` of one RoomId, the gift-configuration APIs). */
  keyRateLimited: 100012,
} as const;

/** Codes an app's before-send-gift callback may choose; `send_gift` answers them as they are. */
export const giftRefusalPassThrough = { min: 102100, max: 102200 } as const;

/** The domain errors the Tencent commands can meet: those of rooms, battles, gifts and callback configuration. */
export type TencentDomainErrorCode = CodeOf<
  | typeof commonErrorCodes
  | typeof roomErrorCodes
  | typeof battleErrorCodes
  | typeof giftErrorCodes
  | typeof callbackConfigErrorCodes
>;

/**
 * The domain errors the Tencent commands can meet, as Tencent live-engine codes. Anything
 * else is a bug and answers 100001 (logged).
 */
export const domainErrorToTencent: ErrorTable<TencentDomainErrorCode, number> = {
  invalid_parameter: 100002,
  room_exists: 100003,
  room_not_found: 100004,
  metadata_too_many_keys: 100500,
  metadata_value_too_large: 100501,
  metadata_total_too_large: 100502,
  metadata_keys_not_found: 100503,
  metadata_key_too_large: 100504,
  battle_not_found: 100411,
  // set_battle_score's seed text: "the current PK has not started or has ended".
  battle_not_running: 100006,
  room_in_battle: 100415,
  no_callee_joined: 100412,
  too_many_rooms: 100404,
  gifting_disabled: 102001,
  gift_exists: 100002,
  gift_not_found: 102002,
  gift_limit_reached: 102006,
  room_gifts_disabled: 102008,
  gift_rejected: 102004,
  category_exists: 100002,
  category_not_found: 100002,
  translation_not_found: 100002,
  catalog_not_empty: 100002,
  callback_config_exists: 100300,
  callback_config_not_found: 100301,
  callback_token_not_found: 100302,
  internal: 100001,
};

/**
 * The wire names of the domain's field names (`DomainError.field`), shared by every command;
 * a command whose wire names differ gives its own (`defineCommand({ fieldNames })`).
 */
export const wireFieldNames: Readonly<Record<string, string>> = {
  // battles
  toRoomIds: 'ToRoomIdList',
  durationMs: 'Duration',
  extensionInfo: 'ExtensionInfo',
  scores: 'ScoreList',
  roomId: 'RoomId',
  score: 'Score',
  // rooms
  count: 'Count',
  cursor: 'Next',
  metadata: 'Metadata',
  key: 'Key',
  value: 'Value',
  keys: 'Keys',
  // gifts
  iconUrl: 'IconUrl',
  resourceUrl: 'ResourceUrl',
  coins: 'Coins',
  defaultName: 'DefaultName',
  defaultDesc: 'DefaultDesc',
  name: 'Name',
  description: 'Desc',
  receivers: 'ReceiverList_Account',
  // callback configuration
  url: 'Url',
  commands: 'CallbackCommandList',
  token: 'Token',
  enabled: 'IsTokenEnable',
};

/**
 * `ErrorInfo` for a domain error. One about a field names it as the client sent it: the
 * domain writes `field` in its own words (`toRoomIds[2]`, `scores[0].roomId`) and starts its
 * message with it; each name in the path is replaced by its wire name (`ToRoomIdList[2]`).
 */
export function domainErrorInfo(
  error: DomainError,
  code: number,
  fieldNames: Readonly<Record<string, string>>,
): string {
  const { field, message } = error;
  if (field === undefined) return message;
  const rule = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  const wireField = field.replace(/[A-Za-z_]+/g, (name) => fieldNames[name] ?? name);
  return `${code === TencentCode.invalidParameter ? 'invalid parameter: ' : ''}${wireField} ${rule}`;
}

export const userSigFailureToTencent: Record<UserSigFailure, { code: number; info: string }> = {
  undecodable: {
    code: 70003,
    info: 'usersig is invalid: it cannot be decoded; generate it with the official TLSSigAPIv2',
  },
  sdkappid_mismatch: { code: 70014, info: 'sdkappid in the url does not match the sdkappid in the usersig' },
  identifier_mismatch: { code: 70013, info: 'identifier in the url does not match the identifier in the usersig' },
  signature_mismatch: { code: 70009, info: "usersig verification failed: it was not signed with this app's key" },
  expired: { code: 70001, info: 'usersig expired; generate a new one' },
};
