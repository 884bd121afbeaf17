import { escrowAccount, feeAccount, type NewTransfer, userAccount } from '../ledger/ledger.js';
import type { Match, Settlement } from './match.js';

/**
 * The ledger transfers of a match. Their idempotency keys name the match, the kind and the
 * player, so each can happen once: `match:{id}:entry:{user}`, `…:prize:{user}`,
 * `…:refund:{user}`, `…:fee`.
 */

/** Every participant's entry fee into the match's escrow (none for a free match). */
export function entryFees(match: Match): NewTransfer[] {
  if (match.entryFee === 0) return [];
  const escrow = escrowAccount(match.matchId, match.currency);
  return match.participants.map(({ userId }) => ({
    idempotencyKey: `match:${match.matchId}:entry:${userId}`,
    kind: 'entry_fee',
    from: userAccount(userId, match.currency),
    to: escrow,
    amount: match.entryFee,
    matchId: match.matchId,
  }));
}

/** The transfers out of escrow a settlement makes. */
export function payouts(match: Match, settlement: Settlement): NewTransfer[] {
  const escrow = escrowAccount(match.matchId, match.currency);
  const toUser =
    (kind: 'prize' | 'refund') =>
    ({ userId, amount }: { userId: string; amount: number }) => ({
      idempotencyKey: `match:${match.matchId}:${kind}:${userId}`,
      kind,
      from: escrow,
      to: userAccount(userId, match.currency),
      amount,
      matchId: match.matchId,
    });
  const transfers: NewTransfer[] = [
    ...settlement.payouts.map(toUser('prize')),
    ...settlement.refunds.map(toUser('refund')),
  ];
  if (settlement.fee > 0) {
    transfers.push({
      idempotencyKey: `match:${match.matchId}:fee`,
      kind: 'platform_fee',
      from: escrow,
      to: feeAccount(match.currency),
      amount: settlement.fee,
      matchId: match.matchId,
    });
  }
  return transfers.filter((t) => t.amount > 0);
}
