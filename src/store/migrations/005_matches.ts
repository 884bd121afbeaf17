import { sql } from 'kysely';
import { dialectSql } from '../dialectSql.js';
import type { Migration } from './index.js';

/** The ledger, competitive matches (OkLetsPlay surface) and the platform's signing keys. */
export const matches: Migration = {
  name: '005_matches',
  async up(db, dialect) {
    await db.schema
      .createTable('ledger_accounts')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('balance', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // The ledger's conditional updates keep this true; the constraint is the belt to them.
      .addCheckConstraint('ledger_accounts_not_negative', sql`kind = 'external' or balance >= 0`)
      .execute();
    await db.schema
      .createIndex('ledger_accounts_by_owner')
      .on('ledger_accounts')
      .columns(['owner_id', 'kind'])
      .execute();

    await db.schema
      .createTable('ledger_transfers')
      .addColumn('id', dialectSql[dialect].serialIdType, (c) => c.primaryKey())
      // The transfer's idempotency key: a second transfer with the same key is never written.
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_account', 'text', (c) => c.notNull())
      .addColumn('to_account', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('match_id', 'text')
      .addColumn('user_balance_after', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ledger_transfers_from')
      .on('ledger_transfers')
      .columns(['from_account', 'id'])
      .execute();
    await db.schema.createIndex('ledger_transfers_to').on('ledger_transfers').columns(['to_account', 'id']).execute();
    // A match's transfers are its escrow account's (the indexes above find them): no index of
    // their own, so settlement writes one index fewer per transfer.

    await db.schema
      .createTable('matches')
      .addColumn('match_id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('entry_fee', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('max_submissions', 'integer', (c) => c.notNull())
      .addColumn('deadline_at', 'bigint')
      // Bumped by every change while live; the row lock that serializes a match's changes.
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('team_ids', 'text', (c) => c.notNull())
      .addColumn('forfeited_team_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addColumn('abort_reason', 'text')
      .addColumn('result', 'text')
      .addColumn('settlement', 'text')
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('request_fingerprint', 'text')
      .execute();
    await db.schema
      .createIndex('matches_live_by_client')
      .on('matches')
      .columns(['client_id', 'match_id'])
      .where(sql.ref('status'), '=', 'live')
      .execute();
    // Only asynchronous matches have a deadline; synchronous ones stay out of this index.
    await db.schema
      .createIndex('matches_live_by_deadline')
      .on('matches')
      .column('deadline_at')
      .where(sql<boolean>`status = 'live' and deadline_at is not null`)
      .execute();

    await db.schema
      .createTable('match_participants')
      .addColumn('match_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('submissions', 'integer', (c) => c.notNull())
      .addColumn('best_score', 'bigint')
      .addColumn('last_score', 'bigint')
      .addColumn('last_outcome', 'text')
      .addPrimaryKeyConstraint('match_participants_pk', ['match_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('match_tokens')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('match_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
