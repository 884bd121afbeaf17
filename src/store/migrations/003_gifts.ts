import type { Migration } from './index.js';

export const gifts: Migration = {
  name: '003_gifts',
  async up(db) {
    // One row per app with a catalog: the gift count is kept here so the per-app limit is
    // enforced by one conditional update, exact under concurrency.
    await db.schema
      .createTable('gift_catalogs')
      .addColumn('app_id', 'bigint', (c) => c.primaryKey())
      .addColumn('gift_count', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('gifts')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('gift_id', 'text', (c) => c.notNull())
      .addColumn('icon_url', 'text', (c) => c.notNull())
      .addColumn('resource_url', 'text', (c) => c.notNull())
      .addColumn('coins', 'bigint', (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('extension_info', 'text', (c) => c.notNull())
      .addColumn('default_name', 'text', (c) => c.notNull())
      .addColumn('default_desc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('gifts_pk', ['app_id', 'gift_id'])
      .execute();

    await db.schema
      .createTable('gift_categories')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('category_id', 'text', (c) => c.notNull())
      .addColumn('extension_info', 'text', (c) => c.notNull())
      .addColumn('default_name', 'text', (c) => c.notNull())
      .addColumn('default_desc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('gift_categories_pk', ['app_id', 'category_id'])
      .execute();

    // Names and descriptions per language, of gifts (kind 'gift') and categories ('category').
    await db.schema
      .createTable('gift_translations')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('gift_translations_pk', ['app_id', 'kind', 'item_id', 'language'])
      .execute();

    await db.schema
      .createTable('gift_category_gifts')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('category_id', 'text', (c) => c.notNull())
      .addColumn('gift_id', 'text', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('gift_category_gifts_pk', ['app_id', 'category_id', 'gift_id'])
      .execute();
    await db.schema
      .createIndex('gift_category_gifts_by_gift')
      .on('gift_category_gifts')
      .columns(['app_id', 'gift_id'])
      .execute();

    // Running gift totals per room, and per sender in the room.
    await db.schema
      .createTable('room_gift_totals')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('sequence', 'bigint', (c) => c.notNull())
      .addColumn('total_count', 'bigint', (c) => c.notNull())
      .addColumn('total_coins', 'bigint', (c) => c.notNull())
      .addColumn('sender_count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('room_gift_totals_pk', ['app_id', 'room_id'])
      .execute();
    await db.schema
      .createTable('room_gift_senders')
      .addColumn('app_id', 'bigint', (c) => c.notNull())
      .addColumn('room_id', 'text', (c) => c.notNull())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('total_count', 'bigint', (c) => c.notNull())
      .addColumn('total_coins', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('room_gift_senders_pk', ['app_id', 'room_id', 'sender_id'])
      .execute();

    // Rooms may switch gifting off (Ringside's IsGiftEnabled room field).
    await db.schema
      .alterTable('rooms')
      .addColumn('gifts_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
