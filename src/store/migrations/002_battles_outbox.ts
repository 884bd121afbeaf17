import { sql } from 'kysely';
import { dialectSql } from '../dialectSql.js';
import type { Migration } from './index.js';

export const battlesAndOutbox: Migration = {
  name: '002_battles_outbox',
  async up(db, dialect) {
    await db.schema
      .createTable('battles')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('battle_id', 'text', (c) => c.notNull())
      .addColumn('from_room_id', 'text', (c) => c.notNull())
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'bigint', (c) => c.notNull())
      .addColumn('extension_info', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('end_reason', 'text')
      .addPrimaryKeyConstraint('battles_pk', ['app_id', 'battle_id'])
      .execute();
    await db.schema
      .createIndex('battles_running_by_end')
      .on('battles')
      .column('ends_at')
      .where(sql.ref('status'), '=', 'running')
      .execute();

    await db.schema
      .createTable('battle_rooms')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('battle_id', 'text', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('score', 'bigint', (c) => c.notNull())
      // 1 while the battle runs. With the partial unique index below, a room is in at most one
      // running battle; score updates are conditional on it, so ending freezes the scores.
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('battle_rooms_pk', ['app_id', 'battle_id', 'room_id'])
      .execute();
    await db.schema
      .createIndex('battle_rooms_one_running_battle')
      .on('battle_rooms')
      .columns(['app_id', 'room_id'])
      .unique()
      .where(sql.ref('active'), '=', 1)
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', dialectSql[dialect].serialIdType, (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['next_attempt_at', 'id'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
  },
};
