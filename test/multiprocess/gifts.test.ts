import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type TwoProcessFixture, twoProcessFixture } from '../support/fixture.js';
import { srv, TencentClient, testApp } from '../support/tencent.js';
import { sleep } from '../support/wait.js';

const app = { ...testApp, limits: { rateLimits: true } };

for (const backend of backends) {
  describe(`gifts across two processes [${backend.name}]`, () => {
    let f: TwoProcessFixture;
    let a: TencentClient;
    let b: TencentClient;

    before(async () => {
      f = await twoProcessFixture(backend, app);
      ({ a, b } = f);
    });
    after(() => f.close());

    it('answers 100012 to the second add_gift within a second, made on the other process', async () => {
      assert.equal((await a.call(srv('add_gift'), { GiftId: 'first', Coins: 1, DefaultName: 'a' })).ErrorCode, 0);
      const second = await b.call(srv('add_gift'), { GiftId: 'second', Coins: 1, DefaultName: 'b' });
      assert.equal(second.ErrorCode, 100012);
      assert.match(second.ErrorInfo, /1 per second/);
      assert.equal(
        (await b.call(srv('get_gift'), { GiftId: 'second' })).ErrorCode,
        102002,
        'the refused gift was not added',
      );
      await sleep(1100);
      assert.equal((await b.call(srv('add_gift'), { GiftId: 'second', Coins: 1, DefaultName: 'b' })).ErrorCode, 0);
    });

    it('counts each gift configuration API separately, and sending gifts is not held to 1/s', async () => {
      await sleep(1100);
      assert.equal((await a.call(srv('get_gift'), { GiftId: 'first' })).ErrorCode, 0);
      assert.equal((await b.call(srv('get_gift_info_list'), {})).ErrorCode, 0, 'another API has its own budget');
      assert.equal((await b.call(srv('get_gift'), { GiftId: 'first' })).ErrorCode, 100012);
      await a.ok(srv('create_room'), { RoomInfo: { RoomId: 'mp-gift-room', RoomType: 'Live' } });
      const sends = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).call(srv('send_gift'), {
            RoomId: 'mp-gift-room',
            GiftId: 'first',
            Count: 1,
            From_Account: 'u',
          }),
        ),
      );
      assert.deepEqual(new Set(sends.map((r) => r.ErrorCode)), new Set([0]));
    });

    it('keeps every send into one room made through both processes at once, and each sender once', async () => {
      await a.ok(srv('create_room'), { RoomInfo: { RoomId: 'mp-gift-busy', RoomType: 'Live' } });
      const counts = Array.from({ length: 120 }, (_, i) => 1 + (i % 3));
      const sends = await Promise.all(
        counts.map((count, i) =>
          (i % 2 ? a : b).call(srv('send_gift'), {
            RoomId: 'mp-gift-busy',
            GiftId: 'first',
            Count: count,
            From_Account: `fan_${i % 13}`,
          }),
        ),
      );
      assert.deepEqual(new Set(sends.map((r) => r.ErrorCode)), new Set([0]));
      const sequences = sends.map((r) => r.Response.Sequence as number).sort((x, y) => x - y);
      assert.deepEqual(
        sequences,
        Array.from({ length: 120 }, (_, i) => i + 1),
        'each send its own Sequence',
      );
      const total = counts.reduce((sum, n) => sum + n, 0);
      assert.deepEqual((await b.ok(srv('get_gift_count'), { RoomId: 'mp-gift-busy' })).Response, {
        Sequence: 120,
        TotalCount: total,
        TotalCoins: total,
        GiftSenderCount: 13,
      });
    });
  });
}
