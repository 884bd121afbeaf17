import { Type } from '@sinclair/typebox';
import type { FreeSpinBrowser } from '../../../domain/freespins/browseService.js';
import {
  type EventStatus,
  type FreeSpinEvent,
  type Grant,
  payoutTransferId,
  type SpinRecord,
} from '../../../domain/freespins/freeSpin.js';
import type { FreeSpinPlayerService } from '../../../domain/freespins/playerService.js';
import type { SpinService } from '../../../domain/freespins/spinService.js';
import { formatThousandths, parseThousandths } from '../../../platform/decimal.js';
import { adminRefusals } from '../errorCodes.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';

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
      wireFields: { agent: 'parent', game: 'mType' },
      async handle({ body }) {
        const win = parseThousandths(body.win);
        if (win === undefined || win < 0) {
          throw adminRefusals.invalidParameter('win must be a decimal number of at most 9 digits and 3 decimals');
        }
        const { spin, cashout } = await services.spins.spin(body.parent, {
          eventId: String(body.eventId),
          uid: body.uid,
          gameId: body.mType,
          win,
          spinId: body.spinId,
        });
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
      },
    }),
  ];
}

const AgentParams = { parent: Type.String({ minLength: 1, maxLength: 50 }) };
const eventIdParam = Type.String({ minLength: 1, maxLength: 50 });
const uidParam = Type.String({ minLength: 1, maxLength: 50 });
/** The domain's agent is the route's `parent`. */
const agentIsParent = { agent: 'parent' };

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
        status: Type.Optional(
          Type.Union(['inactive', 'active', 'expired', 'terminated'].map((status) => Type.Literal(status))),
        ),
        mType: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,9}$' })),
      }),
      wireFields: agentIsParent,
      async handle({ params, query }) {
        const request = pageRequest(query);
        const filter = {
          status: query.status as EventStatus | undefined,
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

function renderEvent(event: FreeSpinEvent, status: EventStatus) {
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

function renderGrant(grant: Grant) {
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

function renderSpin(spin: SpinRecord) {
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
