import type { Overview } from '../../../domain/admin/overview.js';
import { defineAdminRoute } from '../route.js';

/** The console's overview: per-minute counts of the last hour. */
export function overviewRoutes(overview: Overview) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/overview',
      summary:
        'Per-minute counts of the last 60 minutes, oldest first: score updates, gifts and coins, delivery attempts by outcome, settled matches',
      async handle() {
        return { minuteMs: 60_000, minutes: await overview.lastHour() };
      },
    }),
  ];
}
