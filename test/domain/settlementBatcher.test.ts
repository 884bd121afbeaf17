import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerService } from '../../src/domain/ledger/ledgerService.js';
import type { StoredMatch } from '../../src/domain/matches/match.js';
import { MatchService } from '../../src/domain/matches/matchService.js';
import { settle } from '../../src/domain/matches/settlement.js';
import { SettlementBatcher } from '../../src/domain/matches/settlementBatcher.js';
import { systemClock } from '../../src/platform/clock.js';
import { DomainError } from '../../src/platform/errors.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';

/**
 * Synchronous settlements batched per currency, on a real database: the calls made in one
 * event-loop turn go in one batch, so each test knows what its batch holds.
 */
for (const backend of backends) {
  describe(`settlement batches [${backend.name}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let store: Store;
    let ledger: LedgerService;
    let matches: MatchService;
    let batcher: SettlementBatcher;
    const errors: Error[] = [];
    const feeBasisPoints = 1000;

    before(async () => {
      testDatabase = await backend.create();
      database = await openDatabase(storageOf(testDatabase), (error) => errors.push(error));
      store = Store.over(database);
      ledger = new LedgerService(store, systemClock);
      matches = new MatchService(
        store,
        systemClock,
        ledger,
        { exists: () => true, wantsPush: () => false },
        { feeBasisPoints, asyncDeadlineMs: 60_000, matchTokenLifetimeMs: 60_000 },
      );
      batcher = new SettlementBatcher(store, systemClock, ledger);
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
      assert.deepEqual(errors, [], 'nothing failed in the background');
    });

    let users = 0;
    /** A funded, live 1-v-1 match of two new players (entry fee 100), as stored. */
    async function liveMatch(): Promise<StoredMatch> {
      const players = [`player-${++users}`, `player-${++users}`];
      for (const userId of players) {
        await ledger.deposit({ userId, amount: 100, currency: 'USD', idempotencyKey: `fund-${userId}` });
      }
      const { match } = await matches.create({
        clientId: 'game',
        mode: 'sync',
        entryFee: 100,
        currency: 'USD',
        teams: players.map((userId, i) => ({ teamId: `team-${i}`, userIds: [userId] })),
      });
      return (await store.matches.find(match.matchId))!;
    }
    /** team-0 wins. */
    const proposal = (match: StoredMatch) =>
      [
        match,
        settle(match, { outcome: 'won', winner: 'team-0' }, feeBasisPoints),
        {
          participants: match.participants.map(({ userId }, i) => ({ userId, score: 100 - i })),
          teams: match.teams.map(({ teamId }, i) => ({ teamId, score: 100 - i, ranking: i + 1, forfeit: false })),
        },
      ] as const;
    const balanceOf = async (userId: string) =>
      (await ledger.statement(userId, 10)).balances.find((b) => b.currency === 'USD')?.balance;

    it('settles the rest of a batch whose money move is refused for one match; that caller alone gets the refusal', async () => {
      const batch = await Promise.all(Array.from({ length: 8 }, () => liveMatch()));
      const poisoned = batch[3]!;
      // A transfer key of its settlement already used: the batch's one ledger movement is refused.
      await database.db
        .insertInto('ledger_transfers')
        .values({
          idempotency_key: `match:${poisoned.matchId}:fee`,
          kind: 'platform_fee',
          from_account: `escrow:USD:${poisoned.matchId}`,
          to_account: 'fee:USD:',
          currency: 'USD',
          amount: 1,
          match_id: poisoned.matchId,
          user_balance_after: null,
          created_at: Date.now(),
        })
        .execute();
      // Changed since it was read (a forfeit bumps the revision): not decided, the caller reads again.
      const stale = batch[5]!;
      await matches.forfeit(stale.matchId, 'team-1');
      const feesBefore = (await ledger.account('fee:USD:').catch(() => ({ balance: 0 }))).balance;

      // All in this turn: one batch, with a second report of the last match in it.
      const calls = [...batch, batch[7]!].map((match) => batcher.decide(...proposal(match)));
      const outcomes = await Promise.allSettled(calls);

      const refusal = outcomes[3]!;
      assert.equal(refusal.status, 'rejected');
      assert.ok(
        refusal.reason instanceof DomainError && refusal.reason.code === 'idempotency_conflict',
        refusal.reason,
      );
      assert.deepEqual(outcomes[5], { status: 'fulfilled', value: undefined }, 'the stale read is not decided');
      assert.deepEqual(outcomes[8], { status: 'fulfilled', value: undefined }, 'the second report is not decided');
      const settled = [0, 1, 2, 4, 6, 7];
      for (const i of settled) {
        const outcome = outcomes[i]!;
        assert.equal(outcome.status, 'fulfilled');
        assert.equal(outcome.status === 'fulfilled' && outcome.value?.status, 'settled', `match ${i}`);
      }

      for (const [i, match] of batch.entries()) {
        const stored = (await store.matches.find(match.matchId))!;
        const winner = match.participants[0]!.userId;
        const loser = match.participants[1]!.userId;
        const transfers = await ledger.transfersOf({ kind: 'escrow', ownerId: match.matchId, currency: 'USD' }, 10);
        if (settled.includes(i)) {
          assert.equal(stored.status, 'settled', `match ${i}`);
          assert.deepEqual(
            transfers.map((t) => [t.kind, t.amount]),
            [
              ['entry_fee', 100],
              ['entry_fee', 100],
              ['prize', 180],
              ['platform_fee', 20],
            ],
            `match ${i} paid out once`,
          );
          assert.equal(await balanceOf(winner), 180);
          assert.equal(await balanceOf(loser), 0);
        } else {
          assert.equal(stored.status, 'live', `match ${i} is still live`);
          const planted = match === poisoned ? [['platform_fee', 1]] : [];
          assert.deepEqual(
            transfers.map((t) => [t.kind, t.amount]),
            [['entry_fee', 100], ['entry_fee', 100], ...planted],
            `match ${i}: no money moved`,
          );
          assert.equal(await balanceOf(winner), 0);
        }
      }
      const fees = (await ledger.account('fee:USD:')).balance;
      assert.equal(fees - feesBefore, 20 * settled.length, 'one fee per settled match');
    });

    it('decides a batch of one, and a match a batch has decided is not decided again', async () => {
      const match = await liveMatch();
      const first = await batcher.decide(...proposal(match));
      assert.equal(first?.status, 'settled');
      const again = await Promise.all([batcher.decide(...proposal(match)), batcher.decide(...proposal(match))]);
      assert.deepEqual(again, [undefined, undefined]);
      assert.equal(await balanceOf(match.participants[0]!.userId), 180);
    });
  });
}
