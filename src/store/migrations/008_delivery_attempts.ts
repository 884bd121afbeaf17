import { sql } from 'kysely';
import { dialectSql } from '../dialectSql.js';
import type { Migration } from './index.js';

/**
 * The delivery log: one row per delivery attempt (what was sent where, and what the receiver
 * answered), and on the outbox what an operator's listing needs without reading it.
 *
 * - `outbox.queued_at`: when the message was put in line (written, or put back by an
 *   operator's retry or replay); retry windows count from it, so `created_at` never moves and
 *   the listing's sort key is stable.
 * - `outbox.requeued_by`: 'retry' or 'replay' while an operator's request waits for its
 *   attempt, which it labels; cleared by that attempt.
 * - `outbox.target_url`: the URL of the latest attempt (secrets in its query redacted).
 */
export const deliveryAttempts: Migration = {
  name: '008_delivery_attempts',
  async up(db, dialect) {
    await db.schema
      .alterTable('outbox')
      .addColumn('queued_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db
      .updateTable('outbox')
      .set({ queued_at: sql.ref('created_at') })
      .execute();
    await db.schema.alterTable('outbox').addColumn('requeued_by', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('target_url', 'text').execute();
    // Listings, newest first: all deliveries, by status, by tenant.
    await db.schema.createIndex('outbox_by_time').on('outbox').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('outbox_by_status_time').on('outbox').columns(['status', 'created_at', 'id']).execute();
    await db.schema.createIndex('outbox_by_scope_time').on('outbox').columns(['scope', 'created_at', 'id']).execute();

    await db.schema
      .createTable('delivery_attempts')
      .addColumn('id', dialectSql[dialect].serialIdType, (c) => c.primaryKey())
      .addColumn('delivery_id', 'bigint', (c) => c.notNull())
      .addColumn('attempted_at', 'bigint', (c) => c.notNull())
      // 'schedule' (the dispatcher's own), 'retry' or 'replay' (an operator asked).
      .addColumn('requested_by', 'text', (c) => c.notNull())
      // 'delivered', 'failed' or 'not_sent' (nothing to send any more: counted as delivered).
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('http_status', 'integer')
      .addColumn('latency_ms', 'integer')
      .addColumn('answer_head', 'text')
      // Why it failed (or why nothing was sent).
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createIndex('delivery_attempts_by_delivery')
      .on('delivery_attempts')
      .columns(['delivery_id', 'id'])
      .execute();
  },
};
