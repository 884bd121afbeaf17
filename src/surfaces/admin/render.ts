import type { Transfer } from '../../domain/ledger/ledger.js';
import type { Match } from '../../domain/matches/match.js';

/** Domain objects as the admin API shows them. */

export function renderTransfer(transfer: Transfer) {
  return {
    id: transfer.id,
    idempotencyKey: transfer.idempotencyKey,
    kind: transfer.kind,
    from: transfer.fromAccount,
    to: transfer.toAccount,
    currency: transfer.currency,
    amount: transfer.amount,
    matchId: transfer.matchId ?? null,
    balanceAfter: transfer.userBalanceAfter ?? null,
    createdAt: transfer.createdAt,
  };
}

export function renderMatch(match: Match) {
  return {
    matchId: match.matchId,
    clientId: match.clientId,
    mode: match.mode,
    status: match.status,
    entryFee: match.entryFee,
    currency: match.currency,
    maxSubmissions: match.maxSubmissions,
    deadlineAt: match.deadlineAt ?? null,
    createdAt: match.createdAt,
    decidedAt: match.decidedAt ?? null,
    teams: match.teams.map((team) => ({
      id: team.teamId,
      forfeited: team.forfeited,
      participants: match.participants
        .filter((p) => p.teamId === team.teamId)
        .map((p) => ({ id: p.userId, submissions: p.submissions, bestScore: p.bestScore ?? null })),
    })),
    abortReason: match.abortReason ?? null,
    result: match.result ?? null,
    settlement: match.settlement ?? null,
  };
}
