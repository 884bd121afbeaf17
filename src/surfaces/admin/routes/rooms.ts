import { type Static, Type } from '@sinclair/typebox';
import type { TencentApp } from '../../../config/schema.js';
import { type Battle, battleHistory } from '../../../domain/battles/battle.js';
import type { BattleService } from '../../../domain/battles/battleService.js';
import type { Room } from '../../../domain/rooms/room.js';
import type { RoomService } from '../../../domain/rooms/roomService.js';
import { BattleRecord } from '../eventSchemas.js';
import { exampleNames as ex } from '../examples.js';
import { booleanOf, booleanQuery, timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs, Nullable, Page } from '../schemas.js';
import { configuredApp, sdkAppIdParam } from './tenants.js';

/** Room ids are at most 48 bytes (create_room's limit). */
const roomId = Type.String({ minLength: 1, maxBytes: 48 });
/** Battle ids are Ringside's own: 44 base64 characters (percent-encode `/`, `+`, `=` in a path). */
const battleId = Type.String({ minLength: 1, maxLength: 64 });
/** A room's battles shown with the room; the rest are listed by `GET /tencent/battles?roomId=`. */
const BATTLES_WITH_ROOM = 10;
/** A second gift sender of the example room. */
const FAN_TWO = 'viewer-dora';
/** The biggest gift senders shown with a room. */
const TOP_SENDERS = 10;

const RoomView = Type.Object({
  sdkAppId: Type.Integer({ description: 'the Tencent app (SDKAppID)' }),
  roomId: Type.String(),
  type: Type.String({ description: "Tencent's RoomType (`Live`)" }),
  name: Type.String(),
  ownerId: Type.String(),
  maxMembers: Type.Integer(),
  coverUrl: Type.String({ description: 'empty when none is set' }),
  backgroundUrl: Type.String({ description: 'empty when none is set' }),
  messagesDisabled: Type.Boolean(),
  publicVisible: Type.Boolean(),
  seatEnabled: Type.Boolean(),
  seatMode: Type.Union([Type.Literal('free'), Type.Literal('apply')], {
    description: 'free: members take a seat; apply: the owner approves',
  }),
  maxSeats: Type.Integer(),
  seatTemplate: Type.String({ description: "Tencent's seat layout name, or empty" }),
  keepOwnerOnSeat: Type.Boolean(),
  unlimitedMembers: Type.Boolean(),
  categories: Type.Array(Type.Integer(), { description: "the app's own category numbers" }),
  activityStatus: Type.Integer({ description: "the app's own status number" }),
  notice: Type.String(),
  customInfo: Type.String({ description: "the app's own text" }),
  giftsEnabled: Type.Boolean({ description: 'whether gifts may be sent into the room' }),
  viewCount: Type.Integer(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

function renderRoom(room: Room): Static<typeof RoomView> {
  return {
    sdkAppId: room.appId,
    roomId: room.roomId,
    type: room.type,
    name: room.name,
    ownerId: room.ownerId,
    maxMembers: room.maxMembers,
    coverUrl: room.coverUrl,
    backgroundUrl: room.backgroundUrl,
    messagesDisabled: room.messagesDisabled,
    publicVisible: room.publicVisible,
    seatEnabled: room.seatEnabled,
    seatMode: room.seatMode,
    maxSeats: room.maxSeats,
    seatTemplate: room.seatTemplate,
    keepOwnerOnSeat: room.keepOwnerOnSeat,
    unlimitedMembers: room.unlimitedMembers,
    categories: room.categories,
    activityStatus: room.activityStatus,
    notice: room.notice,
    customInfo: room.customInfo,
    giftsEnabled: room.giftsEnabled,
    viewCount: room.viewCount,
    createdAt: room.createdAt,
    updatedAt: room.updatedAt,
  };
}

/** A battle's room and its score (as the event stream shows them too). */
const BattleRoomView = BattleRecord.properties.rooms.items;

const EndReason = Type.Union([Type.Literal('time_up'), Type.Literal('ended_by_admin'), Type.Literal('room_destroyed')]);

const BattleView = Type.Object({
  sdkAppId: Type.Integer({ description: 'the Tencent app (SDKAppID)' }),
  battleId: Type.String(),
  fromRoomId: Type.String({ description: "the caller's room" }),
  operatorId: Type.String({ description: 'the admin who created it' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('ended')], {
    description: 'a battle past its end time is ended, even before the expiry job marks it',
  }),
  durationMs: Type.Integer({ description: 'milliseconds' }),
  extensionInfo: Type.String({ description: "the app's own text, or empty" }),
  createdAt: EpochMs,
  startedAt: EpochMs,
  endsAt: Type.Integer({ minimum: 0, description: 'when the battle ends (or ended) by time: Unix epoch milliseconds' }),
  endedAt: Nullable(EpochMs),
  endReason: Nullable(EndReason),
  rooms: Type.Array(BattleRoomView, { description: "the scoreboard: the caller's room first" }),
});

function renderBattle(battle: Battle): Static<typeof BattleView> {
  return {
    sdkAppId: battle.appId,
    battleId: battle.battleId,
    fromRoomId: battle.fromRoomId,
    operatorId: battle.operatorId,
    status: battle.status,
    durationMs: battle.durationMs,
    extensionInfo: battle.extensionInfo,
    createdAt: battle.createdAt,
    startedAt: battle.startedAt,
    endsAt: battle.endsAt,
    endedAt: battle.endedAt ?? null,
    endReason: battle.endReason ?? null,
    rooms: battle.rooms.map((r) => ({ roomId: r.roomId, ownerId: r.ownerId, score: r.score })),
  };
}

/** What happened to a battle, oldest first (`battleHistory`). */
const BattleHistoryView = Type.Array(
  Type.Union([
    Type.Object({
      type: Type.Literal('created'),
      at: EpochMs,
      operatorId: Type.String(),
      rooms: Type.Array(Type.String(), { description: 'room ids, the caller first' }),
      endsAt: EpochMs,
    }),
    Type.Object({ type: Type.Literal('started'), at: EpochMs }),
    Type.Object({
      type: Type.Literal('ended'),
      at: EpochMs,
      reason: EndReason,
      scores: Type.Array(BattleRoomView),
    }),
  ]),
);

const RoomDetails = Type.Object({
  room: RoomView,
  metadata: Type.Array(Type.Object({ key: Type.String(), value: Type.String() }), { description: 'by key' }),
  gifts: Type.Object(
    {
      sends: Type.Integer({ description: 'sends into the room' }),
      count: Type.Integer({ description: 'gifts sent (a send carries a count)' }),
      coins: Type.Integer({ description: 'their value: coins × count, summed' }),
      senders: Type.Integer({ description: 'distinct senders' }),
    },
    { description: 'gift totals since the room was created (zero before the first gift)' },
  ),
  topSenders: Type.Array(
    Type.Object({
      senderId: Type.String({ description: 'the From_Account of the sends' }),
      count: Type.Integer({ description: 'gifts sent into the room' }),
      coins: Type.Integer({ description: 'their value: coins × count, summed' }),
    }),
    {
      description: `the room's ${TOP_SENDERS} biggest gift senders by coins, biggest first (ties: more gifts, then by id)`,
    },
  ),
  battles: Type.Array(BattleView, { description: `the room's ${BATTLES_WITH_ROOM} newest battles, newest first` }),
});

const exampleRoom: Static<typeof RoomView> = {
  sdkAppId: ex.sdkAppId,
  roomId: ex.room,
  type: 'Live',
  name: 'Anna plays late',
  ownerId: ex.owner,
  maxMembers: 100000,
  coverUrl: 'https://cdn.example.com/rooms/live-room-1/cover.jpg',
  backgroundUrl: '',
  messagesDisabled: false,
  publicVisible: true,
  seatEnabled: true,
  seatMode: 'apply',
  maxSeats: 9,
  seatTemplate: 'VideoDynamicGrid9Seats',
  keepOwnerOnSeat: true,
  unlimitedMembers: false,
  categories: [1],
  activityStatus: 0,
  notice: 'PK at 9 pm',
  customInfo: '',
  giftsEnabled: true,
  viewCount: 1284,
  createdAt: ex.at,
  updatedAt: ex.at + 60_000,
};

const exampleBattle: Static<typeof BattleView> = {
  sdkAppId: ex.sdkAppId,
  battleId: 'xAqSg3Lej5fOalgIVI0RxGIh29h9zFTcyKvHJpAdJlA=',
  fromRoomId: ex.room,
  operatorId: 'administrator',
  status: 'running',
  durationMs: 300_000,
  extensionInfo: '',
  createdAt: ex.at + 120_000,
  startedAt: ex.at + 120_000,
  endsAt: ex.at + 420_000,
  endedAt: null,
  endReason: null,
  rooms: [
    { roomId: ex.room, ownerId: ex.owner, score: 150 },
    { roomId: ex.otherRoom, ownerId: 'host-carl', score: 90 },
  ],
};

/** Rooms and PK battles of the Tencent apps, for operators. */
export function roomRoutes(apps: readonly TencentApp[], rooms: RoomService, battles: BattleService) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps/:sdkAppId/rooms',
      summary: 'Rooms of an app, newest first; filters: ownerId, inBattle',
      params: Type.Object({ sdkAppId: sdkAppIdParam }),
      query: Type.Object({
        ...pageQuery,
        ownerId: Type.Optional(Type.String({ minLength: 1 })),
        inBattle: booleanQuery,
      }),
      response: json(Page(RoomView)),
      errors: ['not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        query: { ownerId: ex.owner, inBattle: 'false', limit: '20' },
        response: { items: [exampleRoom], nextCursor: null },
      },
      async handle({ params, query }) {
        const app = configuredApp(apps, params.sdkAppId);
        const request = pageRequest(query);
        const filter = { ownerId: query.ownerId, inBattle: booleanOf(query.inBattle) };
        const rows = await rooms.browse(app.sdkAppId, filter, request.after, request.limit);
        return page(rows, request, (r) => ({ at: r.createdAt, id: r.roomId }), renderRoom);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps/:sdkAppId/rooms/:roomId',
      summary: `A room with its metadata, gift totals, its ${TOP_SENDERS} top gift senders and its ${BATTLES_WITH_ROOM} newest battles`,
      params: Type.Object({ sdkAppId: sdkAppIdParam, roomId }),
      response: json(RoomDetails),
      errors: ['not_found', 'room_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), roomId: ex.room },
        response: {
          room: exampleRoom,
          metadata: [{ key: 'theme', value: 'night' }],
          gifts: { sends: 42, count: 57, coins: 1420, senders: 12 },
          topSenders: [
            { senderId: ex.viewer, count: 12, coins: 600 },
            { senderId: FAN_TWO, count: 20, coins: 100 },
          ],
          battles: [exampleBattle],
        },
      },
      async handle({ params }) {
        const app = configuredApp(apps, params.sdkAppId);
        const { room, metadata, gifts, topSenders } = await rooms.details(app.sdkAppId, params.roomId, TOP_SENDERS);
        const recent = await battles.browse({ appId: app.sdkAppId, roomId: room.roomId }, undefined, BATTLES_WITH_ROOM);
        return {
          room: renderRoom(room),
          metadata,
          gifts: {
            sends: gifts.sequence,
            count: gifts.totalCount,
            coins: gifts.totalCoins,
            senders: gifts.senderCount,
          },
          topSenders: topSenders.map((s) => ({ senderId: s.senderId, count: s.totalCount, coins: s.totalCoins })),
          battles: recent.slice(0, BATTLES_WITH_ROOM).map(renderBattle),
        };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/battles',
      summary: 'Battles, newest first; filters: sdkAppId, roomId, status (running, ended), from/to (creation time)',
      query: Type.Object({
        ...pageQuery,
        ...timeRangeQuery,
        sdkAppId: Type.Optional(sdkAppIdParam),
        roomId: Type.Optional(roomId),
        status: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('ended')])),
      }),
      response: json(Page(BattleView)),
      errors: ['not_found'],
      example: {
        query: { sdkAppId: String(ex.sdkAppId), roomId: ex.room, status: 'running' },
        response: { items: [exampleBattle], nextCursor: null },
      },
      async handle({ query }) {
        const appId = query.sdkAppId === undefined ? undefined : configuredApp(apps, query.sdkAppId).sdkAppId;
        const request = pageRequest(query);
        const filter = { appId, roomId: query.roomId, status: query.status, ...timeRange(query) };
        const rows = await battles.browse(filter, request.after, request.limit);
        return page(rows, request, (b) => ({ at: b.createdAt, id: b.battleId }), renderBattle);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps/:sdkAppId/battles/:battleId',
      summary: 'A battle with its scores and its history (created, started, ended with the reason)',
      params: Type.Object({ sdkAppId: sdkAppIdParam, battleId }),
      response: json(Type.Object({ battle: BattleView, history: BattleHistoryView })),
      errors: ['not_found', 'battle_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), battleId: exampleBattle.battleId },
        response: {
          battle: exampleBattle,
          history: [
            {
              type: 'created',
              at: exampleBattle.createdAt,
              operatorId: exampleBattle.operatorId,
              rooms: [ex.room, ex.otherRoom],
              endsAt: exampleBattle.endsAt,
            },
            { type: 'started', at: exampleBattle.startedAt },
          ],
        },
      },
      async handle({ params }) {
        const app = configuredApp(apps, params.sdkAppId);
        const battle = await battles.get(app.sdkAppId, params.battleId);
        return { battle: renderBattle(battle), history: battleHistory(battle) };
      },
    }),
  ];
}
