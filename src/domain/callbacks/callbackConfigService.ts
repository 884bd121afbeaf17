import type { Clock } from '../../platform/clock.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { Store } from '../../store/store.js';
import type { CallbackConfig, CallbackToken } from './callbackConfig.js';
import type { CallbackSettingsView } from './callbackSettingsView.js';

/**
 * An app's callback configuration made at run time: one configuration (URL and commands) and
 * one token per app, in the database, so every process sees it and it outlives restarts. Each
 * change refreshes this process's view at once; other processes see it within a second.
 */
export class CallbackConfigService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly view: CallbackSettingsView,
  ) {}

  /** Sets the app's first configuration (callback_config_exists when it has one). */
  async create(appId: number, config: CallbackConfig): Promise<void> {
    const checked = checkConfig(config);
    if (!(await this.store.callbackConfigs.insertConfig(appId, checked, this.clock.now()))) {
      throw new DomainError(
        'callback_config_exists',
        'a callback configuration already exists for this app; change it with update_callback',
      );
    }
    await this.view.refresh();
  }

  async update(appId: number, config: CallbackConfig): Promise<void> {
    const checked = checkConfig(config);
    if (!(await this.store.callbackConfigs.updateConfig(appId, checked, this.clock.now()))) throw configNotFound();
    await this.view.refresh();
  }

  async get(appId: number): Promise<CallbackConfig> {
    const config = await this.store.callbackConfigs.findConfig(appId);
    if (!config) throw configNotFound();
    return config;
  }

  /** Deletes the app's configuration (its token configuration stays). */
  async remove(appId: number): Promise<void> {
    if (!(await this.store.callbackConfigs.deleteConfig(appId))) throw configNotFound();
    await this.view.refresh();
  }

  /**
   * Sets the token configuration: the first time both parts are required, afterwards only the
   * parts being changed.
   */
  async setToken(appId: number, changes: Partial<CallbackToken>): Promise<void> {
    const now = this.clock.now();
    const { token, enabled } = changes;
    if (token !== undefined && enabled !== undefined) {
      await this.store.callbackConfigs.putToken(appId, { token, enabled }, now);
    } else if (!(await this.store.callbackConfigs.updateToken(appId, changes, now))) {
      const missing = token === undefined ? 'token' : 'enabled';
      throw invalidParameter(`${missing} is required: the app has no token configuration yet`, missing);
    }
    await this.view.refresh();
  }

  async getToken(appId: number): Promise<CallbackToken> {
    const token = await this.store.callbackConfigs.findToken(appId);
    if (!token) {
      throw new DomainError(
        'callback_token_not_found',
        'no callback token configuration exists for this app; set one with set_callback_token',
      );
    }
    return token;
  }
}

function configNotFound(): DomainError {
  return new DomainError(
    'callback_config_not_found',
    'no callback configuration exists for this app; create one with set_callback',
  );
}

/** The URL must be an absolute http(s) URL; each command is kept once, in the order given. */
function checkConfig(config: CallbackConfig): CallbackConfig {
  let url: URL | undefined;
  try {
    url = new URL(config.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw invalidParameter('url must be an absolute URL starting with http:// or https://', 'url');
  }
  return { url: config.url, commands: [...new Set(config.commands)] };
}
