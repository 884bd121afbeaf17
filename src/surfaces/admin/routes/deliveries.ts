import { type Static, Type } from '@sinclair/typebox';
import type { DeliveryDetail, DeliveryService } from '../../../delivery/deliveries.js';
import {
  type DeliveryAttempt,
  type DeliveryFilter,
  type DeliveryStatus,
  isInFlight,
  type OutboundScope,
  type OutboxMessage,
} from '../../../domain/outbound.js';
import type { Clock } from '../../../platform/clock.js';
import { adminRefusals } from '../errorCodes.js';
import { OutboundEventView, OutboundScopeView, OutboundTopic } from '../eventSchemas.js';
import { exampleNames as ex } from '../examples.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs, Nullable } from '../schemas.js';

const statuses = ['pending', 'delivered', 'dead', 'cancelled'] as const satisfies readonly DeliveryStatus[];

export const DeliveryView = Type.Object({
  id: Type.Integer({ description: 'the outbox id' }),
  eventId: Type.String({ description: 'the same on every attempt, so a receiver can drop duplicates' }),
  topic: OutboundTopic,
  scope: OutboundScopeView,
  status: Type.Union(
    statuses.map((status) => Type.Literal(status)),
    {
      description: 'dead: given up on (it may be retried); cancelled: the receiver no longer wants it',
    },
  ),
  attempts: Type.Integer({ description: 'attempts started since it was queued' }),
  nextAttemptAt: Nullable({ ...EpochMs, description: 'when a pending delivery is next tried (epoch ms)' }),
  inFlight: Type.Boolean({ description: 'a sender holds it right now (an attempt is under way)' }),
  lastError: Nullable(Type.String()),
  targetUrl: Nullable(Type.String({ description: 'where the latest attempt went (secrets redacted)' })),
  createdAt: EpochMs,
  queuedAt: { ...EpochMs, description: 'when it was queued, or put back in line by a retry or replay (epoch ms)' },
  deliveredAt: Nullable(EpochMs),
  payload: OutboundEventView,
});

export const AttemptView = Type.Object({
  at: { ...EpochMs, description: 'when it started (epoch ms)' },
  requestedBy: Type.Union([Type.Literal('schedule'), Type.Literal('retry'), Type.Literal('replay')]),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('not_sent')], {
    description: 'not_sent: there was nothing to send any more (counted as delivered)',
  }),
  url: Nullable(Type.String({ description: 'where it was sent (secrets redacted); null when nothing was sent' })),
  httpStatus: Nullable(Type.Integer({ description: "the receiver's HTTP status; null when no answer came" })),
  latencyMs: Nullable(Type.Integer()),
  answerHead: Nullable(Type.String({ description: 'the first bytes (at most 512) of the answer' })),
  error: Nullable(Type.String({ description: 'why a failed attempt failed' })),
  note: Nullable(Type.String({ description: 'why a not_sent attempt sent nothing' })),
});

const DeliveryDetailView = Type.Object({
  ...DeliveryView.properties,
  attemptHistory: Type.Array(AttemptView, { description: 'newest first, the latest 100' }),
  moreAttempts: Type.Boolean({ description: 'older attempts were made than those listed' }),
});

const exampleDelivery = {
  id: 1207,
  eventId: '9f2c4e1a7b3d4c5e8f6a0b1c2d3e4f50',
  topic: 'match.created' as const,
  scope: { kind: 'client' as const, clientId: ex.clientId },
  status: 'pending' as const,
  attempts: 2,
  nextAttemptAt: 1764547260000,
  inFlight: false,
  lastError: 'HTTP 503',
  targetUrl: 'https://games.example.com/okletsplay/match-info',
  createdAt: ex.at,
  queuedAt: ex.at,
  deliveredAt: null,
  payload: {
    topic: 'match.created' as const,
    at: ex.at,
    clientId: ex.clientId,
    matchId: '66a1f0c2b4e5d6f7a8b9c0d1',
  },
};

const exampleAttempt = {
  at: 1764547230000,
  requestedBy: 'schedule' as const,
  outcome: 'failed' as const,
  url: 'https://games.example.com/okletsplay/match-info',
  httpStatus: 503,
  latencyMs: 41,
  answerHead: 'Service Unavailable',
  error: 'HTTP 503',
  note: null,
};

/** A delivery id in a path: its outbox id. */
export const DeliveryParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) });

/** Outbound deliveries (callbacks, payouts, pushes): list and inspect them, retry and replay them. */
export function deliveryRoutes(deliveries: DeliveryService, clock: Clock) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/deliveries',
      summary: 'List outbound deliveries, newest first (answer: deliveries, nextCursor)',
      query: Type.Object({
        status: Type.Optional(Type.Union(statuses.map((status) => Type.Literal(status)))),
        topic: Type.Optional(OutboundTopic),
        app: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'a Tencent app (SDKAppID)' })),
        agent: Type.Optional(Type.String({ minLength: 1, maxBytes: 128, description: 'a JDB agent (parent)' })),
        client: Type.Optional(Type.String({ minLength: 1, maxBytes: 128, description: 'an OkLetsPlay client id' })),
        ...timeRangeQuery,
        ...pageQuery,
      }),
      response: json(
        Type.Object({
          deliveries: Type.Array(DeliveryView),
          nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page' })),
        }),
      ),
      example: {
        query: { status: 'pending', client: ex.clientId, limit: '20' },
        response: { deliveries: [exampleDelivery], nextCursor: null },
      },
      async handle({ query }) {
        const request = pageRequest(query, 'number', 100);
        const filter: DeliveryFilter = {
          status: query.status,
          topic: query.topic,
          scope: scopeOf(query),
          ...timeRange(query),
        };
        const rows = await deliveries.list(filter, request.after, request.limit);
        const now = clock.now();
        const { items, nextCursor } = page(rows, request, deliveryKey, (message) => renderDelivery(message, now));
        // `deliveries` (not `items`): the name this listing answered with before it had pages.
        return { deliveries: items, nextCursor };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/deliveries/:id',
      summary: 'A delivery with its attempt history (newest first, the latest 100) and its next attempt',
      params: DeliveryParams,
      response: json(DeliveryDetailView),
      errors: ['not_found'],
      example: {
        params: { id: String(exampleDelivery.id) },
        response: { ...exampleDelivery, attemptHistory: [exampleAttempt], moreAttempts: false },
      },
      async handle({ params }) {
        return renderDeliveryDetail(await deliveries.get(Number(params.id)), clock.now());
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/deliveries/:id/retry',
      summary: 'Try a pending or dead delivery now (409 for a delivered one: replay it)',
      status: 202,
      params: DeliveryParams,
      response: json(Type.Object({ retried: Type.Integer({ description: 'the delivery id' }) })),
      errors: ['not_found', 'delivery_state'],
      example: { params: { id: String(exampleDelivery.id) }, response: { retried: exampleDelivery.id } },
      async handle({ params }) {
        await deliveries.retry(Number(params.id));
        return { retried: Number(params.id) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/deliveries/:id/replay',
      summary: 'Send a delivered (or dead) delivery again: same event id and body, a new attempt (409 while pending)',
      status: 202,
      params: DeliveryParams,
      response: json(Type.Object({ replayed: Type.Integer({ description: 'the delivery id' }) })),
      errors: ['not_found', 'delivery_state'],
      example: { params: { id: String(exampleDelivery.id) }, response: { replayed: exampleDelivery.id } },
      async handle({ params }) {
        await deliveries.replay(Number(params.id));
        return { replayed: Number(params.id) };
      },
    }),
  ];
}

/** A listing's sort key: creation time, then id. */
export const deliveryKey = (message: OutboxMessage) => ({ at: message.createdAt, id: message.id });

function scopeOf(query: { app?: string; agent?: string; client?: string }): OutboundScope | undefined {
  const given = [query.app, query.agent, query.client].filter((value) => value !== undefined).length;
  if (given > 1) throw adminRefusals.invalidParameter('give at most one of app, agent and client');
  if (query.app !== undefined) return { kind: 'app', appId: Number(query.app) };
  if (query.agent !== undefined) return { kind: 'agent', agentId: query.agent };
  if (query.client !== undefined) return { kind: 'client', clientId: query.client };
  return undefined;
}

export function renderDelivery(message: OutboxMessage, now: number): Static<typeof DeliveryView> {
  const pending = message.status === 'pending';
  return {
    id: message.id,
    eventId: message.eventId,
    topic: message.event.topic,
    scope: message.scope,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: pending ? message.nextAttemptAt : null,
    inFlight: isInFlight(message, now),
    lastError: message.lastError ?? null,
    targetUrl: message.targetUrl ?? null,
    createdAt: message.createdAt,
    queuedAt: message.queuedAt,
    deliveredAt: message.deliveredAt ?? null,
    payload: message.event,
  };
}

export function renderDeliveryDetail(detail: DeliveryDetail, now: number): Static<typeof DeliveryDetailView> {
  return {
    ...renderDelivery(detail.message, now),
    attemptHistory: detail.attempts.map(renderAttempt),
    moreAttempts: detail.moreAttempts,
  };
}

export function renderAttempt(attempt: DeliveryAttempt): Static<typeof AttemptView> {
  return {
    at: attempt.at,
    requestedBy: attempt.requestedBy,
    outcome: attempt.outcome,
    url: attempt.url ?? null,
    httpStatus: attempt.httpStatus ?? null,
    latencyMs: attempt.latencyMs ?? null,
    answerHead: attempt.answerHead ?? null,
    error: attempt.outcome === 'failed' ? (attempt.detail ?? null) : null,
    note: attempt.outcome === 'not_sent' ? (attempt.detail ?? null) : null,
  };
}
