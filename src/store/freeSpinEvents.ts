import type { Kysely, Selectable } from 'kysely';
import type {
  BindReport,
  EventBrowseFilter,
  FreeSpinEvent,
  FreeSpinType,
  GameBet,
} from '../domain/freespins/freeSpin.js';
import type { DialectName } from './database.js';
import { dialectSql } from './dialectSql.js';
import { newestFirst, type PageKey } from './keyset.js';
import type { FreeSpinEventRow, Tables } from './tables.js';
import { inTextList } from './valueList.js';

/** What an update may change (times and type never change). */
export type EventChanges = Pick<
  FreeSpinEvent,
  'name' | 'startAt' | 'endAt' | 'bet' | 'games' | 'minWithdrawal' | 'maxWithdrawal'
>;

export class FreeSpinEventRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
  ) {}

  /** Inserts the event unless its eventId or transactionId is taken; returns whether it did. */
  async insert(event: FreeSpinEvent, report: BindReport): Promise<boolean> {
    const row = await this.db
      .insertInto('freespin_events')
      .values({ ...toRow(event), bind_report: JSON.stringify(report) })
      .onConflict((c) => c.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The event. `lockForSpin` (inside a transaction) takes a share lock on PostgreSQL: spins
   * of the event run side by side, while a termination or settlement, which update the row,
   * waits for them and they for it. (SQLite runs one write transaction at a time anyway.)
   */
  async find(agent: string, eventId: string, lockForSpin = false): Promise<FreeSpinEvent | undefined> {
    let query = this.db
      .selectFrom('freespin_events')
      .selectAll()
      .where('agent', '=', agent)
      .where('event_id', '=', eventId);
    if (lockForSpin && dialectSql[this.dialect].selectForShare) query = query.forShare();
    const row = await query.executeTakeFirst();
    return row && toEvent(row);
  }

  async findByTransaction(
    agent: string,
    transactionId: string,
  ): Promise<{ event: FreeSpinEvent; report: BindReport } | undefined> {
    const row = await this.db
      .selectFrom('freespin_events')
      .selectAll()
      .where('agent', '=', agent)
      .where('transaction_id', '=', transactionId)
      .executeTakeFirst();
    return row && { event: toEvent(row), report: JSON.parse(row.bind_report) as BindReport };
  }

  async saveBindReport(agent: string, eventId: string, report: BindReport): Promise<void> {
    await this.db
      .updateTable('freespin_events')
      .set({ bind_report: JSON.stringify(report) })
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .execute();
  }

  /**
   * Applies the changes if the event is still at `revision`, has not ended, and either has not
   * started or keeps its start time; else undefined.
   */
  async update(
    agent: string,
    eventId: string,
    revision: number,
    changes: EventChanges,
    now: number,
  ): Promise<FreeSpinEvent | undefined> {
    const row = await this.db
      .updateTable('freespin_events')
      .set({
        name: changes.name,
        start_at: changes.startAt,
        end_at: changes.endAt,
        bet: changes.bet,
        games: JSON.stringify(changes.games),
        min_withdrawal: changes.minWithdrawal ?? null,
        max_withdrawal: changes.maxWithdrawal ?? null,
        revision: revision + 1,
        updated_at: now,
      })
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('revision', '=', revision)
      .where('terminated_at', 'is', null)
      .where('settled_at', 'is', null)
      .where('end_at', '>', now)
      .where((eb) => eb.or([eb('start_at', '>', now), eb('start_at', '=', changes.startAt)]))
      .returningAll()
      .executeTakeFirst();
    return row && toEvent(row);
  }

  /** Terminates an event that is neither terminated nor ended; undefined when it was. */
  async terminate(agent: string, eventId: string, now: number): Promise<FreeSpinEvent | undefined> {
    const row = await this.db
      .updateTable('freespin_events')
      .set((eb) => ({ terminated_at: now, updated_at: now, revision: eb('revision', '+', 1) }))
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('terminated_at', 'is', null)
      .where('settled_at', 'is', null)
      .where('end_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && toEvent(row);
  }

  /** Events starting within [from, to] (either bound optional), by start time. */
  async startingBetween(agent: string, from: number | undefined, to: number | undefined): Promise<FreeSpinEvent[]> {
    let query = this.db.selectFrom('freespin_events').selectAll().where('agent', '=', agent);
    if (from !== undefined) query = query.where('start_at', '>=', from);
    if (to !== undefined) query = query.where('start_at', '<=', to);
    const rows = await query.orderBy('start_at').orderBy('event_id').execute();
    return rows.map(toEvent);
  }

  /**
   * An agent's events newest first by (creation time, id), `limit + 1` of them after `after`.
   * The status is the one `statusAt` gives at `now`.
   */
  async list(
    agent: string,
    filter: EventBrowseFilter,
    now: number,
    after: PageKey | undefined,
    limit: number,
  ): Promise<FreeSpinEvent[]> {
    let query = this.db.selectFrom('freespin_events').selectAll().where('agent', '=', agent);
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    if (filter.gameId !== undefined) {
      query = query.where(dialectSql[this.dialect].jsonArrayHas('games', 'gameId', filter.gameId));
    }
    const status = filter.status;
    if (status === 'terminated') query = query.where('terminated_at', 'is not', null);
    if (status !== undefined && status !== 'terminated') {
      query = query.where('terminated_at', 'is', null);
      if (status === 'expired') {
        query = query.where((eb) => eb.or([eb('settled_at', 'is not', null), eb('end_at', '<=', now)]));
      } else {
        query = query.where('settled_at', 'is', null).where('end_at', '>', now);
        query = query.where('start_at', status === 'inactive' ? '>' : '<=', now);
      }
    }
    const rows = await newestFirst(query, { at: 'created_at', id: 'event_id' }, after, limit).execute();
    return rows.map(toEvent);
  }

  async findMany(agent: string, eventIds: string[]): Promise<FreeSpinEvent[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('freespin_events')
      .selectAll()
      .where('agent', '=', agent)
      .where('event_id', 'in', inTextList(this.dialect, eventIds))
      .execute();
    return rows.map(toEvent);
  }

  /** Events that have ended (by time or termination) and are not settled yet. */
  async dueForSettlement(now: number, limit: number): Promise<FreeSpinEvent[]> {
    const rows = await this.db
      .selectFrom('freespin_events')
      .selectAll()
      .where('settled_at', 'is', null)
      .where((eb) => eb.or([eb('end_at', '<=', now), eb('terminated_at', 'is not', null)]))
      .orderBy('end_at')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  /** Marks the event settled (once); holds its row lock until the transaction ends. */
  async markSettled(agent: string, eventId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('freespin_events')
      .set({ settled_at: now })
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('settled_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toRow(event: FreeSpinEvent): Omit<FreeSpinEventRow, 'bind_report'> {
  return {
    agent: event.agent,
    event_id: event.eventId,
    transaction_id: event.transactionId,
    name: event.name,
    type: event.type,
    times: event.times,
    bet: event.bet,
    games: JSON.stringify(event.games),
    min_withdrawal: event.minWithdrawal ?? null,
    max_withdrawal: event.maxWithdrawal ?? null,
    currency: event.currency,
    start_at: event.startAt,
    end_at: event.endAt,
    terminated_at: event.terminatedAt ?? null,
    settled_at: event.settledAt ?? null,
    revision: event.revision,
    created_at: event.createdAt,
    updated_at: event.updatedAt,
  };
}

function toEvent(row: Selectable<FreeSpinEventRow>): FreeSpinEvent {
  return {
    agent: row.agent,
    eventId: row.event_id,
    transactionId: row.transaction_id,
    name: row.name,
    type: row.type as FreeSpinType,
    times: row.times,
    bet: row.bet,
    games: JSON.parse(row.games) as GameBet[],
    minWithdrawal: row.min_withdrawal ?? undefined,
    maxWithdrawal: row.max_withdrawal ?? undefined,
    currency: row.currency,
    startAt: row.start_at,
    endAt: row.end_at,
    terminatedAt: row.terminated_at ?? undefined,
    settledAt: row.settled_at ?? undefined,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
