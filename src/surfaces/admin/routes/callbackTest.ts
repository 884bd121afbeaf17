import { type Static, Type } from '@sinclair/typebox';
import { TEST_CALLBACK_COMMAND, type TestCallbackResult } from '../../tencent/callbacks.js';
import { adminRefusals } from '../errorCodes.js';
import { exampleNames as ex } from '../examples.js';
import { defineAdminRoute, json } from '../route.js';
import { Nullable } from '../schemas.js';
import { sdkAppIdParam } from './tenants.js';

export interface CallbackTester {
  /** Whether Ringside serves the app. */
  has(appId: number): boolean;
  /** Sends a test callback to the app's callback URL; undefined when the app has none. */
  test(appId: number): Promise<TestCallbackResult | undefined>;
}

const TestCallbackView = Type.Object({
  sdkAppId: Type.Integer(),
  callbackCommand: Type.Literal(TEST_CALLBACK_COMMAND),
  eventId: Type.String({ description: 'the EventId the test callback carried ("test-" and 32 hex digits)' }),
  accepted: Type.Boolean({ description: 'whether a real callback with that answer would count as delivered' }),
  url: Nullable(Type.String({ description: 'where it was sent (Sign redacted); null when nothing was sent' })),
  httpStatus: Nullable(Type.Integer({ description: "the receiver's HTTP status; null when no answer came" })),
  latencyMs: Nullable(Type.Integer({ description: 'milliseconds until the answer (or the failure)' })),
  answerHead: Nullable(Type.String({ description: 'the first bytes (at most 512) of the answer' })),
  error: Nullable(Type.String({ description: 'why it does not count as delivered (HTTP status, network error)' })),
});

/** A test callback to a Tencent app's callback URL, answered with what the receiver answered. */
export function callbackTestRoutes(tester: CallbackTester) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/tencent/apps/:sdkAppId/test-callback',
      summary: `Send a test callback (CallbackCommand ${TEST_CALLBACK_COMMAND}, not in the outbox) to the app's callback URL and show the answer`,
      params: Type.Object({ sdkAppId: sdkAppIdParam }),
      response: json(TestCallbackView),
      errors: ['not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        response: {
          sdkAppId: ex.sdkAppId,
          callbackCommand: TEST_CALLBACK_COMMAND,
          eventId: 'test-5f0c8a3e9b1d4c7a8e2f6b0d3a9c1e47',
          accepted: true,
          url:
            `https://hooks.example.com/tencent?SdkAppid=${ex.sdkAppId}&CallbackCommand=${TEST_CALLBACK_COMMAND}` +
            '&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&RequestTime=1764547200&Sign=redacted',
          httpStatus: 200,
          latencyMs: 42,
          answerHead: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
          error: null,
        },
      },
      async handle({ params }) {
        const appId = Number(params.sdkAppId);
        if (!tester.has(appId)) throw adminRefusals.notFound(`sdkAppId ${appId} is not an app Ringside serves`);
        const result = await tester.test(appId);
        if (!result) throw adminRefusals.notFound(`sdkAppId ${appId} has no callback URL configured`);
        return renderTestCallback(appId, result);
      },
    }),
  ];
}

function renderTestCallback(appId: number, result: TestCallbackResult): Static<typeof TestCallbackView> {
  const { exchange } = result;
  return {
    sdkAppId: appId,
    callbackCommand: TEST_CALLBACK_COMMAND,
    eventId: result.eventId,
    accepted: result.accepted,
    url: exchange?.url ?? null,
    httpStatus: exchange?.status ?? null,
    latencyMs: exchange?.latencyMs ?? null,
    answerHead: exchange?.answerHead ?? null,
    error: result.error ?? null,
  };
}
