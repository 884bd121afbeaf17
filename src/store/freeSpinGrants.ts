import { type Kysely, type Selectable, sql } from 'kysely';
import type { EventTotals, Grant, GrantFilter } from '../domain/freespins/freeSpin.js';
import type { DialectName } from './database.js';
import { newestFirst, type PageKey } from './keyset.js';
import type { FreeSpinGrantRow, Tables } from './tables.js';
import { inTextList } from './valueList.js';

/** Players' grants of spins. Spins and cashouts are single conditional updates. */
export class FreeSpinGrantRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Binds the existing players among `uids` to the event, `times` spins each, in one
   * statement. Returns the players it bound and those that exist (bound before or now).
   */
  async bind(
    agent: string,
    eventId: string,
    times: number,
    uids: readonly string[],
    now: number,
  ): Promise<{ bound: Set<string>; existing: Set<string> }> {
    if (uids.length === 0) return { bound: new Set(), existing: new Set() };
    const players = this.db
      .selectFrom('freespin_players')
      .where('agent', '=', agent)
      .where('uid', 'in', inTextList(this.dialect, uids));
    const rows = await this.db
      .insertInto('freespin_grants')
      .columns(['agent', 'event_id', 'uid', 'times', 'remaining', 'turnover', 'win', 'bound_at', 'updated_at'])
      .expression(
        players.select([
          'agent',
          sql<string>`cast(${eventId} as text)`.as('event_id'),
          'uid',
          sql<number>`cast(${times} as integer)`.as('times'),
          sql<number>`cast(${times} as integer)`.as('remaining'),
          sql<number>`cast(0 as bigint)`.as('turnover'),
          sql<number>`cast(0 as bigint)`.as('win'),
          sql<number>`cast(${now} as bigint)`.as('bound_at'),
          sql<number>`cast(${now} as bigint)`.as('updated_at'),
        ]),
      )
      .onConflict((c) => c.columns(['agent', 'event_id', 'uid']).doNothing())
      .returning('uid')
      .execute();
    const existing = await players.select('uid').execute();
    return { bound: new Set(rows.map((row) => row.uid)), existing: new Set(existing.map((row) => row.uid)) };
  }

  /** Removes the players' grants that have no spin used; returns how many it removed. */
  async unbind(agent: string, eventId: string, uids: readonly string[]): Promise<number> {
    if (uids.length === 0) return 0;
    const result = await this.db
      .deleteFrom('freespin_grants')
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('uid', 'in', inTextList(this.dialect, uids))
      .where(sql<boolean>`remaining = times`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async find(agent: string, eventId: string, uid: string): Promise<Grant | undefined> {
    const row = await this.db
      .selectFrom('freespin_grants')
      .selectAll()
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('uid', '=', uid)
      .executeTakeFirst();
    return row && toGrant(row);
  }

  /**
   * Plays one of the player's spins: takes one from `remaining` and adds to the turnover and
   * the win, only while spins remain and no cashout is fixed. Undefined when refused.
   */
  async playSpin(
    agent: string,
    eventId: string,
    uid: string,
    stake: number,
    win: number,
    now: number,
  ): Promise<Grant | undefined> {
    const row = await this.db
      .updateTable('freespin_grants')
      .set((eb) => ({
        remaining: eb('remaining', '-', 1),
        turnover: eb('turnover', '+', stake),
        win: eb('win', '+', win),
        updated_at: now,
      }))
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('uid', '=', uid)
      .where('remaining', '>', 0)
      .where('cashout', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && toGrant(row);
  }

  /**
   * Fixes the cashout once, if the grant still has `remaining` spins (no spin slipped in since
   * it was read) and none is fixed yet. Returns whether it did.
   */
  async fixCashout(id: number, remaining: number, cashout: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('freespin_grants')
      .set({ cashout, cashout_at: now, updated_at: now })
      .where('id', '=', id)
      .where('remaining', '=', remaining)
      .where('cashout', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Grants of the event with spins used and no cashout yet (the partial index's rows). */
  async openWithSpinsUsed(agent: string, eventId: string, limit: number): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('freespin_grants')
      .selectAll()
      .where('agent', '=', agent)
      .where('event_id', '=', eventId)
      .where('cashout', 'is', null)
      .where(sql<boolean>`remaining < times`)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toGrant);
  }

  async totals(agent: string, eventIds: string[]): Promise<Map<string, EventTotals>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('freespin_grants')
      .select([
        'event_id',
        sql<number>`count(*)`.as('players'),
        sql<number>`cast(coalesce(sum(times - remaining), 0) as bigint)`.as('used_times'),
        sql<number>`cast(coalesce(sum(times), 0) as bigint)`.as('total_times'),
        sql<number>`cast(coalesce(sum(cashout), 0) as bigint)`.as('total_cashout'),
      ])
      .where('agent', '=', agent)
      .where('event_id', 'in', inTextList(this.dialect, eventIds))
      .groupBy('event_id')
      .execute();
    return new Map(
      rows.map((row) => [
        row.event_id,
        {
          players: Number(row.players),
          usedTimes: Number(row.used_times),
          totalTimes: Number(row.total_times),
          totalCashout: Number(row.total_cashout),
        },
      ]),
    );
  }

  /** An agent's grants newest first by (binding time, id), `limit + 1` of them after `after`. */
  async list(agent: string, filter: GrantFilter, after: PageKey | undefined, limit: number): Promise<Grant[]> {
    let query = this.db.selectFrom('freespin_grants').selectAll().where('agent', '=', agent);
    if (filter.eventId !== undefined) query = query.where('event_id', '=', filter.eventId);
    if (filter.uid !== undefined) query = query.where('uid', '=', filter.uid);
    const rows = await newestFirst(query, { at: 'bound_at', id: 'id' }, after, limit).execute();
    return rows.map(toGrant);
  }

  async ofPlayer(agent: string, uid: string): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('freespin_grants')
      .selectAll()
      .where('agent', '=', agent)
      .where('uid', '=', uid)
      .orderBy('id')
      .execute();
    return rows.map(toGrant);
  }

  /** Positive cashouts fixed in [from, to), by player then grant. */
  async cashoutsBetween(agent: string, from: number, to: number): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('freespin_grants')
      .selectAll()
      .where('agent', '=', agent)
      .where('cashout_at', '>=', from)
      .where('cashout_at', '<', to)
      .where('cashout', '>', 0)
      .orderBy('uid')
      .orderBy('id')
      .execute();
    return rows.map(toGrant);
  }
}

function toGrant(row: Selectable<FreeSpinGrantRow>): Grant {
  return {
    id: row.id,
    agent: row.agent,
    eventId: row.event_id,
    uid: row.uid,
    times: row.times,
    remaining: row.remaining,
    turnover: row.turnover,
    win: row.win,
    cashout: row.cashout ?? undefined,
    cashoutAt: row.cashout_at ?? undefined,
    boundAt: row.bound_at,
    updatedAt: row.updated_at,
  };
}
