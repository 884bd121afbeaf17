import type { FastifyPluginAsync } from 'fastify';
import type { AuditLog } from '../../domain/audit/adminAudit.js';
import type { Clock } from '../../platform/clock.js';
import { auditWrite } from './audit.js';
import type { AdminAuth } from './auth.js';
import { AdminError, adminRefusals, domainErrorToStatus } from './errorCodes.js';
import { adminErrorSchema, openApiDocument } from './openapi.js';
import type { AdminRoute } from './route.js';
import { installSurface, lookup, type SurfaceSpec } from '../kit/surface.js';
import { type WireFieldNames, wireMessage } from '../kit/wireFields.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin route's field names where they differ from the domain's. */
    adminWireFields?: WireFieldNames;
    /** An admin route open without credentials (signing in). */
    adminPublic?: boolean;
  }
}

const sameNames: WireFieldNames = new Map();

export interface AdminSurfaceOptions {
  auth: AdminAuth;
  routes: AdminRoute[];
  /** Where every admin write is recorded. */
  audit: AuditLog;
  clock: Clock;
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
 * or session cookie (`AdminAuth`) on every route but the OpenAPI document and signing in (the
 * routes marked `public`); JSON in, JSON out; errors are `{"error": {"code", "message"}}` with
 * the HTTP status.
 */
export const adminSurface: FastifyPluginAsync<AdminSurfaceOptions> = async (app, options) => {
  app.decorateRequest('adminActor', undefined);

  installSurface(app, adminSurfaceSpec);

  app.get('/openapi.json', async () => openApiDocument(options.routes));

  app.register(async (authorized) => {
    authorized.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.adminPublic) return;
      request.adminActor = await options.auth.authorize(request);
    });
    // The one place admin writes are audited: every route's answer, success or refusal, passes here.
    authorized.addHook('onSend', async (request, reply, payload) => {
      await auditWrite(request, reply, payload, options.audit, options.clock);
      return payload;
    });
    for (const route of options.routes) {
      const { body, query, params } = route.schemas;
      authorized.route({
        method: route.method,
        url: route.url,
        // Only the parts the route has: Fastify warns about a part given as undefined. The
        // answer's schema also serializes it, so a field it does not name never leaves.
        schema: {
          ...(body && { body }),
          ...(query && { querystring: query }),
          ...(params && { params }),
          response: {
            ...('json' in route.response && { [route.status]: route.response.json }),
            '4xx': adminErrorSchema,
            '5xx': adminErrorSchema,
          },
        },
        config: { adminWireFields: route.wireFields, adminRoute: route.url, adminPublic: route.public },
        handler: async (request, reply) => {
          const http = { request, reply };
          const result = await route.handle({ body: request.body, query: request.query, params: request.params, http });
          // A route that streams has sent its reply itself.
          if (reply.sent) return reply;
          return reply.code(route.status).send(result);
        },
      });
    }
  });
};
