import { timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../platform/errors.js';
import { readJsonBody, type Validator } from '../../platform/validation.js';
import { domainErrorToStatus } from './errorCodes.js';
import { openApiDocument } from './openapi.js';
import type { AdminRoute } from './route.js';

export interface AdminSurfaceOptions {
  tokens: string[];
  routes: AdminRoute[];
}

/** An admin API refusal: HTTP status and `{error: {code, message}}`. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ADMIN_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * `/admin/v1/*`: Ringside's own JSON API for what no vendor surface covers. Bearer admin token
 * on every route but the OpenAPI document; JSON in, JSON out; errors are
 * `{"error": {"code", "message"}}` with the HTTP status.
 */
export const adminSurface: FastifyPluginAsync<AdminSurfaceOptions> = async (app, options) => {
  const tokens = options.tokens.map((token) => Buffer.from(token));

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: ADMIN_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, new AdminError(413, 'body_too_large', 'request body is larger than 16 MiB'));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendError(reply, new AdminError(error.statusCode, 'bad_request', error.message));
    }
    request.log.error({ err: error, url: request.routeOptions.url }, 'admin request failed');
    return sendError(reply, new AdminError(500, 'internal', 'internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new AdminError(404, 'not_found', `no admin route ${request.method} ${request.url.split('?')[0]}`)),
  );

  app.get('/openapi.json', async () => openApiDocument(options.routes));

  for (const route of options.routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          authorize(request.headers.authorization, tokens);
          const input = {
            body: route.validate.body ? readBody(route.validate.body, request.body) : undefined,
            query: route.validate.query ? check(route.validate.query, request.query, 'query') : undefined,
            params: route.validate.params ? check(route.validate.params, request.params, 'path') : undefined,
          };
          const result = await route.handle(input);
          return reply.code(route.status).send(result);
        } catch (error) {
          if (error instanceof AdminError) return sendError(reply, error);
          if (isDomainError(error))
            return sendError(reply, new AdminError(domainErrorToStatus[error.code], error.code, error.message));
          request.log.error({ err: error, url: route.url }, 'admin route failed');
          return sendError(reply, new AdminError(500, 'internal', 'internal server error'));
        }
      },
    });
  }
};

function sendError(reply: FastifyReply, error: AdminError) {
  return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
}

function authorize(header: string | undefined, tokens: Buffer[]): void {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) throw new AdminError(401, 'unauthorized', 'missing bearer token (Authorization: Bearer <admin token>)');
  const given = Buffer.from(match[1]!);
  if (!tokens.some((token) => token.length === given.length && timingSafeEqual(token, given))) {
    throw new AdminError(401, 'unauthorized', 'unknown admin token');
  }
}

function readBody(validate: Validator<unknown>, raw: unknown): unknown {
  const body = readJsonBody(raw, validate);
  if (body.ok) return body.value;
  if (body.refused === 'json') throw new AdminError(400, 'invalid_json', body.message);
  throw invalidParameter('body', body.message);
}

function check(validate: Validator<unknown>, value: unknown, part: string): unknown {
  const result = validate(value);
  if (!result.ok) throw invalidParameter(part, result.message);
  return result.value;
}

function invalidParameter(part: string, message: string): AdminError {
  return new AdminError(400, 'invalid_parameter', `invalid ${part}: ${message}`);
}
