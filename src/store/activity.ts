import { type Kysely, sql } from 'kysely';
import type { Tables } from './tables.js';

export interface MinuteCount {
  /** Start of the minute, epoch ms. */
  minute: number;
  metric: string;
  count: number;
}

const MINUTE_MS = 60_000;

/** Per-minute counts for the admin overview: the activity counters, and counts of stored facts. */
export class ActivityRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Adds each count to its minute's (one statement: processes add to the same rows safely). */
  async add(counts: MinuteCount[]): Promise<void> {
    if (counts.length === 0) return;
    await this.db
      .insertInto('activity_minutes')
      .values(counts)
      .onConflict((c) =>
        c.columns(['minute', 'metric']).doUpdateSet({ count: sql`activity_minutes.count + excluded.count` }),
      )
      .execute();
  }

  /** The activity counts of the minutes from `since` on. */
  countedSince(since: number): Promise<MinuteCount[]> {
    return this.db
      .selectFrom('activity_minutes')
      .select(['minute', 'metric', 'count'])
      .where('minute', '>=', since)
      .execute();
  }

  /** Delivery attempts from `since` on, per minute and outcome (`metric` is the outcome). */
  attemptsSince(since: number): Promise<MinuteCount[]> {
    const minute = sql<number>`attempted_at - attempted_at % ${sql.lit(MINUTE_MS)}`;
    return this.db
      .selectFrom('delivery_attempts')
      .select([minute.as('minute'), 'outcome as metric', sql<number>`count(*)`.as('count')])
      .where('attempted_at', '>=', since)
      .groupBy([minute, 'outcome'])
      .execute();
  }

  /** Matches settled from `since` on, per minute (`metric` is `settled`). */
  settlementsSince(since: number): Promise<MinuteCount[]> {
    const minute = sql<number>`decided_at - decided_at % ${sql.lit(MINUTE_MS)}`;
    return this.db
      .selectFrom('matches')
      .select([minute.as('minute'), 'status as metric', sql<number>`count(*)`.as('count')])
      .where('decided_at', '>=', since)
      .where('status', '=', 'settled')
      .groupBy([minute, 'status'])
      .execute();
  }

  /** Forgets activity counts of minutes before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('activity_minutes').where('minute', '<', before).execute();
  }
}
