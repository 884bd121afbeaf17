import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StorageConfig } from '../../src/config/schema.js';
import { randomHex } from '../../src/platform/ids.js';

/**
 * The databases every storage test runs on: a temp SQLite file always, and PostgreSQL when
 * RINGSIDE_TEST_DATABASE_URL is set (CI sets it). Each test database on PostgreSQL is a
 * schema of its own, so test files can run in parallel against one server.
 */
export interface TestDatabase {
  /** The `storage` block of a config file. */
  storage: Record<string, unknown>;
  drop(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

export const postgresUrl = process.env.RINGSIDE_TEST_DATABASE_URL || undefined;

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'ringside-test-'));
    return {
      storage: { sqlite: { path: join(dir, 'ringside.db') } },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async create() {
    const postgresUrl = process.env.RINGSIDE_TEST_DATABASE_URL;
    if (!postgresUrl) throw new Error('RINGSIDE_TEST_DATABASE_URL is not set');
    const schema = `test_${randomHex(6)}`;
    return {
      storage: { postgres: { url: postgresUrl, schema, poolSize: 5 } },
      drop: async () => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

export const backends: Backend[] = postgresUrl ? [sqliteBackend, postgresBackend] : [sqliteBackend];

/** The storage block of a test database, as the server reads it from its config file. */
export function storageOf(database: TestDatabase): StorageConfig {
  const { sqlite, postgres } = database.storage as {
    sqlite?: { path: string };
    postgres?: { url: string; schema: string; poolSize: number };
  };
  return sqlite ? { kind: 'sqlite', path: sqlite.path } : { kind: 'postgres', ...postgres! };
}
