import { Type } from '@sinclair/typebox';
import type { TencentApp } from '../../../config/schema.js';
import { type Battle, battleHistory } from '../../../domain/battles/battle.js';
import type { BattleService } from '../../../domain/battles/battleService.js';
import type { Room } from '../../../domain/rooms/room.js';
import type { RoomService } from '../../../domain/rooms/roomService.js';
import { booleanOf, booleanQuery, timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';
import { configuredApp, sdkAppIdParam } from './tenants.js';

/** Room ids are at most 48 bytes (create_room's limit). */
const roomId = Type.String({ minLength: 1, maxBytes: 48 });
/** Battle ids are Ringside's own: 44 base64 characters (percent-encode `/`, `+`, `=` in a path). */
const battleId = Type.String({ minLength: 1, maxLength: 64 });
/** A room's battles shown with the room; the rest are listed by `GET /tencent/battles?roomId=`. */
const BATTLES_WITH_ROOM = 10;

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
      summary: `A room with its metadata, gift totals and its ${BATTLES_WITH_ROOM} newest battles`,
      params: Type.Object({ sdkAppId: sdkAppIdParam, roomId }),
      async handle({ params }) {
        const app = configuredApp(apps, params.sdkAppId);
        const { room, metadata, gifts } = await rooms.details(app.sdkAppId, params.roomId);
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
      async handle({ params }) {
        const app = configuredApp(apps, params.sdkAppId);
        const battle = await battles.get(app.sdkAppId, params.battleId);
        return { battle: renderBattle(battle), history: battleHistory(battle) };
      },
    }),
  ];
}

function renderRoom(room: Room) {
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

function renderBattle(battle: Battle) {
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
