import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { backends } from '../../support/backends.js';
import { type OklpFixture, oklpFixture, pollGame } from '../../support/oklp.js';

const USERS = 5;
const currency = fc.constantFrom('USD', 'EUR');
const user = fc.integer({ min: 0, max: USERS - 1 });

const operation = fc.oneof(
  { depthSize: 'small' },
  fc.record({
    type: fc.constant('deposit' as const),
    user,
    currency,
    amount: fc.integer({ min: 1, max: 1000 }),
    replay: fc.boolean(),
  }),
  fc.record({ type: fc.constant('withdraw' as const), user, currency, amount: fc.integer({ min: 1, max: 1500 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('create' as const),
      players: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 2, maxLength: 4 }),
      pairs: fc.boolean(),
      fee: fc.integer({ min: 0, max: 400 }),
      currency,
      mode: fc.constantFrom('sync' as const, 'async' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('result' as const),
      match: fc.nat(),
      rankings: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      forfeits: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      /** Sent twice at once: the same result (a retry), or a different one (a conflict). */
      twin: fc.constantFrom('same' as const, 'different' as const),
    }),
  },
  fc.record({ type: fc.constant('abort' as const), match: fc.nat() }),
  fc.record({ type: fc.constant('forfeit' as const), match: fc.nat(), team: fc.nat() }),
  fc.record({
    type: fc.constant('report' as const),
    match: fc.nat(),
    player: fc.nat(),
    score: fc.integer({ min: 0, max: 300 }),
  }),
);

/** Every run starts by funding its users, in USD then EUR, so matches can be paid for. */
const funding = fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 2 * USERS, maxLength: 2 * USERS });

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

interface CreatedMatch {
  matchId: string;
  mode: 'sync' | 'async';
  teams: string[][];
}

for (const backend of backends) {
  describe(`ledger invariants under random play [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it('keeps balances equal to deposits minus withdrawals, never negative, and settles each match at most once', async () => {
      // What the test itself paid in and out, per currency, across every run.
      const deposited: Record<string, number> = {};
      const withdrawn: Record<string, number> = {};
      const everyUser = new Set<string>();
      const decided = { live: 0, settled: 0, aborted: 0 };
      let run = 0;

      const statusOf = async (method: string, path: string, body: unknown, allowed: number[]) => {
        const reply = await f.admin.request(method, path, body);
        assert.ok(
          allowed.includes(reply.status),
          `${method} ${path} ${JSON.stringify(body)} → ${reply.status} ${JSON.stringify(reply.body)}`,
        );
        return reply;
      };

      const apply = async (
        op: Operation,
        users: string[],
        matches: CreatedMatch[],
        keys: Array<Record<string, unknown>>,
      ) => {
        switch (op.type) {
          case 'deposit': {
            const body =
              op.replay && keys.length > 0
                ? keys[op.amount % keys.length]!
                : {
                    userId: users[op.user],
                    amount: op.amount,
                    currency: op.currency,
                    idempotencyKey: `p${run}-${keys.length}`,
                  };
            const fresh = !keys.includes(body);
            const reply = await statusOf('POST', '/ledger/deposits', body, [200]);
            if (fresh) {
              keys.push(body);
              deposited[reply.body.transfer.currency] =
                (deposited[reply.body.transfer.currency] ?? 0) + reply.body.transfer.amount;
            }
            return;
          }
          case 'withdraw': {
            const body = {
              userId: users[op.user],
              amount: op.amount,
              currency: op.currency,
              idempotencyKey: `w${run}-${op.user}-${Math.random()}`,
            };
            const reply = await statusOf('POST', '/ledger/withdrawals', body, [200, 409]);
            if (reply.status === 200) withdrawn[op.currency] = (withdrawn[op.currency] ?? 0) + op.amount;
            return;
          }
          case 'create': {
            const players = op.players.map((i) => users[i]!);
            const teams =
              op.pairs && players.length >= 4 ? [players.slice(0, 2), players.slice(2)] : players.map((p) => [p]);
            const reply = await statusOf(
              'POST',
              '/oklp/matches',
              {
                clientId: pollGame.clientId,
                mode: op.mode,
                entryFee: op.fee,
                currency: op.currency,
                teams: teams.map((members, i) => ({ id: `t${i}`, participants: members.map((id) => ({ id })) })),
              },
              [201, 409],
            );
            if (reply.status === 201) {
              matches.push({ matchId: reply.body.match.matchId, mode: op.mode, teams });
            }
            return;
          }
          case 'result': {
            const match = matches[op.match % matches.length];
            if (!match) return;
            if (match.mode === 'async') {
              const reports = match.teams
                .flat()
                .map((id, i) => ({ match_id: match.matchId, participants: [{ id, score: op.rankings[i % 4]! * 10 }] }));
              const replies = await Promise.all(reports.map((body) => f.game.finish(body)));
              for (const r of replies) assert.ok([200, 409].includes(r.status), JSON.stringify(r.body));
              return;
            }
            const body = (rankings: number[]) => ({
              match_id: match.matchId,
              participants: match.teams.flat().map((id) => ({ id, score: 1 })),
              teams: match.teams.map((_, i) =>
                op.forfeits[i] ? { id: `t${i}`, 'forfeit?': true } : { id: `t${i}`, ranking: rankings[i] },
              ),
            });
            const twin = op.twin === 'same' ? op.rankings : op.rankings.map((r) => 4 - r);
            const replies = await Promise.all([f.game.finish(body(op.rankings)), f.game.finish(body(twin))]);
            for (const r of replies) assert.ok([200, 409].includes(r.status), JSON.stringify(r.body));
            if (op.twin === 'same')
              assert.equal(replies[0]!.status, replies[1]!.status, 'a retry is answered like the first');
            return;
          }
          case 'abort': {
            const match = matches[op.match % matches.length];
            if (!match) return;
            const reply = await f.game.finish({ 'match-id': match.matchId, error: { reason: 'property test' } });
            assert.ok([200, 409].includes(reply.status), JSON.stringify(reply.body));
            return;
          }
          case 'forfeit': {
            const match = matches[op.match % matches.length];
            if (!match) return;
            await statusOf(
              'POST',
              `/oklp/matches/${match.matchId}/forfeit`,
              { teamId: `t${op.team % match.teams.length}` },
              [200, 409],
            );
            return;
          }
          case 'report': {
            const match = matches[op.match % matches.length];
            if (!match) return;
            const players = match.teams.flat();
            const body = {
              match_id: match.matchId,
              participants: [{ id: players[op.player % players.length], score: op.score }],
            };
            const reply = await f.game.finish(body);
            // A single participant is a result for an async match, and a refused (400) partial one for a sync match.
            assert.ok([200, 409, match.mode === 'sync' ? 400 : 200].includes(reply.status), JSON.stringify(reply.body));
            return;
          }
        }
      };

      await fc.assert(
        fc.asyncProperty(
          funding,
          fc.array(operation, { minLength: 8, maxLength: 30, size: 'large' }),
          async (initial, operations) => {
            run += 1;
            const users = Array.from({ length: USERS }, (_, i) => `prop-${process.pid}-${run}-${i}`);
            users.forEach((u) => everyUser.add(u));
            const matches: CreatedMatch[] = [];
            const keys: Array<Record<string, unknown>> = [];
            for (const [i, amount] of initial.entries()) {
              await apply(
                { type: 'deposit', user: i % USERS, currency: i < USERS ? 'USD' : 'EUR', amount, replay: false },
                users,
                matches,
                keys,
              );
            }
            for (const op of operations) await apply(op, users, matches, keys);
            for (const { matchId } of matches) {
              const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
              decided[match.status as 'live' | 'settled' | 'aborted'] += 1;
            }

            // Per currency, every account sums to what came in minus what went out.
            const summary = await f.admin.ok('GET', '/ledger/summary');
            assert.equal(summary.negativeAccounts, 0);
            const balances: Record<string, number> = {};
            for (const userId of everyUser) {
              const account = await f.admin.ok('GET', `/ledger/accounts/${userId}`);
              for (const { currency, balance } of account.balances) {
                assert.ok(balance >= 0, `${userId} has ${balance} ${currency}`);
                balances[currency] = (balances[currency] ?? 0) + balance;
              }
            }
            for (const c of summary.currencies) {
              const net = (deposited[c.currency] ?? 0) - (withdrawn[c.currency] ?? 0);
              assert.equal(c.deposited - c.withdrawn, net, `${c.currency}: the server's in and out are the test's`);
              assert.equal(c.users + c.escrow + c.fees, net, `${c.currency}: balances = deposits − withdrawals`);
              assert.equal(balances[c.currency] ?? 0, c.users, `${c.currency}: user balances`);
            }

            // Each match: paid out at most once, and in full once decided.
            for (const matchId of matches.map((m) => m.matchId)) {
              const { match, transfers } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
              const paidIn = transfers
                .filter((t: any) => t.kind === 'entry_fee')
                .reduce((s: number, t: any) => s + t.amount, 0);
              const out = transfers.filter((t: any) => t.kind !== 'entry_fee');
              const paidOut = out.reduce((s: number, t: any) => s + t.amount, 0);
              const recipients = out.map((t: any) => t.to);
              assert.equal(new Set(recipients).size, recipients.length, `${matchId}: nobody is paid twice`);
              if (match.status === 'live') assert.equal(paidOut, 0, `${matchId}: live, nothing paid out`);
              else assert.equal(paidOut, paidIn, `${matchId}: ${match.status}, escrow emptied exactly`);
              if (match.status === 'aborted' || match.settlement?.outcome === 'tied') {
                assert.ok(
                  !out.some((t: any) => t.kind === 'platform_fee' || t.kind === 'prize'),
                  `${matchId}: refunds only`,
                );
              }
            }
          },
        ),
        { numRuns: 25 },
      );
      assert.ok(decided.settled > 0 && decided.aborted > 0, `matches were played: ${JSON.stringify(decided)}`);
    });
  });
}
