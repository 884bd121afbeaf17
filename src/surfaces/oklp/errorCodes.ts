import type { CodeOf, commonErrorCodes, matchErrorCodes } from '../../platform/errors.js';
import type { ErrorTable } from '../kit/surface.js';

/** A game API error: HTTP status and `{"error": {"code", "message"}}`. */
export class OklpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The `error` values the realm answers with: RFC 6749 §5.2's, and Keycloak's for an unknown realm. */
export const oauthErrorNames = [
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_scope',
  'realm_not_found',
  'server_error',
] as const;

/** An OAuth2 token endpoint error (RFC 6749 §5.2): `{"error", "error_description"}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: (typeof oauthErrorNames)[number],
    message: string,
  ) {
    super(message);
  }
}

/** The domain errors the game API can meet: those of matches. */
export type OklpDomainErrorCode = CodeOf<typeof commonErrorCodes | typeof matchErrorCodes>;

/**
 * The domain errors the game API can meet, as HTTP status and code. Anything else is a bug
 * and answers 500 `internal_error` (logged).
 */
export const domainErrorToOklp: ErrorTable<OklpDomainErrorCode, { status: number; code: string }> = {
  invalid_parameter: { status: 400, code: 'invalid_request' },
  // The token's client is no longer configured.
  client_not_found: { status: 401, code: 'unauthorized' },
  not_in_match: { status: 400, code: 'not_in_match' },
  match_of_another_client: { status: 403, code: 'forbidden' },
  match_not_found: { status: 404, code: 'match_not_found' },
  token_not_found: { status: 404, code: 'token_not_found' },
  token_expired: { status: 410, code: 'token_expired' },
  result_conflict: { status: 409, code: 'result_conflict' },
  match_not_live: { status: 409, code: 'match_not_live' },
  internal: { status: 500, code: 'internal_error' },
};

/** The game API's own refusals, before any domain service is called. */
export const surfaceErrors = {
  unauthorized: (message: string) => new OklpError(401, 'unauthorized', message),
  invalidJson: (message: string) => new OklpError(400, 'invalid_json', message),
  invalidRequest: (message: string) => new OklpError(400, 'invalid_request', message),
  notFound: (message: string) => new OklpError(404, 'not_found', message),
  bodyTooLarge: (message: string) => new OklpError(413, 'body_too_large', message),
  internal: () => new OklpError(500, 'internal_error', 'internal server error, please retry'),
};
