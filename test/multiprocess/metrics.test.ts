import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { matching, scrape, total } from '../support/metrics.js';
import { type ChildServer, spawnServer } from '../support/servers.js';
import { createBattle, createRooms, pk, srv, TencentClient, testApp } from '../support/tencent.js';

for (const backend of backends) {
  describe(`metrics of two server processes on one database [${backend.name}]`, () => {
    let database: TestDatabase;
    let servers: ChildServer[];
    let a: TencentClient;
    let b: TencentClient;

    before(async () => {
      database = await backend.create();
      const fileConfig = {
        storage: database.storage,
        metrics: { databaseCacheMs: 0 },
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
      };
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
      a = new TencentClient(servers[0]!.url, testApp);
      b = new TencentClient(servers[1]!.url, testApp);
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    it('reports the database’s figures on each process, not each process’s share; counts each process’s own requests once', async () => {
      await createRooms(a, 3, 'mp-a');
      await createRooms(b, 2, 'mp-b');
      const { battleId, rooms } = await createBattle(a);
      for (let i = 0; i < 4; i++) {
        await b.ok(pk('set_battle_score'), {
          BattleId: battleId,
          OpType: 1,
          ScoreList: [{ RoomId: rooms[1], Score: 1 }],
        });
      }
      const [fromA, fromB] = await Promise.all(servers.map((server) => scrape(`${server.url}/metrics`, ADMIN_TOKEN)));
      const app = { app: String(testApp.sdkAppId) };

      for (const samples of [fromA!, fromB!]) {
        assert.equal(total(samples, 'ringside_rooms', app), 7, 'every room in the database, on either process');
        assert.equal(total(samples, 'ringside_battles_running', app), 1);
      }

      const createRoom = { operation: srv('create_room'), code: '0' };
      assert.equal(total(fromA!, 'ringside_requests_total', createRoom), 5, 'A created 3 rooms and 2 for the battle');
      assert.equal(total(fromB!, 'ringside_requests_total', createRoom), 2);
      assert.equal(total(fromA!, 'ringside_battle_score_updates_total', app), 0);
      assert.equal(total(fromB!, 'ringside_battle_score_updates_total', app), 4);
      const processOf = (samples: typeof fromA) =>
        matching(samples!, 'ringside_requests_total', createRoom)[0]!.labels.process;
      assert.ok(processOf(fromA) && processOf(fromB));
      assert.notEqual(processOf(fromA), processOf(fromB), 'each process labels its own series');
      // What Prometheus sums over both processes is the number of requests made.
      assert.equal(
        total(fromA!, 'ringside_requests_total', createRoom) + total(fromB!, 'ringside_requests_total', createRoom),
        7,
      );
    });
  });
}
