import type { Migration } from './index.js';

export const foundation: Migration = {
  name: '001_foundation',
  async up(db) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('tat', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('rooms')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('room_type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('max_members', 'integer', (c) => c.notNull())
      .addColumn('cover_url', 'text', (c) => c.notNull())
      .addColumn('background_url', 'text', (c) => c.notNull())
      .addColumn('messages_disabled', 'integer', (c) => c.notNull())
      .addColumn('public_visible', 'integer', (c) => c.notNull())
      .addColumn('seat_enabled', 'integer', (c) => c.notNull())
      .addColumn('seat_mode', 'text', (c) => c.notNull())
      .addColumn('max_seats', 'integer', (c) => c.notNull())
      .addColumn('seat_template', 'text', (c) => c.notNull())
      .addColumn('keep_owner_on_seat', 'integer', (c) => c.notNull())
      .addColumn('unlimited_members', 'integer', (c) => c.notNull())
      .addColumn('categories', 'text', (c) => c.notNull())
      .addColumn('activity_status', 'integer', (c) => c.notNull())
      .addColumn('notice', 'text', (c) => c.notNull())
      .addColumn('custom_info', 'text', (c) => c.notNull())
      .addColumn('view_count', 'bigint', (c) => c.notNull())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rooms_pk', ['app_id', 'room_id'])
      .execute();
    await db.schema
      .createIndex('rooms_by_views')
      .on('rooms')
      .columns(['app_id', 'view_count desc', 'room_id'])
      .execute();

    await db.schema
      .createTable('room_metadata')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('room_metadata_pk', ['app_id', 'room_id', 'key'])
      .execute();
  },
};
