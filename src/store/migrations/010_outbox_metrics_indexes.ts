import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * What the metrics count at every scrape without reading the whole outbox (delivered messages
 * stay in it): dead messages by topic, and JDB payouts by status. Partial indexes, so writes
 * of other rows do not maintain them.
 */
export const outboxMetricsIndexes: Migration = {
  name: '010_outbox_metrics_indexes',
  async up(db) {
    await sql`create index outbox_dead_by_topic on outbox (topic) where status = 'dead'`.execute(db);
    await sql`create index outbox_payouts_by_status on outbox (status) where topic = 'freespin.payout'`.execute(db);
  },
};
