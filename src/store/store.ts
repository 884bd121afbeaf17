import type { Kysely } from 'kysely';
import type { Signal } from '../platform/signal.js';
import type { Database, DialectName } from './database.js';
import { AdminAuditRepository } from './adminAudit.js';
import { ActivityRepository } from './activity.js';
import { AdminSessionRepository } from './adminSessions.js';
import { BattleRepository } from './battles.js';
import { CallbackConfigRepository } from './callbackConfigs.js';
import { GiftCatalogRepository } from './giftCatalog.js';
import { GiftSendRepository } from './giftSends.js';
import { FreeSpinEventRepository } from './freeSpinEvents.js';
import { FreeSpinGrantRepository } from './freeSpinGrants.js';
import { FreeSpinHistoryRepository } from './freeSpinHistory.js';
import { FreeSpinPlayerRepository } from './freeSpinPlayers.js';
import { LedgerRepository } from './ledger.js';
import { MatchRepository } from './matches.js';
import { OutboxRepository } from './outbox.js';
import { RateLimitRepository } from './rateLimits.js';
import { RoomRepository } from './rooms.js';
import { SigningKeyRepository } from './signingKeys.js';
import type { QueryTemplates } from './query.js';
import type { Tables } from './tables.js';

export interface StoreOptions {
  /**
   * Notified after each commit that added outbox messages (the dispatcher listens, to send them
   * at once). Every store derived from this one notifies it too.
   */
  outboxCommitted?: Signal;
}

/**
 * Every repository over one database handle. `transaction` gives the same set bound to one
 * transaction, so a domain service can change several capabilities' rows atomically.
 */
export class Store {
  readonly rooms: RoomRepository;
  readonly rateLimits: RateLimitRepository;
  readonly battles: BattleRepository;
  readonly outbox: OutboxRepository;
  readonly giftCatalog: GiftCatalogRepository;
  readonly giftSends: GiftSendRepository;
  readonly freeSpinPlayers: FreeSpinPlayerRepository;
  readonly freeSpinEvents: FreeSpinEventRepository;
  readonly freeSpinGrants: FreeSpinGrantRepository;
  readonly freeSpinHistory: FreeSpinHistoryRepository;
  readonly ledger: LedgerRepository;
  readonly matches: MatchRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly callbackConfigs: CallbackConfigRepository;
  readonly adminAudit: AdminAuditRepository;
  readonly adminSessions: AdminSessionRepository;
  readonly activity: ActivityRepository;

  private constructor(
    private readonly db: Kysely<Tables>,
    readonly dialect: DialectName,
    private readonly templates: QueryTemplates,
    private readonly options: StoreOptions,
    private readonly inTransaction = false,
    private readonly commitsPromptly = false,
  ) {
    const hot = templates.runner(db, inTransaction, commitsPromptly);
    this.rooms = new RoomRepository(db, hot);
    this.rateLimits = new RateLimitRepository(db, hot);
    this.battles = new BattleRepository(db, dialect, hot);
    this.outbox = new OutboxRepository(db, dialect);
    this.giftCatalog = new GiftCatalogRepository(db, hot);
    this.giftSends = new GiftSendRepository(db, dialect, hot);
    this.freeSpinPlayers = new FreeSpinPlayerRepository(db, dialect);
    this.freeSpinEvents = new FreeSpinEventRepository(db, dialect);
    this.freeSpinGrants = new FreeSpinGrantRepository(db, dialect);
    this.freeSpinHistory = new FreeSpinHistoryRepository(db);
    this.ledger = new LedgerRepository(db, dialect, hot);
    this.matches = new MatchRepository(db, dialect, hot);
    this.signingKeys = new SigningKeyRepository(db);
    this.callbackConfigs = new CallbackConfigRepository(db);
    this.adminAudit = new AdminAuditRepository(db);
    this.adminSessions = new AdminSessionRepository(db);
    this.activity = new ActivityRepository(db);
  }

  /** What runs once the current transaction has committed (see `afterCommit`). */
  private readonly committedWork: Array<() => void> = [];

  /**
   * Runs `work` once the transaction this store belongs to has committed (not at all if it
   * rolls back), or at once outside a transaction. For in-memory follow-ups such as
   * publishing an event about the change.
   */
  afterCommit(work: () => void): void {
    if (this.inTransaction) this.committedWork.push(work);
    else work();
  }

  static over(database: Database, options: StoreOptions = {}): Store {
    return new Store(database.db, database.dialect, database.templates, options);
  }

  /**
   * The same repositories for work that already gathers many callers (a KeyedBatcher batch).
   * On SQLite its writes commit as soon as they are done, instead of with the rest of the
   * event-loop turn's writes: a batch runs between turns, so that would be a whole turn later.
   */
  committingPromptly(): Store {
    // Inside a transaction the commit is the transaction's own: the same store, which also
    // keeps one count of the outbox messages the transaction added.
    if (this.inTransaction) return this;
    return new Store(this.db, this.dialect, this.templates, this.options, this.inTransaction, true);
  }

  /** Runs `work` in one transaction (or in the current one, when already inside). */
  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    let tx: Store | undefined;
    let committed: Promise<void> = Promise.resolve();
    const result = await this.db.transaction().execute(async (trx) => {
      tx = new Store(trx, this.dialect, this.templates, this.options, true);
      const value = await work(tx);
      // Taken while the transaction still holds the connection: the commit it is part of.
      committed = this.templates.durable();
      return value;
    });
    if (this.commitsPromptly) this.templates.commitPromptly();
    await committed;
    if (tx && tx.outbox.added > 0) this.options.outboxCommitted?.notify();
    for (const work of tx?.committedWork ?? []) work();
    return result;
  }
}
