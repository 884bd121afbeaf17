import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture, uniqueRoomId } from '../../support/fixture.js';
import { battleScores, createBattle, createRooms, pk, srv, type TencentReply } from '../../support/tencent.js';

/**
 * Fields whose type in the vendor's table and whose form in its sample disagree: a client
 * built from either must work. And every ErrorInfo names the field as the client sent it.
 */

/** Names Ringside's domain uses for these fields; none may reach a client. */
const internalNames =
  /\b(toRoomIds|fromRoomId|durationMs|extensionInfo|scores|roomId|metadata\[|defaultName|defaultDesc|iconUrl|receivers|description)\b/;

function assertRefused(reply: TencentReply, code: number, rule: RegExp, what: string): void {
  assert.equal(reply.ErrorCode, code, `${what}: ${reply.ErrorCode} ${reply.ErrorInfo}`);
  assert.match(reply.ErrorInfo, rule, what);
  assert.doesNotMatch(reply.ErrorInfo, internalNames, `${what}: ${reply.ErrorInfo}`);
}

for (const backend of backends) {
  describe(`Tencent wire types: table type and sample disagree [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    // set_battle_score's seed: "OpType | String | Required | Set type: 1 for accumulate, 2 for
    // overwrite setting", and its sample sends "OpType":1. Both forms work.
    it('takes OpType as "1", "2", 1 and 2', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      const set = (OpType: unknown, Score: number) =>
        f.client.ok(pk('set_battle_score'), { BattleId: battleId, OpType, ScoreList: [{ RoomId: rooms[0], Score }] });
      await set('1', 10);
      assert.deepEqual(await battleScores(f.client, battleId), [10, 0], '"1" accumulates');
      await set(1, 5);
      assert.deepEqual(await battleScores(f.client, battleId), [15, 0], '1 accumulates');
      await set('2', 7);
      assert.deepEqual(await battleScores(f.client, battleId), [7, 0], '"2" overwrites');
      await set(2, 3);
      assert.deepEqual(await battleScores(f.client, battleId), [3, 0], '2 overwrites');
      const reply = await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: '1',
        ScoreList: [
          { RoomId: rooms[0], Score: 1 },
          { RoomId: 'not-in-battle', Score: 1 },
        ],
      });
      assert.deepEqual(reply.Response.Result, [
        { RoomId: rooms[0], ResultCode: 0 },
        { RoomId: 'not-in-battle', ResultCode: 1 },
      ]);
    });

    it('refuses any other OpType with 100002 listing the allowed values, and changes nothing', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: rooms[0], Score: 42 }],
      });
      const refused: unknown[] = ['3', 0, 3, 'add', null, '1.0', ' 1', '01', 1.5, true, [1], { value: 1 }, ''];
      for (const OpType of refused) {
        const reply = await f.client.call(pk('set_battle_score'), {
          BattleId: battleId,
          OpType,
          ScoreList: [{ RoomId: rooms[0], Score: 1 }],
        });
        assertRefused(
          reply,
          100002,
          /^invalid parameter: OpType must be one of 1, 2, "1", "2"$/,
          JSON.stringify(OpType),
        );
      }
      assert.deepEqual(await battleScores(f.client, battleId), [42, 0], 'nothing changed');
    });

    // create_battle's seed: "ToRoomIdList | String | Required", its sample an array.
    it('takes ToRoomIdList as an array or as one id, and says so when it is neither', async () => {
      const [from, to] = await createRooms(f.client, 2, 'wire-list');
      const single = await f.client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: to, Duration: 60000 });
      assert.deepEqual(single.Response.Result, [{ RoomId: to, ResultCode: 0, ResultMessage: '' }]);
      await f.client.ok(pk('end_battle'), { BattleId: single.Response.BattleId });
      const list = await f.client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [to], Duration: 60000 });
      assert.deepEqual(list.Response.Result, [{ RoomId: to, ResultCode: 0, ResultMessage: '' }]);
      for (const ToRoomIdList of [42, null, true, { RoomId: to }]) {
        const reply = await f.client.call(pk('create_battle'), { FromRoomId: from, ToRoomIdList, Duration: 60000 });
        assertRefused(reply, 100002, /ToRoomIdList must be an array or a string/, JSON.stringify(ToRoomIdList));
      }
      const empty = await f.client.call(pk('create_battle'), { FromRoomId: from, ToRoomIdList: '', Duration: 60000 });
      assertRefused(empty, 100002, /ToRoomIdList must not be empty/, 'an empty id');
    });

    // TakeSeatMode: a string in create_room's doc, an integer (1 free, 2 apply) in get_room_info's.
    it('takes TakeSeatMode as "FreeToTake"/"ApplyToTake" or 1/2, and lists them when refusing', async () => {
      for (const [mode, rendered] of [
        ['FreeToTake', 1],
        ['ApplyToTake', 2],
        [1, 1],
        [2, 2],
      ] as const) {
        const roomId = uniqueRoomId('seat');
        await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live', TakeSeatMode: mode } });
        const info = (await f.client.ok(srv('get_room_info'), { RoomId: roomId })).Response.RoomInfo;
        assert.equal(info.TakeSeatMode, rendered, `TakeSeatMode ${JSON.stringify(mode)}`);
      }
      for (const mode of ['Anyone', '1', 3, null]) {
        const reply = await f.client.call(srv('create_room'), {
          RoomInfo: { RoomId: uniqueRoomId('seat'), RoomType: 'Live', TakeSeatMode: mode },
        });
        assertRefused(
          reply,
          100002,
          /RoomInfo\.TakeSeatMode must be one of "FreeToTake", "ApplyToTake", 1, 2/,
          JSON.stringify(mode),
        );
      }
    });
  });

  describe(`Tencent ErrorInfo names the field as the client sent it [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('battles: Duration, ExtensionInfo, ToRoomIdList[i], ScoreList[i].RoomId', async () => {
      const [from, a, b] = await createRooms(f.client, 3, 'wire-pk');
      const create = (body: Record<string, unknown>) =>
        f.client.call(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [a], Duration: 60000, ...body });
      // Limits the seed does not have: Duration 1 s – 24 h (bounds the expiry job), ExtensionInfo ≤ 1024 B (bounds memory).
      assertRefused(
        await create({ Duration: 999 }),
        100002,
        /^invalid parameter: Duration must be an integer from 1000 to 86400000/,
        'Duration 999',
      );
      assertRefused(
        await create({ Duration: 86_400_001 }),
        100002,
        /^invalid parameter: Duration must be an integer from 1000 to 86400000/,
        'Duration over 24 h',
      );
      assertRefused(
        await create({ ExtensionInfo: 'é'.repeat(513) }),
        100002,
        /^invalid parameter: ExtensionInfo must be at most 1024 bytes in UTF-8$/,
        'ExtensionInfo of 1026 bytes',
      );
      assertRefused(
        await create({ ToRoomIdList: [a, b, a] }),
        100002,
        new RegExp(`^invalid parameter: ToRoomIdList\\[2\\] must not repeat a room: ${a} appears more than once$`),
        'a repeated callee',
      );
      assertRefused(
        await create({ ToRoomIdList: [a, from] }),
        100002,
        /^invalid parameter: ToRoomIdList\[1\] must not be the caller room/,
        'the caller as a callee',
      );
      assertRefused(
        await create({ ToRoomIdList: [] }),
        100002,
        /^invalid parameter: ToRoomIdList must not be empty$/,
        'no callee',
      );
      assertRefused(
        await create({ ToRoomIdList: Array.from({ length: 10 }, (_, i) => `r${i}`) }),
        100404,
        /^ToRoomIdList must hold at most 9 callee rooms$/,
        'ten callees',
      );
      // The limits are inclusive.
      const longest = await f.client.ok(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [a],
        Duration: 86_400_000,
        ExtensionInfo: 'é'.repeat(512),
      });
      await f.client.ok(pk('end_battle'), { BattleId: longest.Response.BattleId });
      const shortest = await create({ Duration: 1000 });
      assert.equal(shortest.ErrorCode, 0, shortest.ErrorInfo);

      const { battleId, rooms } = await createBattle(f.client);
      const repeated = await f.client.call(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: '1',
        ScoreList: [
          { RoomId: rooms[0], Score: 1 },
          { RoomId: rooms[1], Score: 1 },
          { RoomId: rooms[0], Score: 2 },
        ],
      });
      assertRefused(
        repeated,
        100002,
        /^invalid parameter: ScoreList\[2\]\.RoomId must not repeat a room: .* appears more than once$/,
        'a repeated room in ScoreList',
      );
      assert.deepEqual(await battleScores(f.client, battleId), [0, 0], 'nothing changed');
    });

    it('rooms: Metadata[i].Key, Metadata[i].Value, Next, Count', async () => {
      const roomId = uniqueRoomId('wire-meta');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      const setMetadata = (Metadata: unknown) => f.client.call(srv('set_room_metadata'), { RoomId: roomId, Metadata });
      assertRefused(
        await setMetadata([
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ]),
        100002,
        /^invalid parameter: Metadata\[1\]\.Key must not repeat a key: "a" appears more than once$/,
        'a repeated key',
      );
      assertRefused(
        await setMetadata([{ Key: '', Value: '1' }]),
        100002,
        /^invalid parameter: Metadata\[0\]\.Key must not be empty$/,
        'an empty key',
      );
      assertRefused(
        await setMetadata([
          { Key: 'ok', Value: '1' },
          { Key: 'k'.repeat(51), Value: '1' },
        ]),
        100504,
        /^Metadata\[1\]\.Key must be at most 50 bytes in UTF-8$/,
        'a key of 51 bytes',
      );
      assertRefused(
        await setMetadata([{ Key: 'big', Value: 'v'.repeat(2049) }]),
        100501,
        /^Metadata\[0\]\.Value must be at most 2048 bytes in UTF-8$/,
        'a value of 2049 bytes',
      );
      assertRefused(
        await f.client.call(srv('get_room_list'), { Next: 'not-a-cursor' }),
        100002,
        /^invalid parameter: Next must be empty or a cursor this server returned$/,
        'a forged Next',
      );
      assertRefused(
        await f.client.call(srv('get_room_list'), { Count: 0 }),
        100002,
        /^invalid parameter: Count must be at least 1$/,
        'Count 0',
      );
    });

    it('gifts: Name, CategoryName, DefaultName, Coins, Count', async () => {
      await f.client.ok(srv('add_gift'), { GiftId: 'wire-gift', Coins: 10, DefaultName: 'Rose' });
      assertRefused(
        await f.client.call(srv('set_gift_language'), { GiftId: 'wire-gift', Language: 'en', Desc: 'red' }),
        100002,
        /^invalid parameter: Name is required when the en language is first set$/,
        'a first gift language without Name',
      );
      await f.client.ok(srv('add_gift_category'), { CategoryId: 'wire-cat', DefaultName: 'Cat' });
      assertRefused(
        await f.client.call(srv('set_gift_category_language'), {
          CategoryId: 'wire-cat',
          Language: 'en',
          CategoryDesc: 'x',
        }),
        100002,
        /^invalid parameter: CategoryName is required when the en language is first set$/,
        'a first category language without CategoryName',
      );
      assertRefused(
        await f.client.call(srv('add_gift'), { GiftId: 'wire-long', Coins: 1, DefaultName: '礼'.repeat(7) }),
        100002,
        /^invalid parameter: DefaultName must be at most 20 bytes in UTF-8$/,
        'a DefaultName of 21 bytes',
      );
      assertRefused(
        await f.client.call(srv('add_gift'), { GiftId: 'wire-neg', Coins: -1, DefaultName: 'x' }),
        100002,
        /^invalid parameter: Coins must be at least 0$/,
        'negative Coins',
      );
      const roomId = uniqueRoomId('wire-gift');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      assertRefused(
        await f.client.call(srv('send_gift'), { RoomId: roomId, GiftId: 'wire-gift', Count: 0, From_Account: 'u1' }),
        100002,
        /^invalid parameter: Count must be at least 1$/,
        'Count 0',
      );
    });
  });
}
