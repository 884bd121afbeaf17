import type { Kysely, Selectable } from 'kysely';
import type { OutboundEvent } from '../domain/events.js';
import type {
  AttemptOutcome,
  AttemptRequester,
  DeliveryAttempt,
  DeliveryFilter,
  DeliveryStatus,
  OutboundScope,
  OutboxMessage,
  AfterAttempt,
} from '../domain/outbound.js';
import { newestFirst, type PageKey } from './keyset.js';
import type { DialectName } from './database.js';
import type { DeliveryAttemptRow, OutboxRow, Tables } from './tables.js';

/** Outbound messages, written in the same transaction as the change that caused them. */
export class OutboxRepository {
  /** Messages this repository added (per transaction: each transaction has its own). */
  added = 0;

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
  ) {}

  async add(message: { eventId: string; scope: OutboundScope; event: OutboundEvent }, now: number): Promise<void> {
    await this.addMany([message], now);
  }

  /** Adds messages in one statement, in the order given (their ids ascend in it). */
  async addMany(
    messages: ReadonlyArray<{ eventId: string; scope: OutboundScope; event: OutboundEvent }>,
    now: number,
  ): Promise<void> {
    if (messages.length === 0) return;
    this.added += messages.length;
    await this.db
      .insertInto('outbox')
      .values(
        messages.map((message) => ({
          event_id: message.eventId,
          topic: message.event.topic,
          scope: scopeText(message.scope),
          payload: JSON.stringify(message.event),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          locked_until: 0,
          created_at: now,
          queued_at: now,
        })),
      )
      .execute();
  }

  /**
   * Leases up to `limit` due messages to the caller until `now + leaseMs`. The lease is taken by
   * a conditional update, so two processes never hold the same message at once; a process that
   * dies mid-delivery lets its lease lapse and another one retries. `owner` (the dispatcher's
   * instance id) is recorded with the lease.
   */
  async claimDue(now: number, leaseMs: number, limit: number, owner: string | null = null): Promise<OutboxMessage[]> {
    let due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where('locked_until', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit);
    // PostgreSQL: messages another process is claiming right now are passed over, not waited
    // for, so M processes claiming at once take disjoint sets instead of queueing on the head
    // of the queue (the update's conditions still decide; SQLite has one writer at a time).
    if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
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

  /**
   * Logs an attempt of a message this dispatcher claimed, and moves the message on (call it in
   * a transaction). The move is conditional on the claim being still ours and the message still
   * pending: a claim that lapsed mid-attempt (another process may have claimed it since), or a
   * message an operator changed, keeps its newer state; the attempt is logged either way.
   */
  async settle(claimed: OutboxMessage, attempt: DeliveryAttempt, next: AfterAttempt): Promise<void> {
    await this.db
      .insertInto('delivery_attempts')
      .values({
        delivery_id: attempt.deliveryId,
        attempted_at: attempt.at,
        requested_by: attempt.requestedBy,
        outcome: attempt.outcome,
        url: attempt.url ?? null,
        http_status: attempt.httpStatus ?? null,
        latency_ms: attempt.latencyMs ?? null,
        answer_head: attempt.answerHead ?? null,
        detail: attempt.detail ?? null,
      })
      .execute();
    const common = {
      locked_until: 0,
      requeued_by: null,
      ...(attempt.url !== undefined && { target_url: attempt.url }),
    };
    const change =
      next.status === 'delivered'
        ? { ...common, status: 'delivered', delivered_at: next.at, last_error: null }
        : next.status === 'pending'
          ? { ...common, next_attempt_at: next.nextAttemptAt, last_error: next.error }
          : { ...common, status: next.status, last_error: next.error };
    await this.db
      .updateTable('outbox')
      .set(change)
      .where('id', '=', claimed.id)
      .where('status', '=', 'pending')
      .where('locked_until', '=', claimed.claimedUntil)
      .execute();
  }

  /** A page of messages, newest first (`limit + 1` of them: see `newestFirst`). */
  async page(filter: DeliveryFilter, after: PageKey | undefined, limit: number): Promise<OutboxMessage[]> {
    let query = this.db.selectFrom('outbox').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.topic) query = query.where('topic', '=', filter.topic);
    if (filter.scope) query = query.where('scope', '=', scopeText(filter.scope));
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    const rows = await newestFirst(query, { at: 'created_at', id: 'id' }, after, limit).execute();
    return rows.map(toMessage);
  }

  async find(id: number): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  /** The latest `limit` attempts of a message, newest first. */
  async attemptsOf(id: number, limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('delivery_id', '=', id)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toAttempt);
  }

  /**
   * An operator's retry of a pending message: due now, unless an attempt is in flight (then
   * that attempt is the retry). Returns false when the message is not pending or is in flight.
   */
  async hurry(id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: now, requeued_by: 'retry' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('locked_until', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Puts a message whose status is one of `from` back in line, due now, with a new retry
   * window, its next attempt labelled `requestedBy`. One conditional update: of two requests
   * at once, one wins. Returns false when the message's status is not one of `from`.
   */
  async requeue(
    id: number,
    from: readonly DeliveryStatus[],
    requestedBy: Exclude<AttemptRequester, 'schedule'>,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox')
      .set({
        status: 'pending',
        next_attempt_at: now,
        locked_until: 0,
        attempts: 0,
        queued_at: now,
        requeued_by: requestedBy,
      })
      .where('id', '=', id)
      .where('status', 'in', from)
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
    claimedUntil: row.locked_until,
    lastError: row.last_error ?? undefined,
    createdAt: row.created_at,
    queuedAt: row.queued_at,
    requeuedBy: (row.requeued_by ?? undefined) as OutboxMessage['requeuedBy'],
    deliveredAt: row.delivered_at ?? undefined,
    targetUrl: row.target_url ?? undefined,
  };
}

function toAttempt(row: Selectable<DeliveryAttemptRow>): DeliveryAttempt {
  return {
    deliveryId: row.delivery_id,
    at: row.attempted_at,
    requestedBy: row.requested_by as AttemptRequester,
    outcome: row.outcome as AttemptOutcome,
    url: row.url ?? undefined,
    httpStatus: row.http_status ?? undefined,
    latencyMs: row.latency_ms ?? undefined,
    answerHead: row.answer_head ?? undefined,
    detail: row.detail ?? undefined,
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
