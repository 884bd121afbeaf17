import type { Migration } from './index.js';

/**
 * Callback configuration an app makes at run time (Tencent's `v4/live_config/*`): its URL and
 * the commands sent to it, and, apart (deleting one keeps the other), its signing token.
 */
export const callbackConfigs: Migration = {
  name: '007_callback_configs',
  async up(db) {
    await db.schema
      .createTable('callback_configs')
      .addColumn('app_id', 'bigint', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('commands', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('callback_tokens')
      .addColumn('app_id', 'bigint', (c) => c.primaryKey())
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
