import type { GiftApproval, GiftApprovalRequest, GiftApprover } from '../../domain/gifts/giftSendService.js';
import type { Clock } from '../../platform/clock.js';
import { describeFailure, type HttpClient } from '../../platform/httpClient.js';
import { callbackUrl } from './callbacks.js';
import { BEFORE_SEND_GIFT, type TencentCallbackTargets } from './callbackTargets.js';
import { giftRefusalPassThrough } from './errorCodes.js';

/** Tencent waits this long for the app's answer, then blocks the gift. */
const BEFORE_SEND_TIMEOUT_MS = 2000;

/**
 * `Live.CallbackBeforeSendGift`: asks the app's callback URL (as it is now, see
 * TencentCallbackTargets), synchronously, whether a gift may be sent. ErrorCode 0 allows it;
 * a code in 102100–102200 is passed through to the caller; anything else, a non-200 or
 * non-JSON reply, or no reply within 2 s blocks it (102004).
 */
export class TencentGiftApprover implements GiftApprover {
  constructor(
    private readonly targets: TencentCallbackTargets,
    private readonly http: HttpClient,
    private readonly clock: Clock,
  ) {}

  async approve(appId: number, request: GiftApprovalRequest): Promise<GiftApproval> {
    const callback = this.targets.of(appId);
    if (!callback) return { approved: false, reason: 'the app has no callback URL for before-send-gift' };
    const command = BEFORE_SEND_GIFT;
    const body = {
      CallbackCommand: command,
      Operator_Account: request.operatorId,
      RoomId: request.send.roomId,
      GiftWater: {
        From_Account: request.send.senderId,
        To_Account: request.send.receiverIds,
        Time: Math.floor(request.at / 1000),
        GiftId: request.send.giftId,
        Count: request.send.count,
        Coins: request.coins,
      },
      EventTime: request.at,
    };
    let reply: { ErrorCode?: unknown; ErrorInfo?: unknown };
    try {
      const response = await this.http.send({
        method: 'POST',
        url: callbackUrl(callback, appId, command, this.clock.now()),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        timeoutMs: BEFORE_SEND_TIMEOUT_MS,
      });
      if (response.status !== 200) return blocked(`it answered HTTP ${response.status}`);
      reply = JSON.parse(response.body) as typeof reply;
    } catch (error) {
      return blocked(error instanceof SyntaxError ? 'its reply is not JSON' : describeFailure(error));
    }
    if (reply?.ErrorCode === 0) return { approved: true };
    const code = Number(reply?.ErrorCode);
    const info = typeof reply?.ErrorInfo === 'string' && reply.ErrorInfo !== '' ? reply.ErrorInfo : undefined;
    if (Number.isInteger(code) && code >= giftRefusalPassThrough.min && code <= giftRefusalPassThrough.max) {
      return { approved: false, reason: info ?? `the app refused the gift (${code})`, passThroughCode: code };
    }
    return blocked(`it refused with ErrorCode ${String(reply?.ErrorCode)}${info ? `: ${info}` : ''}`);
  }
}

function blocked(why: string): GiftApproval {
  return { approved: false, reason: `the before-send-gift callback did not allow the gift: ${why}` };
}
