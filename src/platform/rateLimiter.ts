import type { RateLimitRepository } from '../store/rateLimits.js';
import type { Clock } from './clock.js';

/** At most `limit` calls in any `perMs` window, with bursts up to `limit`. */
export interface RateRule {
  limit: number;
  perMs: number;
}

/** Rate limits held in the database, so every process sharing it enforces one limit. */
export class RateLimiter {
  constructor(
    private readonly repository: RateLimitRepository,
    private readonly clock: Clock,
  ) {}

  allow(scope: string, rule: RateRule): Promise<boolean> {
    const interval = Math.ceil(rule.perMs / rule.limit);
    return this.repository.admit(scope, this.clock.now(), interval, rule.perMs - interval);
  }

  /** Forget scopes that have been quiet for a minute or more. */
  prune(): Promise<void> {
    return this.repository.prune(this.clock.now() - 60_000);
  }
}
