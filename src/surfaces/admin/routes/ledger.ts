import { Type } from '@sinclair/typebox';
import { ledgerLimits, type Transfer } from '../../../domain/ledger/ledger.js';
import type { LedgerService, Movement } from '../../../domain/ledger/ledgerService.js';
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
      url: '/ledger/summary',
      summary:
        'Per currency: the balances of users, escrow, fees and the outside, and what was deposited and withdrawn',
      async handle() {
        return ledger.summary();
      },
    }),
  ];
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
