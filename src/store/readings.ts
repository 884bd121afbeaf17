import { type Kysely, sql } from 'kysely';
import type { Tables } from './tables.js';

/** Figures about the whole database (every process's work), read for the metrics. */
export interface DatabaseReadings {
  roomsByApp: Array<{ appId: number; count: number }>;
  runningBattlesByApp: Array<{ appId: number; count: number }>;
  /** Pending and dead outbox messages by topic; `oldestAt` is the oldest pending one's queueing time. */
  outbox: Array<{ topic: string; status: 'pending' | 'dead'; count: number; oldestAt: number | null }>;
  /** JDB Action 16 payouts by outbox status. */
  payouts: Array<{ status: string; count: number }>;
  activeFreeSpinEventsByAgent: Array<{ agent: string; count: number }>;
  matches: Array<{ clientId: string; status: string; count: number }>;
  /** Money held in match escrow accounts, in minor units. */
  escrowByCurrency: Array<{ currency: string; amount: number }>;
}

/**
 * The queries behind `DatabaseReadings`, one after the other (a scrape never holds more than one
 * pooled connection). Conditions that a partial index is made for are written as literals:
 * SQLite uses a partial index only when the query's condition is the index's own, constants
 * included (migration 010 adds the outbox's).
 */
export class ReadingsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async read(now: number): Promise<DatabaseReadings> {
    const count = sql<number | string>`count(*)`.as('n');
    const rooms = await this.db.selectFrom('rooms').select(['app_id', count]).groupBy('app_id').execute();
    const battles = await this.db
      .selectFrom('battles')
      .select(['app_id', count])
      .where(sql<boolean>`status = 'running'`)
      .groupBy('app_id')
      .execute();
    const pending = await this.db
      .selectFrom('outbox')
      .select(['topic', count, sql<number | string | null>`min(queued_at)`.as('oldest')])
      .where(sql<boolean>`status = 'pending'`)
      .groupBy('topic')
      .execute();
    const dead = await this.db
      .selectFrom('outbox')
      .select(['topic', count])
      .where(sql<boolean>`status = 'dead'`)
      .groupBy('topic')
      .execute();
    const payouts = await this.db
      .selectFrom('outbox')
      .select(['status', count])
      .where(sql<boolean>`topic = 'freespin.payout'`)
      .groupBy('status')
      .execute();
    const events = await this.db
      .selectFrom('freespin_events')
      .select(['agent', count])
      .where('terminated_at', 'is', null)
      .where('start_at', '<=', now)
      .where('end_at', '>', now)
      .groupBy('agent')
      .execute();
    const matches = await this.db
      .selectFrom('matches')
      .select(['client_id', 'status', count])
      .groupBy(['client_id', 'status'])
      .execute();
    const escrow = await this.db
      .selectFrom('ledger_accounts')
      .select(['currency', sql<number | string | null>`sum(balance)`.as('amount')])
      .where(sql<boolean>`kind = 'escrow'`)
      .groupBy('currency')
      .execute();
    return {
      roomsByApp: rooms.map((row) => ({ appId: Number(row.app_id), count: Number(row.n) })),
      runningBattlesByApp: battles.map((row) => ({ appId: Number(row.app_id), count: Number(row.n) })),
      outbox: [
        ...pending.map((row) => ({
          topic: row.topic,
          status: 'pending' as const,
          count: Number(row.n),
          oldestAt: row.oldest === null ? null : Number(row.oldest),
        })),
        ...dead.map((row) => ({ topic: row.topic, status: 'dead' as const, count: Number(row.n), oldestAt: null })),
      ],
      payouts: payouts.map((row) => ({ status: row.status, count: Number(row.n) })),
      activeFreeSpinEventsByAgent: events.map((row) => ({ agent: row.agent, count: Number(row.n) })),
      matches: matches.map((row) => ({ clientId: row.client_id, status: row.status, count: Number(row.n) })),
      escrowByCurrency: escrow.map((row) => ({ currency: row.currency, amount: Number(row.amount ?? 0) })),
    };
  }
}
