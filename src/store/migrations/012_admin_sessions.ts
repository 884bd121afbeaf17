import type { Migration } from './index.js';

/**
 * What the web console needs that no other table holds.
 *
 * Browser sessions of the admin API (`POST /admin/v1/session`): one row per signed-in
 * browser, so every process accepts the cookie. Only the sha256 of the session id is kept (a
 * copy of the database signs nobody in), with the name of the admin token that made it (the
 * actor of the session's requests) and when it expires.
 *
 * Per-minute activity counts for the overview, of what is not stored per event (score
 * updates, gifts sent, their coins): each process adds its own counts with one upsert per
 * flush, so the sums are right however many processes share the database. And indexes for
 * the overview's counts of what is stored per event (delivery attempts, match settlements).
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
    await db.schema
      .createTable('activity_minutes')
      // Start of the minute, epoch ms.
      .addColumn('minute', 'bigint', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('activity_minutes_pk', ['minute', 'metric'])
      .execute();
    // The overview counts the last hour's attempts and settlements by minute.
    await db.schema.createIndex('delivery_attempts_by_time').on('delivery_attempts').column('attempted_at').execute();
    await db.schema.createIndex('matches_by_decided_at').on('matches').column('decided_at').execute();
  },
};
