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
 * Kysely's SQLite dialect, rebuilt around group commit. SQLite has one connection; callers
 * take turns on it (a FIFO mutex). Writes do not commit one by one: the first write after a
 * quiet moment begins a transaction (BEGIN IMMEDIATE, so another process waits for the lock
 * instead of failing half-way), and every write until the end of that event-loop turn joins
 * it — hot statements directly, explicit transactions as savepoints — before one COMMIT makes
 * them all durable. Nobody hears "done" before that COMMIT. A commit is most of the cost of a
 * small write, so under load this multiplies write throughput; idle, it costs nothing. Work
 * that already gathers many callers and runs between turns (a batch) asks for its write to be
 * committed at once instead (`commitPromptly`): waiting for the end of the turn would then
 * mean the end of the next one.
 *
 * Also: prepared statements are cached by SQL text, and `temp_store` is expected in memory.
 */
export class CachingSqliteDialect implements Dialect {
  private readonly group: GroupCommit;

  constructor(
    private readonly database: BetterSqlite3.Database,
    options: { lockTimeoutMs?: number } = {},
  ) {
    this.group = new GroupCommit(database, new StatementCache(database), options.lockTimeoutMs ?? 15_000);
  }

  createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
  createDriver(): Driver {
    return new GroupCommitDriver(this.database, this.group);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }

  /**
   * Runs a compiled statement: at once inside the caller's own transaction (`ownTransaction`,
   * which holds the connection), else in its turn, in the current group (committed right after
   * it when `commitPromptly`).
   */
  run<R>(
    sql: string,
    parameters: readonly unknown[],
    ownTransaction: boolean,
    commitPromptly = false,
  ): StatementResult<R> | Promise<StatementResult<R>> {
    if (ownTransaction) return this.group.statements.run<R>(sql, parameters);
    return this.group.runAlone<R>(sql, parameters, commitPromptly);
  }

  /** Resolves once the changes made so far are committed (at once when nothing is pending). */
  durable(): Promise<void> {
    return this.group.durable();
  }

  /** Commits the open group as soon as the connection is free instead of at the end of the turn. */
  commitPromptly(): void {
    this.group.commitPromptly();
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** One group transaction: its commit, which everyone in it waits for. */
interface Group {
  committed: Promise<void>;
  settle: () => void;
  fail: (error: unknown) => void;
}

function newGroup(): Group {
  let settle!: () => void;
  let fail!: (error: unknown) => void;
  const committed = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  committed.catch(() => {}); // awaited by its members; never an unhandled rejection
  return { committed, settle, fail };
}

/** The connection, its turns, and the open group transaction. */
class GroupCommit {
  readonly mutex: ConnectionMutex;
  /** The open group; undefined when none is. */
  private group: Group | undefined;
  private commitDue = false;
  private readonly begin: BetterSqlite3.Statement;
  private readonly commit: BetterSqlite3.Statement;

  constructor(
    private readonly database: BetterSqlite3.Database,
    readonly statements: StatementCache,
    lockTimeoutMs: number,
  ) {
    this.mutex = new ConnectionMutex(lockTimeoutMs);
    this.begin = database.prepare('begin immediate');
    this.commit = database.prepare('commit');
    this.mutex.beforeHandOver = () => {
      if (this.commitDue) this.commitNow();
    };
  }

  /** A statement outside explicit transactions, in its turn, in the group. */
  async runAlone<R>(sql: string, parameters: readonly unknown[], commitPromptly: boolean): Promise<StatementResult<R>> {
    if (this.mutex.isLocked()) await this.mutex.lock();
    else this.mutex.lockNow();
    let result: StatementResult<R>;
    let committed: Promise<void>;
    try {
      // A read with no group open has nothing to wait for.
      if (!this.group && this.statements.isReadOnly(sql)) return this.statements.run<R>(sql, parameters);
      committed = this.join().committed;
      result = this.run<R>(sql, parameters);
      if (commitPromptly) this.commitDue = true; // done as the connection is handed over, below
    } finally {
      this.mutex.unlock();
    }
    await committed;
    return result;
  }

  /** The open group, begun if none is; its commit is due at the end of this event-loop turn. */
  join(): Group {
    if (this.group) return this.group;
    this.begin.run();
    const group = newGroup();
    this.group = group;
    setImmediate(() => {
      if (this.group !== group) return;
      this.commitDue = true;
      if (!this.mutex.isLocked()) this.commitNow();
    });
    return group;
  }

  /** Runs a statement in the open group; a failure that ended the whole transaction fails the group. */
  run<R>(sql: string, parameters: readonly unknown[]): StatementResult<R> {
    try {
      return this.statements.run<R>(sql, parameters);
    } catch (error) {
      // Some errors (I/O, disk full) make SQLite roll back the whole transaction.
      if (this.group && !this.database.inTransaction) this.abandon(error);
      throw error;
    }
  }

  commitPromptly(): void {
    if (!this.group) return;
    this.commitDue = true;
    if (!this.mutex.isLocked()) this.commitNow();
  }

  /** The commit of the open group (what has been done so far), or nothing to wait for. */
  durable(): Promise<void> {
    return this.group?.committed ?? Promise.resolve();
  }

  /** Commits the open group now (between turns, or when the connection is about to close). */
  commitNow(): void {
    this.commitDue = false;
    const group = this.group;
    if (!group) return;
    try {
      this.commit.run();
    } catch (error) {
      if (this.database.inTransaction) this.database.exec('rollback');
      this.abandon(error);
      return;
    }
    this.group = undefined;
    group.settle();
  }

  private abandon(error: unknown): void {
    const group = this.group;
    this.group = undefined;
    this.commitDue = false;
    group?.fail(error);
  }

  get groupOpen(): boolean {
    return this.group !== undefined;
  }
}

/**
 * Kysely's side: a query takes its turn on the connection; a transaction is a savepoint in the
 * group (Store.transaction waits for the group's commit before returning); a plain query that
 * is not a hot statement runs after committing the open group, on its own.
 */
class GroupCommitDriver implements Driver {
  private readonly connection: GroupConnection;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly group: GroupCommit,
  ) {
    this.connection = new GroupConnection(group);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.group.mutex.lock();
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    this.group.join();
    this.group.run('savepoint ringside_tx', []);
    this.connection.inTransaction = true;
  }

  async commitTransaction(): Promise<void> {
    this.connection.inTransaction = false;
    this.group.run('release ringside_tx', []);
  }

  async rollbackTransaction(): Promise<void> {
    this.connection.inTransaction = false;
    if (!this.group.groupOpen) return; // the whole group already failed and rolled back
    this.group.run('rollback to ringside_tx', []);
    this.group.run('release ringside_tx', []);
  }

  async releaseConnection(): Promise<void> {
    this.group.mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.group.commitNow();
    this.database.close();
  }
}

class GroupConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(private readonly group: GroupCommit) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      if (!this.inTransaction && this.group.groupOpen) this.group.commitNow();
      const { rows, changes } = this.inTransaction
        ? this.group.run<R>(compiledQuery.sql, compiledQuery.parameters)
        : this.group.statements.run<R>(compiledQuery.sql, compiledQuery.parameters);
      return Promise.resolve({ rows, numAffectedRows: BigInt(changes) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }
}

const MAX_CACHED_STATEMENTS = 1000;

/** Prepared statements by SQL text. */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly database: BetterSqlite3.Database) {}

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
  /** Runs while the connection is between two holders (the group commits there when due). */
  beforeHandOver: () => void = () => {};

  constructor(private readonly timeoutMs: number) {}

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
    return new Promise((resolve, reject) => {
      // Nothing legitimate holds the connection this long. The usual cause is a query made
      // through the outer Store inside store.transaction(): it waits for the transaction that
      // waits for it. Fail loudly instead of hanging.
      const timer = setTimeout(() => {
        const index = this.queue.indexOf(take);
        if (index >= 0) this.queue.splice(index, 1);
        reject(
          new Error(
            `waited ${this.timeoutMs} ms for the SQLite connection: inside a transaction, query through its Store (tx), not the outer one`,
          ),
        );
      }, this.timeoutMs);
      const take = () => {
        clearTimeout(timer);
        resolve();
      };
      this.queue.push(take);
    });
  }

  unlock(): void {
    this.beforeHandOver();
    const next = this.queue.shift();
    if (next) next();
    else this.locked = false;
  }
}
