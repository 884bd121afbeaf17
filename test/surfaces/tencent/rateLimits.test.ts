import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture, uniqueRoomId } from '../../support/fixture.js';
import { srv, type TencentClient, testApp, otherApp } from '../../support/tencent.js';
import { sleep } from '../../support/wait.js';

const limitedApp = { ...testApp, limits: { rateLimits: true } };
const secondLimitedApp = { ...otherApp, limits: { rateLimits: true } };

/** Fires `count` calls at once; returns the error codes and how long the burst took. */
async function burst(client: TencentClient, path: string, count: number, body: unknown = {}) {
  const started = Date.now();
  const replies = await Promise.all(Array.from({ length: count }, () => client.call(path, body)));
  return { codes: replies.map((r) => r.ErrorCode), elapsedMs: Date.now() - started };
}

for (const backend of backends) {
  describe(`Tencent rate limits [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend, { apps: [limitedApp, secondLimitedApp] });
    });
    after(() => f.close());

    it('holds get_room_list to 10 calls a second per app, answering 60007 beyond it', async () => {
      const { codes, elapsedMs } = await burst(f.client, srv('get_room_list'), 30);
      const admitted = codes.filter((c) => c === 0).length;
      assert.ok(
        codes.every((c) => c === 0 || c === 60007),
        `only OK or 60007: ${codes}`,
      );
      // A burst of 10, then one more per 100 ms while the burst lasts.
      assert.ok(
        admitted >= 10 && admitted <= 10 + Math.ceil(elapsedMs / 100),
        `admitted ${admitted} in ${elapsedMs} ms`,
      );
      const limited = await f.client.call(srv('get_room_list'), {});
      if (limited.ErrorCode !== 0) assert.match(limited.ErrorInfo, /frequency/);
    });

    it('counts each command and each app separately', async () => {
      await burst(f.client, srv('get_room_list'), 20);
      const roomId = uniqueRoomId('rl');
      assert.equal(
        (await f.client.call(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } })).ErrorCode,
        0,
      );
      assert.equal((await f.client.call(srv('get_room_info'), { RoomId: roomId })).ErrorCode, 0);
      assert.equal((await f.other.call(srv('get_room_list'), {})).ErrorCode, 0, 'the other app has its own budget');
    });

    it('lets the same RoomId be created once a second (100012), other ids unaffected', async () => {
      const roomId = uniqueRoomId('once');
      assert.equal(
        (await f.client.call(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } })).ErrorCode,
        0,
      );
      await f.client.ok(srv('destroy_room'), { RoomId: roomId });
      const again = await f.client.call(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assert.equal(again.ErrorCode, 100012);
      const other = await f.client.call(srv('create_room'), {
        RoomInfo: { RoomId: uniqueRoomId('once'), RoomType: 'Live' },
      });
      assert.equal(other.ErrorCode, 0);
      await sleep(1100);
      const later = await f.client.call(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assert.equal(later.ErrorCode, 0, 'a second later the id may be created again');
    });

    it('recovers once the window has passed', async () => {
      await burst(f.client, srv('get_room_list'), 20);
      await sleep(1100);
      assert.equal((await f.client.call(srv('get_room_list'), {})).ErrorCode, 0);
    });
  });

  describe(`Tencent rate limits switched off [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('admits every call of an app with limits.rateLimits false', async () => {
      const { codes } = await burst(f.client, srv('get_room_list'), 40);
      assert.deepEqual(new Set(codes), new Set([0]));
      const roomId = uniqueRoomId('free');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      await f.client.ok(srv('destroy_room'), { RoomId: roomId });
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
    });
  });
}
