import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { balance, deposit, type OklpFixture, oklpFixture, pollGame, uniqueUsers } from '../../support/oklp.js';

for (const backend of backends) {
  describe(`ledger admin API [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    const move = (kind: 'deposits' | 'withdrawals', body: Record<string, unknown>) =>
      f.admin.request('POST', `/ledger/${kind}`, body);

    it('deposits and withdraws, recording each transfer and the balance after it', async () => {
      const [user] = uniqueUsers(1);
      const dep = await move('deposits', { userId: user, amount: 1000, currency: 'USD', idempotencyKey: `d-${user}` });
      assert.equal(dep.status, 200);
      assert.deepEqual(
        { ...dep.body.transfer, id: 0, createdAt: 0 },
        {
          id: 0,
          idempotencyKey: `d-${user}`,
          kind: 'deposit',
          from: 'external:USD:',
          to: `user:USD:${user}`,
          currency: 'USD',
          amount: 1000,
          matchId: null,
          balanceAfter: 1000,
          createdAt: 0,
        },
      );
      const out = await move('withdrawals', {
        userId: user,
        amount: 300,
        currency: 'USD',
        idempotencyKey: `w-${user}`,
      });
      assert.equal(out.status, 200);
      assert.equal(out.body.transfer.balanceAfter, 700);
      await deposit(f.admin, user!, 50, 'EUR');

      const account = await f.admin.ok('GET', `/ledger/accounts/${user}`);
      assert.deepEqual(account.balances, [
        { currency: 'EUR', balance: 50 },
        { currency: 'USD', balance: 700 },
      ]);
      assert.deepEqual(
        account.transfers.map((t: any) => [t.kind, t.currency, t.change, t.balanceAfter]),
        [
          ['deposit', 'EUR', 50, 50],
          ['withdrawal', 'USD', -300, 700],
          ['deposit', 'USD', 1000, 1000],
        ],
      );
      const limited = await f.admin.ok('GET', `/ledger/accounts/${user}?limit=1`);
      assert.equal(limited.transfers.length, 1);
      const nobody = await f.admin.ok('GET', '/ledger/accounts/nobody-at-all');
      assert.deepEqual(nobody, { userId: 'nobody-at-all', balances: [], transfers: [] });
    });

    it('refuses a withdrawal larger than the balance with 409, and moves nothing', async () => {
      const [user] = uniqueUsers(1);
      await deposit(f.admin, user!, 100);
      const short = await move('withdrawals', {
        userId: user,
        amount: 101,
        currency: 'USD',
        idempotencyKey: `w-${user}`,
      });
      assert.equal(short.status, 409);
      assert.equal(short.body.error.code, 'insufficient_funds');
      const none = await move('withdrawals', {
        userId: 'no-account',
        amount: 1,
        currency: 'USD',
        idempotencyKey: 'w-none',
      });
      assert.equal(none.status, 409);
      assert.equal(await balance(f.admin, user!), 100);
      // The key was not used up by the refusal.
      const retry = await move('withdrawals', {
        userId: user,
        amount: 100,
        currency: 'USD',
        idempotencyKey: `w-${user}`,
      });
      assert.equal(retry.status, 200);
      assert.equal(await balance(f.admin, user!), 0);
    });

    it('answers a replayed key with the first transfer and moves nothing; refuses the key for something else', async () => {
      const [user] = uniqueUsers(1);
      const body = { userId: user, amount: 250, currency: 'USD', idempotencyKey: `once-${user}` };
      const first = await move('deposits', body);
      const replays = await Promise.all([move('deposits', body), move('deposits', body), move('deposits', body)]);
      for (const replay of replays) {
        assert.equal(replay.status, 200);
        assert.deepEqual(replay.body, first.body);
      }
      assert.equal(await balance(f.admin, user!), 250);
      for (const other of [
        { ...body, amount: 251 },
        { ...body, userId: 'someone-else' },
        { ...body, currency: 'EUR' },
      ]) {
        const reply = await move('deposits', other);
        assert.equal(reply.status, 409, JSON.stringify(other));
        assert.equal(reply.body.error.code, 'idempotency_conflict');
      }
      assert.equal((await move('withdrawals', body)).status, 409, 'a withdrawal with a deposit key');
      assert.equal(await balance(f.admin, user!), 250);
    });

    it('moves once when the same deposit arrives many times at once', async () => {
      const [user] = uniqueUsers(1);
      const body = { userId: user, amount: 10, currency: 'USD', idempotencyKey: `race-${user}` };
      const replies = await Promise.all(Array.from({ length: 20 }, () => move('deposits', body)));
      assert.ok(replies.every((r) => r.status === 200));
      assert.equal(new Set(replies.map((r) => r.body.transfer.id)).size, 1);
      assert.equal(await balance(f.admin, user!), 10);
    });

    it('keeps every withdrawal within the balance when many race', async () => {
      const [user] = uniqueUsers(1);
      await deposit(f.admin, user!, 100);
      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          move('withdrawals', { userId: user, amount: 7, currency: 'USD', idempotencyKey: `r-${user}-${i}` }),
        ),
      );
      const accepted = replies.filter((r) => r.status === 200).length;
      assert.equal(accepted, 14, '14 × 7 = 98 fit in 100');
      assert.ok(replies.every((r) => r.status === 200 || r.body.error.code === 'insufficient_funds'));
      assert.equal(await balance(f.admin, user!), 2);
    });

    it('refuses bad input with 400', async () => {
      const good = { userId: 'u', amount: 1, currency: 'USD', idempotencyKey: 'k' };
      for (const bad of [
        { ...good, amount: 0 },
        { ...good, amount: -5 },
        { ...good, amount: 1.5 },
        { ...good, amount: '10' },
        { ...good, amount: 2 ** 53 },
        { ...good, currency: 'usd' },
        { ...good, currency: '' },
        { ...good, userId: '' },
        { ...good, idempotencyKey: 'has:colon' },
        { ...good, idempotencyKey: '' },
        { userId: 'u', amount: 1, currency: 'USD' },
      ]) {
        const reply = await move('deposits', bad);
        assert.equal(reply.status, 400, JSON.stringify(bad));
        assert.equal(reply.body.error.code, 'invalid_parameter');
      }
      const notJson = await f.admin.request('POST', '/ledger/deposits', undefined, { rawBody: '{oops' });
      assert.equal(notJson.status, 400);
    });

    it('sums the books: per currency, users + escrow + fees = deposits − withdrawals = −external', async () => {
      const { currencies, negativeAccounts } = await f.admin.ok('GET', '/ledger/summary');
      assert.equal(negativeAccounts, 0);
      assert.ok(currencies.length >= 2);
      for (const c of currencies) {
        assert.equal(c.users + c.escrow + c.fees, c.deposited - c.withdrawn, c.currency);
        assert.equal(c.external, -(c.deposited - c.withdrawn), c.currency);
      }
    });
  });

  describe(`match admin API [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    const newMatch = (users: string[], extra: Record<string, unknown> = {}) => ({
      clientId: pollGame.clientId,
      mode: 'sync',
      entryFee: 100,
      currency: 'USD',
      teams: users.map((id, i) => ({ id: `team-${i + 1}`, participants: [{ id }] })),
      ...extra,
    });

    it('creates a live match with a 24-hex id and moves every entry fee into its escrow', async () => {
      const users = uniqueUsers(2);
      for (const user of users) await deposit(f.admin, user, 150);
      const created = await f.admin.request('POST', '/oklp/matches', newMatch(users));
      assert.equal(created.status, 201);
      const { match } = created.body;
      assert.match(match.matchId, /^[0-9a-f]{24}$/);
      assert.equal(match.status, 'live');
      assert.equal(match.deadlineAt, null, 'synchronous matches have no deadline');
      for (const user of users) assert.equal(await balance(f.admin, user), 50);
      const { transfers } = await f.admin.ok('GET', `/oklp/matches/${match.matchId}`);
      assert.deepEqual(
        transfers.map((t: any) => [t.kind, t.from, t.to, t.amount]),
        users.map((u) => ['entry_fee', `user:USD:${u}`, `escrow:USD:${match.matchId}`, 100]),
      );
    });

    it('moves nothing and creates nothing when one participant is short (409)', async () => {
      const [rich, poor] = uniqueUsers(2);
      await deposit(f.admin, rich!, 1000);
      await deposit(f.admin, poor!, 99);
      const reply = await f.admin.request('POST', '/oklp/matches', newMatch([rich!, poor!]));
      assert.equal(reply.status, 409);
      assert.equal(reply.body.error.code, 'insufficient_funds');
      assert.match(reply.body.error.message, new RegExp(poor!));
      assert.equal(await balance(f.admin, rich!), 1000);
      assert.equal(await balance(f.admin, poor!), 99);
      const active = await f.game.call('GET', '/matches/active');
      assert.ok(!active.body.matches.some((m: any) => m.participants.some((p: any) => p.id === rich)));
    });

    it('returns the first match for a retried creation with the same idempotency key', async () => {
      const users = uniqueUsers(2);
      for (const user of users) await deposit(f.admin, user, 300);
      const body = newMatch(users, { idempotencyKey: `create-${users[0]}` });
      const replies = await Promise.all([1, 2, 3].map(() => f.admin.request('POST', '/oklp/matches', body)));
      assert.ok(replies.every((r) => r.status === 201));
      assert.equal(new Set(replies.map((r) => r.body.match.matchId)).size, 1);
      assert.equal(replies.filter((r) => !r.body.replayed).length, 1);
      for (const user of users) assert.equal(await balance(f.admin, user), 200, 'charged once');
      const other = await f.admin.request('POST', '/oklp/matches', { ...body, entryFee: 50 });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, 'idempotency_conflict');
    });

    it('refuses matches that cannot be played', async () => {
      const users = uniqueUsers(3);
      const cases: Array<[string, unknown, number]> = [
        ['one team', newMatch(users.slice(0, 1)), 400],
        [
          'a player in two teams',
          {
            ...newMatch(users.slice(0, 2)),
            teams: [
              { id: 'a', participants: [{ id: 'x' }] },
              { id: 'b', participants: [{ id: 'x' }] },
            ],
          },
          400,
        ],
        [
          'two teams with one id',
          {
            ...newMatch(users.slice(0, 2)),
            teams: [
              { id: 'a', participants: [{ id: 'x' }] },
              { id: 'a', participants: [{ id: 'y' }] },
            ],
          },
          400,
        ],
        [
          'an empty team',
          {
            ...newMatch(users.slice(0, 2)),
            teams: [
              { id: 'a', participants: [] },
              { id: 'b', participants: [{ id: 'y' }] },
            ],
          },
          400,
        ],
        ['an unknown game', newMatch(users.slice(0, 2), { clientId: 'no-such-game' }), 400],
        ['an unknown mode', newMatch(users.slice(0, 2), { mode: 'turn-based' }), 400],
        ['a negative fee', newMatch(users.slice(0, 2), { entryFee: -1 }), 400],
        ['a fractional fee', newMatch(users.slice(0, 2), { entryFee: 0.5 }), 400],
        ['a bad currency', newMatch(users.slice(0, 2), { currency: 'dollars' }), 400],
        ['submissions for a sync match', newMatch(users.slice(0, 2), { maxSubmissions: 3 }), 400],
      ];
      for (const [what, body, status] of cases) {
        const reply = await f.admin.request('POST', '/oklp/matches', body);
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
      }
      assert.equal((await f.admin.request('GET', '/oklp/matches/ffffffffffffffffffffffff')).status, 404);
    });

    it('aborts a live match on the platform (refunds) and refuses to abort or forfeit a decided one', async () => {
      const users = uniqueUsers(2);
      for (const user of users) await deposit(f.admin, user, 100);
      const { match } = await f.admin.ok('POST', '/oklp/matches', newMatch(users));
      const aborted = await f.admin.request('POST', `/oklp/matches/${match.matchId}/abort`, { reason: 'fraud review' });
      assert.equal(aborted.status, 200);
      assert.equal(aborted.body.match.status, 'aborted');
      assert.equal(aborted.body.match.abortReason, 'fraud review');
      for (const user of users) assert.equal(await balance(f.admin, user), 100);
      const again = await f.admin.request('POST', `/oklp/matches/${match.matchId}/abort`, { reason: 'again' });
      assert.equal(again.status, 409);
      const forfeit = await f.admin.request('POST', `/oklp/matches/${match.matchId}/forfeit`, { teamId: 'team-1' });
      assert.equal(forfeit.status, 409);
      const unknownTeam = await f.admin.request('POST', '/oklp/matches/ffffffffffffffffffffffff/forfeit', {
        teamId: 'x',
      });
      assert.equal(unknownTeam.status, 404);
    });

    it('describes the ledger and match routes in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${f.server.url}/admin/v1/openapi.json`)).json()) as any;
      const routes: Array<[string, string]> = [
        ['/admin/v1/ledger/deposits', 'post'],
        ['/admin/v1/ledger/withdrawals', 'post'],
        ['/admin/v1/ledger/accounts/{userId}', 'get'],
        ['/admin/v1/ledger/summary', 'get'],
        ['/admin/v1/oklp/matches', 'post'],
        ['/admin/v1/oklp/matches/{id}', 'get'],
        ['/admin/v1/oklp/matches/{id}/tokens', 'post'],
        ['/admin/v1/oklp/matches/{id}/forfeit', 'post'],
        ['/admin/v1/oklp/matches/{id}/abort', 'post'],
      ];
      for (const [path, method] of routes) {
        assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
      }
      assert.ok(
        doc.paths['/admin/v1/ledger/deposits'].post.requestBody.content['application/json'].schema.properties
          .idempotencyKey,
      );
    });
  });
}
