import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { absentOddId, oddIds } from '../../support/oddIds.js';
import {
  balance,
  deposit,
  type OklpFixture,
  oklpFixture,
  otherGame,
  pollGame,
  uniqueUsers,
} from '../../support/oklp.js';

const game = pollGame.clientId;

/** Funds the players with the entry fee and creates a match of these teams (ids as given). */
async function matchOf(
  admin: AdminClient,
  teams: Array<{ id: string; players: string[] }>,
  options: { mode?: 'sync' | 'async'; entryFee?: number; idempotencyKey?: string; clientId?: string } = {},
) {
  const entryFee = options.entryFee ?? 100;
  if (entryFee > 0) {
    await Promise.all(teams.flatMap((t) => t.players).map((userId) => deposit(admin, userId, entryFee)));
  }
  return admin.request('POST', '/oklp/matches', {
    clientId: options.clientId ?? game,
    mode: options.mode ?? 'sync',
    entryFee,
    currency: 'USD',
    teams: teams.map((t) => ({ id: t.id, participants: t.players.map((id) => ({ id })) })),
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
  });
}

async function createdMatch(...args: Parameters<typeof matchOf>): Promise<string> {
  const reply = await matchOf(...args);
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.match.matchId as string;
}

/** Each odd id with the one after it: every id wins once and loses once. */
const pairs = oddIds.map((id, i) => [id, oddIds[(i + 1) % oddIds.length]!] as const);

for (const backend of backends) {
  describe(`matches and ledger with ids named like sentinels or object keys [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      // The second game's client id is one of the odd ids too.
      f = await oklpFixture(backend, { clients: [pollGame, { ...otherGame, clientId: 'constructor' }] });
    });
    after(() => f.close());

    it('pays a team of any id that comes first in a synchronous match, never refunds it', async () => {
      for (const [winner, loser] of pairs) {
        const [w, l] = uniqueUsers(2);
        const teams = [
          { id: winner, players: [w!] },
          { id: loser, players: [l!] },
        ];
        const matchId = await createdMatch(f.admin, teams, { entryFee: 100 });
        const result = {
          match_id: matchId,
          participants: [
            { id: w, score: 10 },
            { id: l, score: 5 },
          ],
          teams: [
            { id: winner, score: 10, ranking: 1 },
            { id: loser, score: 5, ranking: 2 },
          ],
        };
        const reply = await f.game.finish(result);
        assert.equal(reply.status, 200, `${winner}: ${JSON.stringify(reply.body)}`);
        assert.deepEqual(
          reply.body.settlement,
          {
            outcome: 'won',
            winner_team_id: winner,
            currency: 'USD',
            payouts: [{ id: w, amount: 180 }],
            refunds: [],
            fee: 20,
          },
          winner,
        );
        assert.deepEqual([await balance(f.admin, w!), await balance(f.admin, l!)], [180, 0], winner);

        const replay = await f.game.finish(result);
        assert.equal(replay.headers.get('idempotent-replayed'), 'true', winner);
        assert.deepEqual(replay.body, reply.body, winner);
        const { match, transfers } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
        assert.equal(match.status, 'settled', winner);
        assert.equal(match.settlement.outcome, 'won', winner);
        assert.equal(match.settlement.winner, winner, winner);
        assert.deepEqual(
          transfers.map((t: any) => t.kind),
          ['entry_fee', 'entry_fee', 'prize', 'platform_fee'],
          winner,
        );
      }
    });

    it('pays a team of any id with the best score in an asynchronous match', async () => {
      for (const [winner, loser] of pairs) {
        const [w, l] = uniqueUsers(2);
        const teams = [
          { id: loser, players: [l!] },
          { id: winner, players: [w!] },
        ];
        const matchId = await createdMatch(f.admin, teams, { mode: 'async', entryFee: 50 });
        const first = await f.game.finish({ match_id: matchId, participants: [{ id: l, score: 7 }] });
        assert.equal(first.status, 200, JSON.stringify(first.body));
        assert.equal(first.body.match_status, 'live');
        const last = await f.game.finish({ match_id: matchId, participants: [{ id: w, score: 8 }] });
        assert.equal(last.status, 200, JSON.stringify(last.body));
        assert.equal(last.body.settlement.outcome, 'won', winner);
        assert.equal(last.body.settlement.winner_team_id, winner);
        assert.deepEqual(last.body.settlement.payouts, [{ id: w, amount: 90 }]);
        assert.deepEqual([await balance(f.admin, w!), await balance(f.admin, l!)], [90, 0], winner);
      }
    });

    it('refunds teams of any ids on a tie and on an abort, and says which it was', async () => {
      const [a, b, c, d] = uniqueUsers(4);
      const tied = await createdMatch(f.admin, [
        { id: 'won', players: [a!] },
        { id: 'aborted', players: [b!] },
      ]);
      const tie = await f.game.finish({
        match_id: tied,
        participants: [
          { id: a, score: 1 },
          { id: b, score: 1 },
        ],
        teams: [
          { id: 'won', ranking: 1 },
          { id: 'aborted', ranking: 1 },
        ],
      });
      assert.equal(tie.body.settlement.outcome, 'tied');
      assert.equal(tie.body.settlement.winner_team_id, null);
      assert.deepEqual(
        tie.body.settlement.refunds.map((r: any) => r.amount),
        [100, 100],
      );

      const called = await createdMatch(f.admin, [
        { id: 'won', players: [c!] },
        { id: 'tied', players: [d!] },
      ]);
      const abort = await f.game.finish({ match_id: called, error: { reason: 'won' } });
      assert.equal(abort.body.match_status, 'aborted');
      assert.equal(abort.body.settlement.outcome, 'aborted');
      assert.equal(abort.body.settlement.winner_team_id, null);
      for (const user of [a, b, c, d]) assert.equal(await balance(f.admin, user!), 100, user);
    });

    it('plays, pays and refunds participants of any ids, with their statements and match tokens', async () => {
      const red = oddIds.slice(0, 5);
      const blue = oddIds.slice(5);
      const matchId = await createdMatch(f.admin, [
        { id: 'red', players: [...red] },
        { id: 'blue', players: [...blue] },
      ]);
      for (const user of oddIds) assert.equal(await balance(f.admin, user), 0, `${user} paid the entry fee`);

      const issued = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: 'toString' });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const info = await f.game.call('POST', '/token-info', { token: issued.body.token });
      assert.equal(info.body.user_id, 'toString');
      const stranger = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: absentOddId });
      assert.equal(stranger.status, 400, JSON.stringify(stranger.body));
      assert.equal(stranger.body.error.code, 'not_in_match');

      const reply = await f.game.finish({
        match_id: matchId,
        participants: oddIds.map((id, i) => ({ id, score: i })),
        teams: [
          { id: 'blue', ranking: 2 },
          { id: 'red', ranking: 1 },
        ],
      });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      // Pot 9 × 100 = 900, fee 90, 810 between five players.
      assert.deepEqual(
        reply.body.settlement.payouts,
        red.map((id) => ({ id, amount: 162 })),
      );
      for (const user of red) assert.equal(await balance(f.admin, user), 162, user);
      for (const user of blue) assert.equal(await balance(f.admin, user), 0, user);

      const statement = await f.admin.ok('GET', '/ledger/accounts/__proto__');
      assert.equal(statement.userId, '__proto__');
      assert.deepEqual(statement.balances, [{ currency: 'USD', balance: 162 }]);
      assert.deepEqual(
        statement.transfers.map((t: any) => [t.kind, t.change]),
        [
          ['prize', 162],
          ['entry_fee', -100],
          ['deposit', 100],
        ],
      );
      const nobody = await f.admin.ok('GET', `/ledger/accounts/${absentOddId}`);
      assert.deepEqual(nobody, { userId: absentOddId, balances: [], transfers: [] });
    });

    it('forfeits exactly the team of the id given, whatever the id', async () => {
      const players = uniqueUsers(oddIds.length);
      const teams = oddIds.map((id, i) => ({ id, players: [players[i]!] }));
      const matchId = await createdMatch(f.admin, teams, { entryFee: 10 });
      const forfeit = await f.admin.request('POST', `/oklp/matches/${matchId}/forfeit`, { teamId: '__proto__' });
      assert.equal(forfeit.status, 200, JSON.stringify(forfeit.body));
      assert.deepEqual(
        forfeit.body.match.teams.filter((t: any) => t.forfeited).map((t: any) => t.id),
        ['__proto__'],
      );
      const missing = await f.admin.request('POST', `/oklp/matches/${matchId}/forfeit`, { teamId: absentOddId });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, 'not_in_match');

      const active = await f.game.call('GET', '/matches/active');
      const stub = active.body.matches.find((m: any) => m.match_id === matchId);
      assert.deepEqual(
        stub.teams,
        oddIds.map((id) => (id === '__proto__' ? { id, forfeit: true } : { id })),
      );

      const reply = await f.game.finish({
        match_id: matchId,
        participants: players.map((id) => ({ id, score: 1 })),
        teams: oddIds.map((id) => ({ id, ranking: id === '__proto__' ? 1 : id === 'constructor' ? 2 : 3 })),
      });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.settlement.winner_team_id, 'constructor', 'the forfeited team ranks last');
    });

    it('refuses a result naming an id that is not in the match, whatever the id', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createdMatch(f.admin, [
        { id: 'aborted', players: [a!] },
        { id: 'tie', players: [b!] },
      ]);
      for (const stranger of [absentOddId, 'constructor', '__proto__']) {
        const reply = await f.game.finish({
          match_id: matchId,
          participants: [
            { id: a, score: 1 },
            { id: b, score: 1 },
          ],
          teams: [
            { id: 'aborted', ranking: 1 },
            { id: stranger, ranking: 2 },
          ],
        });
        assert.equal(reply.status, 400, `${stranger}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, 'not_in_match', stranger);
      }
    });

    it('replays a match creation by an idempotency key of any such id', async () => {
      for (const key of oddIds) {
        const [a, b] = uniqueUsers(2);
        const teams = [
          { id: 'aborted', players: [a!] },
          { id: '__proto__', players: [b!] },
        ];
        const first = await matchOf(f.admin, teams, { idempotencyKey: key, entryFee: 0 });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        assert.equal(first.body.replayed, false, key);
        const again = await matchOf(f.admin, teams, { idempotencyKey: key, entryFee: 0 });
        assert.equal(again.body.replayed, true, key);
        assert.equal(again.body.match.matchId, first.body.match.matchId, key);
        const other = await matchOf(f.admin, [teams[1]!, teams[0]!], { idempotencyKey: key, entryFee: 0 });
        assert.equal(other.status, 409, key);
        assert.equal(other.body.error.code, 'idempotency_conflict', key);
      }
    });

    it('plays the matches of a game client of any id, and tells match ids of any such id apart', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createdMatch(
        f.admin,
        [
          { id: 'toString', players: [a!] },
          { id: '__proto__', players: [b!] },
        ],
        { clientId: 'constructor' },
      );
      const active = await f.other.call('GET', '/matches/active');
      assert.deepEqual(
        active.body.matches.map((m: any) => m.match_id),
        [matchId],
      );
      const result = {
        match_id: matchId,
        participants: [
          { id: a, score: 1 },
          { id: b, score: 2 },
        ],
        teams: [
          { id: 'toString', ranking: 2 },
          { id: '__proto__', ranking: 1 },
        ],
      };
      const foreign = await f.game.finish(result);
      assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
      assert.equal(foreign.body.error.code, 'forbidden');
      const own = await f.other.finish(result);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(own.body.settlement.winner_team_id, '__proto__');

      for (const id of ['__proto__', 'constructor', 'aborted']) {
        const finish = await f.other.finish({ ...result, match_id: id });
        assert.equal(finish.status, 404, `${id}: ${JSON.stringify(finish.body)}`);
        assert.equal(finish.body.error.code, 'match_not_found');
        const read = await f.admin.request('GET', `/oklp/matches/${id}`);
        assert.equal(read.status, 404, id);
        assert.equal((await f.other.call('GET', `/matches/active?after=${id}`)).status, 200, id);
      }
    });

    it('deposits and withdraws for users of any ids, idempotent by keys of any such ids', async () => {
      for (const [i, user] of oddIds.entries()) {
        // Another odd id as the key: toString's is __proto__.
        const key = oddIds[(i + oddIds.length - 2) % oddIds.length]!;
        const before = await balance(f.admin, user);
        const body = { userId: user, amount: 1000 + i, currency: 'EUR', idempotencyKey: key };
        const first = await f.admin.request('POST', '/ledger/deposits', body);
        assert.equal(first.status, 200, `${user}/${key}: ${JSON.stringify(first.body)}`);
        assert.equal(first.body.transfer.to, `user:EUR:${user}`);
        assert.equal(first.body.transfer.idempotencyKey, key);
        const replay = await f.admin.request('POST', '/ledger/deposits', body);
        assert.equal(replay.status, 200, `${user}/${key}`);
        assert.deepEqual(replay.body, first.body, `${user}/${key}`);
        const conflict = await f.admin.request('POST', '/ledger/deposits', { ...body, amount: 1 });
        assert.equal(conflict.status, 409, `${user}/${key}`);
        assert.equal(conflict.body.error.code, 'idempotency_conflict');
        const eur = async () => (await f.admin.ok('GET', `/ledger/accounts/${user}`)).balances;
        assert.deepEqual(
          (await eur()).find((b: any) => b.currency === 'EUR'),
          { currency: 'EUR', balance: 1000 + i },
          user,
        );
        assert.equal(await balance(f.admin, user), before, `${user}: USD untouched`);

        const withdrawal = { userId: user, amount: 1000, currency: 'EUR', idempotencyKey: `w.${key}` };
        assert.equal((await f.admin.request('POST', '/ledger/withdrawals', withdrawal)).status, 200);
        assert.equal((await f.admin.request('POST', '/ledger/withdrawals', withdrawal)).status, 200);
        assert.deepEqual(
          (await eur()).find((b: any) => b.currency === 'EUR'),
          { currency: 'EUR', balance: i },
          user,
        );
      }
      const summary = await f.admin.ok('GET', '/ledger/summary');
      const eur = summary.currencies.find((c: any) => c.currency === 'EUR');
      const n = oddIds.length;
      assert.equal(eur.users, (n * (n - 1)) / 2);
      assert.equal(eur.deposited, 1000 * n + (n * (n - 1)) / 2);
      assert.equal(eur.withdrawn, 1000 * n);
      assert.equal(summary.negativeAccounts, 0);
    });
  });
}
