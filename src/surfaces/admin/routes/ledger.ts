import { Type } from '@sinclair/typebox';
import {
  accountKinds,
  type LedgerAccount,
  ledgerLimits,
  type Transfer,
  transferKinds,
} from '../../../domain/ledger/ledger.js';
import type { LedgerService, Movement } from '../../../domain/ledger/ledgerService.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { renderTransfer } from '../render.js';
import { defineAdminRoute, pageLimit, pageLimitQuery } from '../route.js';

const MovementBody = Type.Object({
  userId: Type.String({ minLength: 1, maxBytes: ledgerLimits.maxUserIdBytes }),
  amount: Type.Integer({ minimum: 1, maximum: ledgerLimits.maxAmount, description: 'integer minor units' }),
  currency: Type.String({ pattern: ledgerLimits.currencyPattern.source }),
  idempotencyKey: Type.String({ pattern: ledgerLimits.idempotencyKeyPattern.source }),
});

/** The ledger for operators and finance: deposits, withdrawals, statements, totals. */
export function ledgerRoutes(ledger: LedgerService) {
  return [
    movementRoute(
      '/ledger/deposits',
      "Credit a user's account with money from outside (idempotent by idempotencyKey)",
      (movement) => ledger.deposit(movement),
    ),
    movementRoute(
      '/ledger/withdrawals',
      "Debit a user's account (refused with 409 when the balance is short; idempotent by idempotencyKey)",
      (movement) => ledger.withdraw(movement),
    ),
    defineAdminRoute({
      method: 'GET',
      url: '/ledger/accounts/:userId',
      summary: "A user's balances per currency and recent transfers, newest first",
      params: Type.Object({ userId: Type.String({ minLength: 1, maxBytes: ledgerLimits.maxUserIdBytes }) }),
      query: Type.Object({ limit: pageLimitQuery }),
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
      async handle() {
        return ledger.summary();
      },
    }),
  ];
}

function renderAccount(account: LedgerAccount) {
  return {
    accountId: account.accountId,
    kind: account.kind,
    ownerId: account.ownerId,
    currency: account.currency,
    balance: account.balance,
    createdAt: account.createdAt,
  };
}

function movementRoute(url: string, summary: string, move: (movement: Movement) => Promise<Transfer>) {
  return defineAdminRoute({
    method: 'POST',
    url,
    summary,
    body: MovementBody,
    async handle({ body }) {
      return { transfer: renderTransfer(await move(body)) };
    },
  });
}
