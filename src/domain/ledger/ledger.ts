import { utf8Length } from '../../platform/bytes.js';
import { invalidParameter } from '../../platform/errors.js';

/**
 * The ledger in Ringside's own words. Money sits in accounts, per currency, in integer minor
 * units, and moves only by transfers: each takes an amount from one account and gives it to
 * another (double entry), and carries an idempotency key that no other transfer may have.
 */
export type AccountKind = 'user' | 'escrow' | 'fee' | 'external';

export interface Account {
  kind: AccountKind;
  /** The user id (user), the match id (escrow), or '' (fee, external). */
  ownerId: string;
  currency: string;
}

/** A user's money in one currency. Never negative. */
export const userAccount = (userId: string, currency: string): Account => ({ kind: 'user', ownerId: userId, currency });

/** What a match holds while it is played: its players' entry fees. Never negative. */
export const escrowAccount = (matchId: string, currency: string): Account => ({
  kind: 'escrow',
  ownerId: matchId,
  currency,
});

/** The platform's fees taken from matches. */
export const feeAccount = (currency: string): Account => ({ kind: 'fee', ownerId: '', currency });

/**
 * The other side of deposits and withdrawals: money outside Ringside. Its balance is minus
 * what the users have brought in net, so every currency's accounts always sum to zero.
 */
export const externalAccount = (currency: string): Account => ({ kind: 'external', ownerId: '', currency });

/**
 * An account's id. Transactions change accounts in the order of their ids, so two of them
 * never wait for each other's locks in a cycle.
 */
export function accountId(account: Account): string {
  return `${account.kind}:${account.currency}:${account.ownerId}`;
}

export type TransferKind = 'deposit' | 'withdrawal' | 'entry_fee' | 'prize' | 'platform_fee' | 'refund';

export interface NewTransfer {
  idempotencyKey: string;
  kind: TransferKind;
  from: Account;
  to: Account;
  amount: number;
  matchId?: string;
}

export interface Transfer {
  id: number;
  idempotencyKey: string;
  kind: TransferKind;
  fromAccount: string;
  toAccount: string;
  currency: string;
  amount: number;
  matchId: string | undefined;
  /** The balance of the user account the transfer touched, right after it. */
  userBalanceAfter: number | undefined;
  createdAt: number;
}

/** An account as it stands. */
export interface LedgerAccount {
  accountId: string;
  kind: AccountKind;
  ownerId: string;
  currency: string;
  balance: number;
  createdAt: number;
}

export const accountKinds: readonly AccountKind[] = ['user', 'escrow', 'fee', 'external'];
export const transferKinds: readonly TransferKind[] = [
  'deposit',
  'withdrawal',
  'entry_fee',
  'prize',
  'platform_fee',
  'refund',
];

/** What a listing of accounts may be narrowed to. */
export interface AccountFilter {
  kind?: AccountKind;
  currency?: string;
  ownerId?: string;
}

/** What a listing of transfers may be narrowed to; `from` (inclusive) and `to` (exclusive) bound the time. */
export interface TransferFilter {
  accountId?: string;
  kind?: TransferKind;
  from?: number;
  to?: number;
}

export const ledgerLimits = {
  /** Amounts and balances stay within 2^53 − 1, where numbers are exact. */
  maxAmount: Number.MAX_SAFE_INTEGER,
  /** ISO 4217 codes and platform coins alike: `USD`, `EUR`, `COINS`. */
  currencyPattern: /^[A-Z][A-Z0-9_]{1,15}$/,
  /** No `:`, so a client's key never collides with a key Ringside derives (`match:…`). */
  idempotencyKeyPattern: /^[A-Za-z0-9._~-]{1,128}$/,
  maxUserIdBytes: 128,
};

/** A currency code the ledger accepts (`field` names it in the error). */
export function validateCurrency(currency: string, field = 'currency'): void {
  if (!ledgerLimits.currencyPattern.test(currency)) {
    throw invalidParameter(`${field} must be 2–16 capital letters, digits or _, starting with a letter`, field);
  }
}

/** A user id the ledger accepts: every match participant and every depositor is a ledger user. */
export function validateUserId(userId: string, field: string): void {
  if (userId.length === 0 || utf8Length(userId) > ledgerLimits.maxUserIdBytes) {
    throw invalidParameter(`${field} must be 1–${ledgerLimits.maxUserIdBytes} bytes`, field);
  }
}
