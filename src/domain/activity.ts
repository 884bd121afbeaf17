/**
 * Counts of what the domain did, for the metrics: each process counts its own work (so
 * several processes on one database add up). The default counts nothing.
 */
export interface ActivityCounters {
  /** `rooms` room scores were changed in one call. */
  scoresChanged(appId: number, rooms: number): void;
  /** A batch of sends into one room was recorded: `sends` sends, `gifts` gifts in all, worth `coins`. */
  giftsSent(appId: number, sends: number, gifts: number, coins: number): void;
}

export const uncounted: ActivityCounters = {
  scoresChanged() {},
  giftsSent() {},
};

/** Counters that pass every count on to each of `counters` (the metrics and the admin overview). */
export function allOf(...counters: ActivityCounters[]): ActivityCounters {
  return {
    scoresChanged: (appId, rooms) => counters.forEach((c) => c.scoresChanged(appId, rooms)),
    giftsSent: (appId, sends, gifts, coins) => counters.forEach((c) => c.giftsSent(appId, sends, gifts, coins)),
  };
}
