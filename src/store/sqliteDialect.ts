import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/** A statement's outcome: the rows it returned and the rows it changed. */
export interface StatementResult<R = unknown> {
  rows: R[];
  changes: number;
}

/**
 * Kysely's SQLite dialect, with these changes:
 * - prepared statements are cached by SQL text (preparing is most of a small query's cost);
 * - transactions start with BEGIN IMMEDIATE, so a writer takes the lock up front and a second
 *   process waits (busy_timeout) instead of failing half-way with SQLITE_BUSY;
 * - `runNow` runs hot statements without Kysely's async hand-over, and commits the writes of
 *   one event-loop turn together (group commit; see GroupCommit).
 */
export class CachingSqliteDialect implements Dialect {
  private readonly connection: CachingSqliteConnection;
  private readonly mutex = new ConnectionMutex();
  private readonly group: GroupCommit;

  constructor(private readonly database: BetterSqlite3.Database) {
    this.connection = new CachingSqliteConnection(database);
    this.group = new GroupCommit(database, this.connection, this.mutex);
  }

  createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
  createDriver(): Driver {
    return new CachingSqliteDriver(this.database, this.connection, this.mutex, this.group);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }

  /**
   * Runs the statement without queueing, or returns undefined when another caller holds the
   * connection (then go through Kysely, which queues for it). `ownTransaction`: the caller is
   * inside the transaction that holds the connection, so the statement belongs to it.
   */
  runNow<R>(
    sql: string,
    parameters: readonly unknown[],
    ownTransaction: boolean,
  ): StatementResult<R> | Promise<StatementResult<R>> | undefined {
    if (ownTransaction) return this.connection.run<R>(sql, parameters);
    return this.group.run<R>(sql, parameters);
  }
}

/**
 * Group commit for statements outside explicit transactions: the first write of an event-loop
 * turn begins a transaction on the (otherwise free) connection, every statement of that turn
 * runs in it, and one COMMIT at the end of the turn makes them all durable, after which their
 * callers get their results. A commit is most of a small write's cost, so this multiplies
 * write throughput under load and costs nothing when idle. Each statement stays atomic on its
 * own (SQLite rolls back just a failing statement), so one caller's error is not another's.
 */
class GroupCommit {
  private open: Array<{ settle: () => void; fail: (error: unknown) => void }> | undefined;
  private readonly beginStatement: BetterSqlite3.Statement;
  private readonly commitStatement: BetterSqlite3.Statement;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly connection: CachingSqliteConnection,
    private readonly mutex: ConnectionMutex,
  ) {
    this.beginStatement = database.prepare('begin immediate');
    this.commitStatement = database.prepare('commit');
  }

  run<R>(sql: string, parameters: readonly unknown[]): StatementResult<R> | Promise<StatementResult<R>> | undefined {
    if (!this.open) {
      if (this.mutex.isLocked()) return undefined;
      if (this.connection.isReadOnly(sql)) return this.connection.run<R>(sql, parameters);
      this.begin();
    }
    let result: StatementResult<R>;
    try {
      result = this.connection.run<R>(sql, parameters);
    } catch (error) {
      // Some errors (I/O, disk full) make SQLite roll back the whole transaction: the group fails.
      if (!this.database.inTransaction) this.abandon(error);
      throw error;
    }
    return new Promise((resolve, reject) => this.open!.push({ settle: () => resolve(result), fail: reject }));
  }

  private abandon(error: unknown): void {
    const members = this.open ?? [];
    this.open = undefined;
    this.mutex.unlock();
    for (const member of members) member.fail(error);
  }

  /** Commits the open group now (also before the database closes). */
  commit(): void {
    const members = this.open;
    if (!members) return;
    this.open = undefined;
    try {
      this.commitStatement.run();
    } catch (error) {
      if (this.database.inTransaction) this.database.exec('rollback');
      this.open = members;
      this.abandon(error);
      return;
    }
    this.mutex.unlock();
    for (const member of members) member.settle();
  }

  private begin(): void {
    this.mutex.lockNow();
    try {
      this.beginStatement.run();
    } catch (error) {
      this.mutex.unlock();
      throw error;
    }
    this.open = [];
    setImmediate(() => this.commit());
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

const MAX_CACHED_STATEMENTS = 1000;

class CachingSqliteDriver implements Driver {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly connection: CachingSqliteConnection,
    private readonly mutex: ConnectionMutex,
    private readonly group: GroupCommit,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has a single connection; callers queue for it.
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.group.commit();
    this.database.close();
  }
}

class CachingSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly database: BetterSqlite3.Database) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const { rows, changes } = this.run<R>(compiledQuery.sql, compiledQuery.parameters);
      return Promise.resolve({ rows, numAffectedRows: BigInt(changes) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }

  /** Whether the statement only reads (a SELECT; a write with RETURNING is not). */
  isReadOnly(sql: string): boolean {
    return this.prepare(sql).readonly;
  }

  run<R>(sql: string, parameters: readonly unknown[]): StatementResult<R> {
    const statement = this.prepare(sql);
    if (statement.reader) {
      const rows = statement.all(parameters) as R[];
      // A write with RETURNING is a reader too; its changes are the rows it returned.
      return { rows, changes: rows.length };
    }
    return { rows: [], changes: statement.run(parameters).changes };
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.prepare(sql);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** First come, first served hand-over of the single connection. */
class ConnectionMutex {
  private locked = false;
  private readonly queue: Array<() => void> = [];

  isLocked(): boolean {
    return this.locked;
  }

  /** Takes the free connection synchronously (the caller checked isLocked). */
  lockNow(): void {
    this.locked = true;
  }

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.locked = false;
  }
}
