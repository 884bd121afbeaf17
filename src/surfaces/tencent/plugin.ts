import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LiveEventsConfig, TencentApp } from '../../config/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { RateLimiter } from '../../platform/rateLimiter.js';
import type { LiveEventBus } from '../../delivery/liveEventBus.js';
import type { Command, TencentServices } from './command.js';
import { tencentCommands } from './commands/index.js';
import { type Envelope, failEnvelope, newRequestId, okEnvelope } from './envelope.js';
import { TencentCode, domainErrorInfo, domainErrorToTencent, wireFieldNames } from './errorCodes.js';
import { type Query, Refusal, TencentAuth } from './auth.js';
import { registerLiveEventSocket } from './liveEventSocket.js';
import { installSurface, lookup, routeOperation } from '../kit/surface.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Tencent command being answered, once known (names the fields of its domain errors). */
    tencentCommand: Command | null;
  }
}

export const TENCENT_BODY_LIMIT = 1024 * 1024;

export interface TencentSurfaceOptions {
  apps: TencentApp[];
  services: TencentServices;
  liveEvents: LiveEventBus;
  liveEventLimits: LiveEventsConfig;
  rateLimiter: RateLimiter;
  clock: Clock;
}

/**
 * `POST /v4/{service}/{command}?sdkappid&identifier&usersig&random&contenttype=json`:
 * authenticates the admin's UserSig, applies the per-app rate limits, validates the body
 * and calls one domain service. Every reply is HTTP 200 with the Tencent envelope.
 */
export const tencentSurface: FastifyPluginAsync<TencentSurfaceOptions> = async (app, options) => {
  const commands = new Map<string, Command>(tencentCommands.map((command) => [command.path, command]));
  const auth = new TencentAuth(options.apps, options.clock);

  app.decorateRequest('tencentCommand', null);
  installSurface(app, {
    name: 'tencent',
    bodyLimit: TENCENT_BODY_LIMIT,
    isWireError: (error) => error instanceof Refusal,
    fromDomain: (error, request) => {
      const code = error.passThroughCode ?? lookup(domainErrorToTencent, error.code);
      if (code === undefined) return undefined;
      return new Refusal(code, domainErrorInfo(error, code, request.tencentCommand?.fieldNames ?? wireFieldNames));
    },
    refusals: {
      bodyTooLarge: () => new Refusal(TencentCode.badRequest, 'request body is larger than 1 MiB'),
      invalidJson: (message) => new Refusal(TencentCode.badJson, message),
      invalidInput: (part, message) => new Refusal(TencentCode.invalidParameter, `invalid parameter: ${message}`),
      badRequest: (message) => new Refusal(TencentCode.badRequest, message),
      notFound: (_method, path) => new Refusal(TencentCode.unknownCommand, `unknown API ${path}`),
      internal: () => new Refusal(TencentCode.internal, 'internal server error, please retry'),
    },
    send: (reply, refusal) => reply.code(200).send(failEnvelope(newRequestId(), refusal.code, refusal.info)),
    metrics: {
      // The command's path once known; before (a refused UserSig, say), the URL's when it names one.
      operation: (request) => request.tencentCommand?.path ?? commandNamed(request) ?? routeOperation(request),
      code: (refusal) => String(refusal.code),
      ok: '0',
    },
  });

  function commandNamed(request: FastifyRequest): string | undefined {
    const { service, command } = (request.params ?? {}) as { service?: string; command?: string };
    const path = `${service}/${command}`;
    return commands.has(path) ? path : undefined;
  }

  await registerLiveEventSocket(app, { auth, bus: options.liveEvents, limits: options.liveEventLimits });

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/:service/:command',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const envelope = await answer(request);
      return reply.code(200).send(envelope);
    },
  });

  async function answer(request: FastifyRequest): Promise<Envelope> {
    if (request.method !== 'POST') throw new Refusal(TencentCode.badRequest, 'the REST API accepts POST only');
    const caller = auth.authenticate(request.query as Query);
    const { service, command: name } = request.params as { service: string; command: string };
    const command = commands.get(`${service}/${name}`);
    if (!command) throw new Refusal(TencentCode.unknownCommand, `unknown API v4/${service}/${name}`);
    request.tencentCommand = command;
    auth.requireAdmin(caller, command.notAdminCode);
    const { tenant, identifier } = caller;
    const body = parseBody(request.body);
    await enforceRate(tenant.app, command.path, command.rate);
    const checked = command.validate(body);
    if (!checked.ok) throw new Refusal(TencentCode.invalidParameter, `invalid parameter: ${checked.message}`);
    if (command.keyedRate) {
      const key = command.keyedRate.key(checked.value);
      await enforceRate(tenant.app, `${command.path}:${key}`, command.keyedRate.rate);
    }
    const payload = await command.run({ app: tenant.app, identifier, services: options.services }, checked.value);
    return okEnvelope(newRequestId(), payload);
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

function parseBody(raw: unknown): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : '');
  } catch (error) {
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw new Refusal(TencentCode.badJson, 'request body is empty; send {} when there are no fields');
    }
    throw new Refusal(TencentCode.badJson, `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Refusal(TencentCode.badJson, 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
