import type { Clock } from '../../platform/clock.js';
import { utf8Length } from '../../platform/bytes.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import type { GiftTotals, SenderTotals } from '../gifts/gift.js';
import type { BattleService } from '../battles/battleService.js';
import type { LiveEventPublisher, OutboundSubscriptions } from '../events.js';
import { appScope, recordOutbound } from '../outbound.js';
import {
  type MetadataEntry,
  type NewRoom,
  type Room,
  type RoomChanges,
  type RoomFilter,
  type RoomStatistic,
  metadataLimits,
  roomListMaxPage,
} from './room.js';

export interface RoomPage {
  rooms: Room[];
  /** Cursor for the next page; empty when this page is the last. */
  next: string;
}

/** Live rooms of an app: lifecycle, listing and per-room metadata. */
export class RoomService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly battles: BattleService,
    private readonly live: LiveEventPublisher,
    private readonly outbound: OutboundSubscriptions,
  ) {}

  async create(appId: number, input: NewRoom & { name?: string }, operatorId: string): Promise<Room> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const room = await tx.rooms.insert(appId, { ...input, name: input.name || input.roomId }, now);
      if (!room) throw new DomainError('room_exists', `room ${input.roomId} already exists`);
      if (this.outbound.wants(appId, 'room.created')) {
        await recordOutbound(tx, appScope(appId), { topic: 'room.created', at: now, operatorId, room });
      }
      return room;
    });
  }

  async get(appId: number, roomId: string): Promise<Room> {
    return orNotFound(await this.store.rooms.find(appId, roomId), roomId);
  }

  async list(appId: number, cursor: string, count: number = roomListMaxPage): Promise<RoomPage> {
    if (!Number.isInteger(count) || count < 1 || count > roomListMaxPage) {
      throw invalidParameter(`count must be an integer from 1 to ${roomListMaxPage}`, 'count');
    }
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rooms = await this.store.rooms.page(appId, count + 1, after);
    const hasMore = rooms.length > count;
    const page = hasMore ? rooms.slice(0, count) : rooms;
    const last = page.at(-1);
    return { rooms: page, next: hasMore && last ? encodeCursor(last) : '' };
  }

  /** Rooms for operators, newest first: `limit + 1` after `after` (the extra one says there are more). */
  async browse(appId: number, filter: RoomFilter, after: PageKey | undefined, limit: number): Promise<Room[]> {
    return this.store.rooms.list(appId, filter, after, limit);
  }

  /**
   * A room with every metadata entry, its gift totals (zero before the first gift) and its
   * `topSenders` biggest senders by coins.
   */
  async details(
    appId: number,
    roomId: string,
    topSenders: number,
  ): Promise<{ room: Room; metadata: MetadataEntry[]; gifts: GiftTotals; topSenders: SenderTotals[] }> {
    const room = await this.get(appId, roomId);
    const [metadata, gifts, senders] = await Promise.all([
      this.store.rooms.metadata(appId, roomId),
      this.store.giftSends.roomTotals(appId, roomId),
      this.store.giftSends.topSenders(appId, roomId, topSenders),
    ]);
    return {
      room,
      metadata,
      gifts: gifts ?? { sequence: 0, totalCount: 0, totalCoins: 0, senderCount: 0 },
      topSenders: senders,
    };
  }

  async update(appId: number, roomId: string, changes: RoomChanges): Promise<Room> {
    return orNotFound(await this.store.rooms.update(appId, roomId, changes, this.clock.now()), roomId);
  }

  /** Destroys the room with its metadata, ending the battle it is in. */
  async destroy(appId: number, roomId: string, operatorId: string): Promise<{ room: Room; statistic: RoomStatistic }> {
    const now = this.clock.now();
    const result = await this.store.transaction(async (tx) => {
      const room = orNotFound(await tx.rooms.delete(appId, roomId), roomId);
      const endedBattle = await this.battles.endBattleOfRoom(tx, appId, roomId, now);
      const gifts = await tx.giftSends.deleteRoomTotals(appId, roomId);
      const statistic: RoomStatistic = {
        totalViewers: room.viewCount,
        totalGiftsSent: gifts?.totalCount ?? 0,
        totalGiftCoins: gifts?.totalCoins ?? 0,
        totalUniqueGiftSenders: gifts?.senderCount ?? 0,
        totalLikesReceived: 0,
      };
      if (this.outbound.wants(appId, 'room.destroyed')) {
        await recordOutbound(tx, appScope(appId), {
          topic: 'room.destroyed',
          at: now,
          operatorId,
          room,
          statistic,
          bySystem: false,
        });
      }
      return { room, statistic, endedBattle };
    });
    if (result.endedBattle) this.live.publish({ type: 'battle.ended', at: now, battle: result.endedBattle });
    return { room: result.room, statistic: result.statistic };
  }

  /**
   * Adds or replaces the given keys; all or nothing, within the metadata limits. Errors about
   * one entry name it as `metadata[i].key` or `metadata[i].value` (`DomainError.field`).
   */
  async setMetadata(appId: number, roomId: string, entries: MetadataEntry[]): Promise<void> {
    if (entries.length === 0) throw invalidParameter('metadata must not be empty', 'metadata');
    const seen = new Set<string>();
    entries.forEach(({ key, value }, i) => {
      const keyField = `metadata[${i}].key`;
      if (key === '') throw invalidParameter(`${keyField} must not be empty`, keyField);
      if (seen.has(key)) {
        throw invalidParameter(`${keyField} must not repeat a key: "${key}" appears more than once`, keyField);
      }
      seen.add(key);
      if (utf8Length(key) > metadataLimits.maxKeyBytes) {
        throw new DomainError(
          'metadata_key_too_large',
          `${keyField} must be at most ${metadataLimits.maxKeyBytes} bytes in UTF-8`,
          { field: keyField },
        );
      }
      if (utf8Length(value) > metadataLimits.maxValueBytes) {
        const valueField = `metadata[${i}].value`;
        throw new DomainError(
          'metadata_value_too_large',
          `${valueField} must be at most ${metadataLimits.maxValueBytes} bytes in UTF-8`,
          { field: valueField },
        );
      }
    });
    await this.store.transaction(async (tx) => {
      if (!(await tx.rooms.touch(appId, roomId, this.clock.now()))) throw roomNotFound(roomId);
      await tx.rooms.upsertMetadata(appId, roomId, entries);
      const all = await tx.rooms.metadata(appId, roomId);
      if (all.length > metadataLimits.maxKeys) {
        throw new DomainError('metadata_too_many_keys', `a room holds at most ${metadataLimits.maxKeys} metadata keys`);
      }
      const total = all.reduce((sum, entry) => sum + utf8Length(entry.value), 0);
      if (total > metadataLimits.maxTotalValueBytes) {
        throw new DomainError(
          'metadata_total_too_large',
          `a room's metadata values total at most ${metadataLimits.maxTotalValueBytes} bytes`,
        );
      }
    });
  }

  /** The given keys that exist, or every key when `keys` is empty. */
  async getMetadata(appId: number, roomId: string, keys: string[]): Promise<MetadataEntry[]> {
    await this.get(appId, roomId);
    return this.store.rooms.metadata(appId, roomId, keys.length > 0 ? keys : undefined);
  }

  async deleteMetadata(appId: number, roomId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) throw invalidParameter('keys must not be empty', 'keys');
    await this.store.transaction(async (tx) => {
      if (!(await tx.rooms.touch(appId, roomId, this.clock.now()))) throw roomNotFound(roomId);
      const deleted = await tx.rooms.deleteMetadata(appId, roomId, [...new Set(keys)]);
      if (deleted === 0)
        throw new DomainError('metadata_keys_not_found', 'none of the keys exist in the room metadata');
    });
  }
}

function roomNotFound(roomId: string): DomainError {
  return new DomainError('room_not_found', `room ${roomId} does not exist`);
}

function orNotFound<T>(value: T | undefined, roomId: string): T {
  if (value === undefined) throw roomNotFound(roomId);
  return value;
}

function encodeCursor(room: Room): string {
  return Buffer.from(JSON.stringify([room.viewCount, room.roomId])).toString('base64url');
}

function decodeCursor(cursor: string): { viewCount: number; roomId: string } {
  try {
    const [viewCount, roomId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(viewCount) && typeof roomId === 'string')
      return { viewCount: viewCount as number, roomId };
  } catch {
    // fall through to the error below
  }
  throw invalidParameter('cursor must be empty or a cursor this server returned', 'cursor');
}
