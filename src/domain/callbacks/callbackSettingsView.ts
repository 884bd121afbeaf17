import type { Store } from '../../store/store.js';
import { type AppCallbackSettings, noCallbackSettings } from './callbackConfig.js';

/** How often each process reads the apps' callback settings again (changes show within a second). */
export const CALLBACK_SETTINGS_REFRESH_MS = 500;

/**
 * Every app's run-time callback settings, as this process last read them from the database:
 * the paths that ask on every request (whether to queue a callback, whether a gift needs the
 * app's approval) read memory, not the database. `refresh` runs every
 * CALLBACK_SETTINGS_REFRESH_MS, and after each change this process makes.
 */
export class CallbackSettingsView {
  private settings = new Map<number, AppCallbackSettings>();
  /** Refreshes started and the latest one applied: an older read never replaces a newer one. */
  private started = 0;
  private applied = 0;

  constructor(private readonly store: Store) {}

  of(appId: number): AppCallbackSettings {
    return this.settings.get(appId) ?? noCallbackSettings;
  }

  async refresh(): Promise<void> {
    const ticket = ++this.started;
    const settings = await this.store.callbackConfigs.all();
    if (ticket < this.applied) return;
    this.applied = ticket;
    this.settings = settings;
  }
}
