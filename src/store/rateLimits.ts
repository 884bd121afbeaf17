import { type Kysely, sql } from 'kysely';
import { type QueryRunner, slot } from './query.js';
import type { Tables } from './tables.js';

/** Rate-limit state: one row per scope, updated by a single conditional upsert. */
export class RateLimitRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly hot: QueryRunner,
  ) {}

  /**
   * GCRA in one statement: admits the call (and advances the scope's theoretical arrival
   * time by `intervalMs`) only when doing so keeps it within `toleranceMs` of now. Concurrent
   * callers on any number of processes serialize on the row, so the limit is exact.
   */
  async admit(scope: string, now: number, intervalMs: number, toleranceMs: number): Promise<boolean> {
    const rows = await this.hot.rows(
      'rateLimits.admit',
      () => {
        const now = slot<number>('now');
        const start = sql<number>`case when rate_limits.tat > ${now} then rate_limits.tat else ${now} end`;
        return this.db
          .insertInto('rate_limits')
          .values({ scope: slot('scope'), tat: slot('firstTat') })
          .onConflict((conflict) =>
            conflict
              .column('scope')
              .doUpdateSet({ tat: sql<number>`${start} + ${slot('interval')}` })
              .where(sql<number>`${start} - ${now}`, '<=', slot('tolerance')),
          )
          .returning('tat');
      },
      { scope, now, firstTat: now + intervalMs, interval: intervalMs, tolerance: toleranceMs },
    );
    return rows.length > 0;
  }

  /** Drops scopes idle since before `before` (their state is equivalent to no row). */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('tat', '<', before).execute();
  }
}
