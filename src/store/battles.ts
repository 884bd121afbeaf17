import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type {
  Battle,
  BattleEndReason,
  BattleFilter,
  BattleRoom,
  ScoreChange,
  ScoreMode,
} from '../domain/battles/battle.js';
import { battleLimits } from '../domain/battles/battle.js';
import type { DialectName } from './database.js';
import { dialectSql } from './dialectSql.js';
import { newestFirst, type PageKey } from './keyset.js';
import { type QueryRunner, slot } from './query.js';
import type { BattleRoomRow, BattleRow, Tables } from './tables.js';

export type BattleScoreRow = ScoreChange & { ownerId: string };

export class BattleRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
    private readonly hot: QueryRunner,
  ) {}

  async insert(battle: Omit<Battle, 'rooms' | 'endedAt' | 'endReason'>): Promise<void> {
    await this.db
      .insertInto('battles')
      .values({
        app_id: battle.appId,
        battle_id: battle.battleId,
        from_room_id: battle.fromRoomId,
        operator_id: battle.operatorId,
        duration_ms: battle.durationMs,
        extension_info: battle.extensionInfo,
        status: battle.status,
        created_at: battle.createdAt,
        started_at: battle.startedAt,
        ends_at: battle.endsAt,
        ended_at: null,
        end_reason: null,
      })
      .execute();
  }

  /**
   * Enters a room into a running battle unless it is already in one (the partial unique index
   * on active rows decides, also between concurrent transactions). Returns whether it joined.
   */
  async enterRoom(
    appId: number,
    battleId: string,
    room: { roomId: string; ownerId: string; position: number },
    endsAt: number,
  ): Promise<boolean> {
    const row = await this.db
      .insertInto('battle_rooms')
      .values({
        app_id: appId,
        battle_id: battleId,
        room_id: room.roomId,
        position: room.position,
        owner_id: room.ownerId,
        score: 0,
        active: 1,
        ends_at: endsAt,
      })
      // The predicate must read as the index's own (a literal 1) for SQLite to match the partial index.
      .onConflict((c) => c.columns(['app_id', 'room_id']).where('active', '=', sql.lit(1)).doNothing())
      .returning('room_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Adds to (or sets) the scores of rooms of a battle that is still running at `now`, in one
   * statement. Every room of the battle is written (the others unchanged) and returned, so the
   * caller gets the whole scoreboard. The condition is on each room's own row, so a concurrent
   * end (which clears `active` on those rows) and a score change never interleave.
   */
  async changeScores(
    appId: number,
    battleId: string,
    mode: ScoreMode,
    changes: ReadonlyArray<{ roomId: string; score: number | bigint }>,
    now: number,
  ): Promise<BattleScoreRow[]> {
    const values: Record<string, unknown> = { appId, battleId, now };
    changes.forEach((change, i) => {
      values[`room${i}`] = change.roomId;
      values[`score${i}`] = change.score;
    });
    const rows = await this.hot.rows(
      `battles.changeScores:${mode}:${changes.length}`,
      () => {
        const cases = sql.join(
          changes.map((_, i) => sql`when ${slot(`room${i}`)} then cast(${slot(`score${i}`)} as bigint)`),
          sql` `,
        );
        const newScore =
          mode === 'add'
            ? this.saturatingAdd(sql`coalesce(case room_id ${cases} end, 0)`)
            : sql<number>`case room_id ${cases} else score end`;
        return this.db
          .updateTable('battle_rooms')
          .set({ score: newScore })
          .where('app_id', '=', slot('appId'))
          .where('battle_id', '=', slot('battleId'))
          .where('active', '=', sql.lit(1))
          .where('ends_at', '>', slot('now'))
          .returning(['room_id', 'score', 'owner_id', 'position']);
      },
      values,
    );
    return toScoreboard(rows);
  }

  /**
   * Adds to the score of the room in the battle it is running in, if any (the same conditions
   * as changeScores), in one statement that also returns the battle's whole scoreboard (its
   * other rooms are written unchanged). Undefined when the room is in no running battle.
   */
  async addToRoomInRunningBattle(
    appId: number,
    roomId: string,
    delta: number,
    now: number,
  ): Promise<{ battleId: string; scoreboard: BattleScoreRow[] } | undefined> {
    const rows = await this.hot.rows(
      'battles.addToRoom',
      () => {
        const battleOfRoom = this.db
          .selectFrom('battle_rooms')
          .select('battle_id')
          .where('app_id', '=', slot('appId'))
          .where('room_id', '=', slot('roomId'))
          .where('active', '=', sql.lit(1))
          .where('ends_at', '>', slot('now'));
        return this.db
          .updateTable('battle_rooms')
          .set({
            score: this.saturatingAdd(
              sql`case when room_id = ${slot('roomId')} then cast(${slot('delta')} as bigint) else 0 end`,
            ),
          })
          .where('app_id', '=', slot('appId'))
          .where('battle_id', '=', battleOfRoom)
          .where('active', '=', sql.lit(1))
          .where('ends_at', '>', slot('now'))
          .returning(['battle_id', 'room_id', 'score', 'owner_id', 'position']);
      },
      { appId, roomId, delta, now },
    );
    if (rows.length === 0) return undefined;
    return { battleId: rows[0]!.battle_id, scoreboard: toScoreboard(rows) };
  }

  async find(appId: number, battleId: string): Promise<Battle | undefined> {
    const [row] = await this.hot.rows(
      'battles.find',
      () =>
        this.db
          .selectFrom('battles')
          .selectAll()
          .where('app_id', '=', slot('appId'))
          .where('battle_id', '=', slot('battleId')),
      { appId, battleId },
    );
    if (!row) return undefined;
    return toBattle(row, await this.rooms(appId, battleId));
  }

  /**
   * Battles newest first by (creation time, id), `limit + 1` of them after `after`, each with its
   * rooms and scores (read in one more query for the whole page). `now` decides running or ended.
   */
  async list(filter: BattleFilter, now: number, after: PageKey | undefined, limit: number): Promise<Battle[]> {
    let query = this.db.selectFrom('battles').selectAll();
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
    // A battle past its end time has ended, whether or not the expiry job has marked it yet.
    if (filter.status === 'running') query = query.where('status', '=', 'running').where('ends_at', '>', now);
    if (filter.status === 'ended') {
      query = query.where((eb) => eb.or([eb('status', '=', 'ended'), eb('ends_at', '<=', now)]));
    }
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    if (filter.roomId !== undefined) {
      query = query.where(
        sql<boolean>`exists (select 1 from battle_rooms as br where br.app_id = battles.app_id and br.battle_id = battles.battle_id and br.room_id = ${filter.roomId})`,
      );
    }
    const rows = await newestFirst(
      query,
      { at: 'battles.created_at', id: 'battles.battle_id' },
      after,
      limit,
    ).execute();
    if (rows.length === 0) return [];
    const roomRows = await this.db
      .selectFrom('battle_rooms')
      .selectAll()
      .where('app_id', 'in', [...new Set(rows.map((r) => r.app_id))])
      .where('battle_id', 'in', [...new Set(rows.map((r) => r.battle_id))])
      .orderBy('position')
      .execute();
    const roomsOf = new Map<string, BattleRoom[]>();
    for (const room of roomRows) {
      const key = `${room.app_id}/${room.battle_id}`;
      roomsOf.set(key, [...(roomsOf.get(key) ?? []), toBattleRoom(room)]);
    }
    return rows.map((row) => toBattle(row, roomsOf.get(`${row.app_id}/${row.battle_id}`) ?? []));
  }

  /** The id of the battle the room is in right now, if any (even one past its end time). */
  async activeBattleOf(appId: number, roomId: string): Promise<{ battleId: string; endsAt: number } | undefined> {
    const row = await this.db
      .selectFrom('battle_rooms')
      .select(['battle_id', 'ends_at'])
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .where('active', '=', 1)
      .executeTakeFirst();
    return row && { battleId: row.battle_id, endsAt: row.ends_at };
  }

  /** Battles holding any of these rooms whose time is up but that have not been ended yet. */
  async expiredHolding(appId: number, roomIds: string[], now: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('battle_rooms')
      .select('battle_id')
      .distinct()
      .where('app_id', '=', appId)
      .where('room_id', 'in', roomIds)
      .where('active', '=', 1)
      .where('ends_at', '<=', now)
      .execute();
    return rows.map((r) => r.battle_id);
  }

  /**
   * Ends a running battle: flips its status (only one caller can), clears `active` on its rooms
   * and returns the battle with its final scores. Undefined when it was not running. A battle
   * whose time was already up ends by time, at its end time, whatever `reason` says.
   */
  async end(appId: number, battleId: string, reason: BattleEndReason, now: number): Promise<Battle | undefined> {
    const timeUp = sql<boolean>`ends_at <= ${now}`;
    const row = await this.db
      .updateTable('battles')
      .set({
        status: 'ended',
        ended_at: sql<number>`case when ${timeUp} then ends_at else ${now} end`,
        end_reason: sql<string>`case when ${timeUp} then 'time_up' else ${reason} end`,
      })
      .where('app_id', '=', appId)
      .where('battle_id', '=', battleId)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const rooms = await this.db
      .updateTable('battle_rooms')
      .set({ active: 0 })
      .where('app_id', '=', appId)
      .where('battle_id', '=', battleId)
      .returningAll()
      .execute();
    return toBattle(row, rooms.sort((a, b) => a.position - b.position).map(toBattleRoom));
  }

  /** Running battles whose time is up, oldest first. */
  async dueToEnd(now: number, limit: number): Promise<Array<{ appId: number; battleId: string }>> {
    const rows = await this.db
      .selectFrom('battles')
      .select(['app_id', 'battle_id'])
      .where('status', '=', 'running')
      .where('ends_at', '<=', now)
      .orderBy('ends_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ appId: Number(r.app_id), battleId: r.battle_id }));
  }

  /** `score + delta`, saturating at ±(2^53 − 1) instead of losing precision. */
  private saturatingAdd(delta: RawBuilder<unknown>): RawBuilder<number> {
    const max = sql.lit(battleLimits.maxScore);
    const { least, greatest } = dialectSql[this.dialect];
    return sql<number>`${sql.raw(greatest)}(${sql.raw(least)}(score + ${delta}, ${max}), -${max})`;
  }

  private async rooms(appId: number, battleId: string): Promise<BattleRoom[]> {
    const rows = await this.hot.rows(
      'battles.rooms',
      () =>
        this.db
          .selectFrom('battle_rooms')
          .selectAll()
          .where('app_id', '=', slot('appId'))
          .where('battle_id', '=', slot('battleId'))
          .orderBy('position'),
      { appId, battleId },
    );
    return rows.map(toBattleRoom);
  }
}

function toBattleRoom(row: Selectable<BattleRoomRow>): BattleRoom {
  return { roomId: row.room_id, ownerId: row.owner_id, score: row.score };
}

function toBattle(row: Selectable<BattleRow>, rooms: BattleRoom[]): Battle {
  return {
    appId: Number(row.app_id),
    battleId: row.battle_id,
    fromRoomId: row.from_room_id,
    operatorId: row.operator_id,
    durationMs: row.duration_ms,
    extensionInfo: row.extension_info,
    status: row.status === 'ended' ? 'ended' : 'running',
    createdAt: row.created_at,
    startedAt: row.started_at,
    endsAt: row.ends_at,
    endedAt: row.ended_at ?? undefined,
    endReason: (row.end_reason ?? undefined) as BattleEndReason | undefined,
    rooms,
  };
}

/** A battle's rooms in their order, with their scores. */
function toScoreboard(
  rows: Array<{ room_id: string; score: number; owner_id: string; position: number }>,
): BattleScoreRow[] {
  return rows
    .sort((a, b) => a.position - b.position)
    .map((row) => ({ roomId: row.room_id, score: row.score, ownerId: row.owner_id }));
}
