import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { OklpConfig } from '../../config/schema.js';
import { OAuthError } from './errorCodes.js';
import { type PlatformTokens, REPORT_SCOPE } from './tokens.js';
import { installSurface } from '../kit/surface.js';

export interface RealmOptions {
  oklp: OklpConfig;
  tokens: PlatformTokens;
  publicKeyDer: string;
}

const FORM_BODY_LIMIT = 16 * 1024;

/**
 * `/auth/realms/{realm}`, Keycloak's layout: the realm document with its public key, OpenID
 * discovery, the key set, and the token endpoint (client credentials grant). Errors are
 * OAuth2's `{"error", "error_description"}`, as OAuth2 client libraries expect.
 */
export const realmRoutes: FastifyPluginAsync<RealmOptions> = async (app, { oklp, tokens, publicKeyDer }) => {
  installSurface(app, {
    name: 'oklp realm',
    bodyLimit: FORM_BODY_LIMIT,
    isWireError: (error) => error instanceof OAuthError,
    fromDomain: () => undefined,
    refusals: {
      bodyTooLarge: () => new OAuthError(413, 'invalid_request', 'request body is larger than 16 KiB'),
      invalidJson: (message) => new OAuthError(400, 'invalid_request', message),
      invalidInput: (_part, message) => new OAuthError(400, 'invalid_request', message),
      badRequest: (message, status) => new OAuthError(status, 'invalid_request', message),
      notFound: (method, path) => new OAuthError(404, 'invalid_request', `no such endpoint: ${method} ${path}`),
      internal: () => new OAuthError(500, 'server_error', 'internal server error, please retry'),
    },
    send: (reply, error) => {
      if (error.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="oklp"');
      return reply.code(error.status).send({ error: error.error, error_description: error.message });
    },
    metrics: { code: (error) => error.error, ok: 'ok' },
  });

  const realmOf = (request: FastifyRequest) => {
    const { realm } = request.params as { realm: string };
    if (realm !== oklp.realm) throw new OAuthError(404, 'realm_not_found', 'Realm does not exist');
  };
  const openIdConnect = `${oklp.issuer}/protocol/openid-connect`;

  app.get('/:realm', async (request) => {
    realmOf(request);
    return {
      realm: oklp.realm,
      public_key: publicKeyDer,
      'token-service': openIdConnect,
      'account-service': `${oklp.issuer}/account`,
      'tokens-not-before': 0,
    };
  });

  app.get('/:realm/.well-known/openid-configuration', async (request) => {
    realmOf(request);
    return {
      issuer: oklp.issuer,
      token_endpoint: `${openIdConnect}/token`,
      jwks_uri: `${openIdConnect}/certs`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [REPORT_SCOPE],
    };
  });

  app.get('/:realm/protocol/openid-connect/certs', async (request) => {
    realmOf(request);
    return tokens.jwks();
  });

  app.post('/:realm/protocol/openid-connect/token', async (request, reply) => {
    realmOf(request);
    const form = parseForm(request);
    const client = clientCredentials(request, form);
    const grant = form.get('grant_type');
    if (!grant) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials') {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        `grant_type ${grant} is not supported; use client_credentials`,
      );
    }
    const scopes = (form.get('scope') ?? REPORT_SCOPE).split(' ').filter(Boolean);
    const unknown = scopes.filter((scope) => scope !== REPORT_SCOPE);
    if (unknown.length > 0) throw new OAuthError(400, 'invalid_scope', `unknown scope ${unknown.join(' ')}`);
    const authenticated = tokens.authenticateClient(client.id, client.secret);
    if (!authenticated) throw new OAuthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
    const { token, expiresIn } = await tokens.issueAccessToken(authenticated.clientId);
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send({
      access_token: token,
      expires_in: expiresIn,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: REPORT_SCOPE,
    });
  });
};

function parseForm(request: FastifyRequest): URLSearchParams {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError(400, 'invalid_request', 'the token endpoint takes an application/x-www-form-urlencoded body');
  }
  const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) throw new OAuthError(400, 'invalid_request', `${name} is given more than once`);
  }
  return form;
}

/** From the form (client_secret_post) or the Authorization header (client_secret_basic). */
function clientCredentials(request: FastifyRequest, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError(401, 'invalid_client', 'malformed Basic credentials');
    return {
      id: safeDecode(decoded.slice(0, colon)),
      secret: safeDecode(decoded.slice(colon + 1)),
    };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (!id) throw new OAuthError(400, 'invalid_request', 'client_id is required');
  if (secret === null) throw new OAuthError(401, 'invalid_client', 'client_secret is required');
  return { id, secret };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw new OAuthError(401, 'invalid_client', 'malformed Basic credentials');
  }
}
