import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TencentApp } from '../../config/schema.js';
import type { Clock } from '../../platform/clock.js';
import { isDomainError } from '../../platform/errors.js';
import type { RateLimiter } from '../../platform/rateLimiter.js';
import type { Command, TencentServices } from './command.js';
import { tencentCommands } from './commands/index.js';
import { type Envelope, failEnvelope, newRequestId, okEnvelope } from './envelope.js';
import { TencentCode, domainErrorToTencent, userSigFailureToTencent } from './errorCodes.js';
import { UserSigVerifier } from './userSig.js';

export const TENCENT_BODY_LIMIT = 1024 * 1024;
const UINT32_MAX = 4294967295;

export interface TencentSurfaceOptions {
  apps: TencentApp[];
  services: TencentServices;
  rateLimiter: RateLimiter;
  clock: Clock;
}

interface Tenant {
  app: TencentApp;
  admins: Set<string>;
  verifier: UserSigVerifier;
}

/** A refusal with a Tencent code, raised while checking the URL and body. */
class Refusal {
  constructor(
    readonly code: number,
    readonly info: string,
  ) {}
}

type Query = Record<string, string | string[] | undefined>;

/**
 * `POST /v4/{service}/{command}?sdkappid&identifier&usersig&random&contenttype=json`:
 * authenticates the admin's UserSig, applies the per-app rate limits, validates the body
 * and calls one domain service. Every reply is HTTP 200 with the Tencent envelope.
 */
export const tencentSurface: FastifyPluginAsync<TencentSurfaceOptions> = async (app, options) => {
  const commands = new Map<string, Command>(tencentCommands.map((command) => [command.path, command]));
  const tenants = new Map<number, Tenant>(
    options.apps.map((tencentApp) => [
      tencentApp.sdkAppId,
      {
        app: tencentApp,
        admins: new Set(tencentApp.admins),
        verifier: new UserSigVerifier(tencentApp.sdkAppId, tencentApp.secretKey),
      },
    ]),
  );

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: TENCENT_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = newRequestId();
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(200).send(failEnvelope(requestId, TencentCode.badRequest, 'request body is larger than 1 MiB'));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(200).send(failEnvelope(requestId, TencentCode.badRequest, `bad HTTP request: ${error.message}`));
    }
    request.log.error({ err: error, requestId }, 'tencent request failed');
    return reply.code(200).send(failEnvelope(requestId, TencentCode.internal, 'internal server error, please retry'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.code(200).send(failEnvelope(newRequestId(), TencentCode.unknownCommand, `unknown API ${path}`));
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/:service/:command',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const envelope = await answer(request);
      return reply.code(200).send(envelope);
    },
  });

  async function answer(request: FastifyRequest): Promise<Envelope> {
    const requestId = newRequestId();
    try {
      if (request.method !== 'POST') throw new Refusal(TencentCode.badRequest, 'the REST API accepts POST only');
      const tenant = authenticate(request.query as Query);
      const { service, command: name } = request.params as { service: string; command: string };
      const command = commands.get(`${service}/${name}`);
      if (!command) throw new Refusal(TencentCode.unknownCommand, `unknown API v4/${service}/${name}`);
      const body = parseBody(request.body);
      await enforceRate(tenant.app, command.path, command.rate);
      const checked = command.validate(body);
      if (!checked.ok) throw new Refusal(TencentCode.invalidParameter, `invalid parameter: ${checked.message}`);
      if (command.keyedRate) {
        const key = command.keyedRate.key(checked.value);
        await enforceRate(tenant.app, `${command.path}:${key}`, command.keyedRate.rate);
      }
      const identifier = (request.query as Query).identifier as string;
      const payload = await command.run({ app: tenant.app, identifier, services: options.services }, checked.value);
      return okEnvelope(requestId, payload);
    } catch (error) {
      if (error instanceof Refusal) return failEnvelope(requestId, error.code, error.info);
      if (isDomainError(error)) return failEnvelope(requestId, domainErrorToTencent[error.code], error.message);
      request.log.error({ err: error, requestId, url: request.routeOptions.url }, 'tencent command failed');
      return failEnvelope(requestId, TencentCode.internal, 'internal server error, please retry');
    }
  }

  function authenticate(query: Query): Tenant {
    const sdkAppId = single(query, 'sdkappid');
    if (sdkAppId === undefined || sdkAppId === '') {
      throw new Refusal(TencentCode.sdkAppIdMissing, 'sdkappid is missing from the URL');
    }
    if (!/^\d{1,10}$/.test(sdkAppId)) throw new Refusal(TencentCode.badRequest, 'sdkappid must be a positive integer');
    const tenant = tenants.get(Number(sdkAppId));
    if (!tenant) throw new Refusal(TencentCode.unknownSdkAppId, `sdkappid ${sdkAppId} is not a valid app`);

    const random = single(query, 'random');
    if (random !== undefined && !(/^\d{1,10}$/.test(random) && Number(random) <= UINT32_MAX)) {
      throw new Refusal(TencentCode.badRequest, 'random must be an unsigned 32-bit integer');
    }
    const contentType = single(query, 'contenttype');
    if (contentType !== undefined && contentType.toLowerCase() !== 'json') {
      throw new Refusal(TencentCode.badRequest, 'contenttype must be json');
    }
    const identifier = single(query, 'identifier');
    if (identifier === undefined || identifier === '') {
      throw new Refusal(TencentCode.identifierMissing, 'identifier is missing from the URL');
    }
    const userSig = single(query, 'usersig');
    if (userSig === undefined) throw new Refusal(TencentCode.userSigMissing, 'usersig is missing from the URL');
    if (userSig === '') throw new Refusal(TencentCode.userSigEmpty, 'usersig is empty');

    const failure = tenant.verifier.verify(userSig, identifier, Math.floor(options.clock.now() / 1000));
    if (failure) {
      const { code, info } = userSigFailureToTencent[failure];
      throw new Refusal(code, info);
    }
    if (!tenant.admins.has(identifier)) {
      throw new Refusal(TencentCode.notAdmin, `identifier ${identifier} is not an app administrator`);
    }
    return tenant;
  }

  async function enforceRate(tencentApp: TencentApp, scope: string, rate: Command['rate']): Promise<void> {
    if (!tencentApp.limits.rateLimits) return;
    if (await options.rateLimiter.allow(`tencent:${tencentApp.sdkAppId}:${scope}`, rate)) return;
    throw new Refusal(
      rate.code ?? TencentCode.rateLimited,
      `API call frequency exceeds the limit of ${rate.limit} per ${rate.perMs === 1000 ? 'second' : `${rate.perMs / 1000} seconds`}`,
    );
  }
};

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new Refusal(TencentCode.badRequest, `${name} appears more than once in the URL`);
  return value;
}

function parseBody(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new Refusal(TencentCode.badJson, 'request body is empty; send {} when there are no fields');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new Refusal(TencentCode.badJson, `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Refusal(TencentCode.badJson, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
