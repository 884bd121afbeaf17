import { badParameter } from './errors.js';
import { type FreeSpinType, type Game, type GameBet, freeSpinLimits } from './freeSpin.js';

/** The event's rules that do not need the database. Each refusal names its field. */

/**
 * Each game plays the closest of its bets not above `bet`. Refused when a game offers no such
 * bet (`bet` is below its minimum), when a game does not offer the type, and for Feature Buys
 * when the matched bet × the game's multiple exceeds its maximum total bet.
 */
export function matchBets(games: Game[], bet: number, type: FreeSpinType): GameBet[] {
  return games.map((game) => {
    if (!game.freeSpinTypes.includes(type)) {
      throw badParameter('type', `${type.toUpperCase()} is not offered by game ${game.id}`);
    }
    const matched = game.bets.filter((b) => b <= bet).at(-1);
    if (matched === undefined) throw badParameter('bet', `is below the minimum bet of game ${game.id}`);
    if (type === 'feature') {
      const { multiple, maxTotalBet } = game.feature!;
      if (matched * multiple > maxTotalBet) {
        throw badParameter(
          'bet',
          `× the Feature Buy multiple ${multiple} exceeds the maximum total bet of game ${game.id}`,
        );
      }
    }
    return { gameId: game.id, bet: matched };
  });
}

/**
 * The end must be later than now (JDB: 结束时间必须晚于当前时间) and not before the start. An end
 * equal to the start is accepted, as in JDB's own sample request.
 */
export function checkSchedule(startAt: number, endAt: number, now: number): void {
  if (endAt <= now) throw badParameter('endTime', 'must be later than now');
  if (endAt < startAt) throw badParameter('endTime', 'must not be earlier than startTime');
}

/** undefined limits mean "no limit"; two real limits must be in order. */
export function checkWithdrawals(min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw badParameter('minWithdrawal', 'must be less than or equal to maxWithdrawal');
  }
}

export function checkTimes(times: number): void {
  if (!Number.isInteger(times) || times < 1 || times > freeSpinLimits.maxTimes) {
    throw badParameter('times', `must be an integer from 1 to ${freeSpinLimits.maxTimes}`);
  }
}

export function checkPlayers(uids: string[]): void {
  if (uids.length > freeSpinLimits.maxPlayersPerCall) {
    throw badParameter('players', `must hold at most ${freeSpinLimits.maxPlayersPerCall} players`);
  }
}

/**
 * Each player once, in the order first given. Binding is per player: a uid given twice is
 * bound (or reported) once, never refused (JDB: 玩家绑定成功与否不影响免费场次的创建).
 */
export function distinctPlayers(uids: string[]): string[] {
  const distinct = [...new Set(uids)];
  return distinct.length === uids.length ? uids : distinct;
}

/**
 * The cashout of an accumulated win: nothing below the minimum withdrawal, at most the
 * maximum withdrawal (undefined: no limit on that side).
 */
export function cashoutOf(win: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && win < min) return 0;
  if (max !== undefined && win > max) return max;
  return win;
}

/** Player ids: 1–50 characters of letters, digits and `_ . @ -`. */
const PLAYER_ID = /^[A-Za-z0-9_.@-]{1,50}$/;

/** Players to create: each id valid and given once. */
export function checkNewPlayerIds(uids: string[]): void {
  checkPlayers(uids);
  const seen = new Set<string>();
  for (const uid of uids) {
    if (seen.has(uid)) throw badParameter('players', `holds ${uid} more than once`);
    seen.add(uid);
  }
  const bad = uids.find((uid) => !PLAYER_ID.test(uid));
  if (bad !== undefined) {
    throw badParameter('players', `holds an invalid player id ${JSON.stringify(bad)} (1–50 of A-Z a-z 0-9 _ . @ -)`);
  }
}
