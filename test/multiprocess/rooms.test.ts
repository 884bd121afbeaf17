import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type TwoProcessFixture, twoProcessFixture, uniqueRoomId } from '../support/fixture.js';
import { srv, TencentClient, testApp } from '../support/tencent.js';
import { sleep } from '../support/wait.js';

const app = { ...testApp, limits: { rateLimits: true } };

for (const backend of backends) {
  describe(`two server processes on one database [${backend.name}]`, () => {
    let f: TwoProcessFixture;
    let a: TencentClient;
    let b: TencentClient;

    before(async () => {
      f = await twoProcessFixture(backend, app);
      ({ a, b } = f);
    });
    after(() => f.close());

    it('sees, updates and destroys through one process a room created through the other', async () => {
      const roomId = uniqueRoomId('mp');
      await a.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'from A' } });
      assert.equal((await b.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo.RoomName, 'from A');

      await b.ok(srv('update_room_info'), { RoomInfo: { RoomId: roomId, RoomName: 'renamed by B' } });
      assert.equal((await a.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo.RoomName, 'renamed by B');

      await b.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: 'k', Value: 'v' }] });
      assert.deepEqual((await a.ok(srv('get_room_metadata'), { RoomId: roomId })).Response.Metadata, [
        { Key: 'k', Value: 'v' },
      ]);

      const destroyed = await a.ok(srv('destroy_room'), { RoomId: roomId });
      assert.equal(destroyed.Response.Statistic.TotalGiftsSent, 0);
      assert.equal((await b.call(srv('get_room_info'), { RoomId: roomId })).ErrorCode, 100004);
      assert.equal((await b.call(srv('destroy_room'), { RoomId: roomId })).ErrorCode, 100004);
    });

    it('lets exactly one of two processes create the same room when they race', async () => {
      const roomId = uniqueRoomId('race');
      const body = { RoomInfo: { RoomId: roomId, RoomType: 'Live' } };
      const replies = await Promise.all([a.call(srv('create_room'), body), b.call(srv('create_room'), body)]);
      const codes = replies.map((r) => r.ErrorCode).sort();
      assert.equal(codes.filter((c) => c === 0).length, 1, `codes ${codes}`);
      assert.ok(codes.includes(100003) || codes.includes(100012), `the loser is refused: ${codes}`);
    });

    it('shares the per-RoomId create limit: the second process answers 100012', async () => {
      const roomId = uniqueRoomId('shared-limit');
      await a.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      await a.ok(srv('destroy_room'), { RoomId: roomId });
      const onB = await b.call(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assert.equal(onB.ErrorCode, 100012);
    });

    it('shares the per-command limit: 10 get_room_list calls a second across both processes', async () => {
      await sleep(1100);
      const started = Date.now();
      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).call(srv('get_room_list'), {})),
      );
      const elapsedMs = Date.now() - started;
      const admittedBy = (client: 'a' | 'b') =>
        replies.filter((r, i) => r.ErrorCode === 0 && (i % 2 === 0) === (client === 'a')).length;
      const admitted = admittedBy('a') + admittedBy('b');
      assert.ok(replies.every((r) => r.ErrorCode === 0 || r.ErrorCode === 60007));
      // Separate limits would admit up to 20 (10 each); one shared limit admits 10 plus refill.
      assert.ok(
        admitted >= 10 && admitted <= 10 + Math.ceil(elapsedMs / 100),
        `admitted ${admitted} in ${elapsedMs} ms`,
      );
      assert.ok(admitted < 20);
      assert.ok(
        replies.some((r, i) => r.ErrorCode === 60007 && i % 2 === 0),
        'process A refused some',
      );
      assert.ok(
        replies.some((r, i) => r.ErrorCode === 60007 && i % 2 === 1),
        'process B refused some',
      );
    });
  });
}
