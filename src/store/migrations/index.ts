import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { foundation } from './001_foundation.js';
import { battlesAndOutbox } from './002_battles_outbox.js';
import { gifts } from './003_gifts.js';
import { freeSpins } from './004_freespins.js';
import { matches } from './005_matches.js';
import { outboxClaims } from './006_outbox_claims.js';
import { callbackConfigs } from './007_callback_configs.js';
import { deliveryAttempts } from './008_delivery_attempts.js';
import { adminListingIndexes } from './009_admin_listing_indexes.js';
import { outboxMetricsIndexes } from './010_outbox_metrics_indexes.js';
import { adminAudit } from './011_admin_audit.js';
import { adminSessions } from './012_admin_sessions.js';

export interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Forward only, applied in this order; never edit one that has shipped, add a new one. */
export const migrations: Migration[] = [
  foundation,
  battlesAndOutbox,
  gifts,
  freeSpins,
  matches,
  outboxClaims,
  callbackConfigs,
  deliveryAttempts,
  adminListingIndexes,
  outboxMetricsIndexes,
  adminAudit,
  adminSessions,
];
