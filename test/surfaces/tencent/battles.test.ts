import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { battleScores, createBattle, createRooms, pk, srv } from '../../support/tencent.js';
import { sleep } from '../../support/wait.js';

const MAX = Number.MAX_SAFE_INTEGER;

for (const backend of backends) {
  describe(`Tencent create_battle [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('starts a battle at once and reports it by BattleId and by RoomId', async () => {
      const [from, to1, to2] = await createRooms(f.client, 3, 'create');
      const before = Math.floor(Date.now() / 1000);
      const reply = await f.client.ok(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [to1, to2],
        Duration: 60000,
        ExtensionInfo: 'extension pk',
      });
      const battleId = reply.Response.BattleId;
      assert.match(battleId, /^[A-Za-z0-9+/]{43}=$/, "a base64 id like Tencent's");
      assert.deepEqual(reply.Response.Result, [
        { RoomId: to1, ResultCode: 0, ResultMessage: '' },
        { RoomId: to2, ResultCode: 0, ResultMessage: '' },
      ]);

      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.BattleId, battleId);
      assert.equal(info.Duration, 60000);
      assert.equal(info.Status, 1, 'Status 1 = running');
      assert.ok(info.StartTime >= before && info.StartTime <= before + 5, 'StartTime in Unix seconds');
      assert.equal(info.EndTime - info.StartTime, 60, 'EndTime is the planned end while running');
      assert.equal(info.ExtensionInfo, 'extension pk');
      assert.deepEqual(info.FromRoomInfo, { RoomId: from, Score: 0, Owner_Account: 'owner-0' });
      assert.deepEqual(info.ToRoomList, [
        { RoomId: to1, Score: 0, Owner_Account: 'owner-1' },
        { RoomId: to2, Score: 0, Owner_Account: 'owner-2' },
      ]);
      for (const roomId of [from, to1, to2]) {
        const byRoom = (await f.client.ok(pk('get_battle_info'), { RoomId: roomId })).Response;
        assert.equal(byRoom.BattleId, battleId);
      }
    });

    it('takes ToRoomIdList as a single string too (the doc table says String)', async () => {
      const [from, to] = await createRooms(f.client, 2, 'single');
      const reply = await f.client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: to, Duration: 60000 });
      assert.deepEqual(reply.Response.Result, [{ RoomId: to, ResultCode: 0, ResultMessage: '' }]);
    });

    // The seed's ResultCode: "0 indicates success, 3 indicates being in PK, and 5 indicates a system
    // error". A missing room is none of these: Ringside answers 100004, Tencent's code for it.
    it('reports each callee in its own entry: 3 when in another battle, 100004 naming the room when missing', async () => {
      const { rooms: busy } = await createBattle(f.client);
      const [from, free] = await createRooms(f.client, 2, 'mixed');
      const reply = await f.client.ok(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [busy[1], 'no-such-room', free],
        Duration: 60000,
      });
      const results = reply.Response.Result;
      assert.deepEqual(
        results.map((r: any) => [r.RoomId, r.ResultCode]),
        [
          [busy[1], 3],
          ['no-such-room', 100004],
          [free, 0],
        ],
      );
      assert.equal(results[0].ResultMessage, `room ${busy[1]} is already in another battle`);
      assert.match(results[1].ResultMessage, /^room no-such-room does not exist in this app, so it cannot join/);
      assert.equal(results[2].ResultMessage, '');
      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: reply.Response.BattleId })).Response;
      assert.deepEqual(
        info.ToRoomList.map((r: any) => r.RoomId),
        [free],
        'only the rooms that joined take part',
      );
    });

    it('answers 100412 when no callee can join, 100415 when the caller is in a battle, 100004 when the caller is missing', async () => {
      const { rooms: busy } = await createBattle(f.client);
      const [from, other] = await createRooms(f.client, 2, 'codes');
      const none = await f.client.call(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [busy[1], 'missing-room'],
        Duration: 60000,
      });
      assert.equal(none.ErrorCode, 100412);
      const callerBusy = await f.client.call(pk('create_battle'), {
        FromRoomId: busy[0],
        ToRoomIdList: [other],
        Duration: 60000,
      });
      assert.equal(callerBusy.ErrorCode, 100415);
      const callerMissing = await f.client.call(pk('create_battle'), {
        FromRoomId: 'missing-room',
        ToRoomIdList: [other],
        Duration: 60000,
      });
      assert.equal(callerMissing.ErrorCode, 100004);
      // None of the refused calls took a room: both are still free.
      await f.client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [other], Duration: 60000 });
    });

    it('answers creations sent at once (so batched together) each as alone, successes beside refusals', async () => {
      const { rooms: busy } = await createBattle(f.client, { callees: 2 });
      const rooms = await createRooms(f.client, 6, 'together');
      const [ok, callerBusy, callerMissing, noCallee, okToo] = await Promise.all([
        f.client.call(pk('create_battle'), {
          FromRoomId: rooms[0],
          ToRoomIdList: [rooms[1], busy[2], 'missing-callee'],
          Duration: 60000,
        }),
        f.client.call(pk('create_battle'), { FromRoomId: busy[1], ToRoomIdList: [rooms[2]], Duration: 60000 }),
        f.client.call(pk('create_battle'), { FromRoomId: 'missing-caller', ToRoomIdList: [rooms[3]], Duration: 60000 }),
        f.client.call(pk('create_battle'), { FromRoomId: rooms[4], ToRoomIdList: [busy[0]], Duration: 60000 }),
        f.client.call(pk('create_battle'), { FromRoomId: rooms[5], ToRoomIdList: [rooms[3]], Duration: 60000 }),
      ]);
      assert.equal(ok.ErrorCode, 0, ok.ErrorInfo);
      assert.deepEqual(
        ok.Response.Result.map((r: any) => [r.RoomId, r.ResultCode]),
        [
          [rooms[1], 0],
          [busy[2], 3],
          ['missing-callee', 100004],
        ],
      );
      assert.equal(callerBusy.ErrorCode, 100415);
      assert.equal(callerMissing.ErrorCode, 100004);
      assert.equal(noCallee.ErrorCode, 100412);
      assert.equal(okToo.ErrorCode, 0, okToo.ErrorInfo);
      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: ok.Response.BattleId })).Response;
      assert.deepEqual(
        info.ToRoomList.map((r: any) => r.RoomId),
        [rooms[1]],
      );
      // The refused creations took no room: rooms[2] and rooms[4] are free.
      const after = await f.client.ok(pk('create_battle'), {
        FromRoomId: rooms[2],
        ToRoomIdList: [rooms[4]],
        Duration: 60000,
      });
      assert.deepEqual(
        after.Response.Result.map((r: any) => r.ResultCode),
        [0],
      );
    });

    it('refuses bad parameters with 100002 (or 100404 past the room limit) and takes no room', async () => {
      const [from, a, b] = await createRooms(f.client, 3, 'bad');
      // ErrorInfo names the field as the client sent it (Duration, not an internal name).
      const durationRule =
        /^invalid parameter: Duration must be an integer from 1000 to 86400000 \(milliseconds: 1 s to 24 h\)$/;
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ FromRoomId: from, ToRoomIdList: [], Duration: 60000 }, 100002, /ToRoomIdList must not be empty/],
        [{ FromRoomId: from, ToRoomIdList: [a, a], Duration: 60000 }, 100002, /ToRoomIdList\[1\].*more than once/],
        [{ FromRoomId: from, ToRoomIdList: [a, from], Duration: 60000 }, 100002, /ToRoomIdList\[1\].*caller room/],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: 0 }, 100002, durationRule],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: -5 }, 100002, durationRule],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: 999 }, 100002, durationRule],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: 86_400_001 }, 100002, durationRule],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: '60000' }, 100002, /Duration must be an integer/],
        [{ FromRoomId: from, ToRoomIdList: [a], Duration: 1.5 }, 100002, /Duration must be an integer/],
        [{ FromRoomId: from, ToRoomIdList: [a] }, 100002, /Duration is required/],
        [{ FromRoomId: from, ToRoomIdList: [42], Duration: 60000 }, 100002, /ToRoomIdList\[0\] must be a string/],
        [{ FromRoomId: from, ToRoomIdList: 42, Duration: 60000 }, 100002, /ToRoomIdList must be an array or a string/],
        [{ ToRoomIdList: [a], Duration: 60000 }, 100002, /FromRoomId is required/],
        [
          { FromRoomId: from, ToRoomIdList: [a], Duration: 60000, ExtensionInfo: 'x'.repeat(1025) },
          100002,
          /ExtensionInfo must be at most 1024 bytes in UTF-8/,
        ],
        [
          { FromRoomId: from, ToRoomIdList: Array.from({ length: 10 }, (_, i) => `r${i}`), Duration: 60000 },
          100404,
          /ToRoomIdList must hold at most 9 callee rooms/,
        ],
        [
          { FromRoomId: from, ToRoomIdList: Array.from({ length: 10_000 }, (_, i) => `room-${i}`), Duration: 60000 },
          100404,
          /at most 9/,
        ],
      ];
      for (const [body, code, message] of cases) {
        const reply = await f.client.call(pk('create_battle'), body);
        assert.equal(reply.ErrorCode, code, `${JSON.stringify(body).slice(0, 100)}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, message);
      }
      await f.client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [a, b], Duration: 60000 });
    });

    it('answers 100411 for an unknown battle or one of another app, and 100002 with neither id', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      assert.equal((await f.client.call(pk('get_battle_info'), { BattleId: 'no-such-battle' })).ErrorCode, 100411);
      assert.equal((await f.other.call(pk('get_battle_info'), { BattleId: battleId })).ErrorCode, 100411);
      assert.equal((await f.other.call(pk('get_battle_info'), { RoomId: rooms[0] })).ErrorCode, 100411);
      assert.equal((await f.client.call(pk('get_battle_info'), {})).ErrorCode, 100002);
      const [idle] = await createRooms(f.client, 1, 'idle');
      assert.equal((await f.client.call(pk('get_battle_info'), { RoomId: idle })).ErrorCode, 100411);
    });
  });

  describe(`Tencent set_battle_score [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('adds (OpType 1) and overwrites (OpType 2) scores', async () => {
      const { battleId, rooms } = await createBattle(f.client, { callees: 2 });
      const added = await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [
          { RoomId: rooms[0], Score: 100 },
          { RoomId: rooms[1], Score: 50 },
        ],
      });
      assert.deepEqual(added.Response.Result, [
        { RoomId: rooms[0], ResultCode: 0 },
        { RoomId: rooms[1], ResultCode: 0 },
      ]);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[0], Score: 25 }],
      });
      assert.deepEqual(await battleScores(f.client, battleId), [125, 50, 0]);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: rooms[0], Score: 7 }],
      });
      assert.deepEqual(await battleScores(f.client, battleId), [7, 50, 0]);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[2], Score: -3 }],
      });
      assert.deepEqual(await battleScores(f.client, battleId), [7, 50, -3], 'a negative add subtracts');
    });

    it('answers ResultCode 1 for a room that is not in the battle, setting the others', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      const [outsider] = await createRooms(f.client, 1, 'outsider');
      const reply = await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [
          { RoomId: outsider, Score: 5 },
          { RoomId: rooms[1], Score: 5 },
          { RoomId: 'never-existed', Score: 5 },
        ],
      });
      assert.deepEqual(reply.Response.Result, [
        { RoomId: outsider, ResultCode: 1 },
        { RoomId: rooms[1], ResultCode: 0 },
        { RoomId: 'never-existed', ResultCode: 1 },
      ]);
      assert.deepEqual(await battleScores(f.client, battleId), [0, 5]);
    });

    it('saturates at 2^53 − 1 instead of losing precision', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: rooms[0], Score: MAX - 1 }],
      });
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[0], Score: MAX }],
      });
      assert.equal((await battleScores(f.client, battleId))[0], MAX);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: rooms[1], Score: -MAX }],
      });
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: -10 }],
      });
      assert.equal((await battleScores(f.client, battleId))[1], -MAX);
    });

    it('refuses bad input with a clear code and changes nothing', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: rooms[0], Score: 10 }],
      });
      const entry = { RoomId: rooms[0], Score: 1 };
      const opTypeRule = /OpType must be one of 1, 2, "1", "2"/;
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ BattleId: 'unknown', OpType: 1, ScoreList: [entry] }, 100411, /does not exist/],
        // OpType "1" and "2" are accepted now (the seed types it String): see wireTypes.test.ts.
        [{ BattleId: battleId, OpType: 0, ScoreList: [entry] }, 100002, opTypeRule],
        [{ BattleId: battleId, OpType: 3, ScoreList: [entry] }, 100002, opTypeRule],
        [{ BattleId: battleId, OpType: '3', ScoreList: [entry] }, 100002, opTypeRule],
        [{ BattleId: battleId, OpType: null, ScoreList: [entry] }, 100002, opTypeRule],
        [{ BattleId: battleId, ScoreList: [entry] }, 100002, /OpType is required/],
        [
          { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[0], Score: '5' }] },
          100002,
          /Score must be an integer/,
        ],
        [
          { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[0], Score: 1.5 }] },
          100002,
          /Score must be an integer/,
        ],
        [
          { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[0], Score: 2 ** 53 }] },
          100002,
          /Score must be at most/,
        ],
        [
          { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[0], Score: -(2 ** 53) }] },
          100002,
          /Score must be at least/,
        ],
        [{ BattleId: battleId, OpType: 1, ScoreList: [] }, 100002, /ScoreList must not be empty/],
        [
          { BattleId: battleId, OpType: 1, ScoreList: [entry, { RoomId: rooms[0], Score: 2 }] },
          100002,
          /ScoreList\[1\]\.RoomId must not repeat a room: .* appears more than once/,
        ],
        [{ BattleId: battleId, OpType: 1, ScoreList: [{ Score: 1 }] }, 100002, /RoomId is required/],
        [{ OpType: 1, ScoreList: [entry] }, 100002, /BattleId is required/],
      ];
      for (const [body, code, message] of cases) {
        const reply = await f.client.call(pk('set_battle_score'), body);
        assert.equal(reply.ErrorCode, code, `${JSON.stringify(body)}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, message);
      }
      const raw = await f.client.call(pk('set_battle_score'), undefined, {
        rawBody: `{"BattleId":"${battleId}","OpType":1,"ScoreList":[{"RoomId":"${rooms[0]}","Score":9007199254740993}]}`,
      });
      assert.equal(raw.ErrorCode, 100002, 'a score over 2^53 in the JSON text');
      assert.equal(
        (await f.other.call(pk('set_battle_score'), { BattleId: battleId, OpType: 1, ScoreList: [entry] })).ErrorCode,
        100411,
      );
      assert.deepEqual(await battleScores(f.client, battleId), [10, 0], 'nothing changed');
    });

    it('keeps every concurrent add', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await Promise.all(
        Array.from({ length: 100 }, () =>
          f.client.ok(pk('set_battle_score'), {
            BattleId: battleId,
            OpType: 1,
            ScoreList: [
              { RoomId: rooms[0], Score: 1 },
              { RoomId: rooms[1], Score: 2 },
            ],
          }),
        ),
      );
      assert.deepEqual(await battleScores(f.client, battleId), [100, 200]);
    });
  });

  describe(`Tencent battle lifecycle [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('end_battle (extension) freezes the scores, frees the rooms, and cannot end twice', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 30 }],
      });
      const ended = (await f.client.ok(pk('end_battle'), { BattleId: battleId })).Response;
      assert.equal(ended.Status, 3, 'Status 3 = ended');
      assert.equal(ended.OpType, 1);
      assert.equal(ended.EndReason, 'EndedByAdmin');
      assert.deepEqual(ended.ToRoomList, [{ RoomId: rooms[1], Score: 30, Owner_Account: 'owner-1' }]);

      const late = await f.client.call(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[1], Score: 1 }],
      });
      assert.equal(late.ErrorCode, 100006);
      assert.match(late.ErrorInfo, /ended/);
      assert.equal((await f.client.call(pk('end_battle'), { BattleId: battleId })).ErrorCode, 100006);
      assert.equal((await f.client.call(pk('end_battle'), { BattleId: 'nope' })).ErrorCode, 100411);
      assert.equal((await f.client.call(pk('get_battle_info'), { RoomId: rooms[0] })).ErrorCode, 100411);
      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.ToRoomList[0].Score, 30);
      // Both rooms may battle again.
      await f.client.ok(pk('create_battle'), { FromRoomId: rooms[1], ToRoomIdList: [rooms[0]], Duration: 60000 });
    });

    it('ends a battle when its Duration has passed', async () => {
      const { battleId, rooms } = await createBattle(f.client, { durationMs: 1000 });
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[0], Score: 4 }],
      });
      await sleep(1300);
      const late = await f.client.call(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[0], Score: 1 }],
      });
      assert.equal(late.ErrorCode, 100006);
      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.Status, 3);
      assert.equal(info.OpType, 0, 'OpType 0 = time up');
      assert.equal(info.EndReason, 'TimeUp');
      assert.ok(
        info.EndTime - info.StartTime <= 2,
        `ended at its end time, not later (${info.StartTime}..${info.EndTime})`,
      );
      assert.equal(info.FromRoomInfo.Score, 4);
      await f.client.ok(pk('create_battle'), { FromRoomId: rooms[0], ToRoomIdList: [rooms[1]], Duration: 60000 });
    });

    it('lets a room whose battle just ran out start a new one before the expiry job gets to it', async () => {
      const { rooms } = await createBattle(f.client, { durationMs: 1000 });
      await sleep(1010);
      await f.client.ok(pk('create_battle'), { FromRoomId: rooms[1], ToRoomIdList: [rooms[0]], Duration: 60000 });
    });

    it('ends the battle of a room that is destroyed', async () => {
      const { battleId, rooms } = await createBattle(f.client, { callees: 2 });
      await f.client.ok(srv('destroy_room'), { RoomId: rooms[2] });
      const info = (await f.client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(info.Status, 3);
      assert.equal(info.EndReason, 'RoomDestroyed');
      await f.client.ok(pk('create_battle'), { FromRoomId: rooms[0], ToRoomIdList: [rooms[1]], Duration: 60000 });
    });
  });
}
