import { type Kysely, type OnConflictBuilder, type RawBuilder, type Selectable, sql } from 'kysely';
import { battleLimits } from '../domain/battles/battle.js';
import type { GiftTotals, SendTarget, SenderTotals } from '../domain/gifts/gift.js';
import { assertNever } from '../platform/assertNever.js';
import type { DialectName } from './database.js';
import { type BattleRepository, type RoomBattleScores, toScoreboard } from './battles.js';
import { type QueryRunner, slot } from './query.js';
import type { RoomGiftTotalsRow, Tables } from './tables.js';

/** Gifts sent into rooms: the room's totals and each sender's totals in the room. */
export class GiftSendRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
    private readonly hot: QueryRunner,
  ) {}

  /**
   * What a send into a room needs, in one read: the room's gifting switch (undefined when there
   * is no such room) and the gift's value (undefined when there is no such gift).
   */
  async findForSend(appId: number, roomId: string, giftId: string): Promise<SendTarget> {
    const [row] = await this.hot.rows(
      'giftSends.findForSend',
      () =>
        this.db.selectNoFrom((eb) => [
          eb
            .selectFrom('rooms')
            .select('gifts_enabled')
            .where('app_id', '=', slot('appId'))
            .where('room_id', '=', slot('roomId'))
            .as('gifts_enabled'),
          eb
            .selectFrom('gifts')
            .select('coins')
            .where('app_id', '=', slot('appId'))
            .where('gift_id', '=', slot('giftId'))
            .as('coins'),
        ]),
      { appId, roomId, giftId },
    );
    return {
      roomGiftsEnabled: row?.gifts_enabled == null ? undefined : row.gifts_enabled === 1,
      coins: row?.coins ?? undefined,
    };
  }

  /**
   * Adds each sender's sends (each sender once) to their totals in the room. Returns how many of
   * them sent their first gifts into the room (counts are positive, so a new total equals what
   * was added only the first time).
   */
  async addToSenders(appId: number, roomId: string, senders: SenderSums[]): Promise<number> {
    const added = new Map(senders.map((s) => [s.senderId, s.count]));
    let newSenders = 0;
    for (const row of await this.upsertSenders(appId, roomId, senders)) {
      if (row.total_count === added.get(row.sender_id)) newSenders += 1;
    }
    return newSenders;
  }

  /**
   * The upsert behind addToSenders. PostgreSQL: one statement over one JSON parameter, in
   * sender order, so that concurrent batches lock sender rows in one order. SQLite (one writer,
   * no lock order to keep): the senders as bound rows, up to SENDERS_PER_STATEMENT a statement,
   * because reading them out of JSON costs more there than the upsert itself.
   */
  private upsertSenders(appId: number, roomId: string, senders: SenderSums[]): Promise<SenderTotalRow[]> {
    switch (this.dialect) {
      case 'postgres':
        return this.upsertSendersFromJson(appId, roomId, senders);
      case 'sqlite':
        return this.upsertSendersAsRows(appId, roomId, senders);
      default:
        return assertNever(this.dialect, 'dialect');
    }
  }

  private async upsertSendersFromJson(appId: number, roomId: string, senders: SenderSums[]): Promise<SenderTotalRow[]> {
    return this.hot.rows(
      'giftSends.addToSenders',
      () =>
        this.db
          .insertInto('room_gift_senders')
          .columns(['app_id', 'room_id', 'sender_id', 'total_count', 'total_coins'])
          .expression(
            sql`select cast(${slot('appId')} as bigint), cast(${slot('roomId')} as text), s."senderId", s.count, s.coins
                from json_to_recordset(cast(${slot('senders')} as json)) as s("senderId" text, count bigint, coins bigint)
                order by s."senderId"`,
          )
          .onConflict(addToSenderTotals)
          .returning(['sender_id', 'total_count']),
      { appId, roomId, senders: JSON.stringify(senders) },
    );
  }

  private async upsertSendersAsRows(appId: number, roomId: string, senders: SenderSums[]): Promise<SenderTotalRow[]> {
    const rows: SenderTotalRow[] = [];
    for (let start = 0; start < senders.length; start += SENDERS_PER_STATEMENT) {
      const chunk = senders.slice(start, start + SENDERS_PER_STATEMENT);
      rows.push(
        ...(await this.hot.rowsInOrder(
          `giftSends.addToSenders:${chunk.length}`,
          () =>
            this.db
              .insertInto('room_gift_senders')
              .values(
                chunk.map((_, i) => ({
                  app_id: slot('appId'),
                  room_id: slot('roomId'),
                  sender_id: slot(`senderId${i}`),
                  total_count: slot(`count${i}`),
                  total_coins: slot(`coins${i}`),
                })),
              )
              .onConflict(addToSenderTotals)
              .returning(['sender_id', 'total_count']),
          chunk.flatMap((sender) => [appId, roomId, sender.senderId, sender.count, sender.coins]),
        )),
      );
    }
    return rows;
  }

  /**
   * Whether batches of sends are recorded by `recordSendsInOneStatement` here (PostgreSQL): one
   * statement, atomic without a transaction around it, which would only add the round trips of
   * BEGIN and COMMIT. Elsewhere by `findForSend` and `recordBatch`, in one transaction.
   */
  get recordsBatchInOneStatement(): boolean {
    return this.dialect === 'postgres';
  }

  /**
   * Records a batch of sends into a room in several statements, which the caller runs in one
   * transaction: each sender's sums into their totals, the batch's sums into the room's totals
   * and, with `battle`, its coins into the room's score in the battle it is running in (see
   * BattleRepository.addToRoomInRunningBattle).
   */
  async recordBatch(
    appId: number,
    roomId: string,
    senders: SenderSums[],
    added: { sends: number; count: number; coins: number },
    battle: { battles: BattleRepository; now: number } | undefined,
  ): Promise<{ totals: GiftTotals; battle: RoomBattleScores | undefined }> {
    const newSenders = await this.addToSenders(appId, roomId, senders);
    const totals = await this.addToRoom(appId, roomId, { ...added, newSenders });
    const score = battle && (await battle.battles.addToRoomInRunningBattle(appId, roomId, added.coins, battle.now));
    return { totals, battle: score };
  }

  /**
   * PostgreSQL (see recordsBatchInOneStatement): a batch of sends into a room, read and written
   * in one statement. It looks up the room's gifting switch and each send's gift; only when the
   * room exists with gifting on does it record the sends whose gift exists, as `recordBatch`
   * does (senders, room totals and, with `battleNow`, the room's score in its running battle
   * when the sends are worth any coins). It returns what decides each send's answer: the
   * switch, the gifts it did not find, and what was recorded, if anything.
   */
  async recordSendsInOneStatement(
    appId: number,
    roomId: string,
    sends: Array<{ giftId: string; senderId: string; count: number }>,
    battleNow: number | undefined,
  ): Promise<RecordedSends> {
    const values: Record<string, unknown> = {
      appId,
      roomId,
      sends: JSON.stringify(sends.map(({ giftId, senderId, count }) => ({ giftId, senderId, count }))),
    };
    if (battleNow !== undefined) values.now = battleNow;
    const rows = await this.hot.rows<RecordedSendsRow>(
      `giftSends.recordSends:${battleNow !== undefined ? 'battle' : 'room'}`,
      () => {
        const app = sql`cast(${slot('appId')} as bigint)`;
        const room = sql`cast(${slot('roomId')} as text)`;
        // Each send with its gift's value (null when there is no such gift); then the sends that
        // are recorded: those with a gift, when the room exists with gifting on.
        const readCtes = sql`room as (
            select gifts_enabled from rooms where app_id = ${app} and room_id = ${room}),
          asked as (
            select s."giftId", s."senderId", s.count, gifts.coins * s.count as value
            from json_to_recordset(cast(${slot('sends')} as json)) as s("giftId" text, "senderId" text, count bigint)
            left join gifts on gifts.app_id = ${app} and gifts.gift_id = s."giftId"),
          recorded as (
            select "senderId", count, value from asked
            where value is not null and (select gifts_enabled from room) = 1),
          by_sender as (
            select "senderId", cast(sum(count) as bigint) as count, cast(sum(value) as bigint) as coins
            from recorded group by "senderId"),
          batch as (
            select cast(count(*) as bigint) as sends, cast(coalesce(sum(count), 0) as bigint) as count,
              cast(coalesce(sum(value), 0) as bigint) as coins
            from recorded)`;
        // The senders in sender order (their lock order, as in addToSenders), then the room's
        // totals, then the battle's rows: the order the statements of the SQLite path take.
        const sendersCte = sql`insert into room_gift_senders (app_id, room_id, sender_id, total_count, total_coins)
          select ${app}, ${room}, "senderId", count, coins from by_sender
          order by "senderId"
          on conflict (app_id, room_id, sender_id) do update set
            total_count = room_gift_senders.total_count + excluded.total_count,
            total_coins = room_gift_senders.total_coins + excluded.total_coins
          returning sender_id, total_count`;
        // A sender is new to the room when their total is what this batch added (counts are positive).
        const totalsCte = sql`insert into room_gift_totals (app_id, room_id, sequence, total_count, total_coins, sender_count)
          select ${app}, ${room}, batch.sends, batch.count, batch.coins,
            (select count(*) from senders
              join by_sender on by_sender."senderId" = senders.sender_id and by_sender.count = senders.total_count)
          from batch where batch.sends > 0
          on conflict (app_id, room_id) do update set
            sequence = room_gift_totals.sequence + excluded.sequence,
            total_count = room_gift_totals.total_count + excluded.total_count,
            total_coins = room_gift_totals.total_coins + excluded.total_coins,
            sender_count = room_gift_totals.sender_count + excluded.sender_count
          returning sequence, total_count, total_coins, sender_count`;
        const decided = sql`(select gifts_enabled from room) as gifts_enabled,
          (select json_agg(distinct "giftId") from asked where value is null) as unknown_gift_ids,
          batch.sends as recorded_sends, batch.count as recorded_count, batch.coins as recorded_coins`;
        const compilable = (raw: RawBuilder<RecordedSendsRow>) => ({ compile: () => raw.compile(this.db) });
        if (battleNow === undefined) {
          return compilable(sql<RecordedSendsRow>`with ${readCtes}, senders as (${sendersCte}), totals as (${totalsCte})
            select ${decided}, totals.*,
              null as battle_id, null as room_id, null as score, null as owner_id, null as position
            from batch left join totals on true`);
        }
        const max = sql.lit(battleLimits.maxScore);
        const scoreCte = sql`update battle_rooms
          set score = greatest(least(score + case when room_id = ${room} then (select coins from batch) else 0 end, ${max}), -${max})
          where app_id = ${app} and active = 1 and ends_at > ${slot('now')} and (select coins from batch) > 0
            and battle_id = (select battle_id from battle_rooms where app_id = ${app} and room_id = ${room}
              and active = 1 and ends_at > ${slot('now')})
          returning battle_id, room_id, score, owner_id, position`;
        return compilable(sql<RecordedSendsRow>`with ${readCtes}, senders as (${sendersCte}), totals as (${totalsCte}),
            score as (${scoreCte})
          select ${decided}, totals.*, score.battle_id, score.room_id, score.score, score.owner_id, score.position
          from batch left join totals on true left join score on true`);
      },
      values,
    );
    const first = rows[0]!;
    const decided = {
      roomGiftsEnabled: first.gifts_enabled === null ? undefined : first.gifts_enabled === 1,
      unknownGiftIds: new Set(first.unknown_gift_ids ?? []),
    };
    if (first.sequence === null) return { ...decided, recorded: undefined };
    const added = { sends: first.recorded_sends, count: first.recorded_count, coins: first.recorded_coins };
    const totals: GiftTotals = {
      sequence: first.sequence,
      totalCount: first.total_count!,
      totalCoins: first.total_coins!,
      senderCount: first.sender_count!,
    };
    if (first.battle_id === null) return { ...decided, recorded: { added, totals, battle: undefined } };
    // With a battle, every row is one of its rooms.
    const scoreboard = toScoreboard(
      rows as Array<{ room_id: string; score: number; owner_id: string; position: number }>,
    );
    return { ...decided, recorded: { added, totals, battle: { battleId: first.battle_id, scoreboard } } };
  }

  /** Adds `sends` sends (of `count` gifts worth `coins`, from `newSenders` first-time senders) to the room's totals. */
  async addToRoom(
    appId: number,
    roomId: string,
    added: { sends: number; count: number; coins: number; newSenders: number },
  ): Promise<GiftTotals> {
    const [room] = await this.hot.rows(
      'giftSends.addToRoom',
      () =>
        this.db
          .insertInto('room_gift_totals')
          .values({
            app_id: slot('appId'),
            room_id: slot('roomId'),
            sequence: slot('sends'),
            total_count: slot('count'),
            total_coins: slot('coins'),
            sender_count: slot('newSenders'),
          })
          .onConflict((c) =>
            c.columns(['app_id', 'room_id']).doUpdateSet({
              sequence: sql`room_gift_totals.sequence + excluded.sequence`,
              total_count: sql`room_gift_totals.total_count + excluded.total_count`,
              total_coins: sql`room_gift_totals.total_coins + excluded.total_coins`,
              sender_count: sql`room_gift_totals.sender_count + excluded.sender_count`,
            }),
          )
          .returningAll(),
      { appId, roomId, ...added },
    );
    return toTotals(room!);
  }

  async roomTotals(appId: number, roomId: string): Promise<GiftTotals | undefined> {
    const row = await this.db
      .selectFrom('room_gift_totals')
      .selectAll()
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return row && toTotals(row);
  }

  async senderTotals(
    appId: number,
    roomId: string,
    senderId: string,
  ): Promise<{ totalCount: number; totalCoins: number } | undefined> {
    const row = await this.db
      .selectFrom('room_gift_senders')
      .select(['total_count', 'total_coins'])
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .where('sender_id', '=', senderId)
      .executeTakeFirst();
    return row && { totalCount: row.total_count, totalCoins: row.total_coins };
  }

  /**
   * The room's biggest senders by coins (ties by count, then by id), at most `limit`. The
   * primary key (app, room, sender) finds the room's rows; a room's senders are few enough to sort.
   */
  async topSenders(appId: number, roomId: string, limit: number): Promise<SenderTotals[]> {
    const rows = await this.db
      .selectFrom('room_gift_senders')
      .select(['sender_id', 'total_count', 'total_coins'])
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .orderBy('total_coins', 'desc')
      .orderBy('total_count', 'desc')
      .orderBy('sender_id', 'asc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      senderId: row.sender_id,
      totalCount: row.total_count,
      totalCoins: row.total_coins,
    }));
  }

  /** Forgets a room's totals (the room is gone; its id may be used again); returns what they were. */
  async deleteRoomTotals(appId: number, roomId: string): Promise<GiftTotals | undefined> {
    const row = await this.db
      .deleteFrom('room_gift_totals')
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .returningAll()
      .executeTakeFirst();
    await this.db.deleteFrom('room_gift_senders').where('app_id', '=', appId).where('room_id', '=', roomId).execute();
    return row && toTotals(row);
  }
}

type SenderTotalRow = { sender_id: string; total_count: number };

/** What recordSendsInOneStatement read and, if anything, recorded. */
export interface RecordedSends {
  /** Undefined when there is no such room. */
  roomGiftsEnabled: boolean | undefined;
  /** The batch's gift ids that are in no gift of the app's catalog. */
  unknownGiftIds: Set<string>;
  /** Undefined when nothing was recorded (no such room, gifting off, or no send with a gift). */
  recorded:
    | {
        added: { sends: number; count: number; coins: number };
        totals: GiftTotals;
        battle: RoomBattleScores | undefined;
      }
    | undefined;
}

/** One row per room of the battle (one row without a battle), each with what was decided. */
type RecordedSendsRow = {
  gifts_enabled: number | null;
  unknown_gift_ids: string[] | null;
  recorded_sends: number;
  recorded_count: number;
  recorded_coins: number;
  sequence: number | null;
  total_count: number | null;
  total_coins: number | null;
  sender_count: number | null;
  battle_id: string | null;
  room_id: string | null;
  score: number | null;
  owner_id: string | null;
  position: number | null;
};

/** On a sender already in the room: add this batch's sums to their totals. */
function addToSenderTotals(c: OnConflictBuilder<Tables, 'room_gift_senders'>) {
  return c.columns(['app_id', 'room_id', 'sender_id']).doUpdateSet({
    total_count: sql`room_gift_senders.total_count + excluded.total_count`,
    total_coins: sql`room_gift_senders.total_coins + excluded.total_coins`,
  });
}

function toTotals(row: Selectable<RoomGiftTotalsRow>): GiftTotals {
  return {
    sequence: row.sequence,
    totalCount: row.total_count,
    totalCoins: row.total_coins,
    senderCount: row.sender_count,
  };
}

/** Sender rows per SQLite statement (5 parameters each, with a template per row count). */
const SENDERS_PER_STATEMENT = 64;

/** One sender's sends in a batch: how many gifts and their value. */
export interface SenderSums {
  senderId: string;
  count: number;
  coins: number;
}
