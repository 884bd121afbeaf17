import { Type } from '@sinclair/typebox';
import {
  defineAction,
  eventIdSchema,
  freeSpinTypeNames,
  gameIds,
  jdbString,
  oneOf,
  playerList,
  statusFilterSchema,
  typesFilterSchema,
} from '../action.js';
import { freeSpinLimits } from '../../../domain/freespins/freeSpin.js';
import { renderEvent } from '../render.js';
import {
  amountParam,
  customEventIdParam,
  eventIdParam,
  formatAmount,
  formatTime,
  limitParam,
  renderEventId,
  renderStatus,
  statusFilter,
  timeParam,
  typesFilter,
  wireTypes,
} from '../wire.js';

/** Free-spin events: Actions 72 (create), 73 (terminate), 74/75 (bind/unbind), 76 (list), 77 (update). */

/** String(70): 1–70 characters. */
const name = jdbString(70);

/** The terms 72 and 77 share. */
const terms = {
  name,
  startTime: Type.String(),
  endTime: Type.String(),
  machineTypes: gameIds,
  bet: Type.String(),
};
const withdrawals = { minWithdrawal: Type.String(), maxWithdrawal: Type.String() };

const CreateParams = Type.Object({
  ...terms,
  times: Type.Integer({ minimum: 1, maximum: freeSpinLimits.maxTimes }),
  type: oneOf(freeSpinTypeNames),
  ...withdrawals,
  transactionId: jdbString(36),
  players: Type.Optional(playerList),
  autoCreatePlayerEnabled: Type.Optional(Type.Boolean()),
  eventId: Type.Optional(jdbString(50)),
});

const UpdateParams = Type.Object({
  eventId: eventIdSchema,
  ...terms,
  ...withdrawals,
  times: Type.Optional(Type.Integer()),
  type: Type.Optional(oneOf(freeSpinTypeNames)),
});

const EventIdParams = Type.Object({ eventId: eventIdSchema });
const PlayersParams = Type.Object({ eventId: eventIdSchema, players: playerList });

const ListParams = Type.Object({
  startTime: Type.String(),
  endTime: Type.String(),
  eventId: Type.Optional(eventIdSchema),
  name: Type.Optional(jdbString(70, 0)),
  status: Type.Optional(statusFilterSchema),
  machineTypes: Type.Optional(gameIds),
  types: Type.Optional(typesFilterSchema),
});

/** The terms as the domain takes them. */
function readTerms(params: {
  name: string;
  startTime: string;
  endTime: string;
  machineTypes: number[];
  bet: string;
  minWithdrawal: string;
  maxWithdrawal: string;
}) {
  return {
    name: params.name,
    startAt: timeParam('startTime', params.startTime),
    endAt: timeParam('endTime', params.endTime),
    gameIds: params.machineTypes,
    bet: amountParam('bet', params.bet),
    minWithdrawal: limitParam('minWithdrawal', params.minWithdrawal),
    maxWithdrawal: limitParam('maxWithdrawal', params.maxWithdrawal),
  };
}

export const eventActions = [
  defineAction({
    action: 72,
    params: CreateParams,
    async run({ agent, services }, params) {
      const { event, report } = await services.events.create(agent.parent, {
        ...readTerms(params),
        eventId: params.eventId === undefined ? undefined : customEventIdParam(params.eventId),
        transactionId: params.transactionId,
        times: params.times,
        type: wireTypes[params.type],
        players: params.players ?? [],
        autoCreatePlayers: params.autoCreatePlayerEnabled ?? false,
      });
      return {
        eventId: renderEventId(event.eventId),
        failedBindingPlayers: report.failed,
        notExistedPlayers: report.notExisted,
      };
    },
  }),
  defineAction({
    action: 73,
    params: EventIdParams,
    async run({ agent, services }, params) {
      await services.events.terminate(agent.parent, eventIdParam(params.eventId));
      return undefined;
    },
  }),
  defineAction({
    action: 74,
    params: PlayersParams,
    async run({ agent, services }, params) {
      const report = await services.events.bind(agent.parent, eventIdParam(params.eventId), params.players);
      return { failedBindingPlayers: report.failed, notExistedPlayers: report.notExisted };
    },
  }),
  defineAction({
    action: 75,
    params: PlayersParams,
    async run({ agent, services }, params) {
      await services.events.unbind(agent.parent, eventIdParam(params.eventId), params.players);
      return undefined;
    },
  }),
  defineAction({
    action: 76,
    params: ListParams,
    async run({ agent, services }, params) {
      const overviews = await services.events.list(agent.parent, {
        startFrom: timeParam('startTime', params.startTime),
        startTo: timeParam('endTime', params.endTime),
        eventId: params.eventId === undefined ? undefined : eventIdParam(params.eventId),
        name: params.name,
        status: statusFilter(params.status),
        gameIds: params.machineTypes,
        types: typesFilter(params.types),
      });
      return overviews.map(({ event, status, totals }) => ({
        ...renderEvent(event),
        creator: event.agent,
        status: renderStatus(status),
        numberOfPlayers: totals.players,
        totalUseTimes: totals.usedTimes,
        totalTimes: totals.totalTimes,
        totalCashout: formatAmount(totals.totalCashout),
        createTime: formatTime(event.createdAt),
        updateTime: formatTime(event.updatedAt),
      }));
    },
  }),
  defineAction({
    action: 77,
    params: UpdateParams,
    async run({ agent, services }, params) {
      await services.events.update(agent.parent, eventIdParam(params.eventId), {
        ...readTerms(params),
        times: params.times,
        type: params.type === undefined ? undefined : wireTypes[params.type],
      });
      return undefined;
    },
  }),
];
