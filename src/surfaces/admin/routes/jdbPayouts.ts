import { type Static, Type } from '@sinclair/typebox';
import type { DeliveryDetail, DeliveryService } from '../../../delivery/deliveries.js';
import type { FreeSpinOutboundEvent } from '../../../domain/events.js';
import { type DeliveryStatus, isInFlight, type OutboxMessage } from '../../../domain/outbound.js';
import type { Clock } from '../../../platform/clock.js';
import { DomainError } from '../../../platform/errors.js';
import { formatThousandths } from '../../../platform/decimal.js';
import { exampleNames as ex } from '../examples.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { EpochMs, JdbAmount, Nullable, Page } from '../schemas.js';
import { DeliveryParams, deliveryKey, renderAttempt } from './deliveries.js';

type PayoutEvent = Extract<FreeSpinOutboundEvent, { topic: 'freespin.payout' }>;

/** A payout's status, as JDB's wallet sees it, from its delivery's (only callbacks are ever cancelled). */
const payoutStatus = { pending: 'pending', delivered: 'paid', dead: 'given_up', cancelled: 'cancelled' } as const;
type PayoutStatus = (typeof payoutStatus)[DeliveryStatus];
const deliveryStatus: Record<PayoutStatus, DeliveryStatus> = {
  pending: 'pending',
  paid: 'delivered',
  given_up: 'dead',
  cancelled: 'cancelled',
};

const payoutFields = {
  id: Type.Integer({ description: "the payout's delivery id (retry and replay it as /deliveries/{id})" }),
  transferId: Type.Integer({ description: 'the transferId the wallet gets (Action 16), the same on every attempt' }),
  agent: Type.String({ description: 'the JDB agent (parent)' }),
  uid: Type.String(),
  eventId: Type.String(),
  amount: JdbAmount,
  currency: Type.String(),
  accumulatedTurnover: JdbAmount,
  accumulatedWin: JdbAmount,
  cashoutAt: EpochMs,
  status: Type.Union(
    Object.values(payoutStatus).map((status) => Type.Literal(status)),
    { description: 'paid: the wallet answered "0000"; given_up: no more attempts (an operator may retry)' },
  ),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(EpochMs),
  inFlight: Type.Boolean({ description: 'whether an attempt is under way right now' }),
  lastError: Nullable(Type.String()),
  walletUrl: Nullable(Type.String({ description: 'where the latest attempt went; null before any' })),
  createdAt: EpochMs,
  paidAt: Nullable(EpochMs),
};

const PayoutView = Type.Object(payoutFields);

/** An attempt to pay, as the delivery log keeps it (rendered by the deliveries routes' renderAttempt). */
const AttemptView = Type.Object({
  at: EpochMs,
  requestedBy: Type.Union([Type.Literal('schedule'), Type.Literal('retry'), Type.Literal('replay')]),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('not_sent')]),
  url: Nullable(Type.String({ description: 'secrets redacted; null when nothing was sent' })),
  httpStatus: Nullable(Type.Integer({ description: 'null when no answer came' })),
  latencyMs: Nullable(Type.Integer()),
  answerHead: Nullable(Type.String({ description: 'the first bytes (at most 512) of the answer' })),
  error: Nullable(Type.String({ description: 'why a failed attempt failed' })),
  note: Nullable(Type.String({ description: 'why nothing was sent (outcome not_sent)' })),
});

const PayoutDetailView = Type.Object({
  ...payoutFields,
  attemptHistory: Type.Array(AttemptView, { description: 'newest first, the latest 100' }),
  moreAttempts: Type.Boolean({ description: 'whether older attempts than those were made' }),
});

const examplePayout: Static<typeof PayoutView> = {
  id: 3071,
  transferId: 2414,
  agent: ex.parent,
  uid: ex.uid,
  eventId: '184512345678901',
  amount: '12.500',
  currency: 'USD',
  accumulatedTurnover: '50.000',
  accumulatedWin: '12.500',
  cashoutAt: ex.at + 900_000,
  status: 'paid',
  attempts: 2,
  nextAttemptAt: null,
  inFlight: false,
  lastError: null,
  walletUrl: 'https://wallet.example.com/jdb',
  createdAt: ex.at + 900_000,
  paidAt: ex.at + 960_000,
};

/**
 * JDB free-spin payouts (Action 16 to the agent's wallet): the deliveries of the
 * `freespin.payout` topic, shown as payouts. Retry and replay them as deliveries (same id).
 */
export function jdbPayoutRoutes(deliveries: DeliveryService, clock: Clock) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/payouts',
      summary: 'List free-spin payouts (Action 16), newest first',
      query: Type.Object({
        agent: Type.Optional(Type.String({ minLength: 1, maxBytes: 128, description: 'a JDB agent (parent)' })),
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('given_up')])),
        ...timeRangeQuery,
        ...pageQuery,
      }),
      response: json(Page(PayoutView)),
      example: {
        query: { agent: ex.parent, status: 'paid', limit: '20' },
        response: { items: [examplePayout], nextCursor: null },
      },
      async handle({ query }) {
        const request = pageRequest(query, 'number');
        const rows = await deliveries.list(
          {
            topic: 'freespin.payout',
            status: query.status && deliveryStatus[query.status],
            scope: query.agent === undefined ? undefined : { kind: 'agent', agentId: query.agent },
            ...timeRange(query),
          },
          request.after,
          request.limit,
        );
        const now = clock.now();
        return page(rows, request, deliveryKey, (message) => renderPayout(message as OutboxMessage<PayoutEvent>, now));
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/payouts/:id',
      summary: 'A free-spin payout (by its delivery id) with every attempt to pay it (newest first, the latest 100)',
      params: DeliveryParams,
      response: json(PayoutDetailView),
      errors: ['not_found'],
      example: {
        params: { id: String(examplePayout.id) },
        response: {
          ...examplePayout,
          attemptHistory: [
            {
              at: ex.at + 960_000,
              requestedBy: 'schedule',
              outcome: 'delivered',
              url: 'https://wallet.example.com/jdb',
              httpStatus: 200,
              latencyMs: 38,
              answerHead: '{"status":"0000"}',
              error: null,
              note: null,
            },
            {
              at: ex.at + 900_000,
              requestedBy: 'schedule',
              outcome: 'failed',
              url: 'https://wallet.example.com/jdb',
              httpStatus: 503,
              latencyMs: 12,
              answerHead: 'Service Unavailable',
              error: 'HTTP 503',
              note: null,
            },
          ],
          moreAttempts: false,
        },
      },
      async handle({ params }) {
        const detail = await deliveries.get(Number(params.id));
        if (detail.message.event.topic !== 'freespin.payout') {
          throw new DomainError(
            'not_found',
            `id ${params.id} is a delivery of ${detail.message.event.topic}, not a payout`,
            { field: 'id' },
          );
        }
        return renderPayoutDetail(detail as DeliveryDetail & { message: OutboxMessage<PayoutEvent> }, clock.now());
      },
    }),
  ];
}

function renderPayout(message: OutboxMessage<PayoutEvent>, now: number): Static<typeof PayoutView> {
  const { payout } = message.event;
  const pending = message.status === 'pending';
  return {
    id: message.id,
    transferId: payout.transferId,
    agent: payout.agent,
    uid: payout.uid,
    eventId: payout.eventId,
    amount: formatThousandths(payout.amount),
    currency: payout.currency,
    accumulatedTurnover: formatThousandths(payout.turnover),
    accumulatedWin: formatThousandths(payout.win),
    cashoutAt: payout.cashoutAt,
    status: payoutStatus[message.status],
    attempts: message.attempts,
    nextAttemptAt: pending ? message.nextAttemptAt : null,
    inFlight: isInFlight(message, now),
    lastError: message.lastError ?? null,
    walletUrl: message.targetUrl ?? null,
    createdAt: message.createdAt,
    paidAt: message.status === 'delivered' ? (message.deliveredAt ?? null) : null,
  };
}

function renderPayoutDetail(
  detail: DeliveryDetail & { message: OutboxMessage<PayoutEvent> },
  now: number,
): Static<typeof PayoutDetailView> {
  return {
    ...renderPayout(detail.message, now),
    attemptHistory: detail.attempts.map(renderAttempt),
    moreAttempts: detail.moreAttempts,
  };
}
