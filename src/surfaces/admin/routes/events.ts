import type { AdminEventStream } from '../eventStream.js';
import { defineAdminRoute } from '../route.js';

/** The admin event stream (server-sent events). */
export function eventRoutes(stream: AdminEventStream) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/events',
      summary:
        'Server-sent events (text/event-stream) of every app: battle.started, battle.scores, battle.ended, delivery.state, ledger.transfer',
      async handle({ http }) {
        // The stream outlives the handler: Fastify leaves the response to us.
        http.reply.hijack();
        stream.add(http.reply.raw);
        return undefined;
      },
    }),
  ];
}
