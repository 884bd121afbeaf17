import type { FreeSpinEvent } from '../../domain/freespins/freeSpin.js';
import { formatAmount, formatLimit, formatTime, renderEventId, renderType } from './wire.js';

/** Domain objects in JDB's field names (the field formats themselves are in wire.ts). */

/** An event as Actions 76 and 71 show it. */
export function renderEvent(event: FreeSpinEvent) {
  return {
    eventId: renderEventId(event.eventId),
    name: event.name,
    currency: event.currency,
    type: renderType(event.type),
    times: event.times,
    bet: formatAmount(event.bet),
    machineTypes: event.games.map((g) => g.gameId),
    // Ringside extension: the bet each game plays (the closest of its bets not above `bet`).
    gameBets: event.games.map((g) => ({ mType: g.gameId, bet: formatAmount(g.bet) })),
    minWithdrawal: formatLimit(event.minWithdrawal),
    maxWithdrawal: formatLimit(event.maxWithdrawal),
    startTime: formatTime(event.startAt),
    endTime: formatTime(event.endAt),
  };
}
