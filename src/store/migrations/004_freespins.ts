import { sql } from 'kysely';
import { dialectSql } from '../dialectSql.js';
import type { Migration } from './index.js';

/** Free-spin campaigns: players, events, each player's grant of spins, and the spin history. */
export const freeSpins: Migration = {
  name: '004_freespins',
  async up(db, dialect) {
    const { serialIdType, neverReusedId } = dialectSql[dialect];

    await db.schema
      .createTable('freespin_players')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('freespin_players_pk', ['agent', 'uid'])
      .execute();

    await db.schema
      .createTable('freespin_events')
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('times', 'integer', (c) => c.notNull())
      .addColumn('bet', 'bigint', (c) => c.notNull())
      .addColumn('games', 'text', (c) => c.notNull())
      .addColumn('min_withdrawal', 'bigint')
      .addColumn('max_withdrawal', 'bigint')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('start_at', 'bigint', (c) => c.notNull())
      .addColumn('end_at', 'bigint', (c) => c.notNull())
      .addColumn('terminated_at', 'bigint')
      .addColumn('settled_at', 'bigint')
      .addColumn('bind_report', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('freespin_events_pk', ['agent', 'event_id'])
      .addUniqueConstraint('freespin_events_transaction', ['agent', 'transaction_id'])
      .execute();
    await db.schema
      .createIndex('freespin_events_by_start')
      .on('freespin_events')
      .columns(['agent', 'start_at'])
      .execute();
    await sql`create index freespin_events_unsettled on freespin_events (end_at) where settled_at is null`.execute(db);

    // One row per player bound to an event. Its id is the payout's transferId, so it is never reused.
    await db.schema
      .createTable('freespin_grants')
      .addColumn('id', serialIdType, neverReusedId)
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('times', 'integer', (c) => c.notNull())
      .addColumn('remaining', 'integer', (c) => c.notNull())
      .addColumn('turnover', 'bigint', (c) => c.notNull())
      .addColumn('win', 'bigint', (c) => c.notNull())
      .addColumn('cashout', 'bigint')
      .addColumn('cashout_at', 'bigint')
      .addColumn('bound_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('freespin_grants_player', ['agent', 'event_id', 'uid'])
      .execute();
    await db.schema.createIndex('freespin_grants_by_player').on('freespin_grants').columns(['agent', 'uid']).execute();
    await db.schema
      .createIndex('freespin_grants_by_cashout')
      .on('freespin_grants')
      .columns(['agent', 'cashout_at'])
      .execute();
    // Grants with spins used and no cashout yet: what settlement looks for once an event ends.
    await sql`create index freespin_grants_open on freespin_grants (agent, event_id) where cashout is null and remaining < times`.execute(
      db,
    );

    await db.schema
      .createTable('freespin_spins')
      .addColumn('id', serialIdType, (c) => c.primaryKey())
      .addColumn('agent', 'text', (c) => c.notNull())
      .addColumn('spin_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('game_id', 'integer', (c) => c.notNull())
      .addColumn('game_type', 'integer', (c) => c.notNull())
      .addColumn('bet', 'bigint', (c) => c.notNull())
      .addColumn('win', 'bigint', (c) => c.notNull())
      .addColumn('remaining_after', 'integer', (c) => c.notNull())
      .addColumn('turnover_after', 'bigint', (c) => c.notNull())
      .addColumn('win_after', 'bigint', (c) => c.notNull())
      .addColumn('played_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('freespin_spins_spin_id', ['agent', 'spin_id'])
      .execute();
    await db.schema
      .createIndex('freespin_spins_by_time')
      .on('freespin_spins')
      .columns(['agent', 'played_at'])
      .execute();
  },
};
