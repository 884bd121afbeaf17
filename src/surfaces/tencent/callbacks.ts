import { createHash } from 'node:crypto';
import type { RetryPolicy } from '../../config/schema.js';
import type { Battle } from '../../domain/battles/battle.js';
import type { RoomOutboundEvent } from '../../domain/events.js';
import type { Clock } from '../../platform/clock.js';
import { type HttpClient, type HttpExchange, sendObserved } from '../../platform/httpClient.js';
import { uniqueHex32 } from '../../platform/ids.js';
import type { Deliverer, DeliveryResult } from '../../delivery/dispatcher.js';
import { exponentialBackoff } from '../../delivery/dispatcher.js';
import type { OutboxMessage } from '../../domain/outbound.js';
import { type CallbackTarget, callbackCommandOf, type TencentCallbackTargets } from './callbackTargets.js';
import { endOpType, endReasonNames, renderRoomInfo, renderStatistic, seconds } from './render.js';

/** Tencent's webhook timeout for a reply. */
const CALLBACK_TIMEOUT_MS = 3000;

/**
 * Delivers room and battle events to an app's callback URL as Tencent's third-party
 * callbacks: `POST {url}?SdkAppid&CallbackCommand&contenttype=json&ClientIP&OptPlatform`
 * (+ `RequestTime` and `Sign = sha256(token + RequestTime)` when the app has a token). A
 * delivery counts when the receiver answers HTTP 200 with JSON. Each body carries `EventId`,
 * the same on every attempt, so the receiver can drop duplicates.
 *
 * Each attempt goes to the app's receiver as it is at that moment (see TencentCallbackTargets):
 * a corrected URL rescues the events still waiting, and an event the app no longer wants (its
 * command left the CallbackCommandList, or the app has no URL any more) is cancelled.
 */
export class TencentCallbackDeliverer implements Deliverer<RoomOutboundEvent> {
  readonly retryDelayMs: Deliverer['retryDelayMs'];

  constructor(
    private readonly targets: TencentCallbackTargets,
    private readonly http: HttpClient,
    private readonly clock: Clock,
    retry: RetryPolicy,
  ) {
    this.retryDelayMs = exponentialBackoff(retry);
  }

  async deliver({ scope: { appId }, event, eventId }: OutboxMessage<RoomOutboundEvent>): Promise<DeliveryResult> {
    const target = this.targets.of(appId);
    const command = callbackCommandOf[event.topic];
    if (!target) return { ok: false, cancelled: true, error: `app ${appId} has no callback URL any more` };
    if (!target.sends(command)) {
      return { ok: false, cancelled: true, error: `${command} is no longer in the app's CallbackCommandList` };
    }
    return this.post(target, appId, { CallbackCommand: command, ...renderCallback(event), EventId: eventId });
  }

  /**
   * Sends a test event (`CallbackCommand` "Ringside.TestCallback", `Test: true`, an `EventId`
   * starting "test-"; never in the outbox) to the app's receiver as it is now, the way callbacks
   * are sent, and tells what the receiver answered. Undefined when the app has no callback URL.
   */
  async test(appId: number): Promise<TestCallbackResult | undefined> {
    const target = this.targets.of(appId);
    if (!target) return undefined;
    const now = this.clock.now();
    const eventId = `test-${uniqueHex32()}`;
    const body = { CallbackCommand: TEST_CALLBACK_COMMAND, Test: true, EventId: eventId, EventTime: now };
    const result = await this.post(target, appId, body);
    return { eventId, accepted: result.ok, error: result.ok ? undefined : result.error, exchange: result.exchange };
  }

  private async post(
    target: CallbackTarget,
    appId: number,
    body: { CallbackCommand: string } & Record<string, unknown>,
  ): Promise<DeliveryResult> {
    const sent = await sendObserved(
      this.http,
      {
        method: 'POST',
        url: callbackUrl(target, appId, body.CallbackCommand, this.clock.now()),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        timeoutMs: CALLBACK_TIMEOUT_MS,
      },
      // Anyone who saw it could send a request signed as Ringside within the receiver's window.
      ['Sign'],
    );
    const { exchange } = sent;
    if (!sent.answered) return { ok: false, error: sent.error, exchange };
    if (sent.response.status !== 200) return { ok: false, error: `HTTP ${sent.response.status}`, exchange };
    if (!isJson(sent.response.body)) return { ok: false, error: 'reply is not JSON', exchange };
    return { ok: true, exchange };
  }
}

/** The `CallbackCommand` of a test callback (`TencentCallbackDeliverer.test`). */
export const TEST_CALLBACK_COMMAND = 'Ringside.TestCallback';

/** What a test callback's receiver answered. */
export interface TestCallbackResult {
  eventId: string;
  /** Whether a real callback with that answer would count as delivered (HTTP 200 with JSON). */
  accepted: boolean;
  error: string | undefined;
  exchange: HttpExchange | undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A callback's URL: the app's URL with `SdkAppid`, `CallbackCommand`, `contenttype`,
 * `ClientIP`, `OptPlatform`, and, when the app has a token, `RequestTime` (Unix seconds) and
 * `Sign = hex(sha256(token + RequestTime))`.
 */
export function callbackUrl(
  callback: { url: string; token: string | undefined },
  appId: number,
  command: string,
  nowMs: number,
) {
  const url = new URL(callback.url);
  url.searchParams.set('SdkAppid', String(appId));
  url.searchParams.set('CallbackCommand', command);
  url.searchParams.set('contenttype', 'json');
  url.searchParams.set('ClientIP', '127.0.0.1');
  url.searchParams.set('OptPlatform', 'RESTAPI');
  if (callback.token !== undefined) {
    const requestTime = String(Math.floor(nowMs / 1000));
    url.searchParams.set('RequestTime', requestTime);
    url.searchParams.set(
      'Sign',
      createHash('sha256')
        .update(callback.token + requestTime)
        .digest('hex'),
    );
  }
  return url.toString();
}

function roomList(battle: Battle, withScores: boolean) {
  return battle.rooms.map((room) => ({
    RoomId: room.roomId,
    ...(withScores ? { Score: room.score } : {}),
    Owner_Account: room.ownerId,
  }));
}

/** The body of an event's callback, but for `CallbackCommand` and `EventId`. */
function renderCallback(event: RoomOutboundEvent): Record<string, unknown> {
  const EventTime = event.at;
  switch (event.topic) {
    case 'room.created':
      return {
        Operator_Account: event.operatorId,
        RoomInfo: renderRoomInfo(event.room),
        EventTime,
      };
    case 'room.destroyed':
      return {
        Operator_Account: event.operatorId,
        RoomId: event.room.roomId,
        EventType: event.bySystem ? 'DestroyBySystem' : 'DestroyByUser',
        RoomInfo: renderRoomInfo(event.room),
        Statistic: renderStatistic(event.statistic),
        EventTime,
      };
    case 'battle.created':
      return {
        Operator_Account: event.battle.operatorId,
        BattleId: event.battle.battleId,
        FromRoomId: event.battle.fromRoomId,
        ToRoomIdList: event.battle.rooms.slice(1).map((room) => room.roomId),
        Timeout: 0,
        Duration: event.battle.durationMs,
        NeedResponse: false,
        ExtensionInfo: event.battle.extensionInfo,
        EventTime,
      };
    case 'battle.started': {
      const [from, ...to] = roomList(event.battle, false);
      return {
        BattleId: event.battle.battleId,
        Duration: event.battle.durationMs,
        CreateTime: seconds(event.battle.createdAt),
        StartTime: seconds(event.battle.startedAt),
        FromRoomInfo: from,
        ToRoomList: to,
        EventTime,
      };
    }
    case 'battle.ended': {
      const [from, ...to] = roomList(event.battle, true);
      return {
        BattleId: event.battle.battleId,
        Duration: event.battle.durationMs,
        CreateTime: seconds(event.battle.createdAt),
        StartTime: seconds(event.battle.startedAt),
        EndTime: seconds(event.battle.endedAt ?? event.at),
        OpType: endOpType(event.battle.endReason),
        EndReason: endReasonNames[event.battle.endReason ?? 'time_up'],
        FromRoomInfo: from,
        ToRoomList: to,
        EventTime,
      };
    }
  }
}
