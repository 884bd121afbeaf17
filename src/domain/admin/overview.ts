import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/store.js';
import { type ActivityCounter, MINUTE_MS } from './activity.js';

/** One minute of the overview. */
export interface OverviewMinute {
  /** Start of the minute, epoch ms. */
  minute: number;
  /** Accepted score changes (set_battle_score requests that changed a running battle). */
  scoreUpdates: number;
  /** Gifts sent (the sum of their counts), and their value in coins. */
  gifts: number;
  coins: number;
  /** Delivery attempts by outcome. */
  deliveries: { delivered: number; failed: number; notSent: number };
  settledMatches: number;
}

/** The minutes an overview covers: the current one and the 59 before it. */
export const OVERVIEW_MINUTES = 60;

/** Per-minute counts of the last hour, for the console's small charts. */
export class Overview {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly activity: ActivityCounter,
  ) {}

  async lastHour(): Promise<OverviewMinute[]> {
    // This process's own counts are exact at once; other processes' within their flush interval.
    await this.activity.flush();
    const now = this.clock.now();
    const first = now - (now % MINUTE_MS) - (OVERVIEW_MINUTES - 1) * MINUTE_MS;
    const minutes: OverviewMinute[] = Array.from({ length: OVERVIEW_MINUTES }, (_, i) => ({
      minute: first + i * MINUTE_MS,
      scoreUpdates: 0,
      gifts: 0,
      coins: 0,
      deliveries: { delivered: 0, failed: 0, notSent: 0 },
      settledMatches: 0,
    }));
    const at = (minute: number) => minutes[(minute - first) / MINUTE_MS];
    const [counted, attempts, settlements] = await Promise.all([
      this.store.activity.countedSince(first),
      this.store.activity.attemptsSince(first),
      this.store.activity.settlementsSince(first),
    ]);
    for (const { minute, metric, count } of counted) {
      const entry = at(minute);
      if (!entry) continue;
      if (metric === 'score_updates') entry.scoreUpdates += count;
      else if (metric === 'gifts') entry.gifts += count;
      else if (metric === 'coins') entry.coins += count;
    }
    for (const { minute, metric, count } of attempts) {
      const entry = at(minute);
      if (!entry) continue;
      if (metric === 'delivered') entry.deliveries.delivered += count;
      else if (metric === 'failed') entry.deliveries.failed += count;
      else if (metric === 'not_sent') entry.deliveries.notSent += count;
    }
    for (const { minute, count } of settlements) {
      const entry = at(minute);
      if (entry) entry.settledMatches += count;
    }
    return minutes;
  }
}
