import { Type } from '@sinclair/typebox';
import type { Battle, CalleeResult } from '../../../domain/battles/battle.js';
import { battleLimits } from '../../../domain/battles/battle.js';
import { invalidParameter } from '../../../platform/errors.js';
import { defineCommand, perSecond } from '../command.js';
import { renderBattleInfo } from '../render.js';
import { roomId } from '../fields.js';

/** PK battles: `v4/live_engine_http_pk/*` (end_battle is Ringside's extension). */

const SERVICE = 'live_engine_http_pk';

const battleId = Type.String({ minLength: 1, maxBytes: 128 });
const score = Type.Integer({ minimum: -battleLimits.maxScore, maximum: battleLimits.maxScore });

const CreateBattleBody = Type.Object({
  FromRoomId: roomId,
  // The seed's table types it String, its sample sends an array: take either. (One schema
  // with two types, so a wrong value is told "must be an array or a string".)
  ToRoomIdList: Type.Unsafe<string[] | string>({
    type: ['array', 'string'],
    items: roomId,
    minLength: 1,
    maxBytes: 48,
  }),
  // Limits the seed does not have (1 s – 24 h, ≤ 1024 B) are the domain's: `battleLimits`.
  Duration: Type.Integer(),
  ExtensionInfo: Type.Optional(Type.String()),
});

/**
 * The seed's table: "OpType | String | Required | Set type: 1 for accumulate, 2 for overwrite
 * setting"; its sample sends `"OpType":1`. Both forms are accepted, nothing else.
 */
const opTypes = [1, 2, '1', '2'] as const;

const SetScoreBody = Type.Object({
  BattleId: battleId,
  OpType: Type.Unsafe<(typeof opTypes)[number]>({ enum: [...opTypes] }),
  ScoreList: Type.Array(Type.Object({ RoomId: roomId, Score: score }), { minItems: 1 }),
});

const BattleInfoBody = Type.Object({ BattleId: Type.Optional(battleId), RoomId: Type.Optional(roomId) });
const BattleIdBody = Type.Object({ BattleId: battleId });

/**
 * create_battle's per-callee `ResultCode`. The seed lists 0 success, 3 already in another PK
 * and 5 system error; a callee room that does not exist gets 100004, Tencent's own code for a
 * missing room (any code but 0 reads as "did not join"). Ringside never answers 5: a system
 * error fails the whole call with 100001 and creates nothing.
 */
function calleeResult(callee: CalleeResult) {
  const RoomId = callee.roomId;
  switch (callee.outcome) {
    case 'joined':
      return { RoomId, ResultCode: 0, ResultMessage: '' };
    case 'in_another_battle':
      return { RoomId, ResultCode: 3, ResultMessage: `room ${RoomId} is already in another battle` };
    case 'room_not_found':
      return {
        RoomId,
        ResultCode: 100004,
        ResultMessage: `room ${RoomId} does not exist in this app, so it cannot join; create it with create_room first`,
      };
  }
}

export const battleCommands = [
  defineCommand({
    path: `${SERVICE}/create_battle`,
    rate: perSecond(200),
    body: CreateBattleBody,
    async run({ app, identifier, services }, body) {
      const { battle, callees } = await services.battles.create(app.sdkAppId, {
        fromRoomId: body.FromRoomId,
        toRoomIds: Array.isArray(body.ToRoomIdList) ? body.ToRoomIdList : [body.ToRoomIdList],
        durationMs: body.Duration,
        extensionInfo: body.ExtensionInfo ?? '',
        operatorId: identifier,
      });
      return {
        Response: {
          BattleId: battle.battleId,
          Result: callees.map(calleeResult),
        },
      };
    },
  }),
  defineCommand({
    path: `${SERVICE}/set_battle_score`,
    rate: perSecond(200),
    body: SetScoreBody,
    async run({ app, services }, body) {
      const results = await services.battles.changeScores(
        app.sdkAppId,
        body.BattleId,
        body.OpType === 1 || body.OpType === '1' ? 'add' : 'set',
        body.ScoreList.map(({ RoomId, Score }) => ({ roomId: RoomId, score: Score })),
      );
      return {
        Response: { Result: results.map(({ roomId, changed }) => ({ RoomId: roomId, ResultCode: changed ? 0 : 1 })) },
      };
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_battle_info`,
    rate: perSecond(200),
    body: BattleInfoBody,
    async run({ app, services }, body) {
      let battle: Battle;
      if (body.BattleId !== undefined) battle = await services.battles.get(app.sdkAppId, body.BattleId);
      else if (body.RoomId !== undefined) battle = await services.battles.getRunningByRoom(app.sdkAppId, body.RoomId);
      else throw invalidParameter('invalid parameter: BattleId or RoomId is required');
      return { Response: renderBattleInfo(battle) };
    },
  }),
  defineCommand({
    path: `${SERVICE}/end_battle`,
    rate: perSecond(200),
    body: BattleIdBody,
    async run({ app, services }, body) {
      return { Response: renderBattleInfo(await services.battles.end(app.sdkAppId, body.BattleId)) };
    },
  }),
];
