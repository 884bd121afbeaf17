import type { Clock } from '../../platform/clock.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import type { AdminEventPublisher } from '../events.js';
import {
  type Account,
  type AccountFilter,
  type LedgerAccount,
  type TransferFilter,
  accountId,
  externalAccount,
  ledgerLimits,
  type NewTransfer,
  type Transfer,
  userAccount,
  validateCurrency,
  validateUserId,
} from './ledger.js';

export interface Movement {
  userId: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

export interface Statement {
  userId: string;
  balances: Array<{ currency: string; balance: number }>;
  /** Newest first, each with what it did to the user's balance (+ in, − out). */
  transfers: Array<Transfer & { change: number }>;
}

export interface CurrencySummary {
  currency: string;
  /** Sum of the balances of each kind of account. */
  users: number;
  escrow: number;
  fees: number;
  external: number;
  deposited: number;
  withdrawn: number;
}

/**
 * Double-entry transfers between accounts. Every movement of value goes through `move`, inside
 * the transaction of the change that causes it, so money moves if and only if that commits.
 */
export class LedgerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Told of every transfer once it has committed (the admin event stream). */
    private readonly events?: AdminEventPublisher,
  ) {}

  /** Money comes in from outside. A replayed key returns the first transfer and moves nothing. */
  deposit(movement: Movement): Promise<Transfer> {
    return this.single('deposit', movement);
  }

  /** Money goes out; refused (`insufficient_funds`) when the balance is short. */
  withdraw(movement: Movement): Promise<Transfer> {
    return this.single('withdrawal', movement);
  }

  async statement(userId: string, limit: number): Promise<Statement> {
    const accounts = await this.store.ledger.userAccounts(userId);
    const own = new Set(accounts.map((a) => a.accountId));
    const transfers = await this.store.ledger.transfersOf([...own], limit);
    return {
      userId,
      balances: accounts.map(({ currency, balance }) => ({ currency, balance })),
      transfers: transfers.map((t) => ({ ...t, change: own.has(t.toAccount) ? t.amount : -t.amount })),
    };
  }

  /** Accounts for operators, newest first: `limit + 1` after `after` (the extra one says there are more). */
  accounts(filter: AccountFilter, after: PageKey | undefined, limit: number): Promise<LedgerAccount[]> {
    return this.store.ledger.accounts(filter, after, limit);
  }

  /** An account by its id (`user:USD:alice`, `escrow:USD:{matchId}`, `fee:USD:`, `external:USD:`). */
  async account(id: string): Promise<LedgerAccount> {
    const account = await this.store.ledger.findAccount(id);
    if (!account) throw new DomainError('not_found', `accountId ${id} does not exist`, { field: 'accountId' });
    return account;
  }

  /** Transfers for operators, newest first: `limit + 1` after `after`. */
  transfers(filter: TransferFilter, after: PageKey | undefined, limit: number): Promise<Transfer[]> {
    return this.store.ledger.transfers(filter, after, limit);
  }

  /** Per currency: what each kind of account holds, and what came in and went out. */
  async summary(): Promise<{ currencies: CurrencySummary[]; negativeAccounts: number }> {
    const [balances, transfers, negativeAccounts] = await Promise.all([
      this.store.ledger.balanceTotals(),
      this.store.ledger.transferTotals(),
      this.store.ledger.negativeAccounts(),
    ]);
    const byCurrency = new Map<string, CurrencySummary>();
    const entry = (currency: string) => {
      let summary = byCurrency.get(currency);
      if (!summary) {
        summary = { currency, users: 0, escrow: 0, fees: 0, external: 0, deposited: 0, withdrawn: 0 };
        byCurrency.set(currency, summary);
      }
      return summary;
    };
    const balanceField = { user: 'users', escrow: 'escrow', fee: 'fees', external: 'external' } as const;
    for (const { currency, kind, total } of balances) {
      const field = balanceField[kind as keyof typeof balanceField];
      if (field) entry(currency)[field] += total;
    }
    for (const { currency, kind, total } of transfers) {
      if (kind === 'deposit') entry(currency).deposited += total;
      if (kind === 'withdrawal') entry(currency).withdrawn += total;
    }
    const currencies = [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
    return { currencies, negativeAccounts };
  }

  /** The latest `limit` transfers into or out of an account, oldest first. */
  async transfersOf(account: Account, limit: number): Promise<Transfer[]> {
    return (await this.store.ledger.transfersOf([accountId(account)], limit)).reverse();
  }

  /**
   * Records `transfers` and moves their money inside `tx`, all or nothing. The net change of
   * each account is applied by one conditional statement; an account other than the external
   * one that would go negative refuses the whole set with `insufficient_funds`. A key used
   * before refuses it with `idempotency_conflict`.
   *
   * Lock order: the users' and escrow accounts first, then the transfers, and the accounts
   * every movement of a currency shares (fee, external) last, each group in account-id order —
   * one fixed order, so no deadlock, and a shared row stays locked only until the commit that
   * follows: on PostgreSQL, settlements queue on the fee account for that long.
   */
  async move(tx: Store, transfers: NewTransfer[], now: number): Promise<Transfer[]> {
    const changes = new Map<string, { account: Account; delta: number }>();
    const change = (account: Account, delta: number) => {
      const id = accountId(account);
      const current = changes.get(id) ?? { account, delta: 0 };
      current.delta += delta;
      changes.set(id, current);
    };
    for (const transfer of transfers) {
      validateTransfer(transfer);
      change(transfer.from, -transfer.amount);
      change(transfer.to, transfer.amount);
    }
    // Each group in account-id order; a delta of 0 changes nothing.
    const group = (shared: boolean) =>
      [...changes.keys()]
        .filter((id) => isShared(changes.get(id)!.account) === shared && changes.get(id)!.delta !== 0)
        .sort()
        .map((id) => changes.get(id)!);
    const own = await tx.ledger.applyChanges(group(false), now);
    if (own.refused) throw refusal(own.refused.account, own.refused.delta);
    // A user's balance right after each of its transfers: the final balance less what the
    // user's later transfers in this set changed (a set may touch one user several times).
    const balancesAfter: Array<number | undefined> = [];
    const running = new Map(own.balances);
    for (let i = transfers.length - 1; i >= 0; i--) {
      const side = userSide(transfers[i]!);
      const after = side && running.get(side.id);
      if (side && after !== undefined) running.set(side.id, after - side.change);
      balancesAfter[i] = after;
    }
    const records = transfers.map((transfer, i) => {
      const from = accountId(transfer.from);
      const to = accountId(transfer.to);
      return {
        idempotencyKey: transfer.idempotencyKey,
        kind: transfer.kind,
        fromAccount: from,
        toAccount: to,
        currency: transfer.from.currency,
        amount: transfer.amount,
        matchId: transfer.matchId,
        userBalanceAfter: balancesAfter[i],
      };
    });
    const { recorded, usedKey, refused } = await tx.ledger.recordTransfers(records, group(true), now);
    if (usedKey !== undefined) throw keyUsed(usedKey);
    if (refused) throw refusal(refused.account, refused.delta);
    const { events } = this;
    if (events) {
      tx.afterCommit(() => {
        for (const transfer of recorded) events.publish({ type: 'ledger.transfer', at: now, transfer });
      });
    }
    return recorded;
  }

  private async single(kind: 'deposit' | 'withdrawal', movement: Movement): Promise<Transfer> {
    validateMovement(movement);
    const user = userAccount(movement.userId, movement.currency);
    const external = externalAccount(movement.currency);
    const transfer: NewTransfer = {
      idempotencyKey: movement.idempotencyKey,
      kind,
      from: kind === 'deposit' ? external : user,
      to: kind === 'deposit' ? user : external,
      amount: movement.amount,
    };
    // A retry is usually of a transfer long committed: answer it without a transaction.
    const earlier = await this.store.ledger.findTransfer(movement.idempotencyKey);
    if (earlier) return replay(earlier, transfer);
    try {
      const now = this.clock.now();
      const [recorded] = await this.store.transaction((tx) => this.move(tx, [transfer], now));
      return recorded!;
    } catch (error) {
      if (kind === 'withdrawal' && error instanceof DomainError && error.code === 'insufficient_funds') {
        throw new DomainError(
          'insufficient_funds',
          `amount ${movement.amount} is more than the ${movement.currency} balance of user ${JSON.stringify(movement.userId)}`,
          { field: 'amount' },
        );
      }
      // Two requests with one key at once: the loser rolled back; answer it as a replay.
      if (!(error instanceof DomainError && error.code === 'idempotency_conflict')) throw error;
      const winner = await this.store.ledger.findTransfer(movement.idempotencyKey);
      if (!winner) throw error;
      return replay(winner, transfer);
    }
  }
}

/** The first transfer with this key, if the request is the same one; else a conflict. */
function replay(earlier: Transfer, request: NewTransfer): Transfer {
  const same =
    earlier.kind === request.kind &&
    earlier.fromAccount === accountId(request.from) &&
    earlier.toAccount === accountId(request.to) &&
    earlier.amount === request.amount;
  if (same) return earlier;
  throw new DomainError(
    'idempotency_conflict',
    `idempotencyKey ${request.idempotencyKey} was already used for a different ${earlier.kind} (${earlier.amount} ${earlier.currency} for ${earlier.kind === 'deposit' ? earlier.toAccount : earlier.fromAccount})`,
    { field: 'idempotencyKey' },
  );
}

function keyUsed(key: string): DomainError {
  return new DomainError('idempotency_conflict', `transfer key ${key} was already used`);
}

function refusal(account: Account, delta: number): DomainError {
  if (account.kind === 'user' && delta < 0) {
    return new DomainError(
      'insufficient_funds',
      `user ${account.ownerId} has less than ${-delta} ${account.currency}`,
      { field: 'userId' },
    );
  }
  if (delta > 0 || account.kind === 'external') {
    return invalidParameter(
      `amount would take the ${account.kind} balance in ${account.currency} beyond 2^53 − 1`,
      'amount',
    );
  }
  return new DomainError('internal', `${account.kind} account ${accountId(account)} has less than ${-delta}`);
}

function validateTransfer(transfer: NewTransfer): void {
  if (!Number.isSafeInteger(transfer.amount) || transfer.amount <= 0) {
    throw invalidParameter('a transfer amount must be a positive integer of minor units', 'amount');
  }
  if (transfer.from.currency !== transfer.to.currency) {
    throw new DomainError('internal', `transfer ${transfer.idempotencyKey} mixes currencies`);
  }
}

function validateMovement(movement: Movement): void {
  if (!Number.isSafeInteger(movement.amount) || movement.amount <= 0) {
    throw invalidParameter('amount must be a positive integer of minor units (at most 2^53 − 1)', 'amount');
  }
  validateCurrency(movement.currency);
  if (!ledgerLimits.idempotencyKeyPattern.test(movement.idempotencyKey)) {
    throw invalidParameter('idempotencyKey must be 1–128 characters of A–Z a–z 0–9 . _ ~ -', 'idempotencyKey');
  }
  validateUserId(movement.userId, 'userId');
}

/** The user account a transfer touches (to one, else from one), and what it did to it. */
function userSide(transfer: NewTransfer): { id: string; change: number } | undefined {
  if (transfer.to.kind === 'user') return { id: accountId(transfer.to), change: transfer.amount };
  if (transfer.from.kind === 'user') return { id: accountId(transfer.from), change: -transfer.amount };
  return undefined;
}

/** Accounts that every movement of a currency may touch: the platform's fee and the outside world. */
function isShared(account: Account): boolean {
  return account.kind === 'fee' || account.kind === 'external';
}
