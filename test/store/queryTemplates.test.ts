import assert from 'node:assert/strict';
import { type Kysely, sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../src/store/database.js';
import { type QueryRunner, slot } from '../../src/store/query.js';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';

/**
 * Query templates (compiled once per key, run with fresh values) on a real database: a key
 * names one shape of SQL, and a run whose values do not fit the SQL its key compiled fails
 * before anything runs, instead of running the other shape's SQL.
 */
for (const backend of backends) {
  describe(`query templates [${backend.name}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let db: Kysely<any>;
    let hot: QueryRunner;
    const errors: Error[] = [];

    before(async () => {
      testDatabase = await backend.create();
      database = await openDatabase(storageOf(testDatabase), (error) => errors.push(error));
      db = database.db as unknown as Kysely<any>;
      await sql`create table counters (id integer primary key, kind text not null, n integer not null check (n < 100))`.execute(
        db,
      );
      await sql`insert into counters values (1, 'a', 0), (2, 'a', 0), (3, 'b', 0)`.execute(db);
      hot = database.templates.runner(db, false, false);
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
      assert.deepEqual(errors, [], 'nothing failed in the background');
    });

    const counts = async () =>
      (await sql<{ id: number; n: number }>`select id, n from counters order by id`.execute(db)).rows.map((row) => [
        Number(row.id),
        Number(row.n),
      ]);

    /** Adds to the counters of a kind, or with `id` to that one counter only: two shapes. */
    const bump = (id: number | undefined) => () => {
      const query = db
        .updateTable('counters')
        .set({ n: sql`n + ${slot('by')}` })
        .where('kind', '=', slot('kind'));
      return (id === undefined ? query : query.where('id', '=', slot('id'))).returning(['id', 'n']);
    };

    it('builds a template once and runs it with each call’s values', async () => {
      let builds = 0;
      const find = (id: number) =>
        hot.rows(
          'test.find',
          () => {
            builds += 1;
            return db.selectFrom('counters').select(['id', 'kind']).where('id', '=', slot('id'));
          },
          { id },
        );
      assert.deepEqual(
        (await find(1)).map((row) => [Number(row.id), row.kind]),
        [[1, 'a']],
      );
      assert.deepEqual(
        (await find(3)).map((row) => [Number(row.id), row.kind]),
        [[3, 'b']],
      );
      assert.deepEqual(await find(99), []);
      assert.equal(builds, 1);
    });

    it('fills a slot used twice, and keeps constants compiled into the template', async () => {
      const rows = await hot.rows(
        'test.twice',
        () =>
          db
            .selectFrom('counters')
            .select('id')
            .where((eb) => eb.or([eb('id', '=', slot('x')), eb('n', '=', slot('x'))]))
            .where('kind', '=', 'a')
            .orderBy('id'),
        { x: 2 },
      );
      assert.deepEqual(
        rows.map((row) => Number(row.id)),
        [2],
      );
    });

    it('runs each shape under its own key', async () => {
      await hot.run('test.bumpKind', bump(undefined), { kind: 'a', by: 1 });
      await hot.run('test.bumpOne', bump(2), { kind: 'a', id: 2, by: 10 });
      assert.deepEqual(await counts(), [
        [1, 1],
        [2, 11],
        [3, 0],
      ]);
    });

    it('fails loudly, running nothing, when a key’s SQL takes fewer values than the run gives', async () => {
      const before = await counts();
      await assert.rejects(
        hot.run('test.bumpKind', bump(2), { kind: 'a', id: 2, by: 5 }),
        /query test\.bumpKind: no slot of its SQL takes id; .*a key must name each shape of its query/,
      );
      assert.deepEqual(await counts(), before, 'the other shape’s SQL (every counter of kind a) did not run');
    });

    it('fails loudly, running nothing, when a key’s SQL takes more values than the run gives', async () => {
      const before = await counts();
      await assert.rejects(
        hot.run('test.bumpOne', bump(undefined), { kind: 'a', by: 5 }),
        /query test\.bumpOne: no value for slot id/,
      );
      assert.deepEqual(await counts(), before);
    });

    it('fails loudly when a key’s SQL names other slots than the run’s values', async () => {
      await assert.rejects(
        hot.run('test.bumpKind', bump(undefined), { kind: 'a', amount: 5 }),
        /query test\.bumpKind: no value for slot by/,
      );
    });

    it('fails loudly, running nothing, when values in order do not fit the key’s SQL', async () => {
      const insert =
        (rows: number, n: unknown = slot('n')) =>
        () =>
          db
            .insertInto('counters')
            .values(Array.from({ length: rows }, (_, i) => ({ id: slot(`id${i}`), kind: slot(`kind${i}`), n })))
            .returning('id');
      assert.deepEqual(
        (await hot.rowsInOrder('test.insert', insert(2), [10, 'c', 0, 11, 'c', 0])).map((row) => Number(row.id)),
        [10, 11],
      );
      const before = await counts();
      await assert.rejects(
        hot.rowsInOrder('test.insert', insert(1), [12, 'c', 0]),
        /query test\.insert: takes 6 values in slots, given 3/,
      );
      await assert.rejects(
        hot.rowsInOrder('test.insert', insert(3), [12, 'c', 0, 13, 'c', 0, 14, 'c', 0]),
        /query test\.insert: takes 6 values in slots, given 9/,
      );
      await assert.rejects(
        hot.rowsInOrder('test.constantInside', insert(1, 0), [12, 'c']),
        /query test\.constantInside: takes 3 values in slots, given 2/,
        'a template with a constant (n: 0) cannot take its values in order',
      );
      assert.deepEqual(await counts(), before);
    });

    it('answers a write’s changes and rows, a database error as the caller’s own', async () => {
      const { changes, rows } = await hot.run('test.bumpKind', bump(undefined), { kind: 'b', by: 2 });
      assert.equal(changes, 1);
      assert.deepEqual(
        rows.map((row) => [Number(row.id), Number(row.n)]),
        [[3, 2]],
      );
      const none = await hot.run('test.bumpKind', bump(undefined), { kind: 'nobody', by: 2 });
      assert.deepEqual([none.changes, none.rows], [0, []]);

      const before = await counts();
      await assert.rejects(hot.run('test.bumpKind', bump(undefined), { kind: 'a', by: 1000 }), /check|constraint/i);
      assert.deepEqual(await counts(), before, 'the failed statement changed nothing');
      await hot.run('test.bumpKind', bump(undefined), { kind: 'b', by: 1 });
      assert.equal((await counts()).find(([id]) => id === 3)![1], 3, 'and the next one runs');
    });

    it('reads by id for concurrent callers together, each its own rows; a read asked after a write sees it', async () => {
      await sql`create table labels (name text primary key, n integer not null)`.execute(db);
      await sql`insert into labels values ('x', 1), ('y', 2), ('z', 3)`.execute(db);
      const byName = (runner: QueryRunner, q: Kysely<any>, name: string) =>
        runner.rowsById(
          'test.labels',
          (idIn) => q.selectFrom('labels').select(['name', 'n']).where(idIn('name')),
          {},
          name,
          (row: { name: string }) => row.name,
        );
      const asked = ['x', 'y', 'nobody', 'x', 'z', 'y'];
      const answers = await Promise.all(asked.map((name) => byName(hot, db, name)));
      assert.deepEqual(
        answers.map((rows) => rows.map((row) => [row.name, Number(row.n)])),
        [[['x', 1]], [['y', 2]], [], [['x', 1]], [['z', 3]], [['y', 2]]],
      );

      const reads: Array<Promise<Array<{ n: number }>>> = [];
      for (let i = 0; i < 5; i++) {
        await hot.run(
          'test.setLabel',
          () =>
            db
              .updateTable('labels')
              .set({ n: slot('n') })
              .where('name', '=', 'y'),
          {
            n: 10 + i,
          },
        );
        reads.push(byName(hot, db, 'y'));
      }
      // A read may also see a write made while it waited for its batch (the two overlap), never an older value.
      const seen = (await Promise.all(reads)).map((rows) => Number(rows[0]!.n));
      seen.forEach((n, i) => assert.ok(n >= 10 + i && n <= 14, `read ${i} saw ${n}: ${seen.join(', ')}`));

      await db.transaction().execute(async (trx) => {
        const tx = database.templates.runner(trx, true, false);
        await tx.run('test.setLabelTx', () => trx.updateTable('labels').set({ n: 99 }).where('name', '=', 'z'), {});
        const rows = await byName(tx, trx, 'z');
        assert.deepEqual(
          rows.map((row) => Number(row.n)),
          [99],
          'inside a transaction, by its id alone, seeing the transaction’s write',
        );
      });
    });

    it('runs within a transaction through the transaction’s runner: seen inside, gone on rollback', async () => {
      const before = await counts();
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          const tx = database.templates.runner(trx, true, false);
          const [row] = await tx.rows('test.bumpOne', bump(1), { kind: 'a', id: 1, by: 7 });
          assert.equal(Number(row!.n), before[0]![1]! + 7);
          const [seen] = await tx.rows(
            'test.n',
            () => trx.selectFrom('counters').select('n').where('id', '=', slot('id')),
            { id: 1 },
          );
          assert.equal(Number(seen!.n), before[0]![1]! + 7, 'a read in the transaction sees its write');
          throw new Error('roll it back');
        }),
        /roll it back/,
      );
      assert.deepEqual(await counts(), before);

      let committed: Promise<void> = Promise.resolve();
      await db.transaction().execute(async (trx) => {
        const tx = database.templates.runner(trx, true, false);
        await tx.run('test.bumpOne', bump(1), { kind: 'a', id: 1, by: 7 });
        committed = database.templates.durable();
      });
      await committed;
      assert.equal((await counts())[0]![1], before[0]![1]! + 7);
    });
  });
}
