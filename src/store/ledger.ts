import { type Kysely, type Selectable, sql } from 'kysely';
import { type Account, accountId, ledgerLimits, type Transfer, type TransferKind } from '../domain/ledger/ledger.js';
import { type QueryRunner, slot } from './query.js';
import type { LedgerTransferRow, Tables } from './tables.js';

/** A transfer to record: everything but what the database assigns. */
export type TransferRecord = Omit<Transfer, 'id' | 'createdAt'>;

export interface KindTotal {
  currency: string;
  kind: string;
  total: number;
  count: number;
}

/** Ledger accounts and transfers. Every balance change is one conditional statement. */
export class LedgerRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly hot: QueryRunner,
  ) {}

  /**
   * Adds `delta` (any sign) to an account, creating it when missing, unless the new balance
   * would leave ±(2^53 − 1). Only for accounts that may go negative or for credits. Returns
   * the new balance, or undefined when refused.
   */
  async add(account: Account, delta: number, now: number): Promise<number | undefined> {
    const [row] = await this.hot.rows(
      'ledger.add',
      () => {
        const newBalance = sql<number>`ledger_accounts.balance + excluded.balance`;
        return this.db
          .insertInto('ledger_accounts')
          .values({
            account_id: slot('accountId'),
            kind: slot('kind'),
            owner_id: slot('ownerId'),
            currency: slot('currency'),
            balance: slot('delta'),
            created_at: slot('now'),
          })
          .onConflict((c) =>
            c
              .column('account_id')
              .doUpdateSet({ balance: newBalance })
              .where(newBalance, '>=', sql.lit(-ledgerLimits.maxAmount))
              .where(newBalance, '<=', sql.lit(ledgerLimits.maxAmount)),
          )
          .returning('balance');
      },
      {
        accountId: accountId(account),
        kind: account.kind,
        ownerId: account.ownerId,
        currency: account.currency,
        delta,
        now,
      },
    );
    return row?.balance;
  }

  /** Takes `amount` from an account if it holds that much. Returns the new balance, or undefined. */
  async take(id: string, amount: number): Promise<number | undefined> {
    const [row] = await this.hot.rows(
      'ledger.take',
      () =>
        this.db
          .updateTable('ledger_accounts')
          .set({ balance: sql<number>`balance - ${slot('amount')}` })
          .where('account_id', '=', slot('accountId'))
          .where('balance', '>=', slot('amount'))
          .returning('balance'),
      { accountId: id, amount },
    );
    return row?.balance;
  }

  /** Records a transfer unless its key was used; returns undefined when it was. */
  async insertTransfer(transfer: TransferRecord, now: number): Promise<Transfer | undefined> {
    const [row] = await this.hot.rows(
      'ledger.insertTransfer',
      () =>
        this.db
          .insertInto('ledger_transfers')
          .values({
            idempotency_key: slot('key'),
            kind: slot('kind'),
            from_account: slot('from'),
            to_account: slot('to'),
            currency: slot('currency'),
            amount: slot('amount'),
            match_id: slot('matchId'),
            user_balance_after: slot('balanceAfter'),
            created_at: slot('now'),
          })
          .onConflict((c) => c.column('idempotency_key').doNothing())
          .returningAll(),
      {
        key: transfer.idempotencyKey,
        kind: transfer.kind,
        from: transfer.fromAccount,
        to: transfer.toAccount,
        currency: transfer.currency,
        amount: transfer.amount,
        matchId: transfer.matchId ?? null,
        balanceAfter: transfer.userBalanceAfter ?? null,
        now,
      },
    );
    return row && toTransfer(row);
  }

  async findTransfer(idempotencyKey: string): Promise<Transfer | undefined> {
    const row = await this.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row && toTransfer(row);
  }

  /** A user's accounts, by currency. */
  async userAccounts(userId: string): Promise<Array<{ accountId: string; currency: string; balance: number }>> {
    const rows = await this.db
      .selectFrom('ledger_accounts')
      .select(['account_id', 'currency', 'balance'])
      .where('owner_id', '=', userId)
      .where('kind', '=', 'user')
      .orderBy('currency')
      .execute();
    return rows.map((r) => ({ accountId: r.account_id, currency: r.currency, balance: r.balance }));
  }

  /** Transfers into or out of any of these accounts, newest first. */
  async transfersOf(accountIds: string[], limit: number): Promise<Transfer[]> {
    if (accountIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where((eb) => eb.or([eb('from_account', 'in', accountIds), eb('to_account', 'in', accountIds)]))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toTransfer);
  }

  /** Balances summed per currency and account kind. */
  balanceTotals(): Promise<KindTotal[]> {
    return this.sumsByCurrencyAndKind('ledger_accounts', 'balance');
  }

  /** Transfer amounts summed per currency and kind. */
  transferTotals(): Promise<KindTotal[]> {
    return this.sumsByCurrencyAndKind('ledger_transfers', 'amount');
  }

  /** How many accounts that must never go negative are negative (always 0; for audits). */
  async negativeAccounts(): Promise<number> {
    const row = await this.db
      .selectFrom('ledger_accounts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('kind', '!=', 'external')
      .where('balance', '<', 0)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private async sumsByCurrencyAndKind(table: 'ledger_accounts' | 'ledger_transfers', column: 'balance' | 'amount') {
    const { rows } = await sql<{ currency: string; kind: string; total: string | number; count: string | number }>`
      select currency, kind, sum(${sql.ref(column)}) as total, count(*) as count
      from ${sql.table(table)} group by currency, kind`.execute(this.db);
    return rows.map((r) => ({ currency: r.currency, kind: r.kind, total: Number(r.total), count: Number(r.count) }));
  }
}

function toTransfer(row: Selectable<LedgerTransferRow>): Transfer {
  return {
    id: Number(row.id),
    idempotencyKey: row.idempotency_key,
    kind: row.kind as TransferKind,
    fromAccount: row.from_account,
    toAccount: row.to_account,
    currency: row.currency,
    amount: row.amount,
    matchId: row.match_id ?? undefined,
    userBalanceAfter: row.user_balance_after ?? undefined,
    createdAt: row.created_at,
  };
}
