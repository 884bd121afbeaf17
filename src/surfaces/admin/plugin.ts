import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { AdminError, adminRefusals, domainErrorToStatus } from './errorCodes.js';
import { openApiDocument } from './openapi.js';
import type { AdminRoute } from './route.js';
import { installSurface, lookup, type SurfaceSpec } from '../kit/surface.js';
import { type WireFieldNames, wireMessage } from '../kit/wireFields.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin route's field names where they differ from the domain's. */
    adminWireFields?: WireFieldNames;
  }
}

const sameNames: WireFieldNames = new Map();

export interface AdminSurfaceOptions {
  tokens: string[];
  routes: AdminRoute[];
}

const ADMIN_BODY_LIMIT = 16 * 1024 * 1024;

/** The admin API's format: `{"error": {"code", "message"}}` with the HTTP status. */
export const adminSurfaceSpec: SurfaceSpec<AdminError> = {
  name: 'admin',
  bodyLimit: ADMIN_BODY_LIMIT,
  isWireError: (error) => error instanceof AdminError,
  fromDomain: (error, request) => {
    const status = lookup(domainErrorToStatus, error.code);
    if (status === undefined) return undefined;
    const names = request.routeOptions.config.adminWireFields ?? sameNames;
    return new AdminError(status, error.code, wireMessage(error, names));
  },
  refusals: {
    bodyTooLarge: () => adminRefusals.bodyTooLarge('request body is larger than 16 MiB'),
    invalidJson: adminRefusals.invalidJson,
    invalidInput: (part, message) => adminRefusals.invalidParameter(`invalid ${part}: ${message}`),
    badRequest: adminRefusals.badRequest,
    notFound: (method, path) => adminRefusals.notFound(`no admin route ${method} ${path}`),
    internal: adminRefusals.internal,
  },
  send: (reply, error) => reply.code(error.status).send({ error: { code: error.code, message: error.message } }),
  metrics: { code: (error) => error.code, ok: 'ok' },
};

/**
 * `/admin/v1/*`: Ringside's own JSON API for what no vendor surface covers. Bearer admin token
 * on every route but the OpenAPI document; JSON in, JSON out; errors are
 * `{"error": {"code", "message"}}` with the HTTP status.
 */
export const adminSurface: FastifyPluginAsync<AdminSurfaceOptions> = async (app, options) => {
  const tokens = options.tokens.map((token) => Buffer.from(token));

  installSurface(app, adminSurfaceSpec);

  app.get('/openapi.json', async () => openApiDocument(options.routes));

  app.register(async (authorized) => {
    authorized.addHook('onRequest', async (request) => authorize(request.headers.authorization, tokens));
    for (const route of options.routes) {
      const { body, query, params } = route.schemas;
      authorized.route({
        method: route.method,
        url: route.url,
        // Only the parts the route has: Fastify warns about a part given as undefined.
        schema: {
          ...(body && { body }),
          ...(query && { querystring: query }),
          ...(params && { params }),
        },
        config: { adminWireFields: route.wireFields },
        handler: async (request, reply) => {
          const result = await route.handle({ body: request.body, query: request.query, params: request.params });
          return reply.code(route.status).send(result);
        },
      });
    }
  });
};

/** Refuses (401) a request without `Authorization: Bearer <one of tokens>`. */
export function authorize(header: string | undefined, tokens: Buffer[]): void {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) throw adminRefusals.unauthorized('missing bearer token (Authorization: Bearer <admin token>)');
  const given = Buffer.from(match[1]!);
  if (!tokens.some((token) => token.length === given.length && timingSafeEqual(token, given))) {
    throw adminRefusals.unauthorized('unknown admin token');
  }
}
