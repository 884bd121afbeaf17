import type { Kysely, Selectable } from 'kysely';
import type { SpinFilter, SpinRecord } from '../domain/freespins/freeSpin.js';
import { newestFirst, type PageKey } from './keyset.js';
import type { FreeSpinSpinRow, Tables } from './tables.js';

/** Every free spin played, keyed for idempotency by (agent, spinId). */
export class FreeSpinHistoryRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Records the spin unless its spinId was used before; undefined when it was. */
  async insert(spin: Omit<SpinRecord, 'historyId'>): Promise<SpinRecord | undefined> {
    const row = await this.db
      .insertInto('freespin_spins')
      .values({
        agent: spin.agent,
        spin_id: spin.spinId,
        event_id: spin.eventId,
        uid: spin.uid,
        game_id: spin.gameId,
        game_type: spin.gameTypeId,
        bet: spin.bet,
        win: spin.win,
        remaining_after: spin.remainingAfter,
        turnover_after: spin.turnoverAfter,
        win_after: spin.winAfter,
        played_at: spin.playedAt,
      })
      .onConflict((c) => c.columns(['agent', 'spin_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toSpin(row);
  }

  async findBySpinId(agent: string, spinId: string): Promise<SpinRecord | undefined> {
    const row = await this.db
      .selectFrom('freespin_spins')
      .selectAll()
      .where('agent', '=', agent)
      .where('spin_id', '=', spinId)
      .executeTakeFirst();
    return row && toSpin(row);
  }

  /** An agent's spins newest first by (time played, id), `limit + 1` of them after `after`. */
  async list(agent: string, filter: SpinFilter, after: PageKey | undefined, limit: number): Promise<SpinRecord[]> {
    let query = this.db.selectFrom('freespin_spins').selectAll().where('agent', '=', agent);
    if (filter.uid !== undefined) query = query.where('uid', '=', filter.uid);
    if (filter.eventId !== undefined) query = query.where('event_id', '=', filter.eventId);
    if (filter.from !== undefined) query = query.where('played_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('played_at', '<', filter.to);
    const rows = await newestFirst(query, { at: 'played_at', id: 'id' }, after, limit).execute();
    return rows.map(toSpin);
  }

  /** Spins played in [from, to), oldest first. */
  async between(
    agent: string,
    from: number,
    to: number,
    filter: { uid?: string | undefined; gameTypeIds: number[] },
  ): Promise<SpinRecord[]> {
    if (filter.gameTypeIds.length === 0) return [];
    let query = this.db
      .selectFrom('freespin_spins')
      .selectAll()
      .where('agent', '=', agent)
      .where('played_at', '>=', from)
      .where('played_at', '<', to)
      .where('game_type', 'in', filter.gameTypeIds);
    if (filter.uid !== undefined) query = query.where('uid', '=', filter.uid);
    const rows = await query.orderBy('played_at').orderBy('id').execute();
    return rows.map(toSpin);
  }
}

function toSpin(row: Selectable<FreeSpinSpinRow>): SpinRecord {
  return {
    historyId: row.id,
    agent: row.agent,
    spinId: row.spin_id,
    eventId: row.event_id,
    uid: row.uid,
    gameId: row.game_id,
    gameTypeId: row.game_type,
    bet: row.bet,
    win: row.win,
    remainingAfter: row.remaining_after,
    turnoverAfter: row.turnover_after,
    winAfter: row.win_after,
    playedAt: row.played_at,
  };
}
