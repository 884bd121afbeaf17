import type { Kysely } from 'kysely';
import type { Database, DialectName } from './database.js';
import { RateLimitRepository } from './rateLimits.js';
import { RoomRepository } from './rooms.js';
import type { Tables } from './tables.js';

/**
 * Every repository over one database handle. `transaction` gives the same set bound to one
 * transaction, so a domain service can change several capabilities' rows atomically.
 */
export class Store {
  readonly rooms: RoomRepository;
  readonly rateLimits: RateLimitRepository;

  constructor(
    private readonly db: Kysely<Tables>,
    readonly dialect: DialectName,
    private readonly inTransaction = false,
  ) {
    this.rooms = new RoomRepository(db);
    this.rateLimits = new RateLimitRepository(db);
  }

  static over(database: Database): Store {
    return new Store(database.db, database.dialect);
  }

  /** Runs `work` in one transaction (or in the current one, when already inside). */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new Store(trx, this.dialect, true)));
  }
}
