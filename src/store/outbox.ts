import type { Kysely, Selectable } from 'kysely';
import type { OutboundEvent } from '../domain/events.js';
import type { DeliveryStatus, OutboundScope, OutboxMessage } from '../domain/outbound.js';
import type { OutboxRow, Tables } from './tables.js';

/** Outbound messages, written in the same transaction as the change that caused them. */
export class OutboxRepository {
  /** Messages this repository added (per transaction: each transaction has its own). */
  added = 0;

  constructor(private readonly db: Kysely<Tables>) {}

  async add(message: { eventId: string; scope: OutboundScope; event: OutboundEvent }, now: number): Promise<void> {
    this.added += 1;
    await this.db
      .insertInto('outbox')
      .values({
        event_id: message.eventId,
        topic: message.event.topic,
        scope: scopeText(message.scope),
        payload: JSON.stringify(message.event),
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
   * dies mid-delivery lets its lease lapse and another one retries. `owner` (the dispatcher's
   * instance id) is recorded with the lease.
   */
  async claimDue(now: number, leaseMs: number, limit: number, owner: string | null = null): Promise<OutboxMessage[]> {
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('locked_until', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit);
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ locked_until: now + leaseMs, claimed_by: owner, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .where('status', '=', 'pending')
      .where('locked_until', '<=', now)
      .returningAll()
      .execute();
    return rows.map(toMessage);
  }

  /**
   * Ends the leases `owner` still holds that end before `endingBefore` (those taken before a
   * given time), so that they are due again now: called by a process that starts under the id
   * of one that died mid-delivery. Returns how many it released.
   */
  async releaseClaimsOf(owner: string, now: number, endingBefore: number): Promise<number> {
    const released = await this.db
      .updateTable('outbox')
      .set({ locked_until: 0 })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .where('locked_until', '>', now)
      .where('locked_until', '<', endingBefore)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
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

  /** The receiver no longer wants the message: it is not sent, and not given up on either. */
  async markCancelled(id: number, reason: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'cancelled', locked_until: 0, last_error: reason })
      .where('id', '=', id)
      .execute();
  }

  /** Messages by status, newest first. */
  async list(status: DeliveryStatus | undefined, limit: number): Promise<OutboxMessage[]> {
    let query = this.db.selectFrom('outbox').selectAll();
    if (status) query = query.where('status', '=', status);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toMessage);
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

function toMessage(row: Selectable<OutboxRow>): OutboxMessage {
  return {
    id: row.id,
    eventId: row.event_id,
    scope: parseScope(row.scope),
    // Written by `add` from the event and its scope together.
    event: JSON.parse(row.payload) as OutboundEvent,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    queuedAt: row.created_at,
    deliveredAt: row.delivered_at ?? undefined,
  };
}

/** A scope as the `scope` column holds it: `app:<appId>`, `agent:<agentId>` or `client:<clientId>`. */
function scopeText(scope: OutboundScope): string {
  switch (scope.kind) {
    case 'app':
      return `app:${scope.appId}`;
    case 'agent':
      return `agent:${scope.agentId}`;
    case 'client':
      return `client:${scope.clientId}`;
  }
}

/** The scope `scopeText` wrote (an id may hold colons: only the first one ends the kind). */
function parseScope(text: string): OutboundScope {
  const colon = text.indexOf(':');
  const id = text.slice(colon + 1);
  switch (text.slice(0, colon)) {
    case 'app':
      return { kind: 'app', appId: Number(id) };
    case 'agent':
      return { kind: 'agent', agentId: id };
    case 'client':
      return { kind: 'client', clientId: id };
    default:
      throw new Error(`outbox scope ${JSON.stringify(text)} is of no known kind`);
  }
}
