import { type Kysely, type Selectable, sql } from 'kysely';
import type { MetadataEntry, NewRoom, Room, RoomChanges, RoomFilter } from '../domain/rooms/room.js';
import { roomDefaults } from '../domain/rooms/room.js';
import { newestFirst, type PageKey } from './keyset.js';
import { type QueryRunner, slot } from './query.js';
import type { RoomRow, Tables } from './tables.js';

export interface RoomPageKey {
  viewCount: number;
  roomId: string;
}

export class RoomRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly hot: QueryRunner,
  ) {}

  /** Inserts the room unless the id is taken; returns undefined when it was. */
  async insert(appId: number, room: NewRoom & { name: string }, now: number): Promise<Room | undefined> {
    const row: RoomRow = {
      app_id: appId,
      room_id: room.roomId,
      room_type: room.type,
      name: room.name,
      owner_id: room.ownerId,
      max_members: room.maxMembers ?? roomDefaults.maxMembers,
      cover_url: room.coverUrl ?? roomDefaults.coverUrl,
      background_url: room.backgroundUrl ?? roomDefaults.backgroundUrl,
      messages_disabled: flag(room.messagesDisabled ?? roomDefaults.messagesDisabled),
      public_visible: flag(room.publicVisible ?? roomDefaults.publicVisible),
      seat_enabled: flag(room.seatEnabled ?? roomDefaults.seatEnabled),
      seat_mode: room.seatMode ?? roomDefaults.seatMode,
      max_seats: room.maxSeats ?? roomDefaults.maxSeats,
      seat_template: room.seatTemplate ?? roomDefaults.seatTemplate,
      keep_owner_on_seat: flag(room.keepOwnerOnSeat ?? roomDefaults.keepOwnerOnSeat),
      unlimited_members: flag(room.unlimitedMembers ?? roomDefaults.unlimitedMembers),
      categories: JSON.stringify(room.categories ?? roomDefaults.categories),
      activity_status: room.activityStatus ?? roomDefaults.activityStatus,
      notice: room.notice ?? roomDefaults.notice,
      custom_info: room.customInfo ?? roomDefaults.customInfo,
      gifts_enabled: flag(room.giftsEnabled ?? roomDefaults.giftsEnabled),
      view_count: 0,
      revision: 0,
      created_at: now,
      updated_at: now,
    };
    const inserted = await this.db
      .insertInto('rooms')
      .values(row)
      .onConflict((c) => c.columns(['app_id', 'room_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted && toRoom(inserted);
  }

  async find(appId: number, roomId: string): Promise<Room | undefined> {
    const [row] = await this.hot.rowsById(
      'rooms.find',
      (idIn) => this.db.selectFrom('rooms').selectAll().where('app_id', '=', slot('appId')).where(idIn('room_id')),
      { appId },
      roomId,
      (row) => row.room_id,
    );
    return row && toRoom(row);
  }

  /** Rooms by view count (most first), then id; `after` continues from a previous page. */
  async page(appId: number, limit: number, after: RoomPageKey | undefined): Promise<Room[]> {
    let query = this.db.selectFrom('rooms').selectAll().where('app_id', '=', appId);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('view_count', '<', after.viewCount),
          eb.and([eb('view_count', '=', after.viewCount), eb('room_id', '>', after.roomId)]),
        ]),
      );
    }
    const rows = await query.orderBy('view_count', 'desc').orderBy('room_id').limit(limit).execute();
    return rows.map(toRoom);
  }

  /** Rooms of an app, newest first by (creation time, id), `limit + 1` of them after `after`. */
  async list(appId: number, filter: RoomFilter, after: PageKey | undefined, limit: number): Promise<Room[]> {
    let query = this.db.selectFrom('rooms').selectAll().where('app_id', '=', appId);
    if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.inBattle !== undefined) {
      // A room is in a battle while its battle row is active (the partial unique index finds it).
      const inBattle = sql<boolean>`exists (select 1 from battle_rooms as br where br.app_id = rooms.app_id and br.room_id = rooms.room_id and br.active = 1)`;
      query = query.where(filter.inBattle ? inBattle : sql<boolean>`not ${inBattle}`);
    }
    const rows = await newestFirst(query, { at: 'rooms.created_at', id: 'rooms.room_id' }, after, limit).execute();
    return rows.map(toRoom);
  }

  async update(appId: number, roomId: string, changes: RoomChanges, now: number): Promise<Room | undefined> {
    const row = await this.db
      .updateTable('rooms')
      .set((eb) => ({ ...toRowChanges(changes), updated_at: now, revision: eb('revision', '+', 1) }))
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .returningAll()
      .executeTakeFirst();
    return row && toRoom(row);
  }

  /**
   * Marks the room as changed. Inside a transaction this also holds the room's row lock until
   * commit, which serializes concurrent writers of the room's dependent rows (metadata).
   * Returns false when the room does not exist.
   */
  async touch(appId: number, roomId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('rooms')
      .set((eb) => ({ updated_at: now, revision: eb('revision', '+', 1) }))
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(appId: number, roomId: string): Promise<Room | undefined> {
    const row = await this.db
      .deleteFrom('rooms')
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await this.db.deleteFrom('room_metadata').where('app_id', '=', appId).where('room_id', '=', roomId).execute();
    return toRoom(row);
  }

  async metadata(appId: number, roomId: string, keys?: string[]): Promise<MetadataEntry[]> {
    let query = this.db
      .selectFrom('room_metadata')
      .select(['key', 'value'])
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId);
    if (keys) query = query.where('key', 'in', keys);
    return query.orderBy('key').execute();
  }

  async upsertMetadata(appId: number, roomId: string, entries: MetadataEntry[]): Promise<void> {
    await this.db
      .insertInto('room_metadata')
      .values(entries.map(({ key, value }) => ({ app_id: appId, room_id: roomId, key, value })))
      .onConflict((c) =>
        c.columns(['app_id', 'room_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }

  /** Deletes the given keys; returns how many existed. */
  async deleteMetadata(appId: number, roomId: string, keys: string[]): Promise<number> {
    const result = await this.db
      .deleteFrom('room_metadata')
      .where('app_id', '=', appId)
      .where('room_id', '=', roomId)
      .where('key', 'in', keys)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}

function toRowChanges(changes: RoomChanges): Partial<RoomRow> {
  const row: Partial<RoomRow> = {};
  if (changes.name !== undefined) row.name = changes.name;
  if (changes.maxMembers !== undefined) row.max_members = changes.maxMembers;
  if (changes.coverUrl !== undefined) row.cover_url = changes.coverUrl;
  if (changes.backgroundUrl !== undefined) row.background_url = changes.backgroundUrl;
  if (changes.messagesDisabled !== undefined) row.messages_disabled = flag(changes.messagesDisabled);
  if (changes.publicVisible !== undefined) row.public_visible = flag(changes.publicVisible);
  if (changes.seatEnabled !== undefined) row.seat_enabled = flag(changes.seatEnabled);
  if (changes.seatMode !== undefined) row.seat_mode = changes.seatMode;
  if (changes.maxSeats !== undefined) row.max_seats = changes.maxSeats;
  if (changes.keepOwnerOnSeat !== undefined) row.keep_owner_on_seat = flag(changes.keepOwnerOnSeat);
  if (changes.unlimitedMembers !== undefined) row.unlimited_members = flag(changes.unlimitedMembers);
  if (changes.categories !== undefined) row.categories = JSON.stringify(changes.categories);
  if (changes.activityStatus !== undefined) row.activity_status = changes.activityStatus;
  if (changes.notice !== undefined) row.notice = changes.notice;
  if (changes.customInfo !== undefined) row.custom_info = changes.customInfo;
  if (changes.giftsEnabled !== undefined) row.gifts_enabled = flag(changes.giftsEnabled);
  return row;
}

function toRoom(row: Selectable<RoomRow>): Room {
  return {
    appId: Number(row.app_id),
    roomId: row.room_id,
    type: row.room_type,
    name: row.name,
    ownerId: row.owner_id,
    maxMembers: row.max_members,
    coverUrl: row.cover_url,
    backgroundUrl: row.background_url,
    messagesDisabled: row.messages_disabled === 1,
    publicVisible: row.public_visible === 1,
    seatEnabled: row.seat_enabled === 1,
    seatMode: row.seat_mode === 'apply' ? 'apply' : 'free',
    maxSeats: row.max_seats,
    seatTemplate: row.seat_template,
    keepOwnerOnSeat: row.keep_owner_on_seat === 1,
    unlimitedMembers: row.unlimited_members === 1,
    categories: JSON.parse(row.categories) as number[],
    activityStatus: row.activity_status,
    notice: row.notice,
    customInfo: row.custom_info,
    giftsEnabled: row.gifts_enabled === 1,
    viewCount: row.view_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
