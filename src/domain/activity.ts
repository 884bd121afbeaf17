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
