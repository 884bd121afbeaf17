/** Matches and ledger transfers as the admin API renders them (docs/admin.md, "Matches" and "Ledger"). */

export interface Payment {
  userId: string;
  amount: number;
}

export interface MatchView {
  matchId: string;
  clientId: string;
  mode: 'sync' | 'async';
  status: 'live' | 'settled' | 'aborted';
  entryFee: number;
  currency: string;
  maxSubmissions: number;
  deadlineAt: number | null;
  createdAt: number;
  decidedAt: number | null;
  teams: Array<{
    id: string;
    forfeited: boolean;
    participants: Array<{ id: string; submissions: number; bestScore: number | null }>;
  }>;
  abortReason: string | null;
  result: {
    participants: Array<{ userId: string; score: number }>;
    teams: Array<{ teamId: string; score?: number; ranking?: number; forfeit: boolean }>;
  } | null;
  settlement:
    | (({ outcome: 'won'; winner: string } | { outcome: 'tied' } | { outcome: 'aborted' }) & {
        payouts: Payment[];
        refunds: Payment[];
        fee: number;
      })
    | null;
}

export type TransferKind = 'deposit' | 'withdrawal' | 'entry_fee' | 'prize' | 'platform_fee' | 'refund';

export interface TransferView {
  id: number;
  idempotencyKey: string;
  kind: TransferKind;
  from: string;
  to: string;
  currency: string;
  amount: number;
  matchId: string | null;
  balanceAfter: number | null;
  createdAt: number;
  /** In an account's listing: what it did to that account's balance (+ in, − out). */
  change?: number;
}

export interface AccountView {
  accountId: string;
  kind: 'user' | 'escrow' | 'fee' | 'external';
  ownerId: string;
  currency: string;
  balance: number;
  createdAt: number;
}

export const transferKindLabels: Record<TransferKind, string> = {
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  entry_fee: 'Entry fee',
  prize: 'Prize',
  platform_fee: 'Platform fee',
  refund: 'Refund',
};

export const statusLabels: Record<MatchView['status'], string> = {
  live: 'Live',
  settled: 'Settled',
  aborted: 'Aborted',
};

/** The match's outcome in a few words: "Won by red", "Tied", "Aborted: server outage", or null while live. */
export function outcomeText(match: MatchView): string | null {
  if (match.status === 'aborted') return match.abortReason ? `Aborted: ${match.abortReason}` : 'Aborted';
  const settlement = match.settlement;
  if (!settlement) return null;
  if (settlement.outcome === 'won') return `Won by ${settlement.winner}`;
  if (settlement.outcome === 'tied') return 'Tied';
  return 'Aborted';
}
