import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../src/store/database.js';
import { waitUntil } from '../support/wait.js';

/**
 * SQLite's WAL is copied back into the database file by the checkpointer thread, not by the
 * serving connection (whose own checkpoint waits for 10,000 pages): a megabyte written lands in
 * the database file shortly after, with no request's help.
 */
describe('SQLite WAL checkpointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-wal-'));
  const file = join(dir, 'ringside.db');
  let database: Database;
  const errors: Error[] = [];

  before(async () => {
    database = await openDatabase({ kind: 'sqlite', path: file }, (error) => errors.push(error));
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file by itself', async () => {
    const sizeBefore = statSync(file).size;
    await sql`create table filler (id integer primary key, data blob not null)`.execute(database.db);
    for (let i = 0; i < 16; i++) {
      await sql`insert into filler (data) values (randomblob(65536))`.execute(database.db);
    }
    assert.ok(statSync(`${file}-wal`).size >= 1024 * 1024, 'the writes went to the WAL');
    await waitUntil(async () => statSync(file).size >= sizeBefore + 1024 * 1024, 'the checkpointed file', 5_000);
    assert.deepEqual(errors, []);
  });

  it('stops with the database, and the WAL is folded in on close', async () => {
    await database.close();
    assert.throws(() => statSync(`${file}-wal`), /ENOENT/, 'the last connection removed the WAL');
    database = await openDatabase({ kind: 'sqlite', path: file }, (error) => errors.push(error));
    const [row] = (await sql<{ n: number }>`select count(*) as n from filler`.execute(database.db)).rows;
    assert.equal(row!.n, 16);
    assert.deepEqual(errors, []);
  });
});
