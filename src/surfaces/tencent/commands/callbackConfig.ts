import { Type } from '@sinclair/typebox';
import { Refusal } from '../auth.js';
import { defineCommand, perSecond } from '../command.js';
import { TencentCode } from '../errorCodes.js';

/** Callback configuration over REST: `v4/live_config/*` (reference §5.1). */

const SERVICE = 'live_config';
// "Maximum calling frequency: 200 queries/sec." (each live_config page)
const RATE = perSecond(200);

/** A CallbackCommand name: `Live.CallbackAfterCreateRoom`, `Mic.CallbackAfterSeatInfoChanged`, … */
const COMMAND_NAME = /^[A-Za-z]+\.Callback[A-Za-z]+$/;

const ConfigBody = Type.Object({
  Url: Type.String({ minLength: 1, maxBytes: 1024 }),
  CallbackCommandList: Type.Array(Type.String({ maxBytes: 64 }), { maxItems: 100 }),
});
const TokenBody = Type.Object({
  // "Token length minimum 1, maximum 128" (set_callback_token).
  Token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  IsTokenEnable: Type.Optional(Type.Boolean()),
});
const EmptyBody = Type.Object({});

/** The body's configuration; every name must read as a CallbackCommand. */
function configOf(body: { Url: string; CallbackCommandList: string[] }) {
  body.CallbackCommandList.forEach((name, index) => {
    if (!COMMAND_NAME.test(name)) {
      throw new Refusal(
        TencentCode.invalidParameter,
        `invalid parameter: CallbackCommandList[${index}] must be a callback command name such as Live.CallbackAfterCreateBattle`,
      );
    }
  });
  return { url: body.Url, commands: body.CallbackCommandList };
}

export const callbackConfigCommands = [
  defineCommand({
    path: `${SERVICE}/set_callback`,
    rate: RATE,
    body: ConfigBody,
    async run({ app, services }, body) {
      await services.callbackConfig.create(app.sdkAppId, configOf(body));
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/update_callback`,
    rate: RATE,
    body: ConfigBody,
    async run({ app, services }, body) {
      await services.callbackConfig.update(app.sdkAppId, configOf(body));
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_callback`,
    rate: RATE,
    body: EmptyBody,
    async run({ app, services }) {
      const config = await services.callbackConfig.get(app.sdkAppId);
      return { Response: { Url: config.url, CallbackCommandList: config.commands } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/delete_callback`,
    rate: RATE,
    body: EmptyBody,
    async run({ app, services }) {
      await services.callbackConfig.remove(app.sdkAppId);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/set_callback_token`,
    rate: RATE,
    body: TokenBody,
    async run({ app, services }, body) {
      await services.callbackConfig.setToken(app.sdkAppId, {
        ...(body.Token !== undefined && { token: body.Token }),
        ...(body.IsTokenEnable !== undefined && { enabled: body.IsTokenEnable }),
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_callback_token`,
    rate: RATE,
    body: EmptyBody,
    async run({ app, services }) {
      const token = await services.callbackConfig.getToken(app.sdkAppId);
      return { Response: { Token: token.token, IsTokenEnable: token.enabled } };
    },
  }),
];
