import { dialectSql } from '../dialectSql.js';
import type { Migration } from './index.js';

/**
 * The admin audit log: one row per admin write (every non-GET admin request that passed
 * authentication), kept for operators to list. Never holds a token: `actor` is the token's name.
 */
export const adminAudit: Migration = {
  name: '011_admin_audit',
  async up(db, dialect) {
    await db.schema
      .createTable('admin_audit')
      .addColumn('id', dialectSql[dialect].serialIdType, (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      // JSON object of the path parameters.
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('body_truncated', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      // Null when the write succeeded.
      .addColumn('error_code', 'text')
      .execute();
    // Listings, newest first: all entries, by actor, by route.
    await db.schema.createIndex('admin_audit_by_time').on('admin_audit').columns(['at', 'id']).execute();
    await db.schema.createIndex('admin_audit_by_actor_time').on('admin_audit').columns(['actor', 'at', 'id']).execute();
    await db.schema.createIndex('admin_audit_by_route_time').on('admin_audit').columns(['route', 'at', 'id']).execute();
  },
};
