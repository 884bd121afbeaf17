import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { callbackCommand, Receiver } from '../../support/receiver.js';
import { createBattle, createRooms, pk, srv, testApp } from '../../support/tencent.js';

const fastRetry = { initialMs: 100, maxMs: 400, forMs: 60_000 };
const TOKEN = 'callback-sign-token';

for (const backend of backends) {
  describe(`Tencent callbacks [${backend.name}]`, () => {
    let f: TencentFixture;
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
      const app = { ...testApp, callback: { url: `${receiver.url}/cb?from=ringside`, token: TOKEN } };
      f = await tencentFixture(backend, { apps: [app], config: { tencent: { callbackRetry: fastRetry } } });
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    it('posts room create and destroy callbacks, signed, with the query string of the reference', async () => {
      const [roomId] = await createRooms(f.client, 1, 'cb-room');
      await f.client.ok(srv('destroy_room'), { RoomId: roomId });
      const requests = await receiver.waitFor((all) =>
        all.some((r) => callbackCommand(r) === 'Live.CallbackAfterDestroyRoom' && r.json.RoomId === roomId),
      );
      const created = requests.find(
        (r) => callbackCommand(r) === 'Live.CallbackAfterCreateRoom' && r.json.RoomInfo.RoomId === roomId,
      )!;
      assert.ok(created, 'the create callback arrived');
      assert.equal(created.method, 'POST');
      assert.equal(created.url.pathname, '/cb');
      const query = created.url.searchParams;
      assert.equal(query.get('from'), 'ringside', 'the configured query string is kept');
      assert.equal(query.get('SdkAppid'), String(testApp.sdkAppId));
      assert.equal(query.get('contenttype'), 'json');
      assert.equal(query.get('OptPlatform'), 'RESTAPI');
      assert.ok(query.get('ClientIP'));
      const requestTime = query.get('RequestTime')!;
      assert.ok(Math.abs(Number(requestTime) - Date.now() / 1000) < 60, 'RequestTime is now, in seconds');
      assert.equal(
        query.get('Sign'),
        createHash('sha256')
          .update(TOKEN + requestTime)
          .digest('hex'),
      );
      assert.equal(created.json.CallbackCommand, 'Live.CallbackAfterCreateRoom');
      assert.equal(created.json.Operator_Account, 'administrator');
      assert.equal(created.json.RoomInfo.Owner_Account, 'owner-0');
      assert.ok(Math.abs(created.json.EventTime - Date.now()) < 10_000, 'EventTime in milliseconds');
      assert.match(created.json.EventId, /^[0-9a-f]{32}$/);

      const destroyed = requests.find((r) => callbackCommand(r) === 'Live.CallbackAfterDestroyRoom')!;
      assert.equal(destroyed.json.EventType, 'DestroyByUser');
      assert.deepEqual(Object.keys(destroyed.json.Statistic).sort(), [
        'TotalGiftCoins',
        'TotalGiftsSent',
        'TotalLikesReceived',
        'TotalUniqueGiftSenders',
        'TotalViewers',
      ]);
      assert.notEqual(destroyed.json.EventId, created.json.EventId);
    });

    it('posts create, start and end battle callbacks with the final scores', async () => {
      const { battleId, rooms } = await createBattle(f.client, { callees: 2 });
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [
          { RoomId: rooms[0], Score: 10 },
          { RoomId: rooms[2], Score: 30 },
        ],
      });
      await f.client.ok(pk('end_battle'), { BattleId: battleId });
      const requests = await receiver.waitFor((all) =>
        all.some((r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId),
      );
      const ofBattle = (command: string) =>
        requests.find((r) => callbackCommand(r) === command && r.json.BattleId === battleId)!.json;

      const created = ofBattle('Live.CallbackAfterCreateBattle');
      assert.equal(created.Operator_Account, 'administrator');
      assert.equal(created.FromRoomId, rooms[0]);
      assert.deepEqual(created.ToRoomIdList, rooms.slice(1));
      assert.equal(created.Duration, 60000);
      assert.equal(created.NeedResponse, false);

      const started = ofBattle('Live.CallbackAfterStartBattle');
      assert.deepEqual(started.FromRoomInfo, { RoomId: rooms[0], Owner_Account: 'owner-0' });
      assert.equal(started.ToRoomList.length, 2);
      assert.equal(started.StartTime, Math.floor(started.EventTime / 1000));

      const ended = ofBattle('Live.CallbackAfterEndBattle');
      assert.equal(ended.OpType, 1, 'ended early');
      assert.equal(ended.EndReason, 'EndedByAdmin');
      assert.deepEqual(ended.FromRoomInfo, { RoomId: rooms[0], Score: 10, Owner_Account: 'owner-0' });
      assert.deepEqual(
        ended.ToRoomList.map((r: any) => [r.RoomId, r.Score]),
        [
          [rooms[1], 0],
          [rooms[2], 30],
        ],
      );
      assert.ok(ended.EndTime >= ended.StartTime);
    });

    it('posts the end callback with OpType 0 when the time is up', async () => {
      const { battleId, rooms } = await createBattle(f.client, { durationMs: 1000 });
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 8 }],
      });
      const started = Date.now();
      const requests = await receiver.waitFor((all) =>
        all.some((r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId),
      );
      assert.ok(Date.now() - started < 3000, 'within a second or so of the end');
      const ended = requests.find(
        (r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId,
      )!.json;
      assert.equal(ended.OpType, 0);
      assert.equal(ended.ToRoomList[0].Score, 8);
      assert.equal(ended.EndTime - ended.StartTime, 1);
    });
  });

  describe(`Tencent callbacks to a failing receiver [${backend.name}]`, () => {
    it('retries until each event is accepted: none lost, retries carry the same EventId', async () => {
      // The first three deliveries fail three different ways: 500, a 200 that is not JSON, 503.
      const failures = [
        { status: 500, body: 'oops' },
        { status: 200, body: '<html>not json</html>' },
        { status: 503, body: '{}' },
      ];
      const receiver = await Receiver.start({
        answer: (_r, index) => failures[index] ?? { status: 200, body: '{"ErrorCode":0}' },
      });
      const app = { ...testApp, callback: { url: `${receiver.url}/cb` } };
      const f = await tencentFixture(backend, { apps: [app], config: { tencent: { callbackRetry: fastRetry } } });
      try {
        const { battleId } = await createBattle(f.client);
        await f.client.ok(pk('end_battle'), { BattleId: battleId });
        // 2 room creations + battle create, start and end.
        const acceptedIds = () => new Set(receiver.accepted().map((r) => r.json.EventId));
        const requests = await receiver.waitFor(() => acceptedIds().size === 5);
        assert.equal(
          new Set(requests.map((r) => r.json.EventId)).size,
          5,
          'every attempt belongs to one of the five events',
        );
        assert.equal(requests.length, 8, 'each of the three failed attempts was retried once');
        for (const failed of requests.slice(0, 3)) {
          const retries = requests.filter((r) => r.json.EventId === failed.json.EventId);
          assert.ok(retries.length >= 2, 'a failed event was sent again');
          assert.equal(new Set(retries.map((r) => r.body)).size, 1, 'every attempt carries the same body and EventId');
        }
        assert.equal(
          receiver.accepted().filter((r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle').length,
          1,
          'the end callback was accepted once',
        );
        // Sign is absent without a token.
        assert.equal(requests[0]!.url.searchParams.get('Sign'), null);
      } finally {
        await f.close();
        await receiver.close();
      }
    });
  });
}
