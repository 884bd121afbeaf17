import { Type } from '@sinclair/typebox';
import type { Overview } from '../../../domain/admin/overview.js';
import { exampleNames as ex } from '../examples.js';
import { defineAdminRoute, json } from '../route.js';
import { outboundTopics } from '../eventSchemas.js';
import { EpochMs, Nullable } from '../schemas.js';

const Count = Type.Integer({ minimum: 0 });

const MinuteView = Type.Object({
  minute: { ...EpochMs, description: 'the start of the minute (epoch ms)' },
  scoreUpdates: { ...Count, description: 'accepted score changes of running battles' },
  gifts: { ...Count, description: 'gifts sent (the sum of their counts)' },
  coins: { ...Count, description: 'the gifts’ value in coins' },
  deliveries: Type.Object(
    { delivered: Count, failed: Count, notSent: Count },
    { description: 'delivery attempts by outcome' },
  ),
  settledMatches: Count,
});

const TenantCounts = Type.Object(
  {
    apps: Type.Array(
      Type.Object({
        sdkAppId: Type.Integer({ description: 'a Tencent app (SDKAppID)' }),
        rooms: { ...Count, description: 'rooms that exist' },
        runningBattles: { ...Count, description: 'battles running' },
      }),
    ),
    agents: Type.Array(
      Type.Object({
        parent: Type.String({ description: 'a JDB agent' }),
        activeFreeSpinEvents: { ...Count, description: 'free-spin events started, not ended, not terminated' },
      }),
    ),
    clients: Type.Array(
      Type.Object({
        clientId: Type.String({ description: 'an OkLetsPlay game client' }),
        openMatches: { ...Count, description: 'matches not settled or aborted yet' },
      }),
    ),
  },
  {
    description:
      'counts now, per tenant: every configured one (in the config file’s order), then any other found in the database',
  },
);

const OutboxTopicView = Type.Object({
  topic: Type.String({ description: `an outbox topic: ${outboundTopics.join(', ')}` }),
  pending: { ...Count, description: 'messages waiting to be delivered' },
  dead: { ...Count, description: 'messages given up on (they may be retried)' },
  oldestPendingAt: Nullable({ ...EpochMs, description: 'when the oldest pending one was queued; null when none is' }),
});

const quietMinute = (i: number) => ({
  minute: ex.at - (59 - i) * 60_000,
  scoreUpdates: 0,
  gifts: 0,
  coins: 0,
  deliveries: { delivered: 0, failed: 0, notSent: 0 },
  settledMatches: 0,
});

/** The console's overview: counts per tenant now, the outbox's health, and per-minute counts of the last hour. */
export function overviewRoutes(overview: Overview) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/overview',
      summary:
        'Counts per app, agent and client now; pending and dead outbox messages per topic; per-minute counts of the last 60 minutes (score updates, gifts and coins, delivery attempts by outcome, settled matches)',
      response: json(
        Type.Object({
          at: { ...EpochMs, description: 'when the counts were read (epoch ms)' },
          tenants: TenantCounts,
          outbox: Type.Array(OutboxTopicView, { description: 'the topics with a pending or a dead message, by topic' }),
          minuteMs: Type.Literal(60_000, { description: 'the length of a minute: 60000 ms' }),
          minutes: Type.Array(MinuteView, { description: 'the current minute and the 59 before it, oldest first' }),
        }),
      ),
      example: {
        response: {
          at: ex.at,
          tenants: {
            apps: [{ sdkAppId: ex.sdkAppId, rooms: 12, runningBattles: 3 }],
            agents: [{ parent: ex.parent, activeFreeSpinEvents: 2 }],
            clients: [{ clientId: ex.clientId, openMatches: 5 }],
          },
          outbox: [
            { topic: 'battle.ended', pending: 0, dead: 1, oldestPendingAt: null },
            { topic: 'match.created', pending: 2, dead: 0, oldestPendingAt: ex.at - 45_000 },
          ],
          minuteMs: 60_000,
          minutes: [
            ...Array.from({ length: 59 }, (_, i) => quietMinute(i)),
            {
              ...quietMinute(59),
              scoreUpdates: 42,
              gifts: 7,
              coins: 1260,
              deliveries: { delivered: 5, failed: 1, notSent: 0 },
              settledMatches: 2,
            },
          ],
        },
      },
      async handle() {
        const [now, minutes] = await Promise.all([overview.now(), overview.lastHour()]);
        return {
          at: now.at,
          tenants: {
            apps: now.apps.map((a) => ({ sdkAppId: a.appId, rooms: a.rooms, runningBattles: a.runningBattles })),
            agents: now.agents.map((a) => ({ parent: a.agent, activeFreeSpinEvents: a.activeFreeSpinEvents })),
            clients: now.clients,
          },
          outbox: now.outbox,
          minuteMs: 60_000 as const,
          minutes,
        };
      },
    }),
  ];
}
