import { Type } from '@sinclair/typebox';
import type { DeliveryDetail, DeliveryService } from '../../../delivery/deliveries.js';
import type { OutboundEvent } from '../../../domain/events.js';
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
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';

const topics: Array<OutboundEvent['topic']> = [
  'room.created',
  'room.destroyed',
  'battle.created',
  'battle.started',
  'battle.ended',
  'freespin.payout',
  'freespin.spin',
  'match.created',
  'match.forfeited',
];

const statuses = ['pending', 'delivered', 'dead', 'cancelled'] as const satisfies readonly DeliveryStatus[];

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
        topic: Type.Optional(Type.Union(topics.map((topic) => Type.Literal(topic)))),
        app: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'a Tencent app (SDKAppID)' })),
        agent: Type.Optional(Type.String({ minLength: 1, maxBytes: 128, description: 'a JDB agent (parent)' })),
        client: Type.Optional(Type.String({ minLength: 1, maxBytes: 128, description: 'an OkLetsPlay client id' })),
        ...timeRangeQuery,
        ...pageQuery,
      }),
      async handle({ query }) {
        const request = pageRequest(query, 'number', 100);
        const filter: DeliveryFilter = {
          status: query.status,
          topic: query.topic as OutboundEvent['topic'] | undefined,
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

export function renderDelivery(message: OutboxMessage, now: number) {
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

export function renderDeliveryDetail(detail: DeliveryDetail, now: number) {
  return {
    ...renderDelivery(detail.message, now),
    attemptHistory: detail.attempts.map(renderAttempt),
    moreAttempts: detail.moreAttempts,
  };
}

export function renderAttempt(attempt: DeliveryAttempt) {
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
