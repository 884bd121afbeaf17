import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import {
  balance,
  createMatch,
  GameClient,
  type OklpFixture,
  oklpFixture,
  otherGame,
  pollGame,
  pushGame,
  REALM,
  realmPublicKey,
  syncResult,
  type TestOklpClient,
  uniqueUsers,
} from '../../support/oklp.js';
import { Receiver } from '../../support/receiver.js';
import { startServer } from '../../support/servers.js';
import { sleep, waitUntil } from '../../support/wait.js';

/** Several retries within a second, with room for a late first attempt on a loaded machine. */
const fastRetry = { initialMs: 50, maxMs: 100, forMs: 1000 };

/** A URL on this machine where nothing listens (a port just freed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/matches`;
}

for (const backend of backends) {
  describe(`OkLetsPlay push flow [${backend.name}]`, () => {
    let f: OklpFixture;
    let receiver: Receiver;
    let push: TestOklpClient;
    let unreachableGame: TestOklpClient;
    before(async () => {
      unreachableGame = {
        clientId: 'test-game-unreachable',
        clientSecret: 'test-game-unreachable-secret-0123',
        flow: 'push',
        matchInfoUrl: await closedPortUrl(),
      };
      // The game refuses matches of players whose id starts with "refused".
      receiver = await Receiver.start({
        answer: (request) =>
          request.body.includes('"refused') ? { status: 500, body: '{"error":"no"}' } : { status: 200, body: '{}' },
      });
      push = pushGame(`${receiver.url}/matches?game=1`);
      f = await oklpFixture(backend, { clients: [push, pollGame, unreachableGame], oklp: { pushRetry: fastRetry } });
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    const pushesOf = (matchId: string) => receiver.requests.filter((r) => r.json?.match_id === matchId);

    it('PUTs the match stub to the matchInfoUrl with a Bearer JWT signed by the realm key', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createMatch(f.admin, { clientId: push.clientId, teams: [[a!], [b!]] });
      await receiver.waitFor(() => pushesOf(matchId).length === 1);
      const [request] = pushesOf(matchId);
      assert.equal(request!.method, 'PUT');
      assert.equal(`${request!.url.pathname}${request!.url.search}`, '/matches?game=1');
      assert.match(String(request!.headers['content-type']), /^application\/json/);
      assert.deepEqual(request!.json, {
        match_id: matchId,
        participants: [
          { id: a, team_id: 'team-1' },
          { id: b, team_id: 'team-2' },
        ],
        teams: [{ id: 'team-1' }, { id: 'team-2' }],
      });
      const bearer = /^Bearer (.+)$/.exec(String(request!.headers.authorization))![1]!;
      const { payload } = await jwtVerify(bearer, await realmPublicKey(f.server.url), {
        algorithms: ['RS256'],
        audience: push.clientId,
      });
      assert.match(String(payload.iss), new RegExp(`/auth/realms/${REALM}$`));
      assert.ok(payload.exp! > Date.now() / 1000);

      // The webhook token is the platform's, not an access token: the game API refuses it.
      const refused = await new GameClient(f.server.url, push).call('GET', '/matches/active', undefined, {
        token: bearer,
      });
      assert.equal(refused.status, 401);
      assert.match(refused.body.error.message, /scope/);
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'live', 'the game answered 200: the match is on');
    });

    it('pushes the stub again with forfeit: true when a team forfeits on the platform', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: push.clientId, teams });
      await receiver.waitFor(() => pushesOf(matchId).length === 1);
      const forfeited = await f.admin.ok('POST', `/oklp/matches/${matchId}/forfeit`, { teamId: 'team-2' });
      assert.equal(forfeited.match.teams[1].forfeited, true);
      await receiver.waitFor(() => pushesOf(matchId).length === 2);
      assert.deepEqual(pushesOf(matchId)[1]!.json.teams, [{ id: 'team-1' }, { id: 'team-2', forfeit: true }]);
      const game = new GameClient(f.server.url, push);
      const reply = await game.finish(syncResult(matchId, teams, [2, 1]));
      assert.equal(reply.body.settlement.winner_team_id, 'team-1', 'the forfeited team ranks last');
    });

    it('aborts the match and refunds every fee when the game answers 500', async () => {
      const [a, b] = uniqueUsers(2, 'refused');
      const matchId = await createMatch(f.admin, { clientId: push.clientId, teams: [[a!], [b!]], entryFee: 400 }, 1000);
      assert.equal(await balance(f.admin, a!), 600);
      const match = await waitUntil(async () => {
        const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
        return match.status === 'aborted' && match;
      }, 'the abort');
      assert.match(match.abortReason, /HTTP 500/);
      assert.equal(match.settlement.fee, 0);
      assert.equal(await balance(f.admin, a!), 1000);
      assert.equal(await balance(f.admin, b!), 1000);
      assert.equal(pushesOf(matchId).length, 1, 'an answer other than 200 is final: no retry');
      const { deliveries } = await f.admin.ok('GET', '/deliveries?status=dead');
      const dead = deliveries.find((d: any) => d.payload.matchId === matchId);
      assert.equal(dead.topic, 'match.created');
      assert.equal(dead.lastError, 'HTTP 500');
      const reply = await new GameClient(f.server.url, push).finish(syncResult(matchId, [[a!], [b!]], [1, 2]));
      assert.equal(reply.status, 409, 'a result for the aborted match is refused');
    });

    it('retries a push that cannot connect a few times, then aborts and refunds', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: unreachableGame.clientId, teams, entryFee: 100 });
      const match = await waitUntil(async () => {
        const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
        return match.status === 'aborted' && match;
      }, 'the abort');
      assert.match(match.abortReason, /ECONNREFUSED/);
      for (const [user] of teams) assert.equal(await balance(f.admin, user!), 100);
      const { deliveries } = await f.admin.ok('GET', '/deliveries?status=dead');
      assert.ok(deliveries.find((d: any) => d.payload.matchId === matchId).attempts >= 3, 'tried more than once');
    });

    it('does not push matches of poll-flow games', async () => {
      const teams = uniqueUsers(2).map((u) => [u]);
      const matchId = await createMatch(f.admin, { clientId: pollGame.clientId, teams });
      const polled = await new GameClient(f.server.url, pollGame).call('GET', '/matches/active');
      assert.ok(polled.body.matches.some((m: any) => m.match_id === matchId));
      const { deliveries } = await f.admin.ok('GET', '/deliveries?limit=500');
      assert.equal(deliveries.filter((d: any) => d.payload.matchId === matchId).length, 0);
    });
  });

  describe(`OkLetsPlay poll flow and match tokens [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend);
    });
    after(() => f.close());

    it("lists the game's live matches as stubs, with platform forfeits, and drops decided ones", async () => {
      const teams = uniqueUsers(4).map((u) => [u]);
      const first = await createMatch(f.admin, { clientId: pollGame.clientId, teams: teams.slice(0, 2) });
      const second = await createMatch(f.admin, { clientId: pollGame.clientId, teams: teams.slice(2, 4) });
      const foreign = await createMatch(f.admin, {
        clientId: otherGame.clientId,
        teams: uniqueUsers(2).map((u) => [u]),
      });
      await f.admin.ok('POST', `/oklp/matches/${second}/forfeit`, { teamId: 'team-1' });

      const active = async () => (await f.game.call('GET', '/matches/active')).body.matches as any[];
      const listed = await active();
      assert.deepEqual(
        listed.find((m) => m.match_id === first),
        {
          match_id: first,
          participants: [
            { id: teams[0]![0], team_id: 'team-1' },
            { id: teams[1]![0], team_id: 'team-2' },
          ],
          teams: [{ id: 'team-1' }, { id: 'team-2' }],
        },
      );
      assert.deepEqual(listed.find((m) => m.match_id === second).teams, [
        { id: 'team-1', forfeit: true },
        { id: 'team-2' },
      ]);
      assert.ok(!listed.some((m) => m.match_id === foreign), "another game's match is not listed");

      await f.game.finish(syncResult(first, teams.slice(0, 2), [1, 2]));
      await f.admin.ok('POST', `/oklp/matches/${second}/abort`, { reason: 'cancelled by the platform' });
      const now = await active();
      assert.ok(!now.some((m) => m.match_id === first || m.match_id === second));
    });

    it('pages through live matches with limit and after', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(await createMatch(f.admin, { clientId: otherGame.clientId, teams: uniqueUsers(2).map((u) => [u]) }));
      }
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const query: string = after ? `?limit=2&after=${after}` : '?limit=2';
        const { body } = await f.other.call('GET', `/matches/active${query}`);
        seen.push(...body.matches.map((m: any) => m.match_id));
        after = body.next;
        if (!after) break;
      }
      assert.deepEqual(seen.filter((id) => ids.includes(id)).sort(), [...ids].sort());
      assert.equal(new Set(seen).size, seen.length, 'no match twice');
      assert.equal((await f.other.call('GET', '/matches/active?limit=0')).status, 400);
    });

    it('answers token-info for a match token; refuses unknown, foreign and expired tokens', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[a!], [b!]] });
      const issued = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: a });
      assert.equal(issued.status, 201);
      assert.ok(issued.body.expiresAt > Date.now());
      const info = await f.game.call('POST', '/token-info', { token: issued.body.token });
      assert.equal(info.status, 200);
      assert.deepEqual(info.body, {
        match_id: matchId,
        user_id: a,
        match_status: 'live',
        submissions_total: 1,
        submissions_left: 1,
      });
      const unknown = await f.game.call('POST', '/token-info', { token: 'no-such-token' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'token_not_found');
      const foreign = await f.other.call('POST', '/token-info', { token: issued.body.token });
      assert.equal(foreign.status, 403);
      assert.equal((await f.game.call('POST', '/token-info', {})).status, 400);

      await f.game.finish(syncResult(matchId, [[a!], [b!]], [1, 2]));
      const decided = await f.game.call('POST', '/token-info', { token: issued.body.token });
      assert.equal(decided.body.match_status, 'settled');
      assert.equal(decided.body.submissions_left, 0);

      const shortLived = await startServer({
        storage: f.database.storage,
        admin: { tokens: [f.admin.token] },
        oklp: { realm: REALM, clients: [pollGame], matchTokenLifetimeSeconds: 1 },
      });
      try {
        const [player, opponent] = uniqueUsers(2);
        const live = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[player!], [opponent!]] });
        const admin = new AdminClient(shortLived.url, f.admin.token);
        const { token } = await admin.ok('POST', `/oklp/matches/${live}/tokens`, { userId: player });
        await sleep(1100);
        const expired = await new GameClient(shortLived.url, pollGame).call('POST', '/token-info', { token });
        assert.equal(expired.status, 410);
        assert.equal(expired.body.error.code, 'token_expired');
      } finally {
        await shortLived.close();
      }
    });

    it('issues match tokens only for participants of live matches', async () => {
      const [a, b] = uniqueUsers(2);
      const matchId = await createMatch(f.admin, { clientId: pollGame.clientId, teams: [[a!], [b!]] });
      const stranger = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: 'stranger' });
      assert.equal(stranger.status, 400);
      assert.equal(stranger.body.error.code, 'not_in_match');
      const unknown = await f.admin.request('POST', '/oklp/matches/ffffffffffffffffffffffff/tokens', { userId: a });
      assert.equal(unknown.status, 404);
      await f.game.finish({ match_id: matchId, error: { reason: 'bug' } });
      const decided = await f.admin.request('POST', `/oklp/matches/${matchId}/tokens`, { userId: a });
      assert.equal(decided.status, 409);
      assert.equal(decided.body.error.code, 'match_not_live');
    });
  });
}
