import { DomainError } from '../../platform/errors.js';

/** How gifting is set up for an app. */
export interface GiftSettings {
  enabled: boolean;
  /** Most gifts the app's catalog holds. */
  giftLimit: number;
  /** Whether a gift's value (Coins × Count) adds to the receiving room's battle score. */
  feedsBattleScores: boolean;
  /** Whether each send must be approved by the app first. */
  approvesSends: boolean;
}

export type GiftSettingsOf = (appId: number) => GiftSettings;

/** The app's gift settings; refuses an app that has gifting switched off. */
export function enabledGiftSettings(settingsOf: GiftSettingsOf, appId: number): GiftSettings {
  const settings = settingsOf(appId);
  if (!settings.enabled) throw new DomainError('gifting_disabled', 'gifting is not enabled for this app');
  return settings;
}
