import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { CachingSqliteDialect } from '../../src/store/sqliteDialect.js';

/**
 * The SQLite dialect's group commit, seen from the outside: what a caller is told is committed
 * (a second connection to the same file sees it), a failing transaction in a group takes
 * nothing else with it, and a query that would wait for its own transaction fails instead of
 * hanging.
 */
describe('SQLite group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-group-'));
  const file = join(dir, 'group.db');
  let raw: BetterSqlite3.Database;
  let dialect: CachingSqliteDialect;
  let db: Kysely<any>;
  let observer: BetterSqlite3.Database;

  before(async () => {
    raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table counters (id integer primary key, n integer not null)');
    raw.exec('insert into counters values (1, 0), (2, 0)');
    dialect = new CachingSqliteDialect(raw, { lockTimeoutMs: 300 });
    db = new Kysely({ dialect });
    observer = new BetterSqlite3(file, { readonly: true });
  });
  after(async () => {
    observer.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committed = (id: number) =>
    (observer.prepare('select n from counters where id = ?').get(id) as { n: number }).n;
  const bump = (id: number) => dialect.run('update counters set n = n + 1 where id = ?', [id], false);
  /** A transaction the way Store.transaction runs one: Kysely's, then its group's commit. */
  async function transaction<T>(work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
    let group: Promise<void> = Promise.resolve();
    const value = await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      group = dialect.durable();
      return result;
    });
    await group;
    return value;
  }

  it('answers a write only once another connection can see it', async () => {
    const writes = Array.from({ length: 50 }, () => Promise.resolve(bump(1)).then(() => committed(1)));
    const seen = await Promise.all(writes);
    assert.ok(
      seen.every((n) => n >= 1),
      'every caller saw its write committed',
    );
    assert.equal(committed(1), 50);
  });

  it('rolls back only the failing transaction of a group', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        transaction(async (trx) => {
          await sql`update counters set n = n + 1 where id = 2`.execute(trx);
          if (i % 4 === 0) throw new Error(`transaction ${i} fails`);
          await sql`update counters set n = n + 1 where id = 2`.execute(trx);
        }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'rejected').length, 5);
    assert.equal(committed(2), 15 * 2, 'each surviving transaction applied both its updates, the failing ones none');
  });

  it('commits at once when asked to (a batch), taking the turn’s other writes with it', async () => {
    const start = committed(1);
    const plain = bump(1);
    assert.equal(committed(1), start, 'a plain write waits for the end of the event-loop turn');
    const prompt = dialect.run('update counters set n = n + 1 where id = ?', [1], false, true);
    assert.equal(committed(1), start + 2, 'the prompt write committed the group, the plain write with it');
    await Promise.all([plain, prompt]);

    await db.transaction().execute((trx) => sql`update counters set n = n + 1 where id = 1`.execute(trx));
    assert.equal(committed(1), start + 2, 'a finished transaction waits for the end of the turn');
    dialect.commitPromptly();
    assert.equal(committed(1), start + 3, 'until asked to commit at once');
    await dialect.durable();
  });

  it('fails a query that waits for the transaction it was made from, instead of hanging', async () => {
    const started = Date.now();
    await assert.rejects(
      transaction(async () => {
        await bump(1); // through the connection, not the transaction: it cannot get a turn
      }),
      /waited 300 ms for the SQLite connection/,
    );
    assert.ok(Date.now() - started < 5000);
    await bump(1);
  });
});
