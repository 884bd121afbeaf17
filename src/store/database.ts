import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StorageConfig } from '../config/schema.js';
import { migrate } from './migrate.js';
import { PreparedStatementNames, preparingClient } from './preparedStatements.js';
import { QueryTemplates } from './query.js';
import type { Tables } from './tables.js';
import { CachingSqliteDialect } from './sqliteDialect.js';
import { PostgresNotifications } from './notifications.js';
import { WalCheckpointer } from './walCheckpointer.js';

export type DialectName = 'sqlite' | 'postgres';

/** The database handle: one Kysely instance over SQLite or PostgreSQL, migrated and ready. */
export interface Database {
  readonly db: Kysely<Tables>;
  readonly dialect: DialectName;
  /** Cross-process notifications (PostgreSQL only: SQLite serves one process). */
  readonly notifications: PostgresNotifications | undefined;
  /** Compiled hot queries, shared by every Store over this database. */
  readonly templates: QueryTemplates;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `onBackgroundError` hears what fails outside any request: pooled connections, WAL checkpoints. */
export async function openDatabase(
  storage: StorageConfig,
  onBackgroundError: (error: Error) => void,
): Promise<Database> {
  const database =
    storage.kind === 'sqlite'
      ? openSqlite(storage.path, onBackgroundError)
      : await openPostgres(storage, onBackgroundError);
  try {
    await migrate(database.db, database.dialect);
    await database.templates.durable();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** How often the checkpointer thread copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;
/**
 * The serving connection's own checkpoint (~40 MB of WAL). The WAL starts over only after a
 * checkpoint that caught up with every write; under constant writes the checkpointer's rarely
 * does, so this is when the file starts over (with little left to copy by then).
 */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

function openSqlite(path: string, onBackgroundError: (error: Error) => void): Database {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // First, so that every statement after it (switching a new file to WAL included) waits for
  // another process's lock instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // RETURNING and sorts use ephemeral tables; as temp files they cost ~40 µs a statement.
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const checkpointer = WalCheckpointer.start(path, CHECKPOINT_INTERVAL_MS, onBackgroundError);
  const dialect = new CachingSqliteDialect(sqlite);
  const db = new Kysely<Tables>({ dialect });
  return {
    db,
    dialect: 'sqlite',
    notifications: undefined,
    templates: new QueryTemplates(dialect),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

const INT8_OID = 20;

/** int8 columns hold epoch milliseconds, scores and amounts: all within 2^53, so numbers. */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`int8 value ${value} is outside the safe integer range`);
  return parsed;
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

async function openPostgres(
  storage: Extract<StorageConfig, { kind: 'postgres' }>,
  onPoolError: (error: Error) => void,
): Promise<Database> {
  if (storage.schema) await createSchema(storage.url, storage.schema);
  const connection: pg.ClientConfig = {
    connectionString: storage.url,
    types: pgTypes,
    ...(storage.schema ? { options: `-c search_path=${storage.schema}` } : {}),
  };
  const prepared = new PreparedStatementNames();
  const pool = new pg.Pool({ ...connection, max: storage.poolSize, Client: preparingClient(prepared) });
  pool.on('error', onPoolError);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const notifications = new PostgresNotifications(db, connection, `ringside_live_${storage.schema ?? 'public'}`);
  return {
    db,
    dialect: 'postgres',
    notifications,
    templates: new QueryTemplates(undefined, prepared),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await notifications.close();
      await db.destroy();
    },
  };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a duplicate; that is fine.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}
