import type { Kysely, Selectable } from 'kysely';
import type { OutboxRow, Tables } from './tables.js';

export type OutboxMessage = Selectable<OutboxRow>;

/** Outbound messages, written in the same transaction as the change that caused them. */
export class OutboxRepository {
  /** Messages this repository added (per transaction: each transaction has its own). */
  added = 0;

  constructor(private readonly db: Kysely<Tables>) {}

  async add(message: { eventId: string; topic: string; scope: string; payload: string }, now: number): Promise<void> {
    this.added += 1;
    await this.db
      .insertInto('outbox')
      .values({
        event_id: message.eventId,
        topic: message.topic,
        scope: message.scope,
        payload: message.payload,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: 0,
        created_at: now,
      })
      .execute();
  }

  /**
   * Leases up to `limit` due messages to the caller until `now + leaseMs`. The lease is taken by
   * a conditional update, so two processes never hold the same message at once; a process that
   * dies mid-delivery lets its lease lapse and another one retries.
   */
  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('locked_until', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit);
    return this.db
      .updateTable('outbox')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('status', '=', 'pending')
      .where('locked_until', '<=', now)
      .returningAll()
      .execute();
  }

  async markDelivered(id: number, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'delivered', delivered_at: now, locked_until: 0, last_error: null })
      .where('id', '=', id)
      .execute();
  }

  async reschedule(id: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: nextAttemptAt, locked_until: 0, last_error: error })
      .where('id', '=', id)
      .execute();
  }

  async markDead(id: number, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'dead', locked_until: 0, last_error: error })
      .where('id', '=', id)
      .execute();
  }

  /** Messages by status, newest first. */
  async list(status: string | undefined, limit: number): Promise<OutboxMessage[]> {
    let query = this.db.selectFrom('outbox').selectAll();
    if (status) query = query.where('status', '=', status);
    return query.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Puts a message given up on back in line, due now. Returns false when it is not dead. */
  async revive(id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: now, locked_until: 0, attempts: 0, created_at: now })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
