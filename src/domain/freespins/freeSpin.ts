/**
 * Free-spin campaigns in Ringside's own words. An event grants each bound player `times`
 * free spins at a fixed bet on some games, between its start and end; the player's
 * accumulated win, bounded by the withdrawal limits, is cashed out once. Amounts are integer
 * thousandths; times are epoch ms.
 */

/** `normal`: free spins of the base game; `feature`: free Feature Buys (bet × the game's multiple). */
export type FreeSpinType = 'normal' | 'feature';

export type EventStatus = 'inactive' | 'active' | 'expired' | 'terminated';

export interface Game {
  id: number;
  /** The game's family (JDB: gType); history can be filtered by it. */
  typeId: number;
  name: string;
  /** The bets the game offers, ascending. */
  bets: number[];
  freeSpinTypes: FreeSpinType[];
  /** Feature Buy: its price is bet × multiple, which must not exceed maxTotalBet. */
  feature: { multiple: number; maxTotalBet: number } | undefined;
}

/** An operator account that owns players and events. */
export interface Agent {
  id: string;
  currency: string;
  /** Whether each spin is also sent to the agent as a record. */
  spinRecords: boolean;
}

/** The bet a game plays in an event: the closest of its bets not above the event's bet. */
export interface GameBet {
  gameId: number;
  bet: number;
}

export interface FreeSpinEvent {
  agent: string;
  eventId: string;
  transactionId: string;
  name: string;
  type: FreeSpinType;
  times: number;
  /** The bet asked for; each game plays its own matched bet (`games`). */
  bet: number;
  games: GameBet[];
  /** undefined: no limit. */
  minWithdrawal: number | undefined;
  maxWithdrawal: number | undefined;
  currency: string;
  startAt: number;
  endAt: number;
  terminatedAt: number | undefined;
  settledAt: number | undefined;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** Players a binding could not take: those bound already, and those that do not exist. */
export interface BindReport {
  failed: string[];
  notExisted: string[];
}

/** One player's spins in one event. */
export interface Grant {
  /** Unique and never reused: the payout's transfer id. */
  id: number;
  agent: string;
  eventId: string;
  uid: string;
  times: number;
  remaining: number;
  turnover: number;
  win: number;
  /** Fixed once (undefined until then). */
  cashout: number | undefined;
  cashoutAt: number | undefined;
  boundAt: number;
  updatedAt: number;
}

/** One free spin played, with the player's grant right after it. */
export interface SpinRecord {
  historyId: number;
  agent: string;
  spinId: string;
  eventId: string;
  uid: string;
  gameId: number;
  gameTypeId: number;
  bet: number;
  win: number;
  remainingAfter: number;
  turnoverAfter: number;
  winAfter: number;
  playedAt: number;
}

/** A fixed positive cashout, paid to the agent's wallet. */
export interface Payout {
  agent: string;
  transferId: number;
  eventId: string;
  uid: string;
  amount: number;
  currency: string;
  turnover: number;
  win: number;
  cashoutAt: number;
}

/**
 * Transfer ids of payouts and of spin records share one space, as a wallet may keep them in
 * one table: payouts are even (from the grant's id), spin records odd (from the spin's id).
 */
export const payoutTransferId = (grantId: number) => grantId * 2;
export const spinRecordTransferId = (historyId: number) => historyId * 2 + 1;

export const freeSpinLimits = {
  /** Players one call may create or bind. */
  maxPlayersPerCall: 50_000,
  /**
   * Free spins per player: any positive 32-bit integer (JDB's `times` is an Integer). Spins
   * left and used fit the 32-bit columns; an event's total (players × times) is summed as a
   * 64-bit integer and read exactly up to 2^53 (4 million players at this maximum).
   */
  maxTimes: 2_147_483_647,
  maxGamesPerEvent: 100,
  /** Player events are kept this long after the event ends; spin history this long after the spin. */
  retentionMs: 180 * 24 * 3600 * 1000,
};

export function statusAt(event: FreeSpinEvent, now: number): EventStatus {
  if (event.terminatedAt !== undefined) return 'terminated';
  if (event.settledAt !== undefined || now >= event.endAt) return 'expired';
  if (now < event.startAt) return 'inactive';
  return 'active';
}

/** What one spin costs in turnover: the matched bet, times the multiple for a Feature Buy. */
export function stakeOf(event: FreeSpinEvent, game: Game, gameBet: GameBet): number {
  return event.type === 'feature' ? gameBet.bet * (game.feature?.multiple ?? 1) : gameBet.bet;
}

/** What an operator's listing of an agent's events may be narrowed to; `from`/`to` bound the creation time. */
export interface EventBrowseFilter {
  status?: EventStatus;
  gameId?: number;
  from?: number;
  to?: number;
}

/** An agent's grants: of one event, or of one player. */
export interface GrantFilter {
  eventId?: string;
  uid?: string;
}

/** An agent's spins; `from`/`to` bound the time played. */
export interface SpinFilter {
  uid?: string;
  eventId?: string;
  from?: number;
  to?: number;
}

/** What an event's grants add up to. */
export interface EventTotals {
  players: number;
  usedTimes: number;
  totalTimes: number;
  totalCashout: number;
}
