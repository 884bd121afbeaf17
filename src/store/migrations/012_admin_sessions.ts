import type { Migration } from './index.js';

/**
 * Browser sessions of the admin API (`POST /admin/v1/session`): one row per signed-in
 * browser, so every process accepts the cookie. Only the sha256 of the session id is kept (a
 * copy of the database signs nobody in), with the name of the admin token that made it (the
 * actor of the session's requests) and when it expires.
 */
export const adminSessions: Migration = {
  name: '012_admin_sessions',
  async up(db) {
    await db.schema
      .createTable('admin_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('token_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('admin_sessions_by_expiry').on('admin_sessions').column('expires_at').execute();
  },
};
