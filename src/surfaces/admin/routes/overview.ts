import { Type } from '@sinclair/typebox';
import type { Overview } from '../../../domain/admin/overview.js';
import { exampleNames as ex } from '../examples.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs } from '../schemas.js';

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

const quietMinute = (i: number) => ({
  minute: ex.at - (59 - i) * 60_000,
  scoreUpdates: 0,
  gifts: 0,
  coins: 0,
  deliveries: { delivered: 0, failed: 0, notSent: 0 },
  settledMatches: 0,
});

/** The console's overview: per-minute counts of the last hour. */
export function overviewRoutes(overview: Overview) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/overview',
      summary:
        'Per-minute counts of the last 60 minutes, oldest first: score updates, gifts and coins, delivery attempts by outcome, settled matches',
      response: json(
        Type.Object({
          minuteMs: Type.Literal(60_000, { description: 'the length of a minute: 60000 ms' }),
          minutes: Type.Array(MinuteView, { description: 'the current minute and the 59 before it, oldest first' }),
        }),
      ),
      example: {
        response: {
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
        return { minuteMs: 60_000 as const, minutes: await overview.lastHour() };
      },
    }),
  ];
}
