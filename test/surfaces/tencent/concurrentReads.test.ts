import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture, uniqueRoomId } from '../../support/fixture.js';
import { pk, srv } from '../../support/tencent.js';

/**
 * Reads asked for at once (they share one statement per batch, on both backends): each gets its
 * own row, a missing one its own error, and a read asked for after a write sees the write.
 */
for (const backend of backends) {
  describe(`Tencent reads asked for at once [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('answers each of many concurrent get_room_info with its own room, and a missing one with 100004', async () => {
      const rooms = Array.from({ length: 24 }, () => uniqueRoomId());
      await Promise.all(
        rooms.map((roomId, i) =>
          f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', Notice: `notice ${i}` } }),
        ),
      );
      const missing = uniqueRoomId();
      const asked = [...rooms, ...rooms, missing];
      const replies = await Promise.all(asked.map((RoomId) => f.client.call(srv('get_room_info'), { RoomId })));
      replies.forEach((reply, i) => {
        if (asked[i] === missing) {
          assert.equal(reply.ErrorCode, 100004, JSON.stringify(reply));
          return;
        }
        assert.equal(reply.ErrorCode, 0, JSON.stringify(reply));
        assert.equal(reply.Response.RoomInfo.RoomId, asked[i]);
        assert.equal(reply.Response.RoomInfo.Notice, `notice ${rooms.indexOf(asked[i]!)}`);
      });
    });

    it('answers each of many concurrent get_battle_info with its own battle and rooms, and sees a score set just before', async () => {
      const battles = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const [from, to] = [uniqueRoomId(), uniqueRoomId()];
          for (const RoomId of [from, to])
            await f.client.ok(srv('create_room'), { RoomInfo: { RoomId, RoomType: 'Live' } });
          const created = await f.client.ok(pk('create_battle'), {
            FromRoomId: from,
            ToRoomIdList: [to],
            Duration: 60_000,
          });
          return { battleId: created.Response.BattleId as string, from: from!, to: to! };
        }),
      );
      const replies = await Promise.all(
        battles.map(async ({ battleId, from, to }, i) => {
          await f.client.ok(pk('set_battle_score'), {
            BattleId: battleId,
            OpType: 2,
            ScoreList: [
              { RoomId: from, Score: i },
              { RoomId: to, Score: 100 + i },
            ],
          });
          return f.client.ok(pk('get_battle_info'), { BattleId: battleId });
        }),
      );
      replies.forEach((reply, i) => {
        const { battleId, from, to } = battles[i]!;
        assert.equal(reply.Response.BattleId, battleId);
        const { FromRoomInfo, ToRoomList } = reply.Response;
        assert.deepEqual(
          [FromRoomInfo, ...ToRoomList].map((room: { RoomId: string; Score: number }) => [room.RoomId, room.Score]),
          [
            [from, i],
            [to, 100 + i],
          ],
        );
      });
    });
  });
}
