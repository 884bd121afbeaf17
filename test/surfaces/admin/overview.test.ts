import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { eventParams, JdbClient, jdbAgent, jdbTime, testGames } from '../../support/jdb.js';
import { createMatch, GameClient, pollGame, REALM, syncResult, uniqueUsers } from '../../support/oklp.js';
import { Receiver } from '../../support/receiver.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { createBattle, createRooms, otherApp, pk, srv, TencentClient, testApp } from '../../support/tencent.js';
import { waitUntil } from '../../support/wait.js';

const MINUTE_MS = 60_000;

/** The overview's counts summed over its 60 minutes. */
function totals(overview: any) {
  const sum = (pick: (m: any) => number) => overview.minutes.reduce((total: number, m: any) => total + pick(m), 0);
  return {
    scoreUpdates: sum((m) => m.scoreUpdates),
    gifts: sum((m) => m.gifts),
    coins: sum((m) => m.coins),
    delivered: sum((m) => m.deliveries.delivered),
    failed: sum((m) => m.deliveries.failed),
    notSent: sum((m) => m.deliveries.notSent),
    settledMatches: sum((m) => m.settledMatches),
  };
}

for (const backend of backends) {
  describe(`admin overview (GET /admin/v1/overview) [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let receiver: Receiver;
    let admin: AdminClient;
    let tencent: TencentClient;
    let unreachable: TencentClient;

    before(async () => {
      receiver = await Receiver.start({ answer: () => ({ status: 200, body: '{"ErrorCode":0}' }) });
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: {
          apps: [
            { ...testApp, callback: { url: `${receiver.url}/cb` } },
            // Nothing listens on port 1: every callback attempt fails.
            { ...otherApp, callback: { url: 'http://127.0.0.1:1/cb' } },
          ],
          // Short, so that a message to the unreachable app is given up on (dead) within the test.
          callbackRetry: { initialMs: 50, maxMs: 50, forMs: 1500 },
        },
        jdb: { agents: [jdbAgent], games: testGames },
        oklp: { realm: REALM, clients: [pollGame] },
      });
      admin = new AdminClient(server.url, ADMIN_TOKEN);
      tencent = new TencentClient(server.url, testApp);
      unreachable = new TencentClient(server.url, otherApp);
    });
    after(async () => {
      await server.close();
      await database.drop();
      await receiver.close();
    });

    it('answers 60 consecutive minutes, oldest first, ending with the current one, all zero at first', async () => {
      const before = Date.now();
      const overview = await admin.ok('GET', '/overview');
      assert.equal(overview.minuteMs, MINUTE_MS);
      assert.equal(overview.minutes.length, 60);
      overview.minutes.forEach((m: any, i: number) => {
        assert.equal(m.minute % MINUTE_MS, 0);
        if (i > 0) assert.equal(m.minute - overview.minutes[i - 1].minute, MINUTE_MS);
      });
      const last = overview.minutes[59].minute;
      assert.ok(last <= Date.now() && last + MINUTE_MS > before, 'the last minute is the current one');
      assert.deepEqual(totals(overview), {
        scoreUpdates: 0,
        gifts: 0,
        coins: 0,
        delivered: 0,
        failed: 0,
        notSent: 0,
        settledMatches: 0,
      });
    });

    it('counts score updates, gifts and coins, delivery attempts by outcome and settled matches', async () => {
      const { battleId, rooms } = await createBattle(tencent);
      for (let i = 0; i < 5; i++) {
        await tencent.ok(pk('set_battle_score'), {
          BattleId: battleId,
          OpType: 1,
          ScoreList: [{ RoomId: rooms[1], Score: 1 }],
        });
      }
      // A change to an ended battle is refused, and not counted.
      await tencent.ok(pk('end_battle'), { BattleId: battleId });
      const refused = await tencent.call(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 1 }],
      });
      assert.notEqual(refused.ErrorCode, 0);

      await tencent.ok(srv('add_gift'), { GiftId: 'rose', Coins: 3, DefaultName: 'rose' });
      const [giftRoom] = await createRooms(tencent, 1, 'overview-gifts');
      for (const count of [2, 4]) {
        await tencent.ok(srv('send_gift'), { RoomId: giftRoom, GiftId: 'rose', Count: count, From_Account: 'fan' });
      }

      await createRooms(unreachable, 1, 'overview-down');

      const game = new GameClient(server.url, pollGame);
      const teams = [uniqueUsers(1, 'ov-a'), uniqueUsers(1, 'ov-b')];
      const matchId = await createMatch(admin, { clientId: pollGame.clientId, teams });
      assert.equal((await game.finish(syncResult(matchId, teams, [1, 2]))).status, 200);

      const seen = await waitUntil(async () => {
        const now = totals(await admin.ok('GET', '/overview'));
        return now.delivered > 0 && now.failed >= 2 ? now : undefined;
      }, 'delivered and failed attempts to be counted');
      assert.equal(seen.scoreUpdates, 5);
      assert.equal(seen.gifts, 6);
      assert.equal(seen.coins, 18);
      assert.equal(seen.settledMatches, 1);
      const attempts = await admin.ok('GET', '/deliveries?limit=500');
      const delivered = attempts.deliveries.filter((d: any) => d.status === 'delivered').length;
      assert.ok(seen.delivered >= delivered, `${seen.delivered} delivered attempts for ${delivered} deliveries`);
    });

    it('counts rooms and running battles per app, active free-spin events per agent, open matches per client, and the outbox per topic', async () => {
      const before = await admin.ok('GET', '/overview');
      const app = (overview: any, sdkAppId: number) => overview.tenants.apps.find((a: any) => a.sdkAppId === sdkAppId);
      // Every configured tenant is listed, in the config's order, with zeros when it has nothing.
      assert.deepEqual(
        before.tenants.apps.map((a: any) => a.sdkAppId),
        [testApp.sdkAppId, otherApp.sdkAppId],
      );
      assert.deepEqual(
        before.tenants.agents.map((a: any) => a.parent),
        [jdbAgent.parent],
      );
      assert.deepEqual(
        before.tenants.clients.map((c: any) => c.clientId),
        [pollGame.clientId],
      );
      assert.ok(Math.abs(before.at - Date.now()) < 5000);

      await createBattle(tencent, { callees: 2, durationMs: 600_000 });
      const ended = await createBattle(tencent);
      await tencent.ok(pk('end_battle'), { BattleId: ended.battleId });
      const jdb = new JdbClient(server.url, jdbAgent);
      await jdb.ok(72, eventParams(Date.now()));
      await jdb.ok(
        72,
        eventParams(Date.now(), {
          startTime: jdbTime(Date.now() + 3_600_000),
          endTime: jdbTime(Date.now() + 7_200_000),
        }),
      );
      const teams = [uniqueUsers(1, 'open-a'), uniqueUsers(1, 'open-b')];
      await createMatch(admin, { clientId: pollGame.clientId, teams });
      // Its room.created callback cannot be delivered: pending, then given up on after 1.5 s.
      await createRooms(unreachable, 1, 'overview-outbox');

      const now = await admin.ok('GET', '/overview');
      assert.equal(app(now, testApp.sdkAppId).rooms, app(before, testApp.sdkAppId).rooms + 5);
      assert.equal(app(now, testApp.sdkAppId).runningBattles, app(before, testApp.sdkAppId).runningBattles + 1);
      assert.equal(app(now, otherApp.sdkAppId).rooms, app(before, otherApp.sdkAppId).rooms + 1);
      assert.equal(app(now, otherApp.sdkAppId).runningBattles, 0);
      assert.equal(
        now.tenants.agents[0].activeFreeSpinEvents,
        before.tenants.agents[0].activeFreeSpinEvents + 1,
        'the event that has started counts, the one that starts in an hour does not',
      );
      assert.equal(now.tenants.clients[0].openMatches, before.tenants.clients[0].openMatches + 1);
      const roomCreated = now.outbox.find((t: any) => t.topic === 'room.created');
      assert.ok(roomCreated && roomCreated.pending >= 1, JSON.stringify(now.outbox));
      assert.ok(
        roomCreated.oldestPendingAt >= before.at - 60_000 && roomCreated.oldestPendingAt <= now.at,
        `the oldest pending message was queued at ${roomCreated.oldestPendingAt}, before the overview was read (${now.at})`,
      );
      assert.deepEqual(
        now.outbox.map((t: any) => t.topic),
        [...now.outbox.map((t: any) => t.topic)].sort(),
        'by topic',
      );

      const dead = await waitUntil(async () => {
        const overview = await admin.ok('GET', '/overview');
        const topic = overview.outbox.find((t: any) => t.topic === 'room.created');
        return topic && topic.dead >= 1 && topic.pending === 0 ? topic : undefined;
      }, 'the undeliverable room.created message to be given up on');
      assert.equal(dead.oldestPendingAt, null, 'nothing of the topic is pending any more');
    });
  });
}
