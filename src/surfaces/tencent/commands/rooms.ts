import { Type } from '@sinclair/typebox';
import type { RoomChanges, SeatMode } from '../../../domain/rooms/room.js';
import { defineCommand, perSecond } from '../command.js';
import { renderRoomInfo, renderStatistic, seconds } from '../render.js';
import { TencentCode } from '../errorCodes.js';
import { roomId } from '../fields.js';

/** Rooms and room metadata: `v4/live_engine_http_srv/*`. */

const SERVICE = 'live_engine_http_srv';
const MAX_INT32 = 2147483647;

const account = Type.String({ minLength: 1, maxBytes: 32 });
const flag = Type.Boolean();
const count = (max: number) => Type.Integer({ minimum: 0, maximum: max });
// A string in create_room's doc, an integer (1 free, 2 apply) in get_room_info's: take either.
const takeSeatModes = ['FreeToTake', 'ApplyToTake', 1, 2] as const;
const takeSeatMode = Type.Unsafe<(typeof takeSeatModes)[number]>({ enum: [...takeSeatModes] });
const seatTemplates = [
  'VideoDynamicGrid9Seats',
  'VideoDynamicFloat7Seats',
  'VideoFixedGrid9Seats',
  'VideoFixedFloat7Seats',
  'VideoLandscape4Seat',
  'AudioSalon',
  'Karaoke',
];

/** The fields of RoomInfo that update_room_info may change (create_room takes them too). */
const changeableFields = {
  RoomName: Type.Optional(Type.String({ maxBytes: 100 })),
  MaxMemberCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  CoverURL: Type.Optional(Type.String({ maxBytes: 200 })),
  BackgroundURL: Type.Optional(Type.String({ maxBytes: 200 })),
  IsMessageDisabled: Type.Optional(flag),
  IsPublicVisible: Type.Optional(flag),
  IsSeatEnabled: Type.Optional(flag),
  TakeSeatMode: Type.Optional(takeSeatMode),
  MaxSeatCount: Type.Optional(count(100)),
  KeepOwnerOnSeat: Type.Optional(flag),
  IsUnlimitedRoomEnabled: Type.Optional(flag),
  Category: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: MAX_INT32 }), { maxItems: 3 })),
  ActivityStatus: Type.Optional(count(MAX_INT32)),
  Notice: Type.Optional(Type.String({ maxBytes: 100 })),
  CustomInfo: Type.Optional(Type.String({ maxBytes: 2048 })),
  IsGiftEnabled: Type.Optional(flag),
};

const CreateRoomBody = Type.Object({
  RoomInfo: Type.Object({
    RoomId: roomId,
    RoomType: Type.Literal('Live'),
    Owner_Account: Type.Optional(account),
    SeatTemplate: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: seatTemplates })),
    ...changeableFields,
  }),
});

const UpdateRoomBody = Type.Object({ RoomInfo: Type.Object({ RoomId: roomId, ...changeableFields }) });
const RoomIdBody = Type.Object({ RoomId: roomId });
const RoomListBody = Type.Object({
  Next: Type.Optional(Type.String({ maxBytes: 512 })),
  Count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  SortDirection: Type.Optional(Type.Integer()),
});
const metadataKey = Type.String({ maxBytes: 1024 });
const SetMetadataBody = Type.Object({
  RoomId: roomId,
  Metadata: Type.Array(Type.Object({ Key: metadataKey, Value: Type.String({ maxBytes: 65536 }) }), {
    minItems: 1,
    maxItems: 100,
  }),
});
const GetMetadataBody = Type.Object({
  RoomId: roomId,
  Keys: Type.Optional(Type.Array(metadataKey, { maxItems: 100 })),
});
const DelMetadataBody = Type.Object({ RoomId: roomId, Keys: Type.Array(metadataKey, { minItems: 1, maxItems: 100 }) });

type WireChanges = { [K in keyof typeof changeableFields]?: unknown };

function toChanges(info: WireChanges): RoomChanges {
  const changes: RoomChanges = {};
  if (info.RoomName !== undefined) changes.name = info.RoomName as string;
  if (info.MaxMemberCount !== undefined) changes.maxMembers = info.MaxMemberCount as number;
  if (info.CoverURL !== undefined) changes.coverUrl = info.CoverURL as string;
  if (info.BackgroundURL !== undefined) changes.backgroundUrl = info.BackgroundURL as string;
  if (info.IsMessageDisabled !== undefined) changes.messagesDisabled = info.IsMessageDisabled as boolean;
  if (info.IsPublicVisible !== undefined) changes.publicVisible = info.IsPublicVisible as boolean;
  if (info.IsSeatEnabled !== undefined) changes.seatEnabled = info.IsSeatEnabled as boolean;
  if (info.TakeSeatMode !== undefined) changes.seatMode = toSeatMode(info.TakeSeatMode as string | number);
  if (info.MaxSeatCount !== undefined) changes.maxSeats = info.MaxSeatCount as number;
  if (info.KeepOwnerOnSeat !== undefined) changes.keepOwnerOnSeat = info.KeepOwnerOnSeat as boolean;
  if (info.IsUnlimitedRoomEnabled !== undefined) changes.unlimitedMembers = info.IsUnlimitedRoomEnabled as boolean;
  if (info.Category !== undefined) changes.categories = info.Category as number[];
  if (info.ActivityStatus !== undefined) changes.activityStatus = info.ActivityStatus as number;
  if (info.Notice !== undefined) changes.notice = info.Notice as string;
  if (info.CustomInfo !== undefined) changes.customInfo = info.CustomInfo as string;
  if (info.IsGiftEnabled !== undefined) changes.giftsEnabled = info.IsGiftEnabled as boolean;
  return changes;
}

function toSeatMode(mode: string | number): SeatMode {
  return mode === 'ApplyToTake' || mode === 2 ? 'apply' : 'free';
}

export const roomCommands = [
  defineCommand({
    path: `${SERVICE}/create_room`,
    rate: perSecond(200),
    keyedRate: { rate: perSecond(1, TencentCode.keyRateLimited), key: (body) => body.RoomInfo.RoomId },
    body: CreateRoomBody,
    async run({ app, identifier, services }, { RoomInfo: info }) {
      const room = await services.rooms.create(
        app.sdkAppId,
        {
          ...toChanges(info),
          roomId: info.RoomId,
          type: info.RoomType,
          ownerId: info.Owner_Account ?? identifier,
          ...(info.SeatTemplate !== undefined ? { seatTemplate: info.SeatTemplate } : {}),
        },
        identifier,
      );
      return { Response: { RoomId: room.roomId } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/destroy_room`,
    rate: perSecond(200),
    body: RoomIdBody,
    async run({ app, identifier, services }, { RoomId }) {
      const { statistic } = await services.rooms.destroy(app.sdkAppId, RoomId, identifier);
      return { Response: { Statistic: renderStatistic(statistic) } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_room_info`,
    rate: perSecond(200),
    body: RoomIdBody,
    async run({ app, services }, { RoomId }) {
      const room = await services.rooms.get(app.sdkAppId, RoomId);
      return { Response: { RoomInfo: renderRoomInfo(room) } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_room_list`,
    rate: perSecond(10),
    body: RoomListBody,
    async run({ app, services }, { Next, Count }) {
      const page = await services.rooms.list(app.sdkAppId, Next ?? '', Count ?? 20);
      return {
        Response: {
          Next: page.next,
          RoomList: page.rooms.map((room) => ({
            RoomId: room.roomId,
            RoomName: room.name,
            Owner_Account: room.ownerId,
            CoverURL: room.coverUrl,
            Category: room.categories,
            CreateTime: seconds(room.createdAt),
            ActivityStatus: room.activityStatus,
            ViewCount: room.viewCount,
            IsPublicVisible: room.publicVisible,
          })),
        },
      };
    },
  }),
  defineCommand({
    path: `${SERVICE}/update_room_info`,
    rate: perSecond(200),
    body: UpdateRoomBody,
    async run({ app, services }, { RoomInfo: info }) {
      await services.rooms.update(app.sdkAppId, info.RoomId, toChanges(info));
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/set_room_metadata`,
    rate: perSecond(200),
    body: SetMetadataBody,
    async run({ app, services }, { RoomId, Metadata }) {
      await services.rooms.setMetadata(
        app.sdkAppId,
        RoomId,
        Metadata.map(({ Key, Value }) => ({ key: Key, value: Value })),
      );
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_room_metadata`,
    rate: perSecond(200),
    body: GetMetadataBody,
    async run({ app, services }, { RoomId, Keys }) {
      const entries = await services.rooms.getMetadata(app.sdkAppId, RoomId, Keys ?? []);
      return { Response: { Metadata: entries.map(({ key, value }) => ({ Key: key, Value: value })) } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_room_metadata`,
    rate: perSecond(200),
    body: DelMetadataBody,
    async run({ app, services }, { RoomId, Keys }) {
      await services.rooms.deleteMetadata(app.sdkAppId, RoomId, Keys);
      return undefined;
    },
  }),
];
