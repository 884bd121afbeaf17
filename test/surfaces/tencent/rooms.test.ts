import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture, uniqueRoomId } from '../../support/fixture.js';
import { srv } from '../../support/tencent.js';

for (const backend of backends) {
  describe(`Tencent rooms [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('creates a room with defaults and reads it back', async () => {
      const roomId = uniqueRoomId();
      const before = Math.floor(Date.now() / 1000);
      const created = await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assert.deepEqual(created.Response, { RoomId: roomId });
      assert.equal(created.ActionStatus, 'OK');
      assert.equal(created.ErrorInfo, '');
      assert.match(created.RequestId, /^Id-[0-9a-f]{32}-O-Seq-\d+$/);

      const { Response } = await f.client.ok(srv('get_room_info'), { RoomId: roomId });
      const info = Response.RoomInfo;
      assert.equal(info.RoomId, roomId);
      assert.equal(info.RoomName, roomId, 'RoomName defaults to the RoomId');
      assert.equal(info.RoomType, 'Live');
      assert.equal(info.Owner_Account, 'administrator', 'the owner defaults to the calling admin');
      assert.equal(info.TakeSeatMode, 1);
      assert.equal(info.IsPublicVisible, true);
      assert.equal(info.IsMessageDisabled, false);
      assert.deepEqual(info.Category, []);
      assert.equal(info.ViewCount, 0);
      assert.ok(info.CreateTime >= before && info.CreateTime <= before + 5, 'CreateTime is in Unix seconds');
    });

    it('stores every RoomInfo field given at creation', async () => {
      const roomId = uniqueRoomId();
      await f.client.ok(srv('create_room'), {
        RoomInfo: {
          RoomId: roomId,
          RoomType: 'Live',
          RoomName: '直播间 一号',
          Owner_Account: 'host_1',
          MaxMemberCount: 500,
          CoverURL: 'https://example.com/c.png',
          IsMessageDisabled: true,
          Category: [1, 7],
          IsPublicVisible: false,
          IsSeatEnabled: true,
          TakeSeatMode: 'ApplyToTake',
          MaxSeatCount: 9,
          ActivityStatus: 3,
          SeatTemplate: 'VideoDynamicGrid9Seats',
          Notice: 'welcome',
        },
      });
      const info = (await f.client.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
      assert.equal(info.RoomName, '直播间 一号');
      assert.equal(info.Owner_Account, 'host_1');
      assert.equal(info.MaxMemberCount, 500);
      assert.equal(info.CoverURL, 'https://example.com/c.png');
      assert.equal(info.IsMessageDisabled, true);
      assert.deepEqual(info.Category, [1, 7]);
      assert.equal(info.IsPublicVisible, false);
      assert.equal(info.IsSeatEnabled, true);
      assert.equal(info.TakeSeatMode, 2, 'TakeSeatMode is rendered as an integer: 2 = ApplyToTake');
      assert.equal(info.MaxSeatCount, 9);
      assert.equal(info.ActivityStatus, 3);
      assert.equal(info.SeatTemplate, 'VideoDynamicGrid9Seats');
      assert.equal(info.Notice, 'welcome');
    });

    it('refuses a second room with the same id (100003) and keeps the first', async () => {
      const roomId = uniqueRoomId();
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'first' } });
      const again = await f.client.call(srv('create_room'), {
        RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'second' },
      });
      assert.equal(again.ErrorCode, 100003);
      assert.equal(again.ActionStatus, 'FAIL');
      const info = (await f.client.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
      assert.equal(info.RoomName, 'first');
    });

    it('answers 100004 for a room that does not exist, on every room command', async () => {
      const missing = uniqueRoomId('missing');
      const calls: Array<[string, unknown]> = [
        ['get_room_info', { RoomId: missing }],
        ['destroy_room', { RoomId: missing }],
        ['update_room_info', { RoomInfo: { RoomId: missing, RoomName: 'x' } }],
        ['set_room_metadata', { RoomId: missing, Metadata: [{ Key: 'k', Value: 'v' }] }],
        ['get_room_metadata', { RoomId: missing, Keys: [] }],
        ['del_room_metadata', { RoomId: missing, Keys: ['k'] }],
      ];
      for (const [command, body] of calls) {
        const reply = await f.client.call(srv(command), body);
        assert.equal(reply.ErrorCode, 100004, `${command}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, /does not exist/);
      }
    });

    it('updates only the fields given', async () => {
      const roomId = uniqueRoomId();
      await f.client.ok(srv('create_room'), {
        RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'before', CoverURL: 'https://a/1.png', Category: [2] },
      });
      await f.client.ok(srv('update_room_info'), {
        RoomInfo: {
          RoomId: roomId,
          RoomName: 'after',
          IsMessageDisabled: true,
          TakeSeatMode: 'ApplyToTake',
          Notice: 'hi',
        },
      });
      const info = (await f.client.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
      assert.equal(info.RoomName, 'after');
      assert.equal(info.IsMessageDisabled, true);
      assert.equal(info.TakeSeatMode, 2);
      assert.equal(info.Notice, 'hi');
      assert.equal(info.CoverURL, 'https://a/1.png', 'fields not given are unchanged');
      assert.deepEqual(info.Category, [2]);
    });

    it('destroys a room with its Statistic block, after which it is gone', async () => {
      const roomId = uniqueRoomId();
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: 'k', Value: 'v' }] });
      const destroyed = await f.client.ok(srv('destroy_room'), { RoomId: roomId });
      assert.deepEqual(destroyed.Response.Statistic, {
        TotalViewers: 0,
        TotalGiftsSent: 0,
        TotalGiftCoins: 0,
        TotalUniqueGiftSenders: 0,
        TotalLikesReceived: 0,
      });
      assert.equal((await f.client.call(srv('get_room_info'), { RoomId: roomId })).ErrorCode, 100004);
      assert.equal((await f.client.call(srv('destroy_room'), { RoomId: roomId })).ErrorCode, 100004);
      // The id is free again, and the new room starts without the old metadata.
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      const metadata = await f.client.ok(srv('get_room_metadata'), { RoomId: roomId });
      assert.deepEqual(metadata.Response.Metadata, []);
    });

    it("keeps each app's rooms to itself", async () => {
      const roomId = uniqueRoomId('shared');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'mine' } });
      assert.equal((await f.other.call(srv('get_room_info'), { RoomId: roomId })).ErrorCode, 100004);
      assert.equal((await f.other.call(srv('destroy_room'), { RoomId: roomId })).ErrorCode, 100004);
      const otherList = await f.other.ok(srv('get_room_list'), {});
      assert.ok(!otherList.Response.RoomList.some((r: { RoomId: string }) => r.RoomId === roomId));
      // The same id may exist independently in the other app.
      await f.other.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'theirs' } });
      const mine = (await f.client.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
      const theirs = (await f.other.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
      assert.equal(mine.RoomName, 'mine');
      assert.equal(theirs.RoomName, 'theirs');
    });
  });

  describe(`Tencent get_room_list [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('pages through every room with the Next cursor, 20 at most per page', async () => {
      const ids = Array.from({ length: 45 }, (_, i) => `list-${String(i).padStart(2, '0')}`);
      for (const id of ids) await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: id, RoomType: 'Live' } });

      const seen: string[] = [];
      let next = '';
      const pageSizes: number[] = [];
      do {
        const { Response } = await f.client.ok(srv('get_room_list'), { Next: next });
        pageSizes.push(Response.RoomList.length);
        for (const room of Response.RoomList) {
          assert.equal(typeof room.RoomName, 'string');
          assert.equal(typeof room.Owner_Account, 'string');
          assert.equal(typeof room.CreateTime, 'number');
          assert.equal(room.ViewCount, 0);
          seen.push(room.RoomId);
        }
        next = Response.Next;
      } while (next !== '');
      assert.deepEqual(pageSizes, [20, 20, 5]);
      assert.deepEqual(seen, ids, 'every room exactly once, in a stable order');

      const small = await f.client.ok(srv('get_room_list'), { Next: '', Count: 7 });
      assert.equal(small.Response.RoomList.length, 7);
      assert.notEqual(small.Response.Next, '');
    });

    it('refuses a Count over 20 and a cursor it did not issue (100002)', async () => {
      const tooMany = await f.client.call(srv('get_room_list'), { Count: 21 });
      assert.equal(tooMany.ErrorCode, 100002);
      assert.match(tooMany.ErrorInfo, /Count/);
      const forged = await f.client.call(srv('get_room_list'), { Next: 'not-a-cursor' });
      assert.equal(forged.ErrorCode, 100002);
    });
  });

  describe(`Tencent room metadata [${backend.name}]`, () => {
    let f: TencentFixture;
    let roomId: string;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    const newRoom = async () => {
      roomId = uniqueRoomId('meta');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
    };
    const keysOf = async () =>
      (await f.client.ok(srv('get_room_metadata'), { RoomId: roomId })).Response.Metadata as Array<{
        Key: string;
        Value: string;
      }>;

    it('sets (upserts), reads selected or all keys, and deletes', async () => {
      await newRoom();
      await f.client.ok(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [
          { Key: 'theme', Value: 'dark' },
          { Key: 'pk', Value: '{"round":1}' },
        ],
      });
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: 'theme', Value: 'light' }] });
      assert.deepEqual(await keysOf(), [
        { Key: 'pk', Value: '{"round":1}' },
        { Key: 'theme', Value: 'light' },
      ]);
      const selected = await f.client.ok(srv('get_room_metadata'), { RoomId: roomId, Keys: ['theme', 'absent'] });
      assert.deepEqual(selected.Response.Metadata, [{ Key: 'theme', Value: 'light' }]);

      await f.client.ok(srv('del_room_metadata'), { RoomId: roomId, Keys: ['theme', 'absent'] });
      assert.deepEqual(await keysOf(), [{ Key: 'pk', Value: '{"round":1}' }]);
      const none = await f.client.call(srv('del_room_metadata'), { RoomId: roomId, Keys: ['theme', 'absent'] });
      assert.equal(none.ErrorCode, 100503, 'deleting keys none of which exist');
    });

    it('holds at most 10 keys (100500), all or nothing', async () => {
      await newRoom();
      const eight = Array.from({ length: 8 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: eight });
      const three = [
        { Key: 'k0', Value: 'changed' },
        { Key: 'n1', Value: 'v' },
        { Key: 'n2', Value: 'v' },
        { Key: 'n3', Value: 'v' },
      ];
      const over = await f.client.call(srv('set_room_metadata'), { RoomId: roomId, Metadata: three });
      assert.equal(over.ErrorCode, 100500);
      const after = await keysOf();
      assert.equal(after.length, 8, 'nothing of the refused call was applied');
      assert.equal(after.find((e) => e.Key === 'k0')?.Value, 'v');
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: three.slice(0, 3) });
      assert.equal((await keysOf()).length, 10);
    });

    it('limits a key to 50 bytes (100504) and a value to 2 KB (100501), counted in UTF-8', async () => {
      await newRoom();
      const key50 = '键'.repeat(16) + 'ab'; // 48 + 2 = 50 bytes
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: key50, Value: 'v' }] });
      const key51 = '键'.repeat(17); // 51 bytes, 17 characters
      const longKey = await f.client.call(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [{ Key: key51, Value: 'v' }],
      });
      assert.equal(longKey.ErrorCode, 100504);

      const value2048 = 'é'.repeat(1024); // 2048 bytes
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: 'v', Value: value2048 }] });
      const value2049 = `${value2048}x`;
      const longValue = await f.client.call(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [{ Key: 'v2', Value: value2049 }],
      });
      assert.equal(longValue.ErrorCode, 100501);
      assert.deepEqual((await keysOf()).map((e) => e.Key).sort(), [key50, 'v'].sort());
    });

    it('limits the total of values to 16 KB (100502)', async () => {
      await newRoom();
      const twoKb = 'x'.repeat(2048);
      const eight = Array.from({ length: 8 }, (_, i) => ({ Key: `big${i}`, Value: twoKb })); // exactly 16384
      await f.client.ok(srv('set_room_metadata'), { RoomId: roomId, Metadata: eight });
      const over = await f.client.call(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [{ Key: 'one', Value: 'x' }],
      });
      assert.equal(over.ErrorCode, 100502);
      assert.equal((await keysOf()).length, 8);
    });

    it('refuses an empty Metadata list, an empty Keys list for delete, and duplicate keys (100002)', async () => {
      await newRoom();
      assert.equal((await f.client.call(srv('set_room_metadata'), { RoomId: roomId, Metadata: [] })).ErrorCode, 100002);
      assert.equal((await f.client.call(srv('del_room_metadata'), { RoomId: roomId, Keys: [] })).ErrorCode, 100002);
      const dup = await f.client.call(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      });
      assert.equal(dup.ErrorCode, 100002);
      assert.deepEqual(await keysOf(), []);
    });

    it('keeps the 10-key limit exact when many writers race on one room', async () => {
      await newRoom();
      const writers = Array.from({ length: 20 }, (_, i) =>
        f.client.call(srv('set_room_metadata'), { RoomId: roomId, Metadata: [{ Key: `race${i}`, Value: 'v' }] }),
      );
      const replies = await Promise.all(writers);
      const accepted = replies.filter((r) => r.ErrorCode === 0).length;
      const refused = replies.filter((r) => r.ErrorCode === 100500).length;
      assert.equal(accepted, 10);
      assert.equal(refused, 10);
      assert.equal((await keysOf()).length, 10);
    });
  });
}
