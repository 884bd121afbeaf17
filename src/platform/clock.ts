/** The one source of "now" (UTC epoch milliseconds), so time can be reasoned about in one place. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
