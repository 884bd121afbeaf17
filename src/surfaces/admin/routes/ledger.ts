import { type Static, Type } from '@sinclair/typebox';
import {
  accountKinds,
  type LedgerAccount,
  ledgerLimits,
  type Transfer,
  transferKinds,
} from '../../../domain/ledger/ledger.js';
import type { LedgerService, Movement } from '../../../domain/ledger/ledgerService.js';
import { exampleEntryFee, exampleNames as ex } from '../examples.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { renderTransfer, TransferView } from '../render.js';
import { defineAdminRoute, json, pageLimit, pageLimitQuery } from '../route.js';
import { EpochMs, Page } from '../schemas.js';

const MovementBody = Type.Object({
  userId: Type.String({ minLength: 1, maxBytes: ledgerLimits.maxUserIdBytes }),
  amount: Type.Integer({ minimum: 1, maximum: ledgerLimits.maxAmount, description: 'integer minor units' }),
  currency: Type.String({ pattern: ledgerLimits.currencyPattern.source }),
  idempotencyKey: Type.String({ pattern: ledgerLimits.idempotencyKeyPattern.source }),
});

const Amount = Type.Integer({ description: 'integer minor units' });

/** A transfer seen from one account: with what it did to that account's balance. */
const SignedTransferView = Type.Object({
  ...TransferView.properties,
  change: Type.Integer({ description: "what it did to the account's balance, integer minor units (+ in, − out)" }),
});

/** A listing of transfers: signed (`change`) when it is one account's. */
const ListedTransferView = Type.Object({
  ...TransferView.properties,
  change: Type.Optional(SignedTransferView.properties.change),
});

const AccountView = Type.Object({
  accountId: Type.String({ description: 'kind:currency:owner, e.g. user:USD:alice, escrow:USD:{matchId}, fee:USD:' }),
  kind: Type.Union(accountKinds.map((kind) => Type.Literal(kind))),
  ownerId: Type.String({ description: 'the user or match id; empty for the fee and external accounts' }),
  currency: Type.String(),
  balance: Amount,
  createdAt: EpochMs,
});

const exampleDeposit = {
  id: 40,
  idempotencyKey: 'dep-20251201-0001',
  kind: 'deposit' as const,
  from: 'external:USD:',
  to: `user:USD:${ex.users[0]}`,
  currency: 'USD',
  amount: 2000,
  matchId: null,
  balanceAfter: 2000,
  createdAt: ex.at,
};

/** The ledger for operators and finance: deposits, withdrawals, statements, totals. */
export function ledgerRoutes(ledger: LedgerService) {
  return [
    movementRoute(
      '/ledger/deposits',
      "Credit a user's account with money from outside (idempotent by idempotencyKey)",
      ['idempotency_conflict'],
      exampleDeposit,
      (movement) => ledger.deposit(movement),
    ),
    movementRoute(
      '/ledger/withdrawals',
      "Debit a user's account (refused with 409 when the balance is short; idempotent by idempotencyKey)",
      ['insufficient_funds', 'idempotency_conflict'],
      {
        ...exampleDeposit,
        id: 57,
        idempotencyKey: 'wd-20251201-0001',
        kind: 'withdrawal',
        from: exampleDeposit.to,
        to: exampleDeposit.from,
        amount: 1000,
        balanceAfter: 500,
        createdAt: ex.at + 3_600_000,
      },
      (movement) => ledger.withdraw(movement),
    ),
    defineAdminRoute({
      method: 'GET',
      url: '/ledger/accounts/:userId',
      summary: "A user's balances per currency and recent transfers, newest first",
      params: Type.Object({ userId: Type.String({ minLength: 1, maxBytes: ledgerLimits.maxUserIdBytes }) }),
      query: Type.Object({ limit: pageLimitQuery }),
      response: json(
        Type.Object({
          userId: Type.String(),
          balances: Type.Array(Type.Object({ currency: Type.String(), balance: Amount })),
          transfers: Type.Array(SignedTransferView, { description: 'newest first' }),
        }),
      ),
      example: {
        params: { userId: ex.users[0] },
        query: { limit: '20' },
        response: {
          userId: ex.users[0],
          balances: [{ currency: 'USD', balance: 1500 }],
          transfers: [
            { ...exampleEntryFee, change: -500 },
            { ...exampleDeposit, change: 2000 },
          ],
        },
      },
      async handle({ params, query }) {
        const statement = await ledger.statement(params.userId, pageLimit(query.limit, 50));
        return {
          userId: statement.userId,
          balances: statement.balances,
          transfers: statement.transfers.map((t) => ({ ...renderTransfer(t), change: t.change })),
        };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/ledger/accounts',
      summary: 'Ledger accounts with their balances, newest first; filters: kind, currency, ownerId',
      query: Type.Object({
        ...pageQuery,
        kind: Type.Optional(Type.Union(accountKinds.map((kind) => Type.Literal(kind)))),
        currency: Type.Optional(Type.String({ pattern: ledgerLimits.currencyPattern.source })),
        ownerId: Type.Optional(Type.String({ minLength: 1, maxBytes: ledgerLimits.maxUserIdBytes })),
      }),
      response: json(Page(AccountView)),
      example: {
        query: { kind: 'user', currency: 'USD', limit: '20' },
        response: {
          items: [
            {
              accountId: `user:USD:${ex.users[0]}`,
              kind: 'user',
              ownerId: ex.users[0],
              currency: 'USD',
              balance: 1500,
              createdAt: ex.at,
            },
          ],
          nextCursor: null,
        },
      },
      async handle({ query }) {
        const request = pageRequest(query);
        const filter = { kind: query.kind, currency: query.currency, ownerId: query.ownerId };
        const rows = await ledger.accounts(filter, request.after, request.limit);
        return page(rows, request, (a) => ({ at: a.createdAt, id: a.accountId }), renderAccount);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/ledger/transfers',
      summary: 'Ledger transfers, newest first; filters: accountId, kind, from/to',
      query: Type.Object({
        ...pageQuery,
        ...timeRangeQuery,
        accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        kind: Type.Optional(Type.Union(transferKinds.map((kind) => Type.Literal(kind)))),
      }),
      response: json(Page(ListedTransferView)),
      errors: ['not_found'],
      example: {
        query: { accountId: `user:USD:${ex.users[0]}`, limit: '20' },
        response: {
          items: [
            { ...exampleEntryFee, change: -500 },
            { ...exampleDeposit, change: 2000 },
          ],
          nextCursor: null,
        },
      },
      async handle({ query }) {
        const request = pageRequest(query, 'number');
        const account = query.accountId === undefined ? undefined : await ledger.account(query.accountId);
        const filter = { accountId: account?.accountId, kind: query.kind, ...timeRange(query) };
        const rows = await ledger.transfers(filter, request.after, request.limit);
        return page(
          rows,
          request,
          (t) => ({ at: t.id, id: t.id }),
          (t) => ({
            ...renderTransfer(t),
            // Signed from the account's side when the listing is an account's.
            ...(account && { change: t.toAccount === account.accountId ? t.amount : -t.amount }),
          }),
        );
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/ledger/summary',
      summary:
        'Per currency: the balances of users, escrow, fees and the outside, and what was deposited and withdrawn',
      response: json(
        Type.Object({
          currencies: Type.Array(
            Type.Object({
              currency: Type.String(),
              users: { ...Amount, description: 'the sum of the user accounts’ balances, integer minor units' },
              escrow: { ...Amount, description: 'the sum held in match escrows' },
              fees: { ...Amount, description: 'the platform fees collected' },
              external: {
                ...Amount,
                description: 'the outside’s balance: withdrawals less deposits (negative while money is in)',
              },
              deposited: { ...Amount, description: 'the sum of all deposits' },
              withdrawn: { ...Amount, description: 'the sum of all withdrawals' },
            }),
            { description: 'by currency code' },
          ),
          negativeAccounts: Type.Integer({
            description: 'accounts (other than the outside) with a negative balance: should be 0',
          }),
        }),
      ),
      example: {
        response: {
          currencies: [
            {
              currency: 'USD',
              users: 500,
              escrow: 500,
              fees: 0,
              external: -1000,
              deposited: 2000,
              withdrawn: 1000,
            },
          ],
          negativeAccounts: 0,
        },
      },
      async handle() {
        return ledger.summary();
      },
    }),
  ];
}

function renderAccount(account: LedgerAccount): Static<typeof AccountView> {
  return {
    accountId: account.accountId,
    kind: account.kind,
    ownerId: account.ownerId,
    currency: account.currency,
    balance: account.balance,
    createdAt: account.createdAt,
  };
}

function movementRoute(
  url: string,
  summary: string,
  errors: Array<'insufficient_funds' | 'idempotency_conflict'>,
  example: Static<typeof TransferView>,
  move: (movement: Movement) => Promise<Transfer>,
) {
  return defineAdminRoute({
    method: 'POST',
    url,
    summary,
    body: MovementBody,
    response: json(Type.Object({ transfer: TransferView })),
    errors,
    example: {
      body: {
        userId: ex.users[0],
        amount: example.amount,
        currency: example.currency,
        idempotencyKey: example.idempotencyKey,
      },
      response: { transfer: example },
    },
    async handle({ body }) {
      return { transfer: renderTransfer(await move(body)) };
    },
  });
}
