import type { MatchOutcome, Participant, Settlement } from './match.js';

/** A team's standing for settlement: its rank (the lowest is best, 0 included) unless it forfeited. */
export interface Standing {
  teamId: string;
  ranking: number | undefined;
  forfeited: boolean;
}

/**
 * Who came first: the best-ranked team among those that did not forfeit (forfeited teams
 * rank last), or a tie when there is no single one (a tie for first, or every team forfeited).
 */
export function firstPlace(standings: Standing[]): Extract<MatchOutcome, { outcome: 'won' | 'tied' }> {
  const ranked = standings.filter((s) => !s.forfeited && s.ranking !== undefined);
  if (ranked.length === 0) return { outcome: 'tied' };
  const best = Math.min(...ranked.map((s) => s.ranking!));
  const first = ranked.filter((s) => s.ranking === best);
  return first.length === 1 ? { outcome: 'won', winner: first[0]!.teamId } : { outcome: 'tied' };
}

/** Ranks teams by score, highest first; equal scores share a rank (1, 1, 3). */
export function rankByScore(scores: Array<{ teamId: string; score: number; forfeited: boolean }>): Standing[] {
  return scores.map(({ teamId, score, forfeited }) => ({
    teamId,
    forfeited,
    ranking: forfeited ? undefined : 1 + scores.filter((other) => !other.forfeited && other.score > score).length,
  }));
}

/**
 * Splits a match's escrow by how it ended. Won: the platform fee is `feeBasisPoints` / 10000
 * of the pot, rounded down; the rest is split evenly between the winning team's players, and
 * the units that do not divide evenly go one each to its first players in creation order.
 * Tied or aborted: every entry fee goes back and no fee is taken.
 */
export function settle(
  match: { entryFee: number; participants: ReadonlyArray<Pick<Participant, 'userId' | 'teamId'>> },
  ending: MatchOutcome,
  feeBasisPoints: number,
): Settlement {
  if (ending.outcome !== 'won') {
    return {
      outcome: ending.outcome,
      payouts: [],
      refunds: match.participants.map(({ userId }) => ({ userId, amount: match.entryFee })),
      fee: 0,
    };
  }
  const pot = BigInt(match.entryFee) * BigInt(match.participants.length);
  const fee = (pot * BigInt(feeBasisPoints)) / 10_000n;
  const prize = pot - fee;
  const winners = match.participants.filter((p) => p.teamId === ending.winner);
  const share = prize / BigInt(winners.length);
  const remainder = Number(prize % BigInt(winners.length));
  return {
    outcome: 'won',
    winner: ending.winner,
    payouts: winners.map(({ userId }, index) => ({ userId, amount: Number(share) + (index < remainder ? 1 : 0) })),
    refunds: [],
    fee: Number(fee),
  };
}
