import { Type } from '@sinclair/typebox';
import type { Battle, CalleeResult } from '../../../domain/battles/battle.js';
import { battleLimits } from '../../../domain/battles/battle.js';
import { invalidParameter } from '../../../platform/errors.js';
import { defineCommand, perSecond } from '../command.js';
import { renderBattleInfo } from '../render.js';

/** PK battles: `v4/live_engine_http_pk/*` (end_battle is Ringside's extension). */

const SERVICE = 'live_engine_http_pk';

const roomId = Type.String({ minLength: 1, maxBytes: 48 });
const battleId = Type.String({ minLength: 1, maxBytes: 128 });
const score = Type.Integer({ minimum: -battleLimits.maxScore, maximum: battleLimits.maxScore });

const CreateBattleBody = Type.Object({
  FromRoomId: roomId,
  // The doc's table says String, its sample an array: take either.
  ToRoomIdList: Type.Union([Type.Array(roomId), roomId]),
  Duration: Type.Integer(),
  ExtensionInfo: Type.Optional(Type.String()),
});

const SetScoreBody = Type.Object({
  BattleId: battleId,
  OpType: Type.Union([Type.Literal(1), Type.Literal(2)]),
  ScoreList: Type.Array(Type.Object({ RoomId: roomId, Score: score }), { minItems: 1 }),
});

const BattleInfoBody = Type.Object({ BattleId: Type.Optional(battleId), RoomId: Type.Optional(roomId) });
const BattleIdBody = Type.Object({ BattleId: battleId });

const calleeResults: Record<CalleeResult['outcome'], { code: number; message: string }> = {
  joined: { code: 0, message: '' },
  in_another_battle: { code: 3, message: 'the room is already in another battle' },
  room_not_found: { code: 100004, message: 'the room does not exist' },
};

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
          Result: callees.map(({ roomId: RoomId, outcome }) => ({
            RoomId,
            ResultCode: calleeResults[outcome].code,
            ResultMessage: calleeResults[outcome].message,
          })),
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
        body.OpType === 1 ? 'add' : 'set',
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
