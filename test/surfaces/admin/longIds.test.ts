import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type OklpFixture, oklpFixture, pollGame } from '../../support/oklp.js';

/**
 * Every user id a deposit accepts (1–128 UTF-8 bytes) can be used in every path that takes
 * a user id: 101–128-character ids used to answer 414 from the router's default parameter
 * length (100), before any route saw them.
 */

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

let serial = 0;
/** A 128-byte id of `fill` characters after a short unique ASCII prefix, padded with `a` to exactly 128 bytes. */
function idOf(fill: string): string {
  serial += 1;
  let id = `u${serial}-`;
  while (bytes(id + fill) <= 128) id += fill;
  id = id.padEnd(id.length + (128 - bytes(id)), 'a');
  assert.equal(bytes(id), 128);
  return id;
}

const longIds = (): Array<[string, string]> => [
  ['128 ASCII characters', idOf('x')],
  // Reserved characters are percent-encoded in the path (%25 %2F %3F %23 …): 3 characters each.
  ['128 bytes of URL-reserved characters', idOf('%/?#&+=;:@ ')],
  ['128 bytes of 2-byte UTF-8 (é)', idOf('é')],
  ['128 bytes of 4-byte UTF-8 (emoji)', idOf('😀')],
  // Every byte non-ASCII: 42 × 3 + 2 = 128 bytes, 384 characters percent-encoded.
  ['128 bytes of 3-byte UTF-8 (中), nothing ASCII', `${'中'.repeat(42)}é`],
];

/** GETs `path` exactly as written (a URL, as fetch takes it, would resolve dot segments away). */
function getAsIs(baseUrl: string, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const call = request({ hostname, port, path, headers }, (reply) => {
      let text = '';
      reply.setEncoding('utf8');
      reply.on('data', (chunk: string) => (text += chunk));
      reply.on('end', () => resolve({ status: reply.statusCode!, body: JSON.parse(text) }));
    });
    call.on('error', reject);
    call.end();
  });
}

for (const backend of backends) {
  describe(`ledger and match routes with the longest user ids [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    const statement = (userId: string, query = '') =>
      f.admin.request('GET', `/ledger/accounts/${encodeURIComponent(userId)}${query}`);

    it('deposits, withdraws and reads the statement of a 128-byte user id (ASCII and not), percent-encoded in the path', async () => {
      const ids = longIds();
      assert.equal(encodeURIComponent(ids.at(-1)![1]).length, 384, 'the longest encoding a 128-byte id can have');
      for (const [i, [what, userId]] of ids.entries()) {
        assert.ok(encodeURIComponent(userId).length > 100, `${what}: longer than the router's default`);
        const deposit = await f.admin.request('POST', '/ledger/deposits', {
          userId,
          amount: 1000,
          currency: 'USD',
          idempotencyKey: `dep-long-${i}`,
        });
        assert.equal(deposit.status, 200, `${what}: ${JSON.stringify(deposit.body)}`);
        assert.equal(deposit.body.transfer.to, `user:USD:${userId}`, what);
        const withdrawal = await f.admin.request('POST', '/ledger/withdrawals', {
          userId,
          amount: 300,
          currency: 'USD',
          idempotencyKey: `wd-long-${i}`,
        });
        assert.equal(withdrawal.status, 200, `${what}: ${JSON.stringify(withdrawal.body)}`);
        assert.equal(withdrawal.body.transfer.balanceAfter, 700, what);

        const read = await statement(userId);
        assert.equal(read.status, 200, `${what}: ${JSON.stringify(read.body)}`);
        assert.equal(read.body.userId, userId, what);
        assert.deepEqual(read.body.balances, [{ currency: 'USD', balance: 700 }], what);
        assert.deepEqual(
          read.body.transfers.map((t: any) => [t.kind, t.change]),
          [
            ['withdrawal', -300],
            ['deposit', 1000],
          ],
          what,
        );
        const limited = await statement(userId, '?limit=1');
        assert.equal(limited.status, 200, what);
        assert.equal(limited.body.transfers.length, 1, what);
      }
    });

    it('plays a match between 128-byte user ids: creation, match token, token-info, finish, statements', async () => {
      const ascii = idOf('x');
      const cjk = `${'文'.repeat(42)}é`;
      for (const [i, userId] of [ascii, cjk].entries()) {
        const deposit = await f.admin.request('POST', '/ledger/deposits', {
          userId,
          amount: 100,
          currency: 'USD',
          idempotencyKey: `dep-match-${i}`,
        });
        assert.equal(deposit.status, 200, JSON.stringify(deposit.body));
      }
      const created = await f.admin.request('POST', '/oklp/matches', {
        clientId: pollGame.clientId,
        mode: 'sync',
        entryFee: 100,
        currency: 'USD',
        teams: [
          { id: 't'.repeat(128), participants: [{ id: ascii }] },
          { id: '隊'.repeat(42) + 'é', participants: [{ id: cjk }] },
        ],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const matchId = created.body.match.matchId as string;

      const token = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: cjk });
      assert.equal(token.status, 201, JSON.stringify(token.body));
      const info = await f.game.call('POST', '/token-info', { token: token.body.token });
      assert.equal(info.body.user_id, cjk);

      const finish = await f.game.finish({
        match_id: matchId,
        participants: [
          { id: ascii, score: 1 },
          { id: cjk, score: 300 },
        ],
        teams: [
          { id: 't'.repeat(128), score: 1, ranking: 2 },
          { id: '隊'.repeat(42) + 'é', score: 300, ranking: 1 },
        ],
      });
      assert.equal(finish.status, 200, JSON.stringify(finish.body));
      assert.deepEqual(finish.body.settlement.payouts, [{ id: cjk, amount: 180 }]);
      const winner = await statement(cjk);
      assert.equal(winner.status, 200, JSON.stringify(winner.body));
      assert.deepEqual(winner.body.balances, [{ currency: 'USD', balance: 180 }]);
      assert.deepEqual(
        winner.body.transfers.map((t: any) => t.kind),
        ['prize', 'entry_fee', 'deposit'],
      );
      const loser = await statement(ascii);
      assert.deepEqual(loser.body.balances, [{ currency: 'USD', balance: 0 }]);
    });

    it('refuses a 129-byte user id in the body and in the path alike: 400 naming userId, not 414', async () => {
      for (const userId of ['x'.repeat(129), '中'.repeat(43)]) {
        assert.equal(bytes(userId), 129);
        const deposit = await f.admin.request('POST', '/ledger/deposits', {
          userId,
          amount: 1,
          currency: 'USD',
          idempotencyKey: 'too-long',
        });
        assert.equal(deposit.status, 400);
        assert.equal(deposit.body.error.code, 'invalid_parameter');
        assert.match(deposit.body.error.message, /^invalid body: userId must be at most 128 bytes in UTF-8$/);
        const read = await statement(userId);
        assert.equal(read.status, 400, JSON.stringify(read.body));
        assert.equal(read.body.error.code, 'invalid_parameter');
        assert.match(read.body.error.message, /^invalid path: userId must be at most 128 bytes in UTF-8$/);
      }
    });

    it('reads the statements of the user ids "." and ".." when the path is sent as is (docs/oklp.md)', async () => {
      for (const [i, userId] of ['.', '..'].entries()) {
        const deposit = await f.admin.request('POST', '/ledger/deposits', {
          userId,
          amount: 5,
          currency: 'USD',
          idempotencyKey: `dots-${i}`,
        });
        assert.equal(deposit.status, 200, JSON.stringify(deposit.body));
        for (const path of [userId, userId.replaceAll('.', '%2E')]) {
          const read = await getAsIs(f.server.url, `/admin/v1/ledger/accounts/${path}`);
          assert.equal(read.status, 200, `${path}: ${JSON.stringify(read.body)}`);
          assert.equal(read.body.userId, userId);
          assert.deepEqual(read.body.balances, [{ currency: 'USD', balance: 5 }]);
        }
      }
    });
  });
}
