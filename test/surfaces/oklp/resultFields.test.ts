import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  balance,
  createMatch,
  type OklpFixture,
  oklpFixture,
  pollGame,
  syncResult,
  uniqueUsers,
} from '../../support/oklp.js';

const game = pollGame.clientId;

/** A synchronous result of one-player-or-more teams `team-1`, `team-2`, … with these rankings. */
function resultOf(matchId: string, teams: string[][], rankings: number[]) {
  return {
    match_id: matchId,
    participants: teams.flatMap((users) => users.map((id) => ({ id, score: 10 }))),
    teams: teams.map((_, i) => ({ id: `team-${i + 1}`, score: 10, ranking: rankings[i] }) as Record<string, unknown>),
  };
}

/** Names the domain uses for fields that the game API spells otherwise: no message may show them. */
const internalNames = /\b(userId|teamId|matchId|userIds)\b/;

for (const backend of backends) {
  describe(`OkLetsPlay /finish: ranking and score as the seed types them [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    /** A settled synchronous match of one-player teams with these rankings; returns the answer. */
    async function settleWith(rankings: number[]) {
      const teams = uniqueUsers(rankings.length).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const reply = await f.game.finish(resultOf(matchId, teams, rankings));
      assert.equal(reply.status, 200, `${JSON.stringify(rankings)}: ${JSON.stringify(reply.body)}`);
      return { reply, teams, matchId };
    }

    // The seed: "ranking uint8_t The team's resulting rank." 0 is a uint8_t.
    it('takes ranking 0 (uint8_t) and ranks it first, wherever the team is listed', async () => {
      const first = await settleWith([0, 1]);
      assert.equal(first.reply.body.settlement.winner_team_id, 'team-1');
      assert.equal(await balance(f.admin, first.teams[0]![0]!), 180);

      const second = await settleWith([1, 0]);
      assert.equal(second.reply.body.settlement.winner_team_id, 'team-2');

      const three = await settleWith([2, 0, 1]);
      assert.equal(three.reply.body.settlement.winner_team_id, 'team-2');
      const { match } = await f.admin.ok('GET', `/oklp/matches/${three.matchId}`);
      assert.deepEqual(
        match.result.teams.map((t: any) => t.ranking),
        [2, 0, 1],
        'the accepted result keeps ranking 0',
      );
    });

    it('takes ranking 255, the largest uint8_t, and still ranks the lowest first', async () => {
      const top = await settleWith([255, 254]);
      assert.equal(top.reply.body.settlement.winner_team_id, 'team-2');
      const wide = await settleWith([255, 0]);
      assert.equal(wide.reply.body.settlement.winner_team_id, 'team-2');
    });

    it('ties on an equal best ranking, 0 included, as on any other: every fee back, no fee', async () => {
      const { reply, teams } = await settleWith([0, 0]);
      assert.equal(reply.body.settlement.outcome, 'tied');
      assert.equal(reply.body.settlement.fee, 0);
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 100);
      const below = await settleWith([0, 0, 1]);
      assert.equal(below.reply.body.settlement.outcome, 'tied', 'a tie for first');
    });

    it('ranks a team that forfeits last even with ranking 0', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const body = resultOf(matchId, teams, [0, 1]);
      body.teams[0]!['forfeit?'] = true;
      const reply = await f.game.finish(body);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.settlement.winner_team_id, 'team-2');
    });

    it('refuses rankings outside uint8_t (256, -1) and non-integers, naming the field, and decides nothing', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const cases: Array<[unknown, RegExp]> = [
        [256, /^invalid request: teams\[1\]\.ranking must be at most 255$/],
        [-1, /^invalid request: teams\[1\]\.ranking must be at least 0$/],
        [1.5, /^invalid request: teams\[1\]\.ranking must be an integer$/],
        ['1', /^invalid request: teams\[1\]\.ranking must be an integer$/],
        [null, /^invalid request: teams\[1\]\.ranking must be an integer$/],
      ];
      for (const [ranking, message] of cases) {
        const body = resultOf(matchId, teams, [1, 2]);
        body.teams[1]!.ranking = ranking;
        const reply = await f.game.finish(body);
        assert.equal(reply.status, 400, `${JSON.stringify(ranking)}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, 'invalid_request');
        assert.match(reply.body.error.message, message);
      }
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'live');
    });

    // The seed types score uint8_t, but its own samples send "score": 300: larger integers stay accepted.
    it("takes scores above 255 (the seed sample's 300, and more) in synchronous and asynchronous results", async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const sync = await f.game.finish({
        match_id: matchId,
        participants: [
          { id: teams[0]![0], score: 300 },
          { id: teams[1]![0], score: 100 },
        ],
        teams: [
          { id: 'team-1', score: 300, ranking: 1 },
          { id: 'team-2', score: 100, ranking: 2 },
        ],
      });
      assert.equal(sync.status, 200, JSON.stringify(sync.body));
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.deepEqual(
        match.result.participants.map((p: any) => p.score),
        [300, 100],
      );

      const [a, b] = uniqueUsers(2);
      const asyncId = await createMatch(f.admin, { clientId: game, teams: [[a!], [b!]], mode: 'async' });
      const one = await f.game.finish({ match_id: asyncId, participants: [{ id: a, score: 300 }] });
      assert.equal(one.status, 200, JSON.stringify(one.body));
      assert.equal(one.body.participant.score, 300);
      const two = await f.game.finish({ match_id: asyncId, participants: [{ id: b, score: 2 ** 53 - 1 }] });
      assert.equal(two.status, 200, JSON.stringify(two.body));
      assert.equal(two.body.settlement.winner_team_id, 'team-2');
      const tooBig = await f.game.finish({ match_id: asyncId, participants: [{ id: b, score: 2 ** 53 }] });
      assert.equal(tooBig.status, 400);
      assert.match(tooBig.body.error.message, /participants\[0\]\.score must be at most 9007199254740991/);
    });
  });

  describe(`OkLetsPlay game API: every refusal names the field as the game sent it [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it('names fields of synchronous results in the wire spelling (participants[1].id, teams[0].ranking, …)', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: game, teams, entryFee: 100 });
      const good = syncResult(matchId, teams, [1, 2]);
      const [p0, p1] = good.participants;
      const cases: Array<[string, unknown, number, string, RegExp]> = [
        [
          'unknown match',
          { ...good, match_id: 'ffffffffffffffffffffffff' },
          404,
          'match_not_found',
          /^match_id "ffffffffffffffffffffffff" does not exist$/,
        ],
        [
          'a stranger',
          { ...good, participants: [p0, { id: 'stranger', score: 1 }] },
          400,
          'not_in_match',
          new RegExp(`^participants\\[1\\]\\.id "stranger" does not play in match ${matchId}$`),
        ],
        [
          'an unknown team',
          { ...good, teams: [good.teams[0], { id: 'team-9', score: 1, ranking: 2 }] },
          400,
          'not_in_match',
          new RegExp(`^teams\\[1\\]\\.id "team-9" does not play in match ${matchId}$`),
        ],
        [
          'a participant twice',
          { ...good, participants: [p0, p1, p0] },
          400,
          'invalid_request',
          /^participants\[2\]\.id ".*" appears more than once$/,
        ],
        [
          'a missing participant',
          { ...good, participants: [p1] },
          400,
          'invalid_request',
          /^participants must list every participant of the match; missing: "/,
        ],
        [
          'a missing team',
          { ...good, teams: [good.teams[1]] },
          400,
          'invalid_request',
          /^teams must list every team of the match; missing: "team-1"$/,
        ],
        [
          'no ranking',
          { ...good, teams: [{ id: 'team-1', score: 1 }, good.teams[1]] },
          400,
          'invalid_request',
          /^teams\[0\]\.ranking is required for a team that does not forfeit$/,
        ],
        [
          'no teams',
          { match_id: matchId, participants: good.participants },
          400,
          'invalid_request',
          /^teams is required: a result of a synchronous match lists every participant and team$/,
        ],
        [
          'a negative score',
          { ...good, participants: [{ ...p0, score: -1 }, p1] },
          400,
          'invalid_request',
          /^invalid request: participants\[0\]\.score must be at least 0$/,
        ],
        [
          'a string score',
          { ...good, participants: [p0, { ...p1, score: '300' }] },
          400,
          'invalid_request',
          /^invalid request: participants\[1\]\.score must be an integer$/,
        ],
        [
          'a numeric participant id',
          { ...good, participants: [{ ...p0, id: 7 }, p1] },
          400,
          'invalid_request',
          /^invalid request: participants\[0\]\.id must be a string$/,
        ],
        [
          'a forfeit that is not a boolean',
          { ...good, teams: [{ ...good.teams[0], 'forfeit?': 'yes' }, good.teams[1]] },
          400,
          'invalid_request',
          /^invalid request: teams\[0\]\.forfeit\? must be a boolean$/,
        ],
        [
          'no match id',
          { participants: good.participants, teams: good.teams },
          400,
          'invalid_request',
          /^match_id is required$/,
        ],
        [
          'two different match ids',
          { ...good, 'match-id': 'abcdefabcdefabcdefabcdef' },
          400,
          'invalid_request',
          /^match_id and match-id must be equal when both are given$/,
        ],
        [
          'an abort with results',
          { ...good, error: { reason: 'x' } },
          400,
          'invalid_request',
          /^participants and teams must be absent when error is given/,
        ],
        [
          'neither participants nor error',
          { match_id: matchId },
          400,
          'invalid_request',
          /^participants is required \(or error, to abort the match\)$/,
        ],
        [
          'a reason over 1024 bytes',
          { match_id: matchId, error: { reason: 'é'.repeat(513) } },
          400,
          'invalid_request',
          /^invalid request: error\.reason must be at most 1024 bytes in UTF-8$/,
        ],
      ];
      for (const [what, body, status, code, message] of cases) {
        const reply = await f.game.finish(body);
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, code, what);
        assert.match(reply.body.error.message, message, what);
        assert.doesNotMatch(reply.body.error.message, internalNames, what);
      }
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'live', 'nothing was decided by the refused requests');
    });

    it('names the match id as the body spelt it: "match-id" (the seed\'s abort sample) or match_id', async () => {
      const dashed = await f.game.finish({ 'match-id': 'ffffffffffffffffffffffff', error: { reason: 'x' } });
      assert.equal(dashed.status, 404);
      assert.match(dashed.body.error.message, /^match-id "ffffffffffffffffffffffff" does not exist$/);
      const plain = await f.game.finish({ match_id: 'ffffffffffffffffffffffff', error: { reason: 'x' } });
      assert.match(plain.body.error.message, /^match_id "ffffffffffffffffffffffff" does not exist$/);
      const long = await f.game.finish({ match_id: 'f'.repeat(65), error: { reason: 'x' } });
      assert.equal(long.status, 400);
      assert.match(long.body.error.message, /^invalid request: match_id must be at most 64 characters$/);
    });

    it('names fields of asynchronous results (participants[0].id, teams) and of token-info (token)', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createMatch(f.admin, { clientId: game, teams: [[a!], [b!]], mode: 'async' });
      const cases: Array<[string, unknown, number, string, RegExp]> = [
        [
          'a stranger',
          { match_id: matchId, participants: [{ id: 'stranger', score: 1 }] },
          400,
          'not_in_match',
          new RegExp(`^participants\\[0\\]\\.id "stranger" does not play in match ${matchId}$`),
        ],
        [
          'teams',
          { match_id: matchId, participants: [{ id: a, score: 1 }], teams: [{ id: 'team-1', ranking: 1 }] },
          400,
          'invalid_request',
          /^teams must be absent: a result of an asynchronous match carries one participant only$/,
        ],
        [
          'two participants',
          {
            match_id: matchId,
            participants: [
              { id: a, score: 1 },
              { id: b, score: 2 },
            ],
          },
          400,
          'invalid_request',
          /^participants must hold exactly one participant in a result of an asynchronous match$/,
        ],
      ];
      for (const [what, body, status, code, message] of cases) {
        const reply = await f.game.finish(body);
        assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.error.code, code, what);
        assert.match(reply.body.error.message, message, what);
        assert.doesNotMatch(reply.body.error.message, internalNames, what);
      }

      const unknownToken = await f.game.call('POST', '/token-info', { token: 'no-such-token' });
      assert.equal(unknownToken.status, 404);
      assert.match(unknownToken.body.error.message, /^token is not a match token issued by this platform$/);
      const noToken = await f.game.call('POST', '/token-info', {});
      assert.equal(noToken.status, 400);
      assert.match(noToken.body.error.message, /^invalid request: token is required$/);
    });
  });
}
