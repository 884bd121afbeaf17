import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { LiveClient } from '../../support/liveClient.js';
import { callbackCommand, Receiver } from '../../support/receiver.js';
import {
  battleScores,
  createBattle,
  createRooms,
  officialUserSig,
  pk,
  srv,
  TencentClient,
  testApp,
} from '../../support/tencent.js';
import { sleep } from '../../support/wait.js';

const send = (
  client: TencentClient,
  roomId: string,
  giftId: string,
  count: number,
  from = 'fan_1',
  receivers?: string[],
) =>
  client.call(srv('send_gift'), {
    RoomId: roomId,
    GiftId: giftId,
    Count: count,
    From_Account: from,
    ...(receivers ? { ReceiverList_Account: receivers } : {}),
  });

const counts = async (client: TencentClient, roomId: string, from?: string) =>
  (await client.ok(srv('get_gift_count'), { RoomId: roomId, ...(from ? { From_Account: from } : {}) })).Response;

for (const backend of backends) {
  describe(`Tencent send_gift and get_gift_count [${backend.name}]`, () => {
    let f: TencentFixture;
    const noFeed = { ...testApp, sdkAppId: 1400000606, gifting: { battleScores: false } };
    before(async () => {
      f = await tencentFixture(backend, { apps: [testApp, noFeed] });
      for (const [id, coins] of [
        ['rose', 5],
        ['rocket', 1000],
        ['free', 0],
      ] as const) {
        await f.client.ok(srv('add_gift'), { GiftId: id, Coins: coins, DefaultName: id });
        await f.other.ok(srv('add_gift'), { GiftId: id, Coins: coins, DefaultName: id });
      }
    });
    after(() => f.close());

    it('counts sends per room and per sender, and destroy_room reports them', async () => {
      const roomId = (await createRooms(f.client, 1, 'gifts'))[0]!;
      assert.deepEqual(await counts(f.client, roomId), {
        Sequence: 0,
        TotalCount: 0,
        TotalCoins: 0,
        GiftSenderCount: 0,
      });
      const first = await send(f.client, roomId, 'rose', 3, 'fan_1', ['owner-0']);
      assert.equal(first.ErrorCode, 0, first.ErrorInfo);
      assert.equal(first.Response.Sequence, 1);
      await send(f.client, roomId, 'rocket', 1, 'fan_2');
      await send(f.client, roomId, 'rose', 2, 'fan_1');
      assert.deepEqual(await counts(f.client, roomId), {
        Sequence: 3,
        TotalCount: 6,
        TotalCoins: 1025,
        GiftSenderCount: 2,
      });
      assert.deepEqual(await counts(f.client, roomId, 'fan_1'), {
        Sequence: 3,
        TotalCount: 5,
        TotalCoins: 25,
        GiftSenderCount: 1,
      });
      assert.deepEqual(await counts(f.client, roomId, 'nobody'), {
        Sequence: 3,
        TotalCount: 0,
        TotalCoins: 0,
        GiftSenderCount: 0,
      });

      const destroyed = await f.client.ok(srv('destroy_room'), { RoomId: roomId });
      assert.deepEqual(destroyed.Response.Statistic, {
        TotalViewers: 0,
        TotalGiftsSent: 6,
        TotalGiftCoins: 1025,
        TotalUniqueGiftSenders: 2,
        TotalLikesReceived: 0,
      });
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assert.equal((await counts(f.client, roomId)).Sequence, 0, 'a room made again starts from nothing');
    });

    it('keeps every concurrent send', async () => {
      const roomId = (await createRooms(f.client, 1, 'busy'))[0]!;
      const replies = await Promise.all(
        Array.from({ length: 60 }, (_, i) => send(f.client, roomId, 'rose', 1, `fan_${i % 7}`)),
      );
      assert.ok(replies.every((r) => r.ErrorCode === 0));
      assert.deepEqual(await counts(f.client, roomId), {
        Sequence: 60,
        TotalCount: 60,
        TotalCoins: 300,
        GiftSenderCount: 7,
      });
    });

    it('fails only the sends of an unknown gift in a burst of mixed gifts', async () => {
      const roomId = (await createRooms(f.client, 1, 'mixed'))[0]!;
      const gifts = ['rose', 'rocket', 'ghost', 'free'];
      const replies = await Promise.all(
        Array.from({ length: 80 }, (_, i) => send(f.client, roomId, gifts[i % 4]!, 1, `fan_${i % 10}`)),
      );
      replies.forEach((reply, i) =>
        assert.equal(reply.ErrorCode, gifts[i % 4] === 'ghost' ? 102002 : 0, reply.ErrorInfo),
      );
      assert.deepEqual(await counts(f.client, roomId), {
        Sequence: 60,
        TotalCount: 60,
        TotalCoins: 20 * 5 + 20 * 1000,
        GiftSenderCount: 10,
      });
      assert.deepEqual(
        [...new Set(replies.filter((r) => r.ErrorCode === 0).map((r) => r.Response.Sequence))].sort((a, b) => a - b),
        Array.from({ length: 60 }, (_, i) => i + 1),
        'every accepted send has a Sequence of its own',
      );
    });

    it('refuses bad sends with their codes and records nothing', async () => {
      const roomId = (await createRooms(f.client, 1, 'refuse'))[0]!;
      const quiet = (await createRooms(f.client, 1, 'quiet'))[0]!;
      await f.client.ok(srv('update_room_info'), { RoomInfo: { RoomId: quiet, IsGiftEnabled: false } });
      assert.equal((await f.client.ok(srv('get_room_info'), { RoomId: quiet })).Response.RoomInfo.IsGiftEnabled, false);
      const many = Array.from({ length: 10_000 }, (_, i) => `user_${i}`);
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ GiftId: 'ghost' }, 102002, /does not exist/],
        [{ RoomId: 'no-such-room' }, 100004, /does not exist/],
        [{ RoomId: quiet }, 102008, /switched off/],
        // The gift is checked before the room.
        [{ GiftId: 'ghost', RoomId: 'no-such-room' }, 102002, /does not exist/],
        [{ GiftId: 'ghost', RoomId: quiet }, 102002, /does not exist/],
        [{ Count: 0 }, 100002, /Count must be at least 1/],
        [{ Count: -3 }, 100002, /Count must be at least 1/],
        [{ Count: 1.5 }, 100002, /Count must be an integer/],
        [{ Count: '2' }, 100002, /Count must be an integer/],
        [{ ReceiverList_Account: many }, 100002, /ReceiverList_Account must have at most 100 items/],
        [{ From_Account: undefined }, 100002, /From_Account is required/],
        [{ From_Account: '' }, 100002, /From_Account must not be empty/],
      ];
      for (const [change, code, message] of cases) {
        const body = { RoomId: roomId, GiftId: 'rose', Count: 1, From_Account: 'fan', ...change };
        const reply = await f.client.call(srv('send_gift'), body);
        assert.equal(reply.ErrorCode, code, `${JSON.stringify(change).slice(0, 80)}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, message);
      }
      assert.equal((await counts(f.client, roomId)).Sequence, 0, 'nothing was recorded');
      assert.equal((await counts(f.client, quiet)).Sequence, 0);
      assert.equal((await f.client.call(srv('get_gift_count'), { RoomId: 'no-such-room' })).ErrorCode, 100004);
    });

    it("adds Coins × Count to the receiving room's battle score while the battle runs, and not after", async () => {
      const { battleId, rooms } = await createBattle(f.client, { callees: 1 });
      const owner = await LiveClient.connect(
        `${f.server.url.replace('http', 'ws')}/v4/live_events?sdkappid=${testApp.sdkAppId}&identifier=owner-1&usersig=${officialUserSig(testApp, 'owner-1')}`,
      );
      try {
        assert.equal((await send(f.client, rooms[1]!, 'rose', 4)).ErrorCode, 0);
        assert.equal((await send(f.client, rooms[1]!, 'rocket', 2)).ErrorCode, 0);
        assert.equal((await send(f.client, rooms[0]!, 'rose', 1)).ErrorCode, 0);
        assert.equal((await send(f.client, rooms[0]!, 'free', 9)).ErrorCode, 0, 'a free gift is fine, it adds nothing');
        await Promise.all(Array.from({ length: 20 }, () => send(f.client, rooms[1]!, 'rose', 1)));
        assert.deepEqual(await battleScores(f.client, battleId), [5, 4 * 5 + 2 * 1000 + 20 * 5]);
        // Concurrent gifts into one room are written together: fewer events, each with the whole scoreboard.
        const events = await owner.waitFor((m) =>
          m.some(
            (e) => e.Event === 'BattleScoreChanged' && e.ScoreList[1].Score === 2120 && e.ScoreList[0].Score === 5,
          ),
        );
        const scoreEvents = events.filter((e) => e.Event === 'BattleScoreChanged');
        assert.ok(scoreEvents.every((e) => e.BattleId === battleId));
        assert.ok(scoreEvents.length >= 4 && scoreEvents.length <= 24, `${scoreEvents.length} score events`);
        const seen = scoreEvents.map((e) => e.ScoreList[1].Score);
        assert.deepEqual(
          seen,
          [...seen].sort((a, b) => a - b),
          "the callee's score only grows, event after event",
        );

        await f.client.ok(pk('end_battle'), { BattleId: battleId });
        assert.equal((await send(f.client, rooms[1]!, 'rocket', 1)).ErrorCode, 0, 'gifting goes on after the battle');
        assert.deepEqual(await battleScores(f.client, battleId), [5, 2120], 'the ended battle does not move');
        assert.equal((await counts(f.client, rooms[1]!)).TotalCoins, 2120 + 1000, 'the gift itself was recorded');
      } finally {
        await owner.close();
      }
    });

    it('does not feed battle scores for an app that switched it off', async () => {
      const { battleId, rooms } = await createBattle(f.other);
      assert.equal((await send(f.other, rooms[1]!, 'rocket', 1)).ErrorCode, 0);
      assert.deepEqual(await battleScores(f.other, battleId), [0, 0]);
      assert.equal((await counts(f.other, rooms[1]!)).TotalCoins, 1000);
    });

    it('feeds a battle that ran out of time no more, even before it is ended', async () => {
      const { battleId, rooms } = await createBattle(f.client, { durationMs: 1000 });
      await sleep(1050);
      assert.equal((await send(f.client, rooms[0]!, 'rocket', 1)).ErrorCode, 0);
      assert.deepEqual(await battleScores(f.client, battleId), [0, 0]);
    });
  });

  describe(`Tencent before-send-gift callback [${backend.name}]`, () => {
    let f: TencentFixture;
    let receiver: Receiver;
    let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '{"ErrorCode":0}' };
    const TOKEN = 'gift-sign-token';

    before(async () => {
      receiver = await Receiver.start({
        answer: (request) =>
          callbackCommand(request) === 'Live.CallbackBeforeSendGift' ? answer : { status: 200, body: '{}' },
        delayMs: () => answer.delayMs ?? 0,
      });
      const app = {
        ...testApp,
        callback: { url: `${receiver.url}/cb`, token: TOKEN },
        gifting: { beforeSendCallback: true },
      };
      f = await tencentFixture(backend, { apps: [app] });
      await f.client.ok(srv('add_gift'), { GiftId: 'rose', Coins: 5, DefaultName: 'Rose' });
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    const beforeSend = () => receiver.requests.filter((r) => callbackCommand(r) === 'Live.CallbackBeforeSendGift');

    it('asks the app first, with the gift, and sends when it answers ErrorCode 0', async () => {
      const roomId = (await createRooms(f.client, 1, 'approve'))[0]!;
      answer = { status: 200, body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}' };
      const reply = await send(f.client, roomId, 'rose', 3, 'fan_7', ['host_a', 'host_b']);
      assert.equal(reply.ErrorCode, 0, reply.ErrorInfo);
      const asked = beforeSend().at(-1)!;
      assert.equal(asked.json.CallbackCommand, 'Live.CallbackBeforeSendGift');
      assert.equal(asked.json.Operator_Account, 'administrator');
      assert.equal(asked.json.RoomId, roomId);
      assert.deepEqual(
        { ...asked.json.GiftWater, Time: 0 },
        { From_Account: 'fan_7', To_Account: ['host_a', 'host_b'], Time: 0, GiftId: 'rose', Count: 3, Coins: 5 },
      );
      const requestTime = asked.url.searchParams.get('RequestTime')!;
      assert.equal(
        asked.url.searchParams.get('Sign'),
        createHash('sha256')
          .update(TOKEN + requestTime)
          .digest('hex'),
      );
      assert.equal((await counts(f.client, roomId)).TotalCount, 3);
    });

    it('passes a refusal code of 102100–102200 through, and blocks with 102004 otherwise', async () => {
      const roomId = (await createRooms(f.client, 1, 'refuse'))[0]!;
      const cases: Array<[typeof answer, number, RegExp]> = [
        [{ status: 200, body: '{"ErrorCode":102150,"ErrorInfo":"balance too low"}' }, 102150, /balance too low/],
        [{ status: 200, body: '{"ErrorCode":1,"ErrorInfo":"no"}' }, 102004, /ErrorCode 1/],
        [{ status: 500, body: 'down' }, 102004, /HTTP 500/],
        [{ status: 200, body: 'not json' }, 102004, /not JSON/],
        [{ status: 200, body: '{"ErrorCode":0}', delayMs: 2500 }, 102004, /timed out/],
      ];
      for (const [reply, code, message] of cases) {
        answer = reply;
        const result = await send(f.client, roomId, 'rose', 1);
        assert.equal(result.ErrorCode, code, `${JSON.stringify(reply)}: ${result.ErrorInfo}`);
        assert.match(result.ErrorInfo, message);
      }
      assert.equal((await counts(f.client, roomId)).Sequence, 0, 'no refused gift was recorded');
    });
  });
}
