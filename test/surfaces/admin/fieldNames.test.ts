import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { deposit, type OklpFixture, oklpFixture, pollGame, uniqueUsers } from '../../support/oklp.js';

/** The domain's names for match fields that the admin routes call otherwise. */
const internalNames = /\b(userIds|matchId)\b|teams\[\d+\]\.teamId/;

type Case = [what: string, method: string, path: string, body: unknown, status: number, code: string, message: RegExp];

for (const backend of backends) {
  describe(`admin API: every refusal names the field as the route calls it [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    async function check(cases: Case[]): Promise<void> {
      for (const [what, method, path, body, status, code, message] of cases) {
        const reply = await f.admin.request(method, path, body);
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, code, what);
        assert.match(reply.body.error.message, message, what);
        assert.doesNotMatch(reply.body.error.message, internalNames, what);
      }
    }

    it('ledger routes: userId, amount, currency, idempotencyKey', async () => {
      const [user] = uniqueUsers(1);
      const good = { userId: user, amount: 100, currency: 'USD', idempotencyKey: `k-${user}` };
      assert.equal((await f.admin.request('POST', '/ledger/deposits', good)).status, 200);
      await check([
        [
          'an empty user id',
          'POST',
          '/ledger/deposits',
          { ...good, userId: '' },
          400,
          'invalid_parameter',
          /^invalid body: userId must not be empty$/,
        ],
        [
          'a lower-case currency',
          'POST',
          '/ledger/deposits',
          { ...good, currency: 'usd' },
          400,
          'invalid_parameter',
          /^invalid body: currency has an invalid format$/,
        ],
        [
          'a zero amount',
          'POST',
          '/ledger/deposits',
          { ...good, amount: 0 },
          400,
          'invalid_parameter',
          /^invalid body: amount must be at least 1$/,
        ],
        [
          'a key used for another deposit',
          'POST',
          '/ledger/deposits',
          { ...good, amount: 101 },
          409,
          'idempotency_conflict',
          new RegExp(`^idempotencyKey k-${user} was already used for a different deposit`),
        ],
        [
          'a withdrawal over the balance',
          'POST',
          '/ledger/withdrawals',
          { ...good, amount: 101, idempotencyKey: `w-${user}` },
          409,
          'insufficient_funds',
          new RegExp(`^amount 101 is more than the USD balance of user "${user}"$`),
        ],
        [
          'a deposit beyond 2^53 − 1',
          'POST',
          '/ledger/deposits',
          { ...good, amount: 2 ** 53 - 1, idempotencyKey: `big-${user}` },
          400,
          'invalid_parameter',
          /^amount would take the user balance in USD beyond 2\^53 − 1$/,
        ],
        [
          'a bad statement limit',
          'GET',
          `/ledger/accounts/${user}?limit=0`,
          undefined,
          400,
          'invalid_parameter',
          /^invalid query: limit has an invalid format$/,
        ],
      ]);
    });

    it('match routes: teams[i].id and teams[i].participants[j].id, clientId, id in the path, userId, teamId', async () => {
      const users = uniqueUsers(3);
      for (const user of users) await deposit(f.admin, user, 1000);
      const newMatch = (teams: Array<{ id: string; participants: Array<{ id: string }> }>, extra = {}) => ({
        clientId: pollGame.clientId,
        mode: 'sync',
        entryFee: 100,
        currency: 'USD',
        teams,
        ...extra,
      });
      const two = [
        { id: 'a', participants: [{ id: users[0]! }] },
        { id: 'b', participants: [{ id: users[1]! }] },
      ];
      const { match } = await f.admin.ok('POST', '/oklp/matches', newMatch(two));
      const live = `/oklp/matches/${match.matchId}`;
      const unknown = '/oklp/matches/ffffffffffffffffffffffff';
      await check([
        [
          'two teams with one id',
          'POST',
          '/oklp/matches',
          newMatch([two[0]!, { ...two[1]!, id: 'a' }]),
          400,
          'invalid_parameter',
          /^teams\[1\]\.id "a" appears more than once$/,
        ],
        [
          'a player in two teams',
          'POST',
          '/oklp/matches',
          newMatch([two[0]!, { id: 'b', participants: [{ id: users[2]! }, { id: users[0]! }] }]),
          400,
          'invalid_parameter',
          new RegExp(`^teams\\[1\\]\\.participants\\[1\\]\\.id "${users[0]}" appears more than once`),
        ],
        [
          'more than 256 participants',
          'POST',
          '/oklp/matches',
          newMatch(
            [0, 1].map((t) => ({
              id: `t${t}`,
              participants: Array.from({ length: 129 }, (_, i) => ({ id: `p-${t}-${i}` })),
            })),
          ),
          400,
          'invalid_parameter',
          /^teams must hold at most 256 participants in all$/,
        ],
        [
          'an empty team',
          'POST',
          '/oklp/matches',
          newMatch([two[0]!, { id: 'b', participants: [] }]),
          400,
          'invalid_parameter',
          /^invalid body: teams\[1\]\.participants must not be empty$/,
        ],
        [
          'a team id over 128 bytes',
          'POST',
          '/oklp/matches',
          newMatch([two[0]!, { ...two[1]!, id: 'é'.repeat(65) }]),
          400,
          'invalid_parameter',
          /^invalid body: teams\[1\]\.id must be at most 128 bytes in UTF-8$/,
        ],
        [
          'an unknown game',
          'POST',
          '/oklp/matches',
          newMatch(two, { clientId: 'no-such-game' }),
          400,
          'client_not_found',
          /^clientId "no-such-game" is not a configured game client$/,
        ],
        [
          'submissions for a synchronous match',
          'POST',
          '/oklp/matches',
          newMatch(two, { maxSubmissions: 3 }),
          400,
          'invalid_parameter',
          /^maxSubmissions is for asynchronous matches/,
        ],
        [
          'an unknown match',
          'GET',
          unknown,
          undefined,
          404,
          'match_not_found',
          /^id "ffffffffffffffffffffffff" does not exist$/,
        ],
        [
          'a token for an unknown match',
          'POST',
          `${unknown}/tokens`,
          { userId: users[0] },
          404,
          'match_not_found',
          /^id "ffffffffffffffffffffffff" does not exist$/,
        ],
        [
          'a token for a stranger',
          'POST',
          `${live}/tokens`,
          { userId: 'stranger' },
          400,
          'not_in_match',
          new RegExp(`^userId "stranger" does not play in match ${match.matchId}$`),
        ],
        [
          'a forfeit of a stranger team',
          'POST',
          `${live}/forfeit`,
          { teamId: 'z' },
          400,
          'not_in_match',
          new RegExp(`^teamId "z" does not play in match ${match.matchId}$`),
        ],
        [
          'an abort without a reason',
          'POST',
          `${live}/abort`,
          {},
          400,
          'invalid_parameter',
          /^invalid body: reason is required$/,
        ],
        [
          'a match id over 64 characters',
          'GET',
          `/oklp/matches/${'f'.repeat(65)}`,
          undefined,
          400,
          'invalid_parameter',
          /^invalid path: id must be at most 64 characters$/,
        ],
      ]);
    });

    it('delivery routes: id in the path', async () => {
      await check([
        [
          'an unknown delivery',
          'POST',
          '/deliveries/999999999/retry',
          undefined,
          404,
          'not_found',
          /^id 999999999 is not a delivery$/,
        ],
        [
          'a delivery id that is not a number',
          'POST',
          '/deliveries/abc/retry',
          undefined,
          400,
          'invalid_parameter',
          /^invalid path: id has an invalid format$/,
        ],
      ]);
    });
  });
}
