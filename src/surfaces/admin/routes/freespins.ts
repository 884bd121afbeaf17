import { type Static, Type } from '@sinclair/typebox';
import type { FreeSpinBrowser } from '../../../domain/freespins/browseService.js';
import type { FreeSpinEventService } from '../../../domain/freespins/eventService.js';
import {
  type EventStatus,
  type FreeSpinEvent,
  type Grant,
  payoutTransferId,
  type SpinRecord,
} from '../../../domain/freespins/freeSpin.js';
import type { FreeSpinPlayerService } from '../../../domain/freespins/playerService.js';
import type { SpinResult, SpinService } from '../../../domain/freespins/spinService.js';
import { formatThousandths, parseThousandths } from '../../../platform/decimal.js';
import { adminRefusals } from '../errorCodes.js';
import { exampleNames as ex } from '../examples.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs, JdbAmount, Nullable, Page } from '../schemas.js';

/** An event of the examples (JDB event ids are 15 digits), and a second player of it. */
const exampleEventId = '184512345678901';
const otherPlayer = 'player-2';

const eventStatuses = ['inactive', 'active', 'expired', 'terminated'] as const satisfies readonly EventStatus[];

const SpinAnswer = Type.Object({
  historyId: Type.Integer({ description: "the spin's id in the player's spin history" }),
  spinId: Type.String({ description: "the game server's id for the spin (Ringside's when none was given)" }),
  eventId: Type.String(),
  uid: Type.String(),
  mType: Type.Integer(),
  bet: JdbAmount,
  win: JdbAmount,
  remaining: Type.Integer({ description: 'free spins the player has left in the event' }),
  accumulatedTurnover: JdbAmount,
  accumulatedWin: JdbAmount,
  cashout: Type.Optional(
    Type.Object(
      {
        amount: JdbAmount,
        transferId: Type.Integer({ description: "the payout's transferId (Action 16), paid when amount is positive" }),
      },
      { description: "present when this spin used the player's last one and so fixed the cashout" },
    ),
  ),
});

/** Free-spin players and spins (the parts of JDB's free spins that JDB's API leaves to JDB itself). */
export function freeSpinRoutes(services: { players: FreeSpinPlayerService; spins: SpinService }) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/jdb/players',
      summary: 'Create JDB players of an agent (up to 50,000 per call); existing ones are listed back',
      body: Type.Object({
        parent: Type.String({ minLength: 1, maxBytes: 50 }),
        uids: Type.Array(Type.String(), { minItems: 1, maxItems: 50_000 }),
      }),
      response: json(
        Type.Object({
          created: Type.Integer({ description: 'players created by this call' }),
          existing: Type.Array(Type.String(), { description: 'the uids given that existed already' }),
        }),
      ),
      errors: ['agent_not_found'],
      example: {
        body: { parent: ex.parent, uids: [ex.uid, otherPlayer] },
        response: { created: 1, existing: [ex.uid] },
      },
      wireFields: { agent: 'parent', players: 'uids' },
      async handle({ body }) {
        return services.players.create(body.parent, body.uids);
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/jdb/spins',
      summary: "Report a free spin played by a player: uses one of the player's spins in the event",
      body: Type.Object({
        parent: Type.String({ minLength: 1, maxBytes: 50 }),
        uid: Type.String({ minLength: 1, maxBytes: 50 }),
        eventId: Type.Unsafe<string | number>({ type: ['string', 'integer'], minLength: 1, maxLength: 50, minimum: 0 }),
        mType: Type.Integer({ minimum: 1 }),
        win: Type.String({ description: 'what the spin won: a decimal with at most 3 decimals' }),
        spinId: Type.Optional(Type.String({ minLength: 1, maxBytes: 64 })),
      }),
      response: json(SpinAnswer),
      errors: [
        'agent_not_found',
        'event_not_found',
        'event_state',
        'player_not_bound',
        'no_spins_left',
        'spin_conflict',
      ],
      example: {
        body: {
          parent: ex.parent,
          uid: ex.uid,
          eventId: exampleEventId,
          mType: ex.mType,
          win: '2.5',
          spinId: 'spin-0010',
        },
        response: {
          historyId: 1207,
          spinId: 'spin-0010',
          eventId: exampleEventId,
          uid: ex.uid,
          mType: ex.mType,
          bet: '5.000',
          win: '2.500',
          remaining: 0,
          accumulatedTurnover: '50.000',
          accumulatedWin: '12.500',
          cashout: { amount: '12.500', transferId: 2414 },
        },
      },
      wireFields: { agent: 'parent', game: 'mType' },
      async handle({ body }) {
        const win = parseThousandths(body.win);
        if (win === undefined || win < 0) {
          throw adminRefusals.invalidParameter('win must be a decimal number of at most 9 digits and 3 decimals');
        }
        const result = await services.spins.spin(body.parent, {
          eventId: String(body.eventId),
          uid: body.uid,
          gameId: body.mType,
          win,
          spinId: body.spinId,
        });
        return renderSpinResult(result);
      },
    }),
  ];
}

function renderSpinResult({ spin, cashout }: SpinResult): Static<typeof SpinAnswer> {
  return {
    historyId: spin.historyId,
    spinId: spin.spinId,
    eventId: spin.eventId,
    uid: spin.uid,
    mType: spin.gameId,
    bet: formatThousandths(spin.bet),
    win: formatThousandths(spin.win),
    remaining: spin.remainingAfter,
    accumulatedTurnover: formatThousandths(spin.turnoverAfter),
    accumulatedWin: formatThousandths(spin.winAfter),
    cashout: cashout && { amount: formatThousandths(cashout.amount), transferId: cashout.transferId },
  };
}

const AgentParams = { parent: Type.String({ minLength: 1, maxLength: 50 }) };
const eventIdParam = Type.String({ minLength: 1, maxLength: 50 });
const uidParam = Type.String({ minLength: 1, maxLength: 50 });
/** The domain's agent is the route's `parent`. */
const agentIsParent = { agent: 'parent' };

const EventView = Type.Object({
  eventId: Type.String(),
  transactionId: Type.String({ description: "the agent's id for the creation (Action 72)" }),
  name: Type.String(),
  type: Type.Union([Type.Literal('normal'), Type.Literal('feature')], {
    description: 'normal: free spins of the base game; feature: free Feature Buys',
  }),
  status: Type.Union(eventStatuses.map((status) => Type.Literal(status))),
  times: Type.Integer({ description: 'free spins per player' }),
  bet: JdbAmount,
  games: Type.Array(
    Type.Object({ mType: Type.Integer(), bet: JdbAmount }, { description: 'a game and the bet it plays' }),
  ),
  minWithdrawal: Nullable(JdbAmount),
  maxWithdrawal: Nullable(JdbAmount),
  currency: Type.String(),
  startAt: EpochMs,
  endAt: EpochMs,
  terminatedAt: Nullable(EpochMs),
  settledAt: Nullable(EpochMs),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

const GrantView = Type.Object({
  uid: Type.String(),
  eventId: Type.String(),
  times: Type.Integer({ description: 'free spins granted' }),
  remaining: Type.Integer(),
  used: Type.Integer(),
  accumulatedTurnover: JdbAmount,
  accumulatedWin: JdbAmount,
  cashout: Nullable(
    Type.Object(
      {
        amount: JdbAmount,
        at: Nullable(EpochMs),
        payoutTransferId: Nullable(
          Type.Integer({ description: 'the transferId of its payout (Action 16); null when the amount is 0' }),
        ),
      },
      { description: 'fixed once, when the spins are used up or the event ends; null until then' },
    ),
  ),
  boundAt: EpochMs,
  updatedAt: EpochMs,
});

const SpinView = Type.Object({
  historyId: Type.Integer(),
  spinId: Type.String(),
  eventId: Type.String(),
  uid: Type.String(),
  mType: Type.Integer(),
  gType: Type.Integer(),
  bet: JdbAmount,
  win: JdbAmount,
  remaining: Type.Integer({ description: 'free spins left after this one' }),
  accumulatedTurnover: JdbAmount,
  accumulatedWin: JdbAmount,
  playedAt: EpochMs,
});

const exampleEvent: Static<typeof EventView> = {
  eventId: exampleEventId,
  transactionId: 'tx-20251201-0001',
  name: 'December welcome spins',
  type: 'normal',
  status: 'active',
  times: 10,
  bet: '5.000',
  games: [{ mType: ex.mType, bet: '5.000' }],
  minWithdrawal: null,
  maxWithdrawal: '100.000',
  currency: 'USD',
  startAt: ex.at,
  endAt: ex.at + 7 * 24 * 3600_000,
  terminatedAt: null,
  settledAt: null,
  createdAt: ex.at - 3600_000,
  updatedAt: ex.at - 3600_000,
};

const exampleGrant: Static<typeof GrantView> = {
  uid: ex.uid,
  eventId: exampleEventId,
  times: 10,
  remaining: 6,
  used: 4,
  accumulatedTurnover: '20.000',
  accumulatedWin: '7.500',
  cashout: null,
  boundAt: ex.at - 3600_000,
  updatedAt: ex.at + 600_000,
};

const exampleSpin: Static<typeof SpinView> = {
  historyId: 1203,
  spinId: 'spin-0004',
  eventId: exampleEventId,
  uid: ex.uid,
  mType: ex.mType,
  gType: 0,
  bet: '5.000',
  win: '2.500',
  remaining: 6,
  accumulatedTurnover: '20.000',
  accumulatedWin: '7.500',
  playedAt: ex.at + 600_000,
};

/** Free-spin events, their players and the players' spins, as operators read them. */
export function freeSpinListingRoutes(browser: FreeSpinBrowser) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent/events',
      summary: "An agent's free-spin events, newest first; filters: status, mType, from/to (creation time)",
      params: Type.Object(AgentParams),
      query: Type.Object({
        ...pageQuery,
        ...timeRangeQuery,
        status: Type.Optional(Type.Union(eventStatuses.map((status) => Type.Literal(status)))),
        mType: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,9}$' })),
      }),
      response: json(Page(EventView)),
      errors: ['agent_not_found'],
      example: {
        params: { parent: ex.parent },
        query: { status: 'active', mType: String(ex.mType), limit: '20' },
        response: { items: [exampleEvent], nextCursor: null },
      },
      wireFields: agentIsParent,
      async handle({ params, query }) {
        const request = pageRequest(query);
        const filter = {
          status: query.status,
          gameId: query.mType === undefined ? undefined : Number(query.mType),
          ...timeRange(query),
        };
        const rows = await browser.events(params.parent, filter, request.after, request.limit);
        return page(
          rows,
          request,
          ({ event }) => ({ at: event.createdAt, id: event.eventId }),
          ({ event, status }) => renderEvent(event, status),
        );
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent/events/:eventId',
      summary: 'A free-spin event with its players, spins used, cashouts and settlement',
      params: Type.Object({ ...AgentParams, eventId: eventIdParam }),
      response: json(
        Type.Object({
          event: EventView,
          players: Type.Integer({ description: 'players bound to the event' }),
          spins: Type.Object({
            granted: Type.Integer({ description: "the players' free spins, all together" }),
            used: Type.Integer(),
          }),
          cashouts: Type.Object({ total: JdbAmount }, { description: 'the cashouts fixed so far, all together' }),
        }),
      ),
      errors: ['agent_not_found', 'event_not_found'],
      example: {
        params: { parent: ex.parent, eventId: exampleEventId },
        response: { event: exampleEvent, players: 2, spins: { granted: 20, used: 14 }, cashouts: { total: '12.500' } },
      },
      wireFields: agentIsParent,
      async handle({ params }) {
        const { event, status, totals } = await browser.event(params.parent, params.eventId);
        return {
          event: renderEvent(event, status),
          players: totals.players,
          spins: { granted: totals.totalTimes, used: totals.usedTimes },
          cashouts: { total: formatThousandths(totals.totalCashout) },
        };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent/events/:eventId/players',
      summary: "An event's players (their grants), newest bound first",
      params: Type.Object({ ...AgentParams, eventId: eventIdParam }),
      query: Type.Object(pageQuery),
      response: json(Page(GrantView)),
      errors: ['agent_not_found', 'event_not_found'],
      example: {
        params: { parent: ex.parent, eventId: exampleEventId },
        query: { limit: '20' },
        response: { items: [exampleGrant], nextCursor: null },
      },
      wireFields: agentIsParent,
      async handle({ params, query }) {
        const request = pageRequest(query, 'number');
        const rows = await browser.grants(params.parent, { eventId: params.eventId }, request.after, request.limit);
        return page(rows, request, grantKey, renderGrant);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent/players/:uid/grants',
      summary: "A player's grants (one per event bound to), newest first",
      params: Type.Object({ ...AgentParams, uid: uidParam }),
      query: Type.Object(pageQuery),
      response: json(Page(GrantView)),
      errors: ['agent_not_found'],
      example: {
        params: { parent: ex.parent, uid: ex.uid },
        query: { limit: '20' },
        response: { items: [exampleGrant], nextCursor: null },
      },
      wireFields: agentIsParent,
      async handle({ params, query }) {
        const request = pageRequest(query, 'number');
        const rows = await browser.grants(params.parent, { uid: params.uid }, request.after, request.limit);
        return page(rows, request, grantKey, renderGrant);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent/players/:uid/spins',
      summary: "A player's spin history, newest first; filters: eventId, from/to (time played)",
      params: Type.Object({ ...AgentParams, uid: uidParam }),
      query: Type.Object({ ...pageQuery, ...timeRangeQuery, eventId: Type.Optional(eventIdParam) }),
      response: json(Page(SpinView)),
      errors: ['agent_not_found'],
      example: {
        params: { parent: ex.parent, uid: ex.uid },
        query: { eventId: exampleEventId, limit: '20' },
        response: { items: [exampleSpin], nextCursor: null },
      },
      wireFields: agentIsParent,
      async handle({ params, query }) {
        const request = pageRequest(query, 'number');
        const filter = { uid: params.uid, eventId: query.eventId, ...timeRange(query) };
        const rows = await browser.spins(params.parent, filter, request.after, request.limit);
        return page(rows, request, (s) => ({ at: s.playedAt, id: s.historyId }), renderSpin);
      },
    }),
  ];
}

/**
 * Terminating an event as JDB's Action 73 does (the same domain method): it ends now, and its
 * players' cashouts are then fixed and paid by the settlement job.
 */
export function freeSpinEventRoutes(services: { events: FreeSpinEventService; browser: FreeSpinBrowser }) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/jdb/agents/:parent/events/:eventId/terminate',
      summary: 'Terminate a free-spin event that has not ended, as Action 73 does (409 event_state once it has ended)',
      params: Type.Object({ ...AgentParams, eventId: eventIdParam }),
      response: json(Type.Object({ event: EventView })),
      errors: ['agent_not_found', 'event_not_found', 'event_state'],
      example: {
        params: { parent: ex.parent, eventId: exampleEventId },
        response: {
          event: {
            ...exampleEvent,
            status: 'terminated',
            terminatedAt: ex.at + 3600_000,
            updatedAt: ex.at + 3600_000,
          },
        },
      },
      wireFields: agentIsParent,
      async handle({ params }) {
        await services.events.terminate(params.parent, params.eventId);
        const { event, status } = await services.browser.event(params.parent, params.eventId);
        return { event: renderEvent(event, status) };
      },
    }),
  ];
}

function renderEvent(event: FreeSpinEvent, status: EventStatus): Static<typeof EventView> {
  const amount = (value: number | undefined) => (value === undefined ? null : formatThousandths(value));
  return {
    eventId: event.eventId,
    transactionId: event.transactionId,
    name: event.name,
    type: event.type,
    status,
    times: event.times,
    bet: formatThousandths(event.bet),
    games: event.games.map((g) => ({ mType: g.gameId, bet: formatThousandths(g.bet) })),
    minWithdrawal: amount(event.minWithdrawal),
    maxWithdrawal: amount(event.maxWithdrawal),
    currency: event.currency,
    startAt: event.startAt,
    endAt: event.endAt,
    terminatedAt: event.terminatedAt ?? null,
    settledAt: event.settledAt ?? null,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
  };
}

/** A grant listing's sort key: when the player was bound, then the grant's id. */
const grantKey = (grant: Grant) => ({ at: grant.boundAt, id: grant.id });

function renderGrant(grant: Grant): Static<typeof GrantView> {
  const cashout = grant.cashout;
  return {
    uid: grant.uid,
    eventId: grant.eventId,
    times: grant.times,
    remaining: grant.remaining,
    used: grant.times - grant.remaining,
    accumulatedTurnover: formatThousandths(grant.turnover),
    accumulatedWin: formatThousandths(grant.win),
    // A positive cashout is paid to the agent's wallet as Action 16 with this transferId.
    cashout:
      cashout === undefined
        ? null
        : {
            amount: formatThousandths(cashout),
            at: grant.cashoutAt ?? null,
            payoutTransferId: cashout > 0 ? payoutTransferId(grant.id) : null,
          },
    boundAt: grant.boundAt,
    updatedAt: grant.updatedAt,
  };
}

function renderSpin(spin: SpinRecord): Static<typeof SpinView> {
  return {
    historyId: spin.historyId,
    spinId: spin.spinId,
    eventId: spin.eventId,
    uid: spin.uid,
    mType: spin.gameId,
    gType: spin.gameTypeId,
    bet: formatThousandths(spin.bet),
    win: formatThousandths(spin.win),
    remaining: spin.remainingAfter,
    accumulatedTurnover: formatThousandths(spin.turnoverAfter),
    accumulatedWin: formatThousandths(spin.winAfter),
    playedAt: spin.playedAt,
  };
}
