import type { Clock } from '../../platform/clock.js';
import type { ActivityRepository, MinuteCount } from '../../store/activity.js';
import type { ActivityCounters } from '../activity.js';

/** What is counted per minute because it is not stored per event. */
export type ActivityMetric = 'score_updates' | 'gifts' | 'coins';

/** Counts activity (a map increment: nothing on the request's path waits for the database). */
export interface ActivityCount {
  count(metric: ActivityMetric, amount: number, at: number): void;
}

export const MINUTE_MS = 60_000;

/**
 * The domain's activity as the overview counts it: a score update is a call that changed at
 * least one room's score; gifts and coins are summed.
 */
export function overviewCounters(counter: ActivityCount, clock: Clock): ActivityCounters {
  return {
    scoresChanged: (_appId, rooms) => {
      if (rooms > 0) counter.count('score_updates', 1, clock.now());
    },
    giftsSent: (_appId, _sends, gifts, coins) => {
      const now = clock.now();
      counter.count('gifts', gifts, now);
      counter.count('coins', coins, now);
    },
  };
}

/**
 * This process's activity counts, per minute, added to the database by `flush` (a job runs it
 * every few seconds): one upsert adds every minute's and metric's count to what other
 * processes added. A process that dies loses at most its counts since the last flush.
 */
export class ActivityCounter implements ActivityCount {
  private pending = new Map<string, MinuteCount>();

  constructor(private readonly store: ActivityRepository) {}

  count(metric: ActivityMetric, amount: number, at: number): void {
    if (amount === 0) return;
    const minute = at - (at % MINUTE_MS);
    const key = `${minute}:${metric}`;
    const entry = this.pending.get(key);
    if (entry) entry.count += amount;
    else this.pending.set(key, { minute, metric, count: amount });
  }

  /** Deletes the counts of minutes before `before`. */
  prune(before: number): Promise<void> {
    return this.store.prune(before);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const counts = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.add(counts);
    } catch (error) {
      // Kept for the next flush, added to whatever was counted meanwhile.
      for (const { minute, metric, count } of counts) this.count(metric as ActivityMetric, count, minute);
      throw error;
    }
  }
}
