import { Type } from '@sinclair/typebox';
import { defineAction, statusFilterSchema, typesFilterSchema, uidSchema } from '../action.js';
import { parameterRefusal } from '../errorCodes.js';
import { renderEvent } from '../render.js';
import {
  formatAmount,
  formatTime,
  optionalTimeParam,
  renderEventId,
  renderStatus,
  statusFilter,
  timeParam,
  typesFilter,
} from '../wire.js';

/** Reports: Actions 71 (a player's events), 70 (free-spin game history), 78 (daily cashouts). */

const PlayerEventsParams = Type.Object({
  uid: uidSchema,
  startTime: Type.Optional(Type.String()),
  endTime: Type.Optional(Type.String()),
  status: Type.Optional(statusFilterSchema),
  types: Type.Optional(typesFilterSchema),
});

const HistoryParams = Type.Object({
  startTime: Type.String(),
  endTime: Type.String(),
  // A gType is a 32-bit integer (as the game catalog's config has it; PostgreSQL's column too).
  gTypes: Type.Array(Type.Integer({ minimum: 0, maximum: 2147483647 }), { minItems: 1, maxItems: 100 }),
  uid: Type.Optional(uidSchema),
});

const DailyCashoutParams = Type.Object({ date: Type.String() });

/** JDB's report day: 12:00 to 12:00 in UTC+8, i.e. from 04:00 UTC of the date. */
const REPORT_DAY_START_UTC_HOUR = 4;

/** `dd-MM-yyyy` → the start of that report day (epoch ms). */
function reportDayStart(date: string): number {
  const match = /^(\d{2})-(\d{2})-(\d{4})$/.exec(date);
  const [day, month, year] = (match?.slice(1) ?? []).map(Number);
  const start = Date.UTC(year!, month! - 1, day!, REPORT_DAY_START_UTC_HOUR);
  if (!match || new Date(start).getUTCDate() !== day || new Date(start).getUTCMonth() !== month! - 1) {
    throw parameterRefusal('date', 'must be a date as dd-MM-yyyy');
  }
  return start;
}

export const reportActions = [
  defineAction({
    action: 71,
    params: PlayerEventsParams,
    async run({ agent, services }, params) {
      const events = await services.reports.playerEvents(agent.parent, params.uid, {
        startFrom: optionalTimeParam('startTime', params.startTime),
        startTo: optionalTimeParam('endTime', params.endTime),
        status: statusFilter(params.status),
        types: typesFilter(params.types),
      });
      return events.map(({ event, status, grant }) => ({
        ...renderEvent(event),
        status: renderStatus(status),
        useTimes: grant.times - grant.remaining,
        accumulatedTurnover: formatAmount(grant.turnover),
        accumulatedWin: formatAmount(grant.win),
        cashout: grant.cashout === undefined ? null : formatAmount(grant.cashout),
        cashoutTime: grant.cashoutAt === undefined ? null : formatTime(grant.cashoutAt),
        updateTime: formatTime(Math.max(grant.updatedAt, event.updatedAt)),
      }));
    },
  }),
  defineAction({
    action: 70,
    params: HistoryParams,
    async run({ agent, services }, params) {
      const spins = await services.reports.history(agent.parent, {
        from: timeParam('startTime', params.startTime),
        to: timeParam('endTime', params.endTime),
        uid: params.uid,
        gameTypeIds: params.gTypes,
      });
      return spins.map((spin) => ({
        historyId: spin.historyId,
        uid: spin.uid,
        gType: spin.gameTypeId,
        mtype: spin.gameId,
        gameDate: formatTime(spin.playedAt),
        currency: agent.currency,
        bet: formatAmount(spin.bet),
        win: formatAmount(spin.win),
        eventId: renderEventId(spin.eventId),
      }));
    },
  }),
  defineAction({
    action: 78,
    params: DailyCashoutParams,
    async run({ agent, services }, params) {
      const players = await services.reports.dailyCashouts(agent.parent, reportDayStart(params.date));
      return players.map((player) => ({
        uid: player.uid,
        totalCashout: formatAmount(player.total),
        events: player.events.map((e) => ({ eventId: renderEventId(e.eventId), cashout: formatAmount(e.cashout) })),
      }));
    },
  }),
];
