import { Type } from '@sinclair/typebox';
import type { DeliveryService } from '../../../delivery/deliveries.js';
import type { OutboxMessage } from '../../../domain/outbound.js';
import { defineAdminRoute, pageLimit, pageLimitQuery } from '../route.js';

/** Outbound deliveries (callbacks, payouts, webhooks): list them and retry the ones given up on. */
export function deliveryRoutes(deliveries: DeliveryService) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/deliveries',
      summary: 'List outbound deliveries, newest first',
      query: Type.Object({
        status: Type.Optional(
          Type.Union([
            Type.Literal('pending'),
            Type.Literal('delivered'),
            Type.Literal('dead'),
            Type.Literal('cancelled'),
          ]),
        ),
        limit: pageLimitQuery,
      }),
      async handle({ query }) {
        return { deliveries: (await deliveries.list(query.status, pageLimit(query.limit, 100))).map(renderDelivery) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/deliveries/:id/retry',
      summary: 'Retry a delivery that was given up on',
      status: 202,
      params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
      async handle({ params }) {
        await deliveries.retry(Number(params.id));
        return { retried: Number(params.id) };
      },
    }),
  ];
}

function renderDelivery(message: OutboxMessage) {
  return {
    id: message.id,
    eventId: message.eventId,
    topic: message.event.topic,
    scope: message.scope,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: message.nextAttemptAt,
    lastError: message.lastError,
    createdAt: message.queuedAt,
    deliveredAt: message.deliveredAt,
    payload: message.event,
  };
}
