import { KeyedBatcher } from '../../platform/keyedBatcher.js';
import type { ScoreChange } from './battle.js';
import { battleLimits } from './battle.js';

export type Scoreboard = Array<ScoreChange & { ownerId: string }>;

/** Applies summed additions to a battle; returns its whole scoreboard (empty: not running). */
export type ApplyAdditions = (
  appId: number,
  battleId: string,
  additions: Array<{ roomId: string; score: bigint }>,
) => Promise<Scoreboard>;

/** Past ±2(2^53 − 1) any score saturates alike, so a sum can be clamped there. */
const SUM_LIMIT = 2n * BigInt(battleLimits.maxScore);

/**
 * Merges concurrent score additions to the same battle into one write (see KeyedBatcher).
 * Addition commutes, so the totals are exactly those of applying each call on its own; a hot
 * battle then costs one row lock and one commit per round trip instead of one per call.
 * (Scores saturate at ±(2^53 − 1); a batch saturates on its net change.)
 */
export class ScoreAdder {
  private readonly batcher: KeyedBatcher<{ appId: number; battleId: string; additions: ScoreChange[] }, Scoreboard>;

  constructor(apply: ApplyAdditions) {
    this.batcher = new KeyedBatcher(async (_key, calls) => {
      const { appId, battleId } = calls[0]!;
      const sums = new Map<string, bigint>();
      for (const { additions } of calls) {
        for (const { roomId, score } of additions) sums.set(roomId, (sums.get(roomId) ?? 0n) + BigInt(score));
      }
      const clamped = [...sums].map(([roomId, sum]) => ({
        roomId,
        score: sum > SUM_LIMIT ? SUM_LIMIT : sum < -SUM_LIMIT ? -SUM_LIMIT : sum,
      }));
      const board = await apply(appId, battleId, clamped);
      return calls.map(() => ({ ok: true, value: board }));
    });
  }

  add(appId: number, battleId: string, additions: ScoreChange[]): Promise<Scoreboard> {
    return this.batcher.run(`${appId}\u0000${battleId}`, { appId, battleId, additions });
  }
}
