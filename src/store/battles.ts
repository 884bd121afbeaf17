import { type Kysely, type QueryCreator, type RawBuilder, type Selectable, sql } from 'kysely';
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

/** A room's battle and that battle's scoreboard, after a change to the room's score. */
export type RoomBattleScores = { battleId: string; scoreboard: BattleScoreRow[] };

/** A room locked for a new battle (see lockRoomsInKeyOrder). */
export interface LockedRoom {
  roomId: string;
  ownerId: string;
  /** The battle holding the room whose time is up but that has not been ended yet, if any. */
  expiredBattleId: string | undefined;
}

export class BattleRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
    private readonly hot: QueryRunner,
  ) {}

  /**
   * Inserts a running battle and enters its rooms into it, each unless it is already in a
   * running battle (the partial unique index on active rows decides, also between concurrent
   * transactions). Rooms enter in the order given (the caller's lock order). Returns the rooms
   * that joined. One statement on PostgreSQL; two on SQLite (no data-modifying CTEs).
   */
  async insertWithRooms(
    battle: Omit<Battle, 'rooms' | 'endedAt' | 'endReason'>,
    rooms: ReadonlyArray<{ roomId: string; ownerId: string; position: number }>,
  ): Promise<Set<string>> {
    const battleValues: Record<string, unknown> = {
      appId: battle.appId,
      battleId: battle.battleId,
      fromRoomId: battle.fromRoomId,
      operatorId: battle.operatorId,
      durationMs: battle.durationMs,
      extensionInfo: battle.extensionInfo,
      status: battle.status,
      createdAt: battle.createdAt,
      startedAt: battle.startedAt,
      endsAt: battle.endsAt,
    };
    const roomValues: Record<string, unknown> = {
      appId: battle.appId,
      battleId: battle.battleId,
      endsAt: battle.endsAt,
    };
    rooms.forEach((room, i) => {
      roomValues[`room${i}`] = room.roomId;
      roomValues[`owner${i}`] = room.ownerId;
      roomValues[`position${i}`] = room.position;
    });
    const insertBattle = (db: QueryCreator<Tables>) =>
      db.insertInto('battles').values({
        app_id: slot('appId'),
        battle_id: slot('battleId'),
        from_room_id: slot('fromRoomId'),
        operator_id: slot('operatorId'),
        duration_ms: slot('durationMs'),
        extension_info: slot('extensionInfo'),
        status: slot('status'),
        created_at: slot('createdAt'),
        started_at: slot('startedAt'),
        ends_at: slot('endsAt'),
        ended_at: null,
        end_reason: null,
      });
    const enterRooms = (db: QueryCreator<Tables>) =>
      db
        .insertInto('battle_rooms')
        .values(
          rooms.map((_, i) => ({
            app_id: slot('appId'),
            battle_id: slot('battleId'),
            room_id: slot(`room${i}`),
            position: slot(`position${i}`),
            owner_id: slot(`owner${i}`),
            score: sql.lit(0),
            active: sql.lit(1),
            ends_at: slot('endsAt'),
          })),
        )
        // The predicate must read as the index's own (a literal 1) for SQLite to match the partial index.
        .onConflict((c) => c.columns(['app_id', 'room_id']).where('active', '=', sql.lit(1)).doNothing())
        .returning('room_id');
    const key = `battles.insertWithRooms:${rooms.length}`;
    let joined: Array<{ room_id: string }>;
    if (this.dialect === 'postgres') {
      joined = await this.hot.rows(
        key,
        () =>
          this.db
            .with('battle', (db) => insertBattle(db))
            .with('entered', (db) => enterRooms(db as unknown as QueryCreator<Tables>))
            .selectFrom('entered')
            .select('room_id'),
        { ...battleValues, ...roomValues },
      );
    } else {
      await this.hot.run('battles.insert', () => insertBattle(this.db), battleValues);
      joined = await this.hot.rows(key, () => enterRooms(this.db), roomValues);
    }
    return new Set(joined.map((row) => row.room_id));
  }

  /**
   * Takes the row locks of the rooms that exist among `roomIds` (marking them changed) for the
   * rest of the transaction, in key order (as every batch of creations takes them, so
   * concurrent batches cannot deadlock), and returns them with their owners and the battle
   * holding each whose time is up but that has not been ended yet. That battle is read with
   * the snapshot from before any lock wait: it only says which battles to try to end (endExpired
   * checks again); who joins a new battle is decided by the partial unique index.
   */
  async lockRoomsInKeyOrder(appId: number, roomIds: readonly string[], now: number): Promise<LockedRoom[]> {
    const expiredBattle = sql`(select held.battle_id from battle_rooms as held
        where held.app_id = rooms.app_id and held.room_id = rooms.room_id
        and held.active = 1 and held.ends_at <= ${slot('now')}) as expired_battle_id`;
    const rows = await this.hot.rows<{ room_id: string; owner_id: string; expired_battle_id: string | null }>(
      'battles.lockRoomsInKeyOrder',
      () =>
        this.raw(
          this.dialect === 'postgres'
            ? sql`with locked as materialized (
                select room_id from rooms
                where app_id = ${slot('appId')} and room_id = any(cast(${slot('roomIds')} as text[]))
                order by room_id for update
              )
              update rooms set updated_at = ${slot('now')}, revision = revision + 1
              from locked
              where rooms.app_id = ${slot('appId')} and rooms.room_id = locked.room_id
              returning rooms.room_id, rooms.owner_id, ${expiredBattle}`
            : sql`update rooms set updated_at = ${slot('now')}, revision = revision + 1
              where app_id = ${slot('appId')} and room_id in (select value from json_each(${slot('roomIds')}))
              returning room_id, owner_id, ${expiredBattle}`,
        ),
      { appId, now, roomIds: this.dialect === 'postgres' ? roomIds : JSON.stringify(roomIds) },
    );
    return rows.map((row) => ({
      roomId: row.room_id,
      ownerId: row.owner_id,
      expiredBattleId: row.expired_battle_id ?? undefined,
    }));
  }

  /**
   * Ends, by time, those of the battles given that are still running (each once, also against
   * concurrent ends: the battles' rows are locked in key order and checked again), freeing their
   * rooms, and returns them with their final scores. One statement on PostgreSQL.
   */
  async endExpired(appId: number, battleIds: readonly string[], now: number): Promise<Battle[]> {
    if (battleIds.length === 0) return [];
    if (this.dialect !== 'postgres') {
      const ended: Battle[] = [];
      for (const battleId of battleIds) {
        const battle = await this.end(appId, battleId, 'time_up', now);
        if (battle) ended.push(battle);
      }
      return ended;
    }
    const rows = await this.hot.rows<
      Selectable<BattleRow> & { room_room_id: string; room_owner_id: string; room_score: number }
    >(
      'battles.endExpired',
      () =>
        // The battles are found by primary key only, and their status is checked on the locked
        // rows: a condition on battles.status lets the planner take the partial index of running
        // battles and filter every one of them (it did, with statistics from a smaller table).
        // (Not through the locked rows' ctid: after a lock wait the lock returns the newer row
        // version, which the update's own scan, with the statement's snapshot, cannot see.)
        this.raw(sql`with locked as materialized (
            select battle_id, status from battles
            where app_id = ${slot('appId')} and battle_id = any(cast(${slot('battleIds')} as text[]))
            order by battle_id for update
          ), ended as (
            update battles set status = 'ended',
              ended_at = case when ends_at <= ${slot('now')} then ends_at else ${slot('now')} end,
              end_reason = 'time_up'
            from locked
            where battles.app_id = ${slot('appId')} and battles.battle_id = locked.battle_id
            and locked.status = 'running'
            returning battles.*
          ), freed as (
            update battle_rooms set active = 0
            where app_id = ${slot('appId')} and battle_id in (select ended.battle_id from ended)
            returning battle_id, room_id, owner_id, score, position
          )
          select ended.*, freed.room_id as room_room_id, freed.owner_id as room_owner_id, freed.score as room_score
          from ended join freed on freed.battle_id = ended.battle_id
          order by ended.battle_id, freed.position`),
      { appId, battleIds, now },
    );
    const byBattle = new Map<string, typeof rows>();
    for (const row of rows) {
      const these = byBattle.get(row.battle_id);
      if (these) these.push(row);
      else byBattle.set(row.battle_id, [row]);
    }
    return [...byBattle.values()].map((these) => toBattleWithRooms(these)!);
  }

  /**
   * Inserts running battles and enters their rooms, each room unless it is already in a running
   * battle (the partial unique index decides, also between concurrent transactions). No room
   * may appear twice among `battles`. Returns, per battle id, the rooms that joined. One
   * statement on PostgreSQL; two per battle on SQLite (no data-modifying CTEs).
   */
  async insertManyWithRooms(
    battles: ReadonlyArray<{
      battle: Omit<Battle, 'rooms' | 'endedAt' | 'endReason'>;
      rooms: ReadonlyArray<{ roomId: string; ownerId: string; position: number }>;
    }>,
  ): Promise<Map<string, Set<string>>> {
    const joined = new Map<string, Set<string>>(battles.map(({ battle }) => [battle.battleId, new Set<string>()]));
    if (this.dialect !== 'postgres') {
      for (const { battle, rooms } of battles) joined.set(battle.battleId, await this.insertWithRooms(battle, rooms));
      return joined;
    }
    const first = battles[0]!.battle;
    const roomRows = battles.flatMap(({ battle, rooms }) => rooms.map((room) => ({ battle, room })));
    const rows = await this.hot.rows<{ battle_id: string; room_id: string }>(
      'battles.insertManyWithRooms',
      () =>
        this.raw(sql`with battle as (
            insert into battles (app_id, battle_id, from_room_id, operator_id, duration_ms, extension_info,
              status, created_at, started_at, ends_at, ended_at, end_reason)
            select ${slot('appId')}, b.battle_id, b.from_room_id, b.operator_id, b.duration_ms, b.extension_info,
              'running', b.created_at, b.started_at, b.ends_at, null, null
            from unnest(cast(${slot('battleIds')} as text[]), cast(${slot('fromRoomIds')} as text[]),
              cast(${slot('operatorIds')} as text[]), cast(${slot('durations')} as bigint[]),
              cast(${slot('extensionInfos')} as text[]), cast(${slot('createdAts')} as bigint[]),
              cast(${slot('startedAts')} as bigint[]), cast(${slot('endsAts')} as bigint[]))
              as b(battle_id, from_room_id, operator_id, duration_ms, extension_info, created_at, started_at, ends_at)
          ), entered as (
            insert into battle_rooms (app_id, battle_id, room_id, position, owner_id, score, active, ends_at)
            select ${slot('appId')}, r.battle_id, r.room_id, r.position, r.owner_id, 0, 1, r.ends_at
            from unnest(cast(${slot('roomBattleIds')} as text[]), cast(${slot('roomIds')} as text[]),
              cast(${slot('positions')} as integer[]), cast(${slot('ownerIds')} as text[]),
              cast(${slot('roomEndsAts')} as bigint[]))
              as r(battle_id, room_id, position, owner_id, ends_at)
            order by r.room_id
            on conflict (app_id, room_id) where active = 1 do nothing
            returning battle_id, room_id
          )
          select battle_id, room_id from entered`),
      {
        appId: first.appId,
        battleIds: battles.map(({ battle }) => battle.battleId),
        fromRoomIds: battles.map(({ battle }) => battle.fromRoomId),
        operatorIds: battles.map(({ battle }) => battle.operatorId),
        durations: battles.map(({ battle }) => battle.durationMs),
        extensionInfos: battles.map(({ battle }) => battle.extensionInfo),
        createdAts: battles.map(({ battle }) => battle.createdAt),
        startedAts: battles.map(({ battle }) => battle.startedAt),
        endsAts: battles.map(({ battle }) => battle.endsAt),
        roomBattleIds: roomRows.map(({ battle }) => battle.battleId),
        roomIds: roomRows.map(({ room }) => room.roomId),
        positions: roomRows.map(({ room }) => room.position),
        ownerIds: roomRows.map(({ room }) => room.ownerId),
        roomEndsAts: roomRows.map(({ battle }) => battle.endsAt),
      },
    );
    for (const row of rows) joined.get(row.battle_id)!.add(row.room_id);
    return joined;
  }

  /**
   * Deletes battles inserted earlier in this transaction and their rooms (creations that were
   * refused once it was known who joined). One statement on PostgreSQL.
   */
  async removeUncommitted(appId: number, battleIds: readonly string[]): Promise<void> {
    if (battleIds.length === 0) return;
    if (this.dialect === 'postgres') {
      await this.hot.run(
        'battles.removeMany',
        () =>
          this.raw(sql`with gone as (
              delete from battle_rooms
              where app_id = ${slot('appId')} and battle_id = any(cast(${slot('battleIds')} as text[]))
            )
            delete from battles
            where app_id = ${slot('appId')} and battle_id = any(cast(${slot('battleIds')} as text[]))`),
        { appId, battleIds },
      );
      return;
    }
    const values = { appId, battleIds: JSON.stringify(battleIds) };
    for (const table of ['battle_rooms', 'battles'] as const) {
      await this.hot.run(
        `battles.removeMany:${table}`,
        () =>
          this.raw(sql`delete from ${sql.table(table)}
            where app_id = ${slot('appId')} and battle_id in (select value from json_each(${slot('battleIds')}))`),
        values,
      );
    }
  }

  /** A raw statement as a template (see QueryRunner.run). */
  private raw<R>(statement: RawBuilder<R>) {
    return { compile: () => statement.compile(this.db) };
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
  ): Promise<RoomBattleScores | undefined> {
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

  /** A battle with its rooms and scores, in one statement. */
  async find(appId: number, battleId: string): Promise<Battle | undefined> {
    const rows = await this.hot.rowsById(
      'battles.find',
      (idIn) => this.withRooms().where(idIn('battles.battle_id')),
      { appId },
      battleId,
      (row) => row.battle_id,
    );
    return toBattleWithRooms(rows);
  }

  /**
   * The battle a room is in right now (even one past its end time), with its rooms and scores,
   * in one statement; undefined when the room is in none.
   */
  async findByActiveRoom(appId: number, roomId: string): Promise<Battle | undefined> {
    const rows = await this.hot.rows(
      'battles.findByActiveRoom',
      () =>
        this.withRooms().where('battles.battle_id', '=', (eb) =>
          eb
            .selectFrom('battle_rooms as active')
            .select('active.battle_id')
            .where('active.app_id', '=', slot('appId'))
            .where('active.room_id', '=', slot('roomId'))
            .where('active.active', '=', sql.lit(1)),
        ),
      { appId, roomId },
    );
    return toBattleWithRooms(rows);
  }

  /** A battle's row joined with its rooms (one row per room, in their order), for one app. */
  private withRooms() {
    return this.db
      .selectFrom('battles')
      .innerJoin('battle_rooms as room', (join) =>
        join.onRef('room.app_id', '=', 'battles.app_id').onRef('room.battle_id', '=', 'battles.battle_id'),
      )
      .selectAll('battles')
      .select(['room.room_id as room_room_id', 'room.owner_id as room_owner_id', 'room.score as room_score'])
      .where('battles.app_id', '=', slot('appId'))
      .orderBy('room.position');
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

  /**
   * Ends a running battle: flips its status (only one caller can), clears `active` on its rooms
   * and returns the battle with its final scores. Undefined when it was not running. A battle
   * whose time was already up ends by time, at its end time, whatever `reason` says.
   */
  async end(appId: number, battleId: string, reason: BattleEndReason, now: number): Promise<Battle | undefined> {
    const values = { appId, battleId, reason, now };
    const endBattle = (db: QueryCreator<Tables>) =>
      db
        .updateTable('battles')
        .set({
          status: sql.lit('ended'),
          ended_at: sql<number>`case when ends_at <= ${slot('now')} then ends_at else ${slot('now')} end`,
          end_reason: sql<string>`case when ends_at <= ${slot('now')} then 'time_up' else ${slot('reason')} end`,
        })
        .where('app_id', '=', slot('appId'))
        .where('battle_id', '=', slot('battleId'))
        .where('status', '=', sql.lit('running'));
    if (this.dialect === 'postgres') {
      // One statement: the rooms are set free only when this call ended the battle.
      const rows = await this.hot.rows(
        'battles.endWithRooms',
        () =>
          this.db
            .with('ended', (db) => endBattle(db).returningAll())
            .with('freed', (db) =>
              db
                .updateTable('battle_rooms')
                .set({ active: sql.lit(0) })
                .where('app_id', '=', slot('appId'))
                .where('battle_id', 'in', (eb) => eb.selectFrom('ended').select('ended.battle_id'))
                .returning(['room_id', 'owner_id', 'score', 'position']),
            )
            .selectFrom('ended')
            .innerJoin('freed', (join) => join.on(sql.lit(true)))
            .selectAll('ended')
            .select(['freed.room_id as room_room_id', 'freed.owner_id as room_owner_id', 'freed.score as room_score'])
            .orderBy('freed.position'),
        values,
      );
      return toBattleWithRooms(rows);
    }
    const [row] = await this.hot.rows('battles.end', () => endBattle(this.db).returningAll(), values);
    if (!row) return undefined;
    const rooms = await this.hot.rows(
      'battles.freeRooms',
      () =>
        this.db
          .updateTable('battle_rooms')
          .set({ active: sql.lit(0) })
          .where('app_id', '=', slot('appId'))
          .where('battle_id', '=', slot('battleId'))
          .returningAll(),
      { appId, battleId },
    );
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

/** A battle from its rows joined with its rooms (see withRooms); undefined for no rows. */
function toBattleWithRooms(
  rows: Array<Selectable<BattleRow> & { room_room_id: string; room_owner_id: string; room_score: number }>,
): Battle | undefined {
  if (rows.length === 0) return undefined;
  const rooms = rows.map((row) => ({ roomId: row.room_room_id, ownerId: row.room_owner_id, score: row.room_score }));
  return toBattle(rows[0]!, rooms);
}

/** A battle's rooms in their order, with their scores. */
/** The rows of a battle's rooms as its scoreboard, in the rooms' order. */
export function toScoreboard(
  rows: Array<{ room_id: string; score: number; owner_id: string; position: number }>,
): BattleScoreRow[] {
  return rows
    .sort((a, b) => a.position - b.position)
    .map((row) => ({ roomId: row.room_id, score: row.score, ownerId: row.owner_id }));
}
