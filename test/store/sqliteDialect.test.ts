import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CachingSqliteDialect } from '../../src/store/sqliteDialect.js';

/**
 * The SQLite dialect's failure paths and statement cache, beside sqliteGroupCommit.test.ts
 * (which covers the happy path, a failing Kysely transaction and the lock timeout). What a
 * failure takes with it follows SQLite: a statement that fails is undone alone and the group
 * goes on; a failure that ends SQLite's whole transaction (and a COMMIT that fails) fails every
 * write of the group, none of which is kept. A second connection to the file says what is
 * committed.
 */
describe('SQLite dialect: failures in a group, turns, statement cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-dialect-'));
  const file = join(dir, 'dialect.db');
  let raw: BetterSqlite3.Database;
  let dialect: CachingSqliteDialect;
  let db: Kysely<any>;
  let observer: BetterSqlite3.Database;

  before(async () => {
    raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.exec(`
      create table counters (id integer primary key, n integer not null check (n < 1000));
      create table log (seq integer primary key autoincrement, entry text not null);
      create table parents (id integer primary key);
      create table children (id integer primary key,
        parent integer references parents (id) deferrable initially deferred);
      -- A statement that ends the whole transaction, as an I/O error or a full disk can.
      create trigger abort_everything before insert on log when new.entry = 'abort everything'
      begin select raise(rollback, 'the whole transaction was rolled back'); end;
    `);
    dialect = new CachingSqliteDialect(raw, { lockTimeoutMs: 2_000 });
    db = new Kysely({ dialect });
    observer = new BetterSqlite3(file, { readonly: true });
  });
  beforeEach(async () => {
    await dialect.durable();
    raw.exec(`delete from counters; insert into counters values (1, 0), (2, 0), (3, 990); delete from log;`);
  });
  after(async () => {
    observer.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committedCounters = () =>
    (observer.prepare('select id, n from counters order by id').all() as Array<{ id: number; n: number }>).map(
      (row) => [row.id, row.n],
    );
  const committedLog = () =>
    (observer.prepare('select entry from log order by seq').all() as Array<{ entry: string }>).map((row) => row.entry);
  const write = (text: string, parameters: unknown[] = []) => Promise.resolve(dialect.run(text, parameters, false));
  const bump = (id: number) => write('update counters set n = n + 1 where id = ?', [id]);
  const logEntry = (entry: string) => write('insert into log (entry) values (?)', [entry]);

  it('undoes a failing statement alone, even half-way through its rows; the group’s other writes commit', async () => {
    const outcomes = await Promise.allSettled([
      bump(1),
      // Row 1 and 2 would pass; row 3 breaks the check (990 + 10), so the statement fails whole.
      write('update counters set n = n + 10'),
      bump(2),
      logEntry('after the failure'),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /CHECK constraint failed/);
    assert.deepEqual(committedCounters(), [
      [1, 1],
      [2, 1],
      [3, 990],
    ]);
    assert.deepEqual(committedLog(), ['after the failure']);
  });

  it('fails every write of the group when a statement ends SQLite’s whole transaction, and keeps none', async () => {
    const before = committedCounters();
    const earlier = [bump(1), logEntry('earlier in the group')];
    const ending = logEntry('abort everything');
    const later = [bump(2), logEntry('later in the turn')];
    const outcomes = await Promise.allSettled([...earlier, ending, ...later]);
    for (const outcome of outcomes.slice(0, 3)) {
      assert.equal(outcome.status, 'rejected', 'no write of the failed group is told it is done');
      assert.match(String((outcome as PromiseRejectedResult).reason), /the whole transaction was rolled back/);
    }
    assert.deepEqual(
      outcomes.slice(3).map((o) => o.status),
      ['fulfilled', 'fulfilled'],
      'writes after the failure start a group of their own',
    );
    assert.deepEqual(committedCounters(), [before[0], [2, before[1]![1]! + 1], before[2]]);
    assert.deepEqual(committedLog(), ['later in the turn']);
  });

  it('fails the group when a statement in a transaction ends SQLite’s whole transaction; the next one works', async () => {
    const earlier = bump(1);
    const transaction = db.transaction().execute(async (trx) => {
      await sql`update counters set n = n + 1 where id = 2`.execute(trx);
      await sql`insert into log (entry) values ('abort everything')`.execute(trx);
    });
    const outcomes = await Promise.allSettled([earlier, transaction]);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.match(String((outcome as PromiseRejectedResult).reason), /the whole transaction was rolled back/);
    }
    assert.deepEqual(committedCounters(), [
      [1, 0],
      [2, 0],
      [3, 990],
    ]);

    await db.transaction().execute(async (trx) => {
      await sql`update counters set n = n + 1 where id = 2`.execute(trx);
      await sql`insert into log (entry) values ('next transaction')`.execute(trx);
    });
    await dialect.durable();
    assert.deepEqual(committedCounters(), [
      [1, 0],
      [2, 1],
      [3, 990],
    ]);
    assert.deepEqual(committedLog(), ['next transaction']);
  });

  it('fails every write of the group when its COMMIT fails, and keeps none; the next write commits', async () => {
    const outcomes = await Promise.allSettled([
      bump(1),
      // A deferred foreign key is checked at COMMIT: the statement passes, the commit does not.
      write('insert into children values (1, 404)'),
      logEntry('in the same group'),
    ]);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.match(String((outcome as PromiseRejectedResult).reason), /FOREIGN KEY constraint failed/);
    }
    assert.equal(raw.inTransaction, false, 'the failed group was rolled back');
    assert.deepEqual(committedCounters(), [
      [1, 0],
      [2, 0],
      [3, 990],
    ]);
    assert.deepEqual(committedLog(), []);
    assert.equal((observer.prepare('select count(*) as n from children').get() as { n: number }).n, 0);

    await bump(1);
    assert.deepEqual(committedCounters()[0], [1, 1]);
  });

  it('fails a statement that does not compile, with or without a group open, and hands the connection on', async () => {
    await assert.rejects(write('select missing from nowhere'), /no such table: nowhere/);
    const outcomes = await Promise.allSettled([bump(1), write('update nowhere set n = 1'), bump(2)]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(committedCounters().slice(0, 2), [
      [1, 1],
      [2, 1],
    ]);
  });

  it('gives turns first come, first served: writes queued behind a transaction run after it, in order', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const started = new Promise<void>((resolve) => (holding = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await sql`insert into log (entry) values ('transaction')`.execute(trx);
      holding();
      await held;
    });
    await started;
    const queued = ['first', 'second', 'third'].map((entry) => logEntry(entry));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(committedLog(), [], 'nothing is committed while the transaction holds the connection');
    release();
    await Promise.all([transaction, ...queued]);
    await dialect.durable();
    assert.deepEqual(committedLog(), ['transaction', 'first', 'second', 'third']);
  });

  it('runs a read with no group open at once, outside any transaction', async () => {
    await dialect.durable();
    assert.equal(raw.inTransaction, false);
    const read = dialect.run<{ n: number }>('select n from counters where id = ?', [3], false);
    assert.equal(raw.inTransaction, false, 'the read began no group');
    assert.deepEqual((await read).rows, [{ n: 990 }]);
    await dialect.durable(); // resolves at once: nothing is pending
  });

  it('lets a read in an open group see its writes, and answers it once they are committed', async () => {
    const written = bump(1);
    const read = dialect.run<{ n: number }>('select n from counters where id = ?', [1], false);
    assert.equal(committedCounters()[0]![1], 0, 'not committed yet');
    const { rows } = await read;
    assert.deepEqual(rows, [{ n: 1 }], 'the read saw the group’s write');
    assert.equal(committedCounters()[0]![1], 1, 'which was committed when the read was answered');
    await written;
  });

  it('takes a write with RETURNING as a write: its rows, as many changes, committed before the answer', async () => {
    assert.equal(raw.inTransaction, false);
    const update = dialect.run<{ id: number; n: number }>(
      'update counters set n = n + 5 where id <= ? returning id, n',
      [2],
      false,
    );
    assert.equal(raw.inTransaction, true, 'it began a group');
    const result = await update;
    assert.deepEqual(result, {
      rows: [
        { id: 1, n: 5 },
        { id: 2, n: 5 },
      ],
      changes: 2,
    });
    assert.deepEqual(committedCounters().slice(0, 2), [
      [1, 5],
      [2, 5],
    ]);
    const none = await dialect.run('update counters set n = n + 1 where id = ? returning id', [404], false);
    assert.deepEqual(none, { rows: [], changes: 0 });
    const plain = await dialect.run('update counters set n = n + 1 where id <= ?', [2], false);
    assert.deepEqual(plain, { rows: [], changes: 2 });
  });

  it('runs a statement at once in the caller’s own transaction', async () => {
    let inside: unknown;
    await db.transaction().execute(async () => {
      inside = dialect.run('update counters set n = n + 1 where id = ?', [1], true);
      assert.ok(!(inside instanceof Promise), 'answered synchronously');
    });
    await dialect.durable();
    assert.deepEqual(inside, { rows: [], changes: 1 });
    assert.deepEqual(committedCounters()[0], [1, 1]);
  });

  it('keeps running statements correctly past the cache’s size, and after the schema changes', async () => {
    for (let i = 0; i < 2_500; i++) {
      const { rows } = await dialect.run<{ v: number }>(`select ? + ${i} as v`, [1], false);
      assert.equal(rows[0]!.v, i + 1);
    }
    assert.deepEqual((await dialect.run('select ? + 0 as v', [7], false)).rows, [{ v: 7 }]);

    const selectAll = 'select * from counters where id = ?';
    assert.deepEqual((await dialect.run(selectAll, [1], false)).rows, [{ id: 1, n: 0 }]);
    await sql`alter table counters add column label text not null default 'x'`.execute(db);
    try {
      assert.deepEqual(
        (await dialect.run(selectAll, [1], false)).rows,
        [{ id: 1, n: 0, label: 'x' }],
        'the cached statement sees the new column',
      );
    } finally {
      await sql`alter table counters drop column label`.execute(db);
    }
  });
});
