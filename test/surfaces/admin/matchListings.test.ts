import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN,
  allPages,
  assertNewestFirst,
  assertNoSecrets,
  assertWalk,
  walkWhileInserting,
} from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { sleep } from '../../support/wait.js';
import {
  createMatch,
  deposit,
  type OklpFixture,
  oklpFixture,
  otherGame,
  pollGame,
  syncResult,
  uniqueUsers,
} from '../../support/oklp.js';

const secrets = [pollGame.clientSecret, otherGame.clientSecret, ADMIN_TOKEN];
const byMatch = (m: any) => m.matchId;
const created = (x: any) => x.createdAt;

for (const backend of backends) {
  describe(`admin API: match listings [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it('lists matches newest first, filtered by client, status, mode and creation time', async () => {
      const start = Date.now();
      const [a1, a2, b1, b2, c1, c2, d1, d2] = uniqueUsers(8);
      const settled = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[a1!], [a2!]] });
      const aborted = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[b1!], [b2!]] });
      const async = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[c1!], [c2!]], mode: 'async' });
      const other = await createMatch(f.admin, { clientId: otherGame.clientId, teams: [[d1!], [d2!]] });
      const finished = await f.game.finish(syncResult(settled, [[a1!], [a2!]], [1, 2]));
      assert.equal(finished.status, 200, JSON.stringify(finished.body));
      await f.admin.ok('POST', `/oklp/matches/${aborted}/abort`, { reason: 'server fire' });
      await sleep(5);
      const middle = Date.now();

      const everything = await allPages(f.admin, '/oklp/matches', 1);
      assert.deepEqual(everything.map(byMatch).sort(), [settled, aborted, async, other].sort());
      assertNewestFirst(everything, byMatch, created);
      const detail = await f.admin.ok('GET', `/oklp/matches/${settled}`);
      assert.deepEqual(
        everything.find((m) => m.matchId === settled),
        detail.match,
        'a listed match is the match as its detail shows it',
      );
      assert.equal(detail.match.settlement.outcome !== undefined, true);

      const query = async (q: string) => (await allPages(f.admin, `/oklp/matches?${q}`, 2)).map(byMatch).sort();
      assert.deepEqual(await query(`clientId=${otherGame.clientId}`), [other]);
      assert.deepEqual(await query('status=settled'), [settled]);
      assert.deepEqual(await query('status=aborted'), [aborted]);
      assert.deepEqual(await query('status=live'), [async, other].sort());
      assert.deepEqual(await query('mode=async'), [async]);
      assert.deepEqual(await query(`mode=sync&status=live&clientId=${pollGame.clientId}`), []);
      assert.deepEqual(await query(`from=${start}&to=${middle}`), [settled, aborted, async, other].sort());
      assert.deepEqual(await query(`from=${middle}`), []);
      assertNoSecrets(everything, secrets);
    });

    it('never skips nor repeats a match while matches are being created', async () => {
      for (let i = 0; i < 4; i++) {
        const [x, y] = uniqueUsers(2);
        await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[x!], [y!]] });
      }
      const before = (await allPages(f.admin, '/oklp/matches', 500)).map(byMatch);
      const walked = await walkWhileInserting(f.admin, '/oklp/matches', 2, () => {
        const [x, y] = uniqueUsers(2);
        return createMatch(f.admin, { clientId: pollGame.clientId, teams: [[x!], [y!]] });
      });
      assertWalk(walked, before, byMatch, created);
    });

    it('refuses an unknown client with 400 and bad filters naming them', async () => {
      const cases: Array<[string, number, string, RegExp]> = [
        ['/oklp/matches?clientId=nobody', 400, 'client_not_found', /clientId "nobody" is not a configured game client/],
        ['/oklp/matches?status=won', 400, 'invalid_parameter', /invalid query: status/],
        ['/oklp/matches?mode=turbo', 400, 'invalid_parameter', /invalid query: mode/],
        ['/oklp/matches?to=5&from=5', 400, 'invalid_parameter', /from \(5\) must be before to \(5\)/],
      ];
      for (const [path, status, code, message] of cases) {
        const reply = await f.admin.request('GET', path);
        assert.equal(reply.status, status, path);
        assert.equal(reply.body.error.code, code, path);
        assert.match(reply.body.error.message, message, path);
      }
    });
  });

  describe(`admin API: ledger accounts and transfers [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it('lists accounts with their balances, filtered by kind, currency and owner', async () => {
      const [alice, bob] = uniqueUsers(2);
      await deposit(f.admin, alice!, 500);
      await deposit(f.admin, alice!, 70, 'EUR');
      await deposit(f.admin, bob!, 300);
      const matchId = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[alice!], [bob!]] }, 0);

      const all = await allPages(f.admin, '/ledger/accounts', 2);
      assertNewestFirst(all, (a) => a.accountId, created);
      const ids = all.map((a) => a.accountId).sort();
      assert.deepEqual(
        ids,
        [
          `escrow:USD:${matchId}`,
          'external:EUR:',
          'external:USD:',
          `user:EUR:${alice}`,
          `user:USD:${alice}`,
          `user:USD:${bob}`,
        ].sort(),
      );
      const ofAlice = await allPages(f.admin, `/ledger/accounts?ownerId=${alice}`, 5);
      assert.deepEqual(ofAlice.map((a) => [a.accountId, a.kind, a.currency, a.balance]).sort(), [
        [`user:EUR:${alice}`, 'user', 'EUR', 70],
        [`user:USD:${alice}`, 'user', 'USD', 400],
      ]);
      const escrow = await f.admin.ok('GET', '/ledger/accounts?kind=escrow');
      assert.deepEqual(
        escrow.items.map((a: any) => [a.ownerId, a.balance]),
        [[matchId, 200]],
      );
      const euro = await allPages(f.admin, '/ledger/accounts?currency=EUR&kind=external', 5);
      assert.deepEqual(
        euro.map((a) => [a.accountId, a.balance]),
        [['external:EUR:', -70]],
      );
      assertNoSecrets([all, ofAlice, escrow, euro], secrets);
    });

    it("lists an account's transfers newest first, signed from its side, by kind and time", async () => {
      const [carol, dave] = uniqueUsers(2);
      const start = Date.now();
      await deposit(f.admin, carol!, 1000);
      await f.admin.ok('POST', '/ledger/withdrawals', {
        userId: carol,
        amount: 100,
        currency: 'USD',
        idempotencyKey: `w-${carol}`,
      });
      await sleep(5);
      const middle = Date.now();
      await deposit(f.admin, dave!, 100);
      const matchId = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[carol!], [dave!]] }, 0);

      const account = `user:USD:${carol}`;
      const path = (q: string) => `/ledger/transfers?accountId=${encodeURIComponent(account)}${q}`;
      const mine = await allPages(f.admin, path(''), 1);
      assert.deepEqual(
        mine.map((t) => [t.kind, t.amount, t.change, t.balanceAfter]),
        [
          ['entry_fee', 100, -100, 800],
          ['withdrawal', 100, -100, 900],
          ['deposit', 1000, 1000, 1000],
        ],
      );
      assert.equal(mine[0].matchId, matchId);
      assertNewestFirst(
        mine,
        (t) => t.id,
        (t) => t.id,
      );
      const statement = await f.admin.ok('GET', `/ledger/accounts/${carol}`);
      assert.deepEqual(
        statement.transfers.map((t: any) => t.id),
        mine.map((t) => t.id),
        'the user statement shows the same transfers',
      );

      const deposits = await allPages(f.admin, path('&kind=deposit'), 5);
      assert.deepEqual(
        deposits.map((t) => t.kind),
        ['deposit'],
      );
      const early = await allPages(f.admin, path(`&from=${start}&to=${middle}`), 5);
      assert.deepEqual(
        early.map((t) => t.kind),
        ['withdrawal', 'deposit'],
      );
      const escrow = await allPages(f.admin, `/ledger/transfers?accountId=escrow:USD:${matchId}`, 5);
      assert.deepEqual(
        escrow.map((t) => [t.kind, t.change]),
        [
          ['entry_fee', 100],
          ['entry_fee', 100],
        ],
      );
      const allKinds = await allPages(f.admin, `/ledger/transfers?kind=entry_fee&from=${start}`, 1);
      assert.equal(allKinds.length, 2, 'without an account: every transfer of the kind');
      assert.equal(allKinds[0].change, undefined);
      assertNoSecrets([mine, deposits, early, escrow, allKinds], secrets);
    });

    it('never skips nor repeats a transfer while money moves', async () => {
      const [erin] = uniqueUsers(1);
      for (let i = 0; i < 5; i++) await deposit(f.admin, erin!, 10 + i);
      const account = encodeURIComponent(`user:USD:${erin}`);
      for (const path of [`/ledger/transfers?accountId=${account}`, '/ledger/transfers']) {
        const before = (await allPages(f.admin, path, 500)).map((t) => String(t.id));
        const walked = await walkWhileInserting(f.admin, path, 2, () => deposit(f.admin, erin!, 1));
        assertWalk(
          walked,
          before,
          (t) => String(t.id),
          (t) => t.id,
        );
      }
    });

    it('answers an unknown account with 404 naming it and bad filters with 400', async () => {
      const cases: Array<[string, number, string, RegExp]> = [
        ['/ledger/transfers?accountId=user:USD:ghost', 404, 'not_found', /accountId user:USD:ghost does not exist/],
        ['/ledger/transfers?kind=gift', 400, 'invalid_parameter', /invalid query: kind/],
        ['/ledger/accounts?kind=bank', 400, 'invalid_parameter', /invalid query: kind/],
        ['/ledger/accounts?currency=usd', 400, 'invalid_parameter', /invalid query: currency/],
      ];
      for (const [path, status, code, message] of cases) {
        const reply = await f.admin.request('GET', path);
        assert.equal(reply.status, status, path);
        assert.equal(reply.body.error.code, code, path);
        assert.match(reply.body.error.message, message, path);
      }
      // A transfers cursor (numeric ids) is no accounts cursor.
      const [frank] = uniqueUsers(1);
      await deposit(f.admin, frank!, 1);
      await deposit(f.admin, frank!, 2);
      const transfers = await f.admin.ok('GET', '/ledger/transfers?limit=1');
      const crossed = await f.admin.request('GET', `/ledger/accounts?cursor=${transfers.nextCursor}`);
      assert.equal(crossed.status, 400);
    });
  });
}
