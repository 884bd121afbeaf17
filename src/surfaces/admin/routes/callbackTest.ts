import { Type } from '@sinclair/typebox';
import { TEST_CALLBACK_COMMAND, type TestCallbackResult } from '../../tencent/callbacks.js';
import { adminRefusals } from '../errorCodes.js';
import { defineAdminRoute } from '../route.js';
import { sdkAppIdParam } from './tenants.js';

export interface CallbackTester {
  /** Whether Ringside serves the app. */
  has(appId: number): boolean;
  /** Sends a test callback to the app's callback URL; undefined when the app has none. */
  test(appId: number): Promise<TestCallbackResult | undefined>;
}

/** A test callback to a Tencent app's callback URL, answered with what the receiver answered. */
export function callbackTestRoutes(tester: CallbackTester) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/tencent/apps/:sdkAppId/test-callback',
      summary: `Send a test callback (CallbackCommand ${TEST_CALLBACK_COMMAND}, not in the outbox) to the app's callback URL and show the answer`,
      params: Type.Object({ sdkAppId: sdkAppIdParam }),
      async handle({ params }) {
        const appId = Number(params.sdkAppId);
        if (!tester.has(appId)) throw adminRefusals.notFound(`sdkAppId ${appId} is not an app Ringside serves`);
        const result = await tester.test(appId);
        if (!result) throw adminRefusals.notFound(`sdkAppId ${appId} has no callback URL configured`);
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
      },
    }),
  ];
}
