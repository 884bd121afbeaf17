import type { Kysely } from 'kysely';
import type { AppCallbackSettings, CallbackConfig, CallbackToken } from '../domain/callbacks/callbackConfig.js';
import type { Tables } from './tables.js';

/** Callback configurations and tokens apps set at run time, one of each per app at most. */
export class CallbackConfigRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Stores the app's configuration unless it has one. Returns false when it had. */
  async insertConfig(appId: number, config: CallbackConfig, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('callback_configs')
      .values({ app_id: appId, url: config.url, commands: JSON.stringify(config.commands), updated_at: now })
      .onConflict((c) => c.column('app_id').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Replaces the app's configuration. Returns false when it has none. */
  async updateConfig(appId: number, config: CallbackConfig, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('callback_configs')
      .set({ url: config.url, commands: JSON.stringify(config.commands), updated_at: now })
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findConfig(appId: number): Promise<CallbackConfig | undefined> {
    const row = await this.db
      .selectFrom('callback_configs')
      .select(['url', 'commands'])
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return row && { url: row.url, commands: JSON.parse(row.commands) as string[] };
  }

  /** Returns false when the app has no configuration. */
  async deleteConfig(appId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('callback_configs').where('app_id', '=', appId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Sets the app's whole token configuration, whether or not it had one. */
  async putToken(appId: number, token: CallbackToken, now: number): Promise<void> {
    const values = { token: token.token, enabled: token.enabled ? 1 : 0, updated_at: now };
    await this.db
      .insertInto('callback_tokens')
      .values({ app_id: appId, ...values })
      .onConflict((c) => c.column('app_id').doUpdateSet(values))
      .execute();
  }

  /** Changes the given parts of the app's token configuration. Returns false when it has none. */
  async updateToken(appId: number, changes: Partial<CallbackToken>, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('callback_tokens')
      .set({
        ...(changes.token !== undefined ? { token: changes.token } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
        updated_at: now,
      })
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findToken(appId: number): Promise<CallbackToken | undefined> {
    const row = await this.db
      .selectFrom('callback_tokens')
      .select(['token', 'enabled'])
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return row && { token: row.token, enabled: row.enabled === 1 };
  }

  /** Every app's settings (an app with neither part is absent). */
  async all(): Promise<Map<number, AppCallbackSettings>> {
    const [configs, tokens] = await Promise.all([
      this.db.selectFrom('callback_configs').select(['app_id', 'url', 'commands']).execute(),
      this.db.selectFrom('callback_tokens').select(['app_id', 'token', 'enabled']).execute(),
    ]);
    const settings = new Map<number, AppCallbackSettings>();
    const of = (appId: number) => {
      let entry = settings.get(appId);
      if (!entry) settings.set(appId, (entry = { config: undefined, token: undefined }));
      return entry;
    };
    for (const row of configs) {
      of(row.app_id).config = { url: row.url, commands: JSON.parse(row.commands) as string[] };
    }
    for (const row of tokens) of(row.app_id).token = { token: row.token, enabled: row.enabled === 1 };
    return settings;
  }
}
