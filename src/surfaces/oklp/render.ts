import type { Match, MatchTokenInfo, ReportOutcome } from '../../domain/matches/match.js';

/** The match stub of the wire: what the game is told of a live match (push body, poll item). */
export function renderStub(match: Match) {
  return {
    match_id: match.matchId,
    participants: match.participants.map((p) => ({ id: p.userId, team_id: p.teamId })),
    teams: match.teams.map((t) => (t.forfeited ? { id: t.teamId, forfeit: true } : { id: t.teamId })),
  };
}

export function renderTokenInfo(info: MatchTokenInfo) {
  return {
    match_id: info.matchId,
    user_id: info.userId,
    match_status: info.status,
    submissions_total: info.submissionsTotal,
    submissions_left: info.submissionsLeft,
  };
}

/** The answer to `/finish`. */
export function renderOutcome(outcome: ReportOutcome) {
  const { settlement, player } = outcome;
  return {
    match_id: outcome.matchId,
    match_status: outcome.status,
    ...(outcome.abortReason !== undefined ? { abort_reason: outcome.abortReason } : {}),
    ...(player
      ? {
          participant: {
            id: player.userId,
            score: player.score,
            best_score: player.bestScore,
            submissions_left: player.submissionsLeft,
          },
        }
      : {}),
    ...(settlement
      ? {
          settlement: {
            outcome: settlement.outcome,
            winner_team_id: settlement.outcome === 'won' ? settlement.winner : null,
            currency: outcome.currency,
            payouts: settlement.payouts.map(({ userId, amount }) => ({ id: userId, amount })),
            refunds: settlement.refunds.map(({ userId, amount }) => ({ id: userId, amount })),
            fee: settlement.fee,
          },
        }
      : {}),
  };
}
