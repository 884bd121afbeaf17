import type { Migration } from './index.js';

/**
 * Who holds an outbox message's claim (lease): the dispatcher's instance id. A process that
 * restarts under the same id releases the claims its dead predecessor left behind instead of
 * waiting them out (`OutboxRepository.releaseClaimsOf`).
 */
export const outboxClaims: Migration = {
  name: '006_outbox_claims',
  async up(db) {
    await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  },
};
