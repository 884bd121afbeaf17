import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';
import { LiveClient } from '../support/liveClient.js';
import { callbackCommand, Receiver } from '../support/receiver.js';
import { type ChildServer, spawnServer } from '../support/servers.js';
import { createBattle, createRooms, officialUserSig, pk, TencentClient, testApp } from '../support/tencent.js';

for (const backend of backends) {
  describe(`battles across two server processes [${backend.name}]`, () => {
    let database: TestDatabase;
    let receiver: Receiver;
    let servers: ChildServer[];
    let a: TencentClient;
    let b: TencentClient;
    let fileConfig: Record<string, unknown>;

    before(async () => {
      database = await backend.create();
      receiver = await Receiver.start();
      const app = { ...testApp, callback: { url: `${receiver.url}/cb` } };
      fileConfig = {
        storage: database.storage,
        tencent: { apps: [app], callbackRetry: { initialMs: 100, maxMs: 500, forMs: 60_000 } },
      };
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
      a = new TencentClient(servers[0]!.url, app);
      b = new TencentClient(servers[1]!.url, app);
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await receiver.close();
      await database.drop();
    });

    it('keeps every add: 50 clients add 1 to one room 200 times each, split across both processes', async () => {
      // Long enough to outlast 10,000 calls from a test process that shares a busy machine.
      const { battleId, rooms } = await createBattle(a, { durationMs: 3_600_000 });
      const body = { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[1], Score: 1 }] };
      const clientLoop = async (index: number) => {
        const target = index % 2 === 0 ? a : b;
        for (let i = 0; i < 200; i++) {
          const reply = await target.call(pk('set_battle_score'), body);
          assert.equal(reply.ErrorCode, 0, reply.ErrorInfo);
        }
      };
      await Promise.all(Array.from({ length: 50 }, (_, i) => clientLoop(i)));
      const info = (await b.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.ToRoomList[0].Score, 10_000);
      assert.equal(info.FromRoomInfo.Score, 0);
    });

    it('lets exactly one of two processes win a create_battle race for the same caller room', async () => {
      for (let round = 0; round < 5; round++) {
        const [from, x, y] = await createRooms(a, 3, `race${round}`);
        const replies = await Promise.all([
          a.call(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [x], Duration: 60000 }),
          b.call(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [y], Duration: 60000 }),
        ]);
        const codes = replies.map((r) => r.ErrorCode);
        assert.equal(codes.filter((c) => c === 0).length, 1, `round ${round}: ${codes}`);
        assert.equal(codes.filter((c) => c === 100415).length, 1, `round ${round}: the loser gets 100415`);
        const winner = replies.find((r) => r.ErrorCode === 0)!;
        const info = (await a.ok(pk('get_battle_info'), { RoomId: from })).Response;
        assert.equal(info.BattleId, winner.Response.BattleId);
        // The loser's callee was not taken.
        const loserCallee = replies[0]!.ErrorCode === 0 ? y : x;
        assert.equal((await b.call(pk('get_battle_info'), { RoomId: loserCallee })).ErrorCode, 100411);
      }
    });

    it('keeps one running battle per room when both processes create battles over overlapping rooms at once', async () => {
      const direct = await openDatabase(storageOf(database), () => {});
      const store = Store.over(direct);
      try {
        let seed = 2026;
        const random = (n: number) => {
          // xorshift32: a repeatable spread of rooms.
          seed ^= seed << 13;
          seed ^= seed >>> 17;
          seed ^= seed << 5;
          return (seed >>> 0) % n;
        };
        for (let round = 0; round < 3; round++) {
          const startedAt = Date.now();
          const rooms = await createRooms(a, 40, `overlap${round}`);
          const pick = () => rooms[random(rooms.length)]!;
          // 120 creations of 2 to 4 rooms out of 40, some naming a missing caller or callee.
          const bodies = Array.from({ length: 120 }, (_, i) => {
            const from = i % 11 === 10 ? `missing-caller-${round}-${i}` : pick();
            const callees = [
              ...new Set([pick(), pick(), i % 7 === 0 ? `missing-callee-${round}-${i}` : pick()]),
            ].filter((roomId) => roomId !== from);
            return { FromRoomId: from, ToRoomIdList: callees, Duration: 600_000 };
          });
          const replies = await Promise.all(bodies.map((body, i) => (i % 2 ? b : a).call(pk('create_battle'), body)));

          const holder = new Map<string, string>();
          let created = 0;
          for (const [i, reply] of replies.entries()) {
            const body = bodies[i]!;
            if (reply.ErrorCode !== 0) {
              const expected = body.FromRoomId.startsWith('missing') ? [100004] : [100415, 100412];
              assert.ok(
                expected.includes(reply.ErrorCode),
                `round ${round} #${i}: ${reply.ErrorCode} ${reply.ErrorInfo}`,
              );
              continue;
            }
            created += 1;
            const results: Array<{ RoomId: string; ResultCode: number }> = reply.Response.Result;
            assert.deepEqual(
              results.map((r) => r.RoomId),
              body.ToRoomIdList,
            );
            for (const r of results) {
              assert.equal(r.ResultCode === 100004, r.RoomId.startsWith('missing'), `${r.RoomId}: ${r.ResultCode}`);
            }
            const joined = results.filter((r) => r.ResultCode === 0).map((r) => r.RoomId);
            assert.ok(joined.length > 0, 'a success has a callee that joined');
            for (const roomId of [body.FromRoomId, ...joined]) {
              assert.equal(holder.get(roomId), undefined, `room ${roomId} answered as joined in two battles`);
              holder.set(roomId, reply.Response.BattleId);
            }
            const info = (await (i % 2 ? a : b).ok(pk('get_battle_info'), { BattleId: reply.Response.BattleId }))
              .Response;
            assert.equal(info.FromRoomInfo.RoomId, body.FromRoomId);
            assert.deepEqual(
              info.ToRoomList.map((r: { RoomId: string }) => r.RoomId),
              joined,
              'the battle holds exactly the rooms its answer said joined',
            );
          }
          assert.ok(created >= 5, `round ${round}: only ${created} of 120 creations succeeded`);
          assert.ok(created < 120, `round ${round}: the rooms overlapped, so some creations were refused`);
          for (const roomId of rooms) {
            const battles = await store.battles.list({ appId: testApp.sdkAppId, roomId }, Date.now(), undefined, 10);
            assert.deepEqual(
              battles.map((battle) => battle.battleId),
              holder.has(roomId) ? [holder.get(roomId)] : [],
              `room ${roomId}: the one battle it joined, and no trace of a refused creation`,
            );
          }
          const all = await store.battles.list(
            { appId: testApp.sdkAppId, from: startedAt },
            Date.now(),
            undefined,
            1000,
          );
          assert.equal(all.length, created, `round ${round}: a battle row for each success and none else`);
        }
      } finally {
        await direct.close();
      }
    });

    it('ends a 1500 ms battle on the process that did not create it, with the end callback and final scores', async () => {
      const creator = await spawnServer({ fileConfig });
      const c = new TencentClient(creator.url, a.app);
      const { battleId, rooms } = await createBattle(c, { durationMs: 1500 });
      await c.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 42 }],
      });
      assert.equal(await creator.stop(), 0, 'the creating process is gone before the battle ends');

      const requests = await receiver.waitFor((all) =>
        all.some((r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId),
      );
      const ended = requests.find(
        (r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId,
      )!;
      assert.equal(ended.json.OpType, 0);
      assert.deepEqual(ended.json.ToRoomList, [{ RoomId: rooms[1], Score: 42, Owner_Account: 'owner-1' }]);
      assert.ok(ended.at - ended.json.StartTime * 1000 < 1500 + 2000, 'within a second or so of its end');
      const info = (await b.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.Status, 3);
      assert.ok(
        requests.some((r) => callbackCommand(r) === 'Live.CallbackAfterStartBattle' && r.json.BattleId === battleId),
        'the start callback arrived too',
      );
    });

    if (backend.name === 'postgres') {
      it('delivers score events to a WebSocket subscriber connected to the other process', async () => {
        const { battleId, rooms } = await createBattle(a);
        const url = `${b.baseUrl.replace('http', 'ws')}/v4/live_events?sdkappid=${testApp.sdkAppId}&identifier=owner-1&usersig=${officialUserSig(testApp, 'owner-1')}`;
        const live = await LiveClient.connect(url);
        try {
          for (let i = 1; i <= 3; i++) {
            await a.ok(pk('set_battle_score'), {
              BattleId: battleId,
              OpType: 1,
              ScoreList: [{ RoomId: rooms[1], Score: 10 }],
            });
          }
          await a.ok(pk('end_battle'), { BattleId: battleId });
          const messages = await live.waitFor((m) =>
            m.some((e) => e.Event === 'BattleEnded' && e.BattleInfo.BattleId === battleId),
          );
          const scores = messages
            .filter((m) => m.Event === 'BattleScoreChanged' && m.BattleId === battleId)
            .map((m) => m.ScoreList[1].Score);
          // In order, ending with the final score. A scoreboard still waiting to go out is
          // replaced by a newer one of the same battle (liveFanOut's latestWins), so when two
          // notifications reach this process in one turn (a loaded machine) only the newer is sent.
          assert.equal(scores.at(-1), 30, `the final score arrives: ${scores}`);
          assert.ok(
            scores.every((score, i) => [10, 20, 30].includes(score) && (i === 0 || score > scores[i - 1]!)),
            `every scoreboard sent is one that was set, in order: ${scores}`,
          );
        } finally {
          await live.close();
        }
      });
    }
  });
}
