import { type Static, Type } from '@sinclair/typebox';
import type { Transfer } from '../../domain/ledger/ledger.js';
import type { Match } from '../../domain/matches/match.js';
import { EpochMs, Nullable } from './schemas.js';

/** Domain objects as the admin API shows them: each view's schema, and its renderer. */

const Amount = Type.Integer({ description: 'integer minor units' });

export const TransferView = Type.Object({
  id: Type.Integer(),
  idempotencyKey: Type.String(),
  kind: Type.Union(
    (['deposit', 'withdrawal', 'entry_fee', 'prize', 'platform_fee', 'refund'] as const).map((k) => Type.Literal(k)),
  ),
  from: Type.String({ description: 'ledger account id' }),
  to: Type.String({ description: 'ledger account id' }),
  currency: Type.String(),
  amount: Amount,
  matchId: Nullable(Type.String()),
  balanceAfter: Nullable(Type.Integer({ description: 'the user account’s balance right after the transfer' })),
  createdAt: EpochMs,
});

export function renderTransfer(transfer: Transfer): Static<typeof TransferView> {
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

const Payment = Type.Object({ userId: Type.String(), amount: Amount });

const Outcome = Type.Union([
  Type.Object({ outcome: Type.Literal('won'), winner: Type.String({ description: 'the winning team' }) }),
  Type.Object({ outcome: Type.Literal('tied') }),
  Type.Object({ outcome: Type.Literal('aborted') }),
]);

export const MatchView = Type.Object({
  matchId: Type.String(),
  clientId: Type.String(),
  mode: Type.Union([Type.Literal('sync'), Type.Literal('async')]),
  status: Type.Union([Type.Literal('live'), Type.Literal('settled'), Type.Literal('aborted')]),
  entryFee: Amount,
  currency: Type.String(),
  maxSubmissions: Type.Integer(),
  deadlineAt: Nullable(EpochMs),
  createdAt: EpochMs,
  decidedAt: Nullable(EpochMs),
  teams: Type.Array(
    Type.Object({
      id: Type.String(),
      forfeited: Type.Boolean(),
      participants: Type.Array(
        Type.Object({ id: Type.String(), submissions: Type.Integer(), bestScore: Nullable(Type.Number()) }),
      ),
    }),
  ),
  abortReason: Nullable(Type.String()),
  result: Nullable(
    Type.Object({
      participants: Type.Array(Type.Object({ userId: Type.String(), score: Type.Number() })),
      teams: Type.Array(
        Type.Object({
          teamId: Type.String(),
          score: Type.Optional(Type.Number()),
          ranking: Type.Optional(Type.Integer()),
          forfeit: Type.Boolean(),
        }),
      ),
    }),
  ),
  settlement: Nullable(
    Type.Intersect([Outcome, Type.Object({ payouts: Type.Array(Payment), refunds: Type.Array(Payment), fee: Amount })]),
  ),
});

export function renderMatch(match: Match): Static<typeof MatchView> {
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
