import { type Kysely, type Selectable, sql } from 'kysely';
import {
  type Account,
  type AccountFilter,
  type AccountKind,
  accountId,
  type LedgerAccount,
  ledgerLimits,
  type Transfer,
  type TransferFilter,
  type TransferKind,
} from '../domain/ledger/ledger.js';
import type { DialectName } from './database.js';
import { newestFirst, type PageKey } from './keyset.js';
import { type QueryRunner, slot } from './query.js';
import type { LedgerAccountRow, LedgerTransferRow, Tables } from './tables.js';

/** A transfer to record: everything but what the database assigns. */
export type TransferRecord = Omit<Transfer, 'id' | 'createdAt'>;

export interface KindTotal {
  currency: string;
  kind: string;
  total: number;
  count: number;
}

/** A change of one account's balance by `delta` (any sign). */
export interface AccountChange {
  account: Account;
  delta: number;
}

export interface AppliedChanges {
  /** The new balance of every account changed, by account id. */
  balances: Map<string, number>;
  /** The first change refused (see LedgerRepository.applyChanges). */
  refused: AccountChange | undefined;
}

/** Ledger accounts and transfers. Every balance change is one conditional statement. */
export class LedgerRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
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

  /**
   * Applies each change to its account, in the order given (the caller's lock order): a
   * positive delta, or any delta of an external account, as `add`; a negative one as `take`.
   * Returns the new balances of the accounts changed, and the first change refused, if any
   * (the caller then rolls back). One statement on PostgreSQL, one per change elsewhere.
   */
  async applyChanges(changes: AccountChange[], now: number): Promise<AppliedChanges> {
    const balances = new Map<string, number>();
    if (changes.length === 0) return { balances, refused: undefined };
    if (this.dialect !== 'postgres') {
      for (const change of changes) {
        const { account, delta } = change;
        const balance =
          delta > 0 || account.kind === 'external'
            ? await this.add(account, delta, now)
            : await this.take(accountId(account), -delta);
        if (balance === undefined) return { balances, refused: change };
        balances.set(accountId(account), balance);
      }
      return { balances, refused: undefined };
    }
    const rows = await this.hot.rows<{ account_id: string; balance: number }>(
      'ledger.applyChanges',
      () => ({ compile: () => sql`${applyChangesSql(slot('changes'), slot('now'))}`.compile(this.db) }),
      { changes: changeRows(changes), now },
    );
    for (const row of rows) balances.set(row.account_id, row.balance);
    return { balances, refused: changes.find((change) => !balances.has(accountId(change.account))) };
  }

  /**
   * Records transfers, in the order given, unless a key was used (`usedKey`: the caller then
   * rolls back), then applies `changes` as applyChanges does. On PostgreSQL both in one
   * statement; these changes are of the accounts every movement of a currency shares, which
   * the caller changes last, so that their rows stay locked only until the commit.
   */
  async recordTransfers(
    transfers: TransferRecord[],
    changes: AccountChange[],
    now: number,
  ): Promise<AppliedChanges & { recorded: Transfer[]; usedKey: string | undefined }> {
    if (this.dialect !== 'postgres') {
      const recorded: Transfer[] = [];
      for (const transfer of transfers) {
        const row = await this.insertTransfer(transfer, now);
        if (!row) return { recorded, usedKey: transfer.idempotencyKey, balances: new Map(), refused: undefined };
        recorded.push(row);
      }
      return { recorded, usedKey: undefined, ...(await this.applyChanges(changes, now)) };
    }
    const rows = await this.hot.rows<
      Selectable<LedgerTransferRow> & { account_id: string | null; new_balance: number | null }
    >(
      'ledger.recordTransfers',
      () => ({
        compile: () =>
          sql`with transfers as (
              insert into ledger_transfers (idempotency_key, kind, from_account, to_account, currency, amount, match_id, user_balance_after, created_at)
              select t.value->>'key', t.value->>'kind', t.value->>'from', t.value->>'to', t.value->>'currency',
                cast(t.value->>'amount' as bigint), t.value->>'matchId', cast(t.value->>'balanceAfter' as bigint), cast(${slot('now')} as bigint)
              from json_array_elements(cast(${slot('transfers')} as json)) with ordinality as t(value, n)
              order by t.n
              on conflict (idempotency_key) do nothing
              returning *
            ), changed as (${applyChangesSql(slot('changes'), slot('now'))})
            select transfers.*, null as account_id, null as new_balance from transfers
            union all
            select null, null, null, null, null, null, null, null, null, null, account_id, balance from changed`.compile(
            this.db,
          ),
      }),
      {
        transfers: JSON.stringify(
          transfers.map((t) => ({
            key: t.idempotencyKey,
            kind: t.kind,
            from: t.fromAccount,
            to: t.toAccount,
            currency: t.currency,
            amount: t.amount,
            matchId: t.matchId ?? null,
            balanceAfter: t.userBalanceAfter ?? null,
          })),
        ),
        changes: changeRows(changes),
        now,
      },
    );
    const byKey = new Map<string, Transfer>();
    const balances = new Map<string, number>();
    for (const row of rows) {
      if (row.account_id !== null) balances.set(row.account_id, row.new_balance!);
      else byKey.set(row.idempotency_key, toTransfer(row));
    }
    const unused = transfers.find((t) => !byKey.has(t.idempotencyKey));
    return {
      recorded: transfers.flatMap((t) => byKey.get(t.idempotencyKey) ?? []),
      usedKey: unused?.idempotencyKey,
      balances,
      refused: changes.find((change) => !balances.has(accountId(change.account))),
    };
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

  /** Accounts newest first by (creation time, id), `limit + 1` of them after `after`. */
  async accounts(filter: AccountFilter, after: PageKey | undefined, limit: number): Promise<LedgerAccount[]> {
    let query = this.db.selectFrom('ledger_accounts').selectAll();
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.currency !== undefined) query = query.where('currency', '=', filter.currency);
    if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    const rows = await newestFirst(query, { at: 'created_at', id: 'account_id' }, after, limit).execute();
    return rows.map(toAccount);
  }

  async findAccount(id: string): Promise<LedgerAccount | undefined> {
    const row = await this.db.selectFrom('ledger_accounts').selectAll().where('account_id', '=', id).executeTakeFirst();
    return row && toAccount(row);
  }

  /**
   * Transfers newest first, `limit + 1` of them after `after`. Their ids grow in the order they
   * are written, so the id is the sort key on its own (the cursor's time is the id too): the
   * account indexes (account, id) serve it, and no index is added to this hot table.
   */
  async transfers(filter: TransferFilter, after: PageKey | undefined, limit: number): Promise<Transfer[]> {
    let query = this.db.selectFrom('ledger_transfers').selectAll();
    const account = filter.accountId;
    if (account !== undefined) {
      query = query.where((eb) => eb.or([eb('from_account', '=', account), eb('to_account', '=', account)]));
    }
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    const rows = await newestFirst(query, { at: 'id', id: 'id' }, after, limit).execute();
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

function toAccount(row: Selectable<LedgerAccountRow>): LedgerAccount {
  return {
    accountId: row.account_id,
    kind: row.kind as AccountKind,
    ownerId: row.owner_id,
    currency: row.currency,
    balance: row.balance,
    createdAt: row.created_at,
  };
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

/** The changes as one JSON parameter of applyChangesSql, in their order. */
function changeRows(changes: AccountChange[]): string {
  return JSON.stringify(
    changes.map(({ account, delta }) => ({
      account_id: accountId(account),
      kind: account.kind,
      owner_id: account.ownerId,
      currency: account.currency,
      delta,
    })),
  );
}

/**
 * PostgreSQL: applies a JSON list of changes (changeRows) in its order, each under the
 * conditions of `add` and `take`: an account is created only by a positive delta or as the
 * external one, a take leaves at least 0, and no balance leaves ±(2^53 − 1). Returns each
 * account changed with its new balance; a refused change returns no row.
 */
function applyChangesSql(changes: unknown, now: unknown) {
  const max = sql.lit(ledgerLimits.maxAmount);
  // A take's proposed row never goes in: its account exists (accounts are never deleted), so it
  // always conflicts. PostgreSQL checks the proposed row against the table's CHECK before it
  // looks for the conflict, though, and a negative balance fails "not negative" unless the
  // row says external: so a take proposes its row as external, and the update reads the
  // stored row's kind.
  return sql`insert into ledger_accounts (account_id, kind, owner_id, currency, balance, created_at)
    select c.account_id, case when c.delta < 0 then 'external' else c.kind end, c.owner_id, c.currency, c.delta,
      cast(${now} as bigint)
    from json_array_elements(cast(${changes} as json)) with ordinality as e(value, n)
    cross join lateral json_to_record(e.value) as c(account_id text, kind text, owner_id text, currency text, delta bigint)
    where c.delta > 0 or c.kind = 'external'
      or exists (select 1 from ledger_accounts as existing where existing.account_id = c.account_id)
    order by e.n
    on conflict (account_id) do update set balance = ledger_accounts.balance + excluded.balance
    where ledger_accounts.balance + excluded.balance <= ${max}
      and ledger_accounts.balance + excluded.balance >=
        case when excluded.balance < 0 and ledger_accounts.kind <> 'external' then 0 else -${max} end
    returning account_id, balance`;
}
