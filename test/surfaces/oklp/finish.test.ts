import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  balance,
  createMatch,
  type OklpFixture,
  oklpFixture,
  otherGame,
  pollGame,
  syncResult,
  uniqueUsers,
} from '../../support/oklp.js';
import { waitUntil } from '../../support/wait.js';

const game = pollGame.clientId;

for (const backend of backends) {
  describe(`OkLetsPlay /finish, synchronous matches [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it('settles: the winner gets the pot less the 10 % fee, the fee account gets the fee', async () => {
      const [a, b] = uniqueUsers(2);
      const teams = [[a!], [b!]];
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 500 }, 1000);
      assert.equal(await balance(f.admin, a!), 500, 'the entry fee went into escrow');
      const summaryBefore = await f.admin.ok('GET', '/ledger/summary');

      const reply = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.deepEqual(reply.body, {
        match_id: matchId,
        match_status: 'settled',
        settlement: {
          outcome: 'won',
          winner_team_id: 'team-1',
          currency: 'USD',
          payouts: [{ id: a, amount: 900 }],
          refunds: [],
          fee: 100,
        },
      });
      assert.equal(await balance(f.admin, a!), 1400);
      assert.equal(await balance(f.admin, b!), 500);
      const summary = await f.admin.ok('GET', '/ledger/summary');
      const usd = (s: any) => s.currencies.find((c: any) => c.currency === 'USD');
      assert.equal(usd(summary).fees - usd(summaryBefore).fees, 100);
      assert.equal(usd(summary).escrow, usd(summaryBefore).escrow - 1000);

      const { match, transfers } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'settled');
      assert.deepEqual(
        transfers.map((t: any) => [t.kind, t.amount]),
        [
          ['entry_fee', 500],
          ['entry_fee', 500],
          ['prize', 900],
          ['platform_fee', 100],
        ],
      );
    });

    it('answers an identical replay with the first response and moves nothing; a different result gets 409', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const result = syncResult(matchId, teams, [2, 1]);
      const first = await f.game.finish(result);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const balances = [await balance(f.admin, teams[0]![0]!), await balance(f.admin, teams[1]![0]!)];
      assert.deepEqual(balances, [0, 180]);

      for (let i = 0; i < 3; i++) {
        const replay = await f.game.finish(result);
        assert.equal(replay.status, 200);
        assert.deepEqual(replay.body, first.body);
        assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      }
      // Same content, other key order and spelling: still the same result.
      const reordered = {
        teams: [...result.teams].reverse(),
        participants: [...result.participants].reverse(),
        'match-id': matchId,
      };
      assert.equal((await f.game.finish(reordered)).status, 200);

      const conflicting = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(conflicting.status, 409);
      assert.equal(conflicting.body.error.code, 'result_conflict');
      const abort = await f.game.finish({ match_id: matchId, error: { reason: 'late abort' } });
      assert.equal(abort.status, 409, 'an abort is a different result too');
      assert.deepEqual([await balance(f.admin, teams[0]![0]!), await balance(f.admin, teams[1]![0]!)], balances);
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.settlement.winner, 'team-2', 'the first result stands');
    });

    it('refunds every entry fee with no fee on a tie for first', async () => {
      const teams = uniqueUsers(3).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 250 });
      const reply = await f.game.finish(syncResult(matchId, teams, [1, 1, 3]));
      assert.equal(reply.status, 200);
      assert.equal(reply.body.settlement.outcome, 'tied');
      assert.equal(reply.body.settlement.fee, 0);
      assert.deepEqual(
        reply.body.settlement.refunds.map((r: any) => r.amount),
        [250, 250, 250],
      );
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 250);
    });

    it('aborts with {"match-id", "error"}: refunds, no fee; a repeated abort gets the first answer', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 300 });
      const reply = await f.game.finish({ 'match-id': matchId, error: { reason: 'Something went wrong!' } });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.match_status, 'aborted');
      assert.equal(reply.body.abort_reason, 'Something went wrong!');
      assert.equal(reply.body.settlement.outcome, 'aborted');
      assert.equal(reply.body.settlement.fee, 0);
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 300);

      const again = await f.game.finish({ match_id: matchId, error: { reason: 'Something went wrong!' } });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, reply.body);
      const result = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(result.status, 409);
      assert.match(result.body.error.message, /aborted/);
    });

    it('ranks a team that forfeits last, whatever its ranking (the seed\'s "forfeit?" key and "forfeit")', async () => {
      for (const key of ['forfeit?', 'forfeit']) {
        const teams = uniqueUsers(2).map((u) => [u]);
        const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
        const body = syncResult(matchId, teams, [1, 2]);
        body.teams[0] = { id: 'team-1', score: 300, ranking: 1, [key]: true } as any;
        const reply = await f.game.finish(body);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.settlement.winner_team_id, 'team-2', key);
      }
    });

    it("splits a prize between a team's players, the remainder unit to the first player", async () => {
      const [a1, a2, b1, b2] = uniqueUsers(4);
      const teams = [
        [a1!, a2!],
        [b1!, b2!],
      ];
      // Pot 4 × 25 = 100; fee 10; 90 between 2: 45 each. With 3-player teams the split is uneven:
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 25 });
      const reply = await f.game.finish(syncResult(matchId, teams, [2, 1]));
      assert.deepEqual(reply.body.settlement.payouts, [
        { id: b1, amount: 45 },
        { id: b2, amount: 45 },
      ]);
      const trio = uniqueUsers(4);
      const uneven = [[trio[0]!, trio[1]!, trio[2]!], [trio[3]!]];
      // Pot 4 × 27 = 108; fee floor(10.8) = 10; 98 between 3: 33, 33, 32.
      const unevenId = await createMatch(f.admin, { clientId: game, teams: uneven, entryFee: 27 });
      const split = await f.game.finish(syncResult(unevenId, uneven, [1, 2]));
      assert.equal(split.body.settlement.fee, 10);
      assert.deepEqual(
        split.body.settlement.payouts.map((p: any) => p.amount),
        [33, 33, 32],
      );
    });

    it('ranks a team forfeited on the platform last, even when the game ranks it first', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      await f.admin.ok('POST', `/oklp/matches/${matchId}/forfeit`, { teamId: 'team-1' });
      const reply = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(reply.body.settlement.winner_team_id, 'team-2');
    });

    it('refuses results that do not fit the match, and changes nothing', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const good = syncResult(matchId, teams, [1, 2]);
      const cases: Array<[string, unknown, number, string]> = [
        ['unknown match', { ...good, match_id: 'ffffffffffffffffffffffff' }, 404, 'match_not_found'],
        [
          'unknown participant',
          { ...good, participants: [...good.participants.slice(1), { id: 'stranger', score: 1 }] },
          400,
          'not_in_match',
        ],
        [
          'unknown team',
          { ...good, teams: [good.teams[0], { id: 'team-9', score: 1, ranking: 2 }] },
          400,
          'not_in_match',
        ],
        ['a missing participant', { ...good, participants: good.participants.slice(0, 1) }, 400, 'invalid_request'],
        ['a missing team', { ...good, teams: good.teams.slice(0, 1) }, 400, 'invalid_request'],
        [
          'a participant twice',
          { ...good, participants: [good.participants[0], good.participants[0], good.participants[1]] },
          400,
          'invalid_request',
        ],
        ['no teams', { match_id: matchId, participants: good.participants }, 400, 'invalid_request'],
        ['no ranking', { ...good, teams: [{ id: 'team-1', score: 1 }, good.teams[1]] }, 400, 'invalid_request'],
        [
          'a fractional score',
          { ...good, participants: [{ ...good.participants[0], score: 1.5 }, good.participants[1]] },
          400,
          'invalid_request',
        ],
        [
          'a negative score',
          { ...good, participants: [{ ...good.participants[0], score: -1 }, good.participants[1]] },
          400,
          'invalid_request',
        ],
        [
          'a string score',
          { ...good, participants: [{ ...good.participants[0], score: '300' }, good.participants[1]] },
          400,
          'invalid_request',
        ],
        [
          'a negative team score',
          { ...good, teams: [{ ...good.teams[0], score: -5 }, good.teams[1]] },
          400,
          'invalid_request',
        ],
        // A ranking is uint8_t: 0 is taken (test/surfaces/oklp/resultFields.test.ts), 256 and -1 are not.
        [
          'a ranking above 255',
          { ...good, teams: [{ ...good.teams[0], ranking: 256 }, good.teams[1]] },
          400,
          'invalid_request',
        ],
        [
          'a negative ranking',
          { ...good, teams: [{ ...good.teams[0], ranking: -1 }, good.teams[1]] },
          400,
          'invalid_request',
        ],
        ['no match id', { participants: good.participants, teams: good.teams }, 400, 'invalid_request'],
        ['two different match ids', { ...good, 'match-id': 'abcdefabcdefabcdefabcdef' }, 400, 'invalid_request'],
        ['an abort with results', { ...good, error: { reason: 'x' } }, 400, 'invalid_request'],
        ['a JSON array', [good], 400, 'invalid_request'],
      ];
      for (const [what, body, status, code] of cases) {
        const reply = await f.game.finish(body);
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, code, what);
        assert.ok(reply.body.error.message.length > 0, what);
      }
      for (const raw of ['', '{"match_id":', 'null']) {
        const reply = await f.game.call('POST', '/finish', undefined, { rawBody: raw });
        assert.equal(reply.status, 400, raw);
        assert.ok(['invalid_json', 'invalid_request'].includes(reply.body.error.code), raw);
      }
      const token = await f.game.accessToken();
      const raw = async (body: string, headers: Record<string, string>) => {
        const response = await fetch(`${f.server.url}/api/game/v1/finish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, ...headers },
          body,
        });
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          body: (await response.json()) as any,
        };
      };
      const huge = await raw(JSON.stringify({ ...good, padding: 'x'.repeat(300 * 1024) }), {
        'content-type': 'application/json',
      });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'body_too_large');
      const untyped = await raw(JSON.stringify({ ...good, match_id: 'ffffffffffffffffffffffff' }), {});
      assert.equal(untyped.status, 404, 'a JSON body without Content-Type is read as JSON');
      const texty = await raw('not json at all', { 'content-type': 'text/plain' });
      assert.equal(texty.status, 400);
      assert.match(String(texty.type), /^application\/json/);
      const unknownPath = await f.game.call('GET', '/no-such-endpoint');
      assert.equal(unknownPath.status, 404);
      assert.equal(unknownPath.body.error.code, 'not_found');

      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'live', 'nothing was decided by the refused requests');
      assert.equal((await f.game.finish(good)).status, 200);
    });

    it("refuses another game's match with 403, and the match stays live", async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: otherGame.clientId, teams, entryFee: 100 });
      const reply = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(reply.status, 403);
      assert.equal(reply.body.error.code, 'forbidden');
      const abort = await f.game.finish({ match_id: matchId, error: { reason: 'not mine' } });
      assert.equal(abort.status, 403);
      assert.equal((await f.other.finish(syncResult(matchId, teams, [1, 2]))).status, 200);
    });

    it('takes scores above 255 (the seed declares uint8_t, its samples send 300)', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 0 });
      const body = syncResult(matchId, teams, [1, 2]);
      body.participants[0]!.score = 300;
      body.teams[0] = { id: 'team-1', score: 300, ranking: 1 };
      const reply = await f.game.finish(body);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body.settlement.payouts, [{ id: teams[0]![0], amount: 0 }], 'a free match pays nothing');
    });
  });

  describe(`OkLetsPlay /finish, asynchronous matches [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend, { oklp: { asyncDeadlineMs: 1500 } });
    });
    after(() => f.close());

    it('takes one result per player and settles when every player has reported', async () => {
      const [a, b] = uniqueUsers(2);
      const teams = [[a!], [b!]];
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      const first = await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 100 }] });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.match_status, 'live');
      assert.deepEqual(first.body.participant, { id: b, score: 100, best_score: 100, submissions_left: 0 });
      assert.equal(first.body.settlement, undefined);

      const second = await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 300 }] });
      assert.equal(second.body.match_status, 'settled');
      assert.equal(second.body.settlement.winner_team_id, 'team-1');
      assert.equal(await balance(f.admin, a!), 180);

      // Replays get their first answers, even after the match settled.
      const replayFirst = await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 100 }] });
      assert.equal(replayFirst.status, 200);
      assert.deepEqual(replayFirst.body, first.body);
      assert.equal(replayFirst.headers.get('idempotent-replayed'), 'true');
      const conflicting = await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 999 }] });
      assert.equal(conflicting.status, 409);
      assert.equal(conflicting.body.error.code, 'result_conflict');
      assert.equal(await balance(f.admin, a!), 180);
    });

    it('refuses a second, different result for a player who has reported, and the first stands', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      const player = teams[0]![0];
      assert.equal((await f.game.finish({ match_id: matchId, participants: [{ id: player, score: 50 }] })).status, 200);
      const again = await f.game.finish({ match_id: matchId, participants: [{ id: player, score: 60 }] });
      assert.equal(again.status, 409);
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.teams[0].participants[0].bestScore, 50);
    });

    it('refuses synchronous-shaped results and strangers', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      const both = await f.game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(both.status, 400);
      const stranger = await f.game.finish({ match_id: matchId, participants: [{ id: 'stranger', score: 1 }] });
      assert.equal(stranger.status, 400);
      assert.equal(stranger.body.error.code, 'not_in_match');
    });

    it('lets a player submit up to maxSubmissions results; the best counts', async () => {
      const [a, b] = uniqueUsers(2);
      const teams = [[a!], [b!]];
      const matchId = await createMatch(f.admin, {
        clientId: game,
        teams,
        mode: 'async',
        entryFee: 100,
        maxSubmissions: 2,
      });
      const token = (await f.admin.ok('POST', `/oklp/matches/${matchId}/tokens`, { userId: a })).token;
      const info = async () => (await f.game.call('POST', '/token-info', { token })).body;
      assert.deepEqual(await info(), {
        match_id: matchId,
        user_id: a,
        match_status: 'live',
        submissions_total: 2,
        submissions_left: 2,
      });
      const one = await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 70 }] });
      assert.equal(one.body.participant.submissions_left, 1);
      assert.equal((await info()).submissions_left, 1);
      const retry = await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 70 }] });
      assert.deepEqual(retry.body, one.body, 'a retry of the last result is not another attempt');
      const two = await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 40 }] });
      assert.deepEqual(two.body.participant, { id: a, score: 40, best_score: 70, submissions_left: 0 });
      assert.equal((await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 90 }] })).status, 409);

      await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 60 }] });
      const last = await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 65 }] });
      assert.equal(last.body.match_status, 'settled');
      assert.equal(last.body.settlement.winner_team_id, 'team-1', '70 beats 65');
      assert.equal((await info()).match_status, 'settled');
      assert.equal((await info()).submissions_left, 0);
    });

    it('settles at the deadline: a player who has not reported forfeits', async () => {
      const [a, b] = uniqueUsers(2);
      const teams = [[a!], [b!]];
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      await f.game.finish({ match_id: matchId, participants: [{ id: b, score: 1 }] });
      const match = await waitUntil(async () => {
        const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
        return match.status === 'settled' && match;
      }, 'the deadline');
      assert.ok(match.decidedAt - match.createdAt >= 1500);
      assert.equal(match.settlement.winner, 'team-2');
      assert.equal(await balance(f.admin, b!), 180);
      const late = await f.game.finish({ match_id: matchId, participants: [{ id: a, score: 500 }] });
      assert.equal(late.status, 409, 'too late');
    });

    it('refunds at the deadline when nobody reported', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      const match = await waitUntil(async () => {
        const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
        return match.status === 'settled' && match;
      }, 'the deadline');
      assert.equal(match.settlement.outcome, 'tied');
      assert.equal(match.settlement.fee, 0);
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 100);
    });

    it('aborts an asynchronous match with one abort, refunding players who reported too', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, mode: 'async', entryFee: 100 });
      await f.game.finish({ match_id: matchId, participants: [{ id: teams[0]![0], score: 5 }] });
      const reply = await f.game.finish({ match_id: matchId, error: { reason: 'server crashed' } });
      assert.equal(reply.body.match_status, 'aborted');
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 100);
    });
  });
}
