import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import {
  balance,
  createMatch,
  GameClient,
  getJson,
  pollGame,
  REALM,
  syncResult,
  uniqueUsers,
} from '../support/oklp.js';
import { type ChildServer, spawnServer } from '../support/servers.js';

for (const backend of backends) {
  describe(`matches across two server processes [${backend.name}]`, () => {
    let database: TestDatabase;
    let servers: ChildServer[];
    let admin: AdminClient;
    let games: GameClient[];

    before(async () => {
      database = await backend.create();
      const fileConfig = {
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        oklp: { realm: REALM, clients: [pollGame] },
      };
      // Both start at once on an empty database: both want to make the realm key.
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
      admin = new AdminClient(servers[0]!.url, ADMIN_TOKEN);
      games = servers.map((server) => new GameClient(server.url, pollGame));
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    it('shares one realm key: both publish it, and a token from one process works on the other', async () => {
      const keys = await Promise.all(
        servers.map(async (server) => (await getJson(`${server.url}/auth/realms/${REALM}`)).public_key),
      );
      assert.equal(keys[0], keys[1]);
      const fromA = await games[0]!.accessToken();
      const onB = await games[1]!.call('GET', '/matches/active', undefined, { token: fromA });
      assert.equal(onB.status, 200);
    });

    it('accepts one of two conflicting results posted to both processes at once; the money moves once', async () => {
      for (let round = 0; round < 10; round++) {
        const [a, b] = uniqueUsers(2, `race${round}`);
        const teams = [[a!], [b!]];
        const matchId = await createMatch(admin, { clientId: pollGame.clientId, teams, entryFee: 1000 });
        const replies = await Promise.all([
          games[0]!.finish(syncResult(matchId, teams, [1, 2])),
          games[1]!.finish(syncResult(matchId, teams, [2, 1])),
        ]);
        const statuses = replies.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 409], `round ${round}: ${JSON.stringify(replies.map((r) => r.body))}`);
        const winner = replies.find((r) => r.status === 200)!.body.settlement.winner_team_id;
        const loser = replies.find((r) => r.status === 409)!;
        assert.equal(loser.body.error.code, 'result_conflict');

        const balances = [await balance(admin, a!), await balance(admin, b!)];
        assert.deepEqual(balances, winner === 'team-1' ? [1800, 0] : [0, 1800], `round ${round}`);
        const { transfers } = await admin.ok('GET', `/oklp/matches/${matchId}`);
        assert.deepEqual(
          transfers.map((t: any) => t.kind).sort(),
          ['entry_fee', 'entry_fee', 'platform_fee', 'prize'],
          'one prize and one fee: settled once',
        );
      }
    });

    it('settles once when both processes receive the same result at once: both answer 200', async () => {
      for (let round = 0; round < 5; round++) {
        const teams = uniqueUsers(2, `same${round}`).map((u) => [u]);
        const matchId = await createMatch(admin, { clientId: pollGame.clientId, teams, entryFee: 100 });
        const result = syncResult(matchId, teams, [1, 2]);
        const replies = await Promise.all([games[0]!.finish(result), games[1]!.finish(result)]);
        assert.deepEqual(
          replies.map((r) => r.status),
          [200, 200],
        );
        assert.deepEqual(replies[0]!.body, replies[1]!.body);
        assert.equal(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 1);
        assert.equal(await balance(admin, teams[0]![0]!), 180);
      }
    });
  });
}
