import { Type } from '@sinclair/typebox';
import type { DeliveryDetail, DeliveryService } from '../../../delivery/deliveries.js';
import type { FreeSpinOutboundEvent } from '../../../domain/events.js';
import { type DeliveryStatus, isInFlight, type OutboxMessage } from '../../../domain/outbound.js';
import type { Clock } from '../../../platform/clock.js';
import { DomainError } from '../../../platform/errors.js';
import { formatThousandths } from '../../../platform/decimal.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';
import { timeRange, timeRangeQuery } from '../filters.js';
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

function renderPayout(message: OutboxMessage<PayoutEvent>, now: number) {
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

function renderPayoutDetail(detail: DeliveryDetail & { message: OutboxMessage<PayoutEvent> }, now: number) {
  return {
    ...renderPayout(detail.message, now),
    attemptHistory: detail.attempts.map(renderAttempt),
    moreAttempts: detail.moreAttempts,
  };
}
