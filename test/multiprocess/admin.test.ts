import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminBrowser, AdminClient } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { type ChildServer, spawnServer } from '../support/servers.js';
import { SseClient } from '../support/sse.js';
import { createBattle, pk, TencentClient, testApp } from '../support/tencent.js';
import { waitUntil } from '../support/wait.js';

for (const backend of backends) {
  describe(`admin API across two server processes: sessions, event stream [${backend.name}]`, () => {
    let database: TestDatabase;
    let servers: ChildServer[];

    before(async () => {
      database = await backend.create();
      const fileConfig = { storage: database.storage, admin: { tokens: [ADMIN_TOKEN] }, tencent: { apps: [testApp] } };
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    it('accepts on one process a session made on the other, and signing out on either ends it on both', async () => {
      const [a, b] = servers as [ChildServer, ChildServer];
      const signedInOnA = await AdminBrowser.signIn(a.url, ADMIN_TOKEN);
      const onB = signedInOnA.at(b.url);
      const me = await onB.request('GET', '/session');
      assert.equal(me.status, 200);
      assert.equal(me.body.via, 'session');
      assert.equal((await onB.request('GET', '/deliveries')).status, 200);

      const out = await onB.request('DELETE', '/session', { origin: new URL(b.url).origin });
      assert.deepEqual(out.body, { signedOut: true });
      const refusedOnA = await signedInOnA.request('GET', '/session');
      assert.equal(refusedOnA.status, 401);
      assert.equal(refusedOnA.body.error.code, 'unauthorized');
    });

    it("counts every process's score updates once in the overview", async () => {
      const [a, b] = servers as [ChildServer, ChildServer];
      const onA = new TencentClient(a.url, testApp);
      const onB = new TencentClient(b.url, testApp);
      const { battleId, rooms } = await createBattle(onA);
      const add = (client: TencentClient) =>
        client.ok(pk('set_battle_score'), {
          BattleId: battleId,
          OpType: 1,
          ScoreList: [{ RoomId: rooms[0], Score: 1 }],
        });
      await Promise.all([...Array.from({ length: 6 }, () => add(onA)), ...Array.from({ length: 4 }, () => add(onB))]);
      // Each process adds its counts every 5 s (and its own before it answers an overview).
      const counted = async (server: ChildServer) => {
        const overview = await new AdminClient(server.url, ADMIN_TOKEN).ok('GET', '/overview');
        return overview.minutes.reduce((sum: number, m: any) => sum + m.scoreUpdates, 0) as number;
      };
      await waitUntil(async () => (await counted(a)) === 10, "both processes' 10 score updates", 15_000);
      assert.equal(await counted(b), 10, 'the same on the other process');
    });

    if (backend.name === 'postgres') {
      it('streams to an operator on one process what happens on the other (battles, ledger)', async () => {
        const [a, b] = servers as [ChildServer, ChildServer];
        const browser = await AdminBrowser.signIn(a.url, ADMIN_TOKEN);
        const stream = await SseClient.open(`${b.url}/admin/v1/events`, { cookie: browser.cookie });
        try {
          assert.equal(stream.response.status, 200);
          const { battleId } = await createBattle(new TencentClient(a.url, testApp));
          await stream.next(
            (e) => e.event === 'battle.started' && e.data.battle.battleId === battleId,
            'battle.started',
          );
          const user = `mp-sse-${process.pid}`;
          await new AdminClient(a.url, ADMIN_TOKEN).ok('POST', '/ledger/deposits', {
            userId: user,
            amount: 5,
            currency: 'USD',
            idempotencyKey: user,
          });
          const moved = await stream.next(
            (e) => e.event === 'ledger.transfer' && e.data.transfer.to === `user:USD:${user}`,
            'ledger.transfer',
          );
          assert.equal(moved.data.transfer.amount, 5);
        } finally {
          stream.close();
        }
      });
    }
  });
}
