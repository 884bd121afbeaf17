import { type AdminEventStream, HEARTBEAT_MS } from '../eventStream.js';
import { defineAdminRoute } from '../route.js';

/** What the stream carries: each event's `event` field and its `data` (one line of JSON). */
const streamDescription = [
  `Server-sent events (an EventSource reconnects by itself: \`retry: 3000\`); a comment line every ${HEARTBEAT_MS / 1000} s keeps an idle stream open.`,
  'Each event is `event: <type>` and `data: <one line of JSON>`, the JSON holding `type` again and `at` (Unix epoch milliseconds):',
  '- `battle.started`, `battle.ended`: `{type, at, battle}`, a battle as Ringside keeps it: `{appId, battleId, fromRoomId, operatorId, durationMs, extensionInfo, status: "running"|"ended", createdAt, startedAt, endsAt, endedAt?, endReason?: "time_up"|"ended_by_admin"|"room_destroyed", rooms: [{roomId, ownerId, score}]}`.',
  '- `battle.scores`: `{type, at, appId, battleId, scores: [{roomId, score, ownerId}]}`, the rooms whose scores changed.',
  '- `delivery.state`: `{type, at, delivery: {id, topic, scope: {kind: "app", appId}|{kind: "agent", agentId}|{kind: "client", clientId}, status: "pending"|"delivered"|"dead"|"cancelled", attempts, lastError: string|null, nextAttemptAt: epoch ms|null, requeuedBy: "retry"|"replay"|null}}`, a delivery that changed state (see GET /deliveries/{id}).',
  '- `ledger.transfer`: `{type, at, transfer}`, a ledger transfer that committed, as GET /ledger/transfers lists it: `{id, idempotencyKey, kind, from, to, currency, amount, matchId, balanceAfter, createdAt}`.',
].join('\n');

/** The admin event stream (server-sent events). */
export function eventRoutes(stream: AdminEventStream) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/events',
      summary:
        'Server-sent events (text/event-stream) of every app: battle.started, battle.scores, battle.ended, delivery.state, ledger.transfer',
      response: { stream: { mediaType: 'text/event-stream', description: streamDescription } },
      example: {},
      async handle({ http }) {
        // The stream outlives the handler: Fastify leaves the response to us.
        http.reply.hijack();
        stream.add(http.reply.raw);
        return undefined;
      },
    }),
  ];
}
