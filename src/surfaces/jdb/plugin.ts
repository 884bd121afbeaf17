import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { JdbAgent } from '../../config/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { DomainError } from '../../platform/errors.js';
import type { RateLimiter } from '../../platform/rateLimiter.js';
import type { JdbAction, JdbServices } from './action.js';
import { jdbActions } from './actions/index.js';
import { type JdbReply, failReply, okReply } from './envelope.js';
import {
  JdbRefusal,
  JdbStatus,
  domainErrorToJdb,
  parameterText,
  validationRefusal,
  wireFieldNames,
} from './errorCodes.js';
import { type JdbAgents, openRequest, transportFields } from './transport.js';
import { installSurface, lookup, routeOperation } from '../kit/surface.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JDB action being answered (0 until it is known): some actions map errors their own way. */
    jdbAction: number;
  }
}

/** Bodies carry up to 50,000 players (encrypted and base64'd). */
const JDB_BODY_LIMIT = 8 * 1024 * 1024;

export interface JdbSurfaceOptions {
  /** The configured agents, shared with the wallet callbacks (`JdbWallet`). */
  agents: JdbAgents;
  services: JdbServices;
  rateLimiter: RateLimiter;
  clock: Clock;
}

/**
 * `GET|POST /apiRequest.do` with `dc` and `x` (GET query, POST form or JSON): authenticates
 * the agent by decrypting `x` with its key, checks `ts`, applies the agent's rate limit,
 * validates the action's parameters and calls one domain service. Every reply is HTTP 200
 * with plain JSON `{status, data?, err_text?}`.
 */
export const jdbSurface: FastifyPluginAsync<JdbSurfaceOptions> = async (app, options) => {
  const actions = new Map<number, JdbAction>(jdbActions.map((action) => [action.action, action]));
  const { agents } = options;

  app.decorateRequest('jdbAction', 0);
  installSurface(app, {
    name: 'jdb',
    bodyLimit: JDB_BODY_LIMIT,
    isWireError: (error) => error instanceof JdbRefusal,
    fromDomain: (error, request) => {
      const status = statusOf(error, request.jdbAction);
      return status === undefined ? undefined : new JdbRefusal(status, errorText(status, error));
    },
    refusals: {
      bodyTooLarge: () => new JdbRefusal(JdbStatus.invalidParameter, 'request body is larger than 8 MiB'),
      invalidJson: (message) => new JdbRefusal(JdbStatus.dataUnreadable, message),
      invalidInput: (_part, message) => validationRefusal(message),
      badRequest: (message) => new JdbRefusal(JdbStatus.invalidParameter, message),
      notFound: () => new JdbRefusal(JdbStatus.unknownAction, 'Unknown request path: the API is /apiRequest.do'),
      internal: () => new JdbRefusal(JdbStatus.failed, 'Failed'),
    },
    send: (reply, refusal) => reply.code(200).send(failReply(refusal.status, refusal.text)),
    metrics: {
      // The action number once `x` is read; before, the route.
      operation: (request) => (request.jdbAction === 0 ? routeOperation(request) : String(request.jdbAction)),
      code: (refusal) => refusal.status,
      ok: JdbStatus.ok,
    },
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/',
    handler: async (request, reply) => reply.code(200).send(await answer(request)),
  });

  async function answer(request: FastifyRequest): Promise<JdbReply> {
    if (request.method !== 'GET' && request.method !== 'POST') {
      throw new JdbRefusal(JdbStatus.failed, 'Failed: /apiRequest.do accepts GET and POST only');
    }
    const fields = transportFields(request.method, request.query as Record<string, unknown>, request.body);
    const opened = openRequest(fields, agents, options.clock.now());
    const action = actions.get(opened.action);
    if (!action) throw new JdbRefusal(JdbStatus.unknownAction, `Unknown action ${opened.action}`);
    request.jdbAction = action.action;
    await enforceRate(opened.agent, opened.action);
    const checked = action.validate(opened.params);
    if (!checked.ok) throw validationRefusal(checked.message);
    return okReply(await action.run({ agent: opened.agent, services: options.services }, checked.value));
  }

  async function enforceRate(agent: JdbAgent, action: number): Promise<void> {
    const limit = agent.rateLimitPerSecond;
    if (limit === 0) return;
    if (await options.rateLimiter.allow(`jdb:${agent.parent}:${action}`, { limit, perMs: 1000 })) return;
    throw new JdbRefusal(
      JdbStatus.rateLimited,
      `Rate limit exceeded: at most ${limit} calls of action ${action} per second`,
    );
  }
};

/** The status of a domain error in `action` (0 before the action is known). */
function statusOf(error: DomainError, action: number): string | undefined {
  const forAction = domainErrorToJdb.byAction.get(action);
  return (forAction && lookup(forAction, error.code)) ?? lookup(domainErrorToJdb.all, error.code);
}

/** 8000 names the parameter in JDB's words; other statuses carry the domain's message. */
function errorText(status: string, error: DomainError): string {
  if (status !== JdbStatus.invalidParameter || error.field === undefined) return error.message;
  const problem = error.message.startsWith(`${error.field} `)
    ? error.message.slice(error.field.length + 1)
    : error.message;
  return parameterText(wireFieldNames.get(error.field) ?? error.field, problem);
}
