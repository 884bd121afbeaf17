import { type Static, Type } from '@sinclair/typebox';
import type { Battle } from '../../domain/battles/battle.js';
import type { AdminEvent, LiveEvent, OutboundEvent } from '../../domain/events.js';
import type { Payout, SpinRecord } from '../../domain/freespins/freeSpin.js';
import type { OutboundScope } from '../../domain/outbound.js';
import type { Room, RoomStatistic } from '../../domain/rooms/room.js';
import { TransferView } from './render.js';
import { EpochMs, Nullable } from './schemas.js';

/**
 * Ringside's own events as the admin API shows them as they are (a delivery's payload, the
 * event stream's battles): the schemas of the domain objects they carry. The `satisfies`
 * checks at the end make the compiler hold each schema to its domain type.
 */

export const OutboundScopeView = Type.Union([
  Type.Object({ kind: Type.Literal('app'), appId: Type.Integer({ description: 'a Tencent app (SDKAppID)' }) }),
  Type.Object({ kind: Type.Literal('agent'), agentId: Type.String({ description: 'a JDB agent (parent)' }) }),
  Type.Object({ kind: Type.Literal('client'), clientId: Type.String({ description: 'an OkLetsPlay client id' }) }),
]);

export const outboundTopics = [
  'room.created',
  'room.destroyed',
  'battle.created',
  'battle.started',
  'battle.ended',
  'freespin.payout',
  'freespin.spin',
  'match.created',
  'match.forfeited',
] as const satisfies ReadonlyArray<OutboundEvent['topic']>;

export const OutboundTopic = Type.Union(outboundTopics.map((topic) => Type.Literal(topic)));

export const BattleRecord = Type.Object({
  appId: Type.Integer(),
  battleId: Type.String(),
  fromRoomId: Type.String({ description: 'the caller’s room' }),
  operatorId: Type.String({ description: 'the admin who created it' }),
  durationMs: Type.Integer(),
  extensionInfo: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('ended')]),
  createdAt: EpochMs,
  startedAt: EpochMs,
  endsAt: { ...EpochMs, description: 'when it ends (or ended) by time, Unix epoch milliseconds' },
  endedAt: Type.Optional(EpochMs),
  endReason: Type.Optional(
    Type.Union([Type.Literal('time_up'), Type.Literal('ended_by_admin'), Type.Literal('room_destroyed')]),
  ),
  rooms: Type.Array(
    Type.Object({
      roomId: Type.String(),
      ownerId: Type.String({ description: 'the room’s owner when the battle was created' }),
      score: Type.Integer(),
    }),
    { description: 'the caller’s room first, then the callees that joined' },
  ),
});

const RoomRecord = Type.Object({
  appId: Type.Integer(),
  roomId: Type.String(),
  type: Type.String(),
  name: Type.String(),
  ownerId: Type.String(),
  maxMembers: Type.Integer(),
  coverUrl: Type.String(),
  backgroundUrl: Type.String(),
  messagesDisabled: Type.Boolean(),
  publicVisible: Type.Boolean(),
  seatEnabled: Type.Boolean(),
  seatMode: Type.Union([Type.Literal('free'), Type.Literal('apply')]),
  maxSeats: Type.Integer(),
  seatTemplate: Type.String(),
  keepOwnerOnSeat: Type.Boolean(),
  unlimitedMembers: Type.Boolean(),
  categories: Type.Array(Type.Integer()),
  activityStatus: Type.Integer(),
  notice: Type.String(),
  customInfo: Type.String(),
  giftsEnabled: Type.Boolean(),
  viewCount: Type.Integer(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

const RoomStatisticRecord = Type.Object({
  totalViewers: Type.Integer(),
  totalGiftsSent: Type.Integer(),
  totalGiftCoins: Type.Integer(),
  totalUniqueGiftSenders: Type.Integer(),
  totalLikesReceived: Type.Integer(),
});

const PayoutRecord = Type.Object({
  agent: Type.String(),
  transferId: Type.Integer(),
  eventId: Type.String(),
  uid: Type.String(),
  amount: Type.Number(),
  currency: Type.String(),
  turnover: Type.Number(),
  win: Type.Number(),
  cashoutAt: EpochMs,
});

const SpinRecordView = Type.Object({
  historyId: Type.Integer(),
  agent: Type.String(),
  spinId: Type.String(),
  eventId: Type.String(),
  uid: Type.String(),
  gameId: Type.Integer(),
  gameTypeId: Type.Integer(),
  bet: Type.Number(),
  win: Type.Number(),
  remainingAfter: Type.Integer({ description: 'free spins left after this one' }),
  turnoverAfter: Type.Number(),
  winAfter: Type.Number(),
  playedAt: EpochMs,
});

const battleEvent = <T extends 'battle.created' | 'battle.started' | 'battle.ended'>(topic: T) =>
  Type.Object({ topic: Type.Literal(topic), at: EpochMs, battle: BattleRecord });

/** An outbound event as it was queued: what its receiver is sent (in the receiver's own format). */
export const OutboundEventView = Type.Union(
  [
    battleEvent('battle.created'),
    battleEvent('battle.started'),
    battleEvent('battle.ended'),
    Type.Object({ topic: Type.Literal('room.created'), at: EpochMs, operatorId: Type.String(), room: RoomRecord }),
    Type.Object({
      topic: Type.Literal('room.destroyed'),
      at: EpochMs,
      operatorId: Type.String(),
      room: RoomRecord,
      statistic: RoomStatisticRecord,
      bySystem: Type.Boolean({
        description: 'destroyed by the system rather than by a user (Tencent’s DestroyBySystem)',
      }),
    }),
    Type.Object({ topic: Type.Literal('freespin.payout'), at: EpochMs, payout: PayoutRecord }),
    Type.Object({
      topic: Type.Literal('freespin.spin'),
      at: EpochMs,
      spin: SpinRecordView,
      currency: Type.String(),
      eventName: Type.String(),
    }),
    Type.Object({ topic: Type.Literal('match.created'), at: EpochMs, clientId: Type.String(), matchId: Type.String() }),
    Type.Object({
      topic: Type.Literal('match.forfeited'),
      at: EpochMs,
      clientId: Type.String(),
      matchId: Type.String(),
      teamId: Type.String(),
    }),
    // A row queued by an older Ringside may lack a field added since: it is shown as stored
    // rather than refused by the serializer (a 500 on the whole delivery listing).
    Type.Object(
      { topic: OutboundTopic, at: EpochMs },
      { additionalProperties: true, description: 'an event queued by an earlier version, as stored' },
    ),
  ],
  { description: 'the event as queued, by topic' },
);

/** The `data` of each event of the admin event stream (`GET /events`), by its `type` (the SSE `event` field). */
export const StreamEventView = Type.Union([
  Type.Object({ type: Type.Literal('battle.started'), at: EpochMs, battle: BattleRecord }),
  Type.Object({
    type: Type.Literal('battle.scores'),
    at: EpochMs,
    appId: Type.Integer(),
    battleId: Type.String(),
    scores: Type.Array(Type.Object({ roomId: Type.String(), score: Type.Integer(), ownerId: Type.String() })),
  }),
  Type.Object({ type: Type.Literal('battle.ended'), at: EpochMs, battle: BattleRecord }),
  Type.Object({
    type: Type.Literal('delivery.state'),
    at: EpochMs,
    delivery: Type.Object({
      id: Type.Integer(),
      topic: OutboundTopic,
      scope: OutboundScopeView,
      status: Type.Union([
        Type.Literal('pending'),
        Type.Literal('delivered'),
        Type.Literal('dead'),
        Type.Literal('cancelled'),
      ]),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      nextAttemptAt: Nullable(EpochMs),
      requeuedBy: Nullable(Type.Union([Type.Literal('retry'), Type.Literal('replay')])),
    }),
  }),
  Type.Object({ type: Type.Literal('ledger.transfer'), at: EpochMs, transfer: TransferView }),
]);

/** Compiles only where A is assignable to B. */
type Fits<A extends B, B> = A;
/** The fields one of A and B names and the other does not (a view must name the same as its domain type). */
type OddFields<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;
type DeliveryStateView = Extract<Static<typeof StreamEventView>, { type: 'delivery.state' }>['delivery'];

// The compiler holds the schemas to the domain types they show.
export type OutboundViewsFitTheDomain = [
  Fits<OutboundEvent, Static<typeof OutboundEventView>>,
  Fits<OutboundScope, Static<typeof OutboundScopeView>>,
  Fits<Exclude<LiveEvent | AdminEvent, { type: 'ledger.transfer' }>, Static<typeof StreamEventView>>,
  Fits<OddFields<Extract<AdminEvent, { type: 'delivery.state' }>['delivery'], DeliveryStateView>, never>,
  Fits<Static<typeof OutboundScopeView>, OutboundScope>,
  Fits<OddFields<Battle, Static<typeof BattleRecord>>, never>,
  Fits<OddFields<Battle['rooms'][number], Static<typeof BattleRecord>['rooms'][number]>, never>,
  Fits<OddFields<Room, Static<typeof RoomRecord>>, never>,
  Fits<OddFields<RoomStatistic, Static<typeof RoomStatisticRecord>>, never>,
  Fits<OddFields<Payout, Static<typeof PayoutRecord>>, never>,
  Fits<OddFields<SpinRecord, Static<typeof SpinRecordView>>, never>,
];
