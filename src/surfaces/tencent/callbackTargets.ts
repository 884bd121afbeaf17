import type { TencentApp } from '../../config/schema.js';
import type { CallbackSettingsView } from '../../domain/callbacks/callbackSettingsView.js';
import type { RoomOutboundEvent } from '../../domain/events.js';

export const BEFORE_SEND_GIFT = 'Live.CallbackBeforeSendGift';

/** The CallbackCommand of each outbound event. */
export const callbackCommandOf: Record<RoomOutboundEvent['topic'], string> = {
  'room.created': 'Live.CallbackAfterCreateRoom',
  'room.destroyed': 'Live.CallbackAfterDestroyRoom',
  'battle.created': 'Live.CallbackAfterCreateBattle',
  'battle.started': 'Live.CallbackAfterStartBattle',
  'battle.ended': 'Live.CallbackAfterEndBattle',
};

/** Where an app's callbacks go now, signed with `token` when there is one. */
export interface CallbackTarget {
  url: string;
  token: string | undefined;
  /** Where the target comes from: the app's `live_config` commands, or the config file. */
  source: 'live_config' | 'config file';
  /** Whether the app wants this CallbackCommand sent. */
  sends(command: string): boolean;
}

/**
 * Each app's callback receiver as it is now. The configuration made over REST
 * (`set_callback`/`update_callback`) when one exists: only the commands in its
 * CallbackCommandList are sent. Otherwise the config file's `callback`: every callback, and
 * the before-send-gift check when `gifting.beforeSendCallback` is on. The token: the one
 * made by `set_callback_token` when one exists (signing only while enabled), otherwise the
 * file's `callback.token`. Reads memory only (the view), so it may be asked on every request.
 */
export class TencentCallbackTargets {
  private readonly apps: Map<number, TencentApp>;

  constructor(
    apps: TencentApp[],
    private readonly settings: CallbackSettingsView,
  ) {
    this.apps = new Map(apps.map((app) => [app.sdkAppId, app]));
  }

  of(appId: number): CallbackTarget | undefined {
    const { config, token } = this.settings.of(appId);
    const file = this.apps.get(appId);
    const signWith = token ? (token.enabled ? token.token : undefined) : file?.callback?.token;
    if (config) {
      return {
        url: config.url,
        token: signWith,
        source: 'live_config',
        sends: (command) => config.commands.includes(command),
      };
    }
    if (!file?.callback) return undefined;
    const beforeSend = file.gifting.beforeSendCallback;
    return {
      url: file.callback.url,
      token: signWith,
      source: 'config file',
      sends: (command) => command !== BEFORE_SEND_GIFT || beforeSend,
    };
  }

  /** Whether the app's receiver wants this event now (else it is not queued). */
  wants(appId: number, topic: RoomOutboundEvent['topic']): boolean {
    return this.of(appId)?.sends(callbackCommandOf[topic]) ?? false;
  }

  /** Whether each gift sent in the app needs its approval first. */
  approvesGifts(appId: number): boolean {
    return this.of(appId)?.sends(BEFORE_SEND_GIFT) ?? false;
  }
}
