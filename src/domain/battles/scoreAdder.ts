import type { ScoreChange } from './battle.js';
import { battleLimits } from './battle.js';

export type Scoreboard = Array<ScoreChange & { ownerId: string }>;

/** Applies summed additions to a battle; returns its whole scoreboard (empty: not running). */
export type ApplyAdditions = (
  appId: number,
  battleId: string,
  additions: Array<{ roomId: string; score: bigint }>,
) => Promise<Scoreboard>;

interface Batch {
  appId: number;
  battleId: string;
  sums: Map<string, bigint>;
  waiters: Array<{ resolve: (board: Scoreboard) => void; reject: (error: unknown) => void }>;
}

/**
 * Merges concurrent score additions to the same battle into one write: while one write of a
 * battle is in flight, the additions that arrive are summed per room and sent together next.
 * Addition commutes, so the totals are exactly those of applying each call on its own; a hot
 * battle then costs one row lock and one commit per round trip instead of one per call.
 * (Scores saturate at ±(2^53 − 1); a batch saturates on its net change.)
 */
export class ScoreAdder {
  private readonly pending = new Map<string, Batch>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly apply: ApplyAdditions) {}

  add(appId: number, battleId: string, additions: ScoreChange[]): Promise<Scoreboard> {
    const key = `${appId}\u0000${battleId}`;
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { appId, battleId, sums: new Map(), waiters: [] };
      this.pending.set(key, batch);
      if (!this.inFlight.has(key)) setImmediate(() => void this.flush(key));
    }
    for (const { roomId, score } of additions) {
      batch.sums.set(roomId, (batch.sums.get(roomId) ?? 0n) + BigInt(score));
    }
    const waiters = batch.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private async flush(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    this.inFlight.add(key);
    const limit = 2n * BigInt(battleLimits.maxScore);
    const additions = [...batch.sums].map(([roomId, sum]) => ({
      roomId,
      // Past ±2(2^53 − 1) any score saturates alike, so the sum can be clamped there.
      score: sum > limit ? limit : sum < -limit ? -limit : sum,
    }));
    try {
      const board = await this.apply(batch.appId, batch.battleId, additions);
      for (const waiter of batch.waiters) waiter.resolve(board);
    } catch (error) {
      for (const waiter of batch.waiters) waiter.reject(error);
    } finally {
      this.inFlight.delete(key);
      if (this.pending.has(key)) void this.flush(key);
    }
  }
}
