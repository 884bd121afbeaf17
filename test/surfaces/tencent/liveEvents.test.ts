import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { LiveClient, liveUrl } from '../../support/liveClient.js';
import { createBattle, createRooms, officialUserSig, pk, testApp } from '../../support/tencent.js';
import { sleep } from '../../support/wait.js';

for (const backend of backends) {
  describe(`Tencent live events over WebSocket [${backend.name}]`, () => {
    let f: TencentFixture;
    const clients: LiveClient[] = [];
    const connect = async (identifier: string) => {
      const client = await LiveClient.connect(liveUrl(f.server.url, identifier));
      clients.push(client);
      return client;
    };
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await f.close();
    });

    it('streams started, score and ended events of the rooms a user owns', async () => {
      // Rooms of createBattle are owned by owner-0 (caller) and owner-1 (callee).
      const owner = await connect('owner-1');
      assert.deepEqual(owner.messages[0], { Event: 'Ready', SdkAppId: testApp.sdkAppId, Identifier: 'owner-1' });
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 5 }],
      });
      await f.client.ok(pk('end_battle'), { BattleId: battleId });
      const messages = await owner.waitFor((m) =>
        m.some((e) => e.Event === 'BattleEnded' && e.BattleInfo.BattleId === battleId),
      );
      const ofBattle = messages.filter((m) => (m.BattleInfo?.BattleId ?? m.BattleId) === battleId);
      assert.deepEqual(
        ofBattle.map((m) => m.Event),
        ['BattleStarted', 'BattleScoreChanged', 'BattleEnded'],
      );
      assert.equal(ofBattle[0].BattleInfo.Status, 1);
      assert.deepEqual(
        ofBattle[1].ScoreList,
        [
          { RoomId: rooms[0], Score: 0, Owner_Account: 'owner-0' },
          { RoomId: rooms[1], Score: 5, Owner_Account: 'owner-1' },
        ],
        'the whole scoreboard',
      );
      assert.equal(ofBattle[2].BattleInfo.Status, 3);
      assert.equal(ofBattle[2].BattleInfo.ToRoomList[0].Score, 5);
      assert.ok(typeof ofBattle[1].EventTime === 'number');
    });

    it('streams the events of subscribed rooms to any user, and nothing else', async () => {
      const viewer = await connect('viewer_42');
      const bystander = await connect('bystander');
      const [watched] = await createRooms(f.client, 1, 'watched');
      viewer.send({ Action: 'Subscribe', RoomIdList: [watched] });
      await viewer.waitFor((m) => m.some((e) => e.Event === 'Subscribed'));
      assert.deepEqual(viewer.events('Subscribed')[0].RoomIdList, [watched]);

      const [callee] = await createRooms(f.client, 1, 'callee');
      const battle = await f.client.ok(pk('create_battle'), {
        FromRoomId: watched,
        ToRoomIdList: [callee],
        Duration: 60000,
      });
      const battleId = battle.Response.BattleId;
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: callee, Score: 3 }],
      });
      await viewer.waitFor((m) => m.some((e) => e.Event === 'BattleScoreChanged' && e.BattleId === battleId));
      // A battle of other rooms does not reach the viewer.
      const other = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: other.battleId,
        OpType: 1,
        ScoreList: [{ RoomId: other.rooms[0], Score: 1 }],
      });
      viewer.send({ Action: 'Unsubscribe', RoomIdList: [watched] });
      await viewer.waitFor((m) => m.filter((e) => e.Event === 'Subscribed').length === 2);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: callee, Score: 4 }],
      });
      await sleep(300);
      const seen = viewer.messages.filter((m) => m.Event?.startsWith('Battle'));
      assert.deepEqual(
        seen.map((m) => [m.Event, m.BattleInfo?.BattleId ?? m.BattleId]),
        [
          ['BattleStarted', battleId],
          ['BattleScoreChanged', battleId],
        ],
      );
      assert.deepEqual(
        bystander.messages.map((m) => m.Event),
        ['Ready'],
      );
    });

    it('answers bad client messages with an Error event and keeps the connection', async () => {
      const client = await connect('picky');
      client.socket.send('not json');
      client.send({ Action: 'Dance', RoomIdList: ['a'] });
      client.send({ Action: 'Subscribe', RoomIdList: 'a' });
      client.send({ Action: 'Subscribe', RoomIdList: Array.from({ length: 101 }, (_, i) => `r${i}`) });
      const messages = await client.waitFor((m) => m.filter((e) => e.Event === 'Error').length === 4);
      assert.deepEqual(
        messages.filter((e) => e.Event === 'Error').map((e) => e.ErrorCode),
        [60003, 100002, 100002, 100002],
      );
      client.send({ Action: 'Subscribe', RoomIdList: ['fine'] });
      await client.waitFor((m) => m.some((e) => e.Event === 'Subscribed'));
    });

    it('refuses a connection without a valid UserSig', async () => {
      const expired = (() => {
        const realNow = Date.now;
        Date.now = () => realNow() - 3600_000;
        try {
          return officialUserSig(testApp, 'someone', 60);
        } finally {
          Date.now = realNow;
        }
      })();
      const cases: Array<[string, number]> = [
        [liveUrl(f.server.url, 'someone', 'garbage'), 70003],
        [liveUrl(f.server.url, 'someone', expired), 70001],
        [
          liveUrl(
            f.server.url,
            'someone',
            officialUserSig({ sdkAppId: testApp.sdkAppId, secretKey: 'wrong' }, 'someone'),
          ),
          70009,
        ],
        [`${f.server.url.replace('http', 'ws')}/v4/live_events?identifier=x&usersig=y`, 60012],
      ];
      for (const [url, code] of cases) {
        const client = await LiveClient.connect(url);
        clients.push(client);
        assert.equal(client.messages[0].Event, 'Error');
        assert.equal(client.messages[0].ErrorCode, code);
        await new Promise<void>((resolve) =>
          client.socket.readyState === 3 ? resolve() : client.socket.once('close', () => resolve()),
        );
      }
    });

    it('answers a plain GET of the endpoint with the envelope', async () => {
      const response = await fetch(`${f.server.url}/v4/live_events`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { ErrorCode: number }).ErrorCode, 60002);
    });
  });
}
