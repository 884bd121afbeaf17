import assert from 'node:assert/strict';
import { type Kysely, sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../src/store/database.js';
import { slot } from '../../src/store/query.js';
import { postgresBackend, postgresUrl, storageOf, type TestDatabase } from '../support/backends.js';

/**
 * PostgreSQL runs the hot query templates as named prepared statements. A schema change made
 * meanwhile by another process (a newer version's migration adding a column) makes PostgreSQL
 * refuse a prepared `select *` whose columns changed; that refusal must not last.
 */
describe(
  'prepared statements [postgres]',
  { skip: postgresUrl ? false : 'RINGSIDE_TEST_DATABASE_URL is not set' },
  () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let db: Kysely<any>;
    const errors: Error[] = [];

    before(async () => {
      testDatabase = await postgresBackend.create();
      // One connection, so that the statement prepared first is the one run after the change.
      database = await openDatabase({ ...storageOf(testDatabase), poolSize: 1 } as never, (error) =>
        errors.push(error),
      );
      db = database.db as unknown as Kysely<any>;
      await sql`create table widgets (id integer primary key, name text not null)`.execute(db);
      await sql`insert into widgets values (1, 'one')`.execute(db);
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
      assert.deepEqual(errors, [], 'nothing failed in the background');
    });

    it('runs a template again after a column was added to the table it reads: one call fails, the next works', async () => {
      const hot = database.templates.runner(db, false, false);
      const find = () =>
        hot.rows<{ id: number; name: string; colour?: string }>(
          'widgets.find',
          () => db.selectFrom('widgets').selectAll().where('id', '=', slot('id')),
          { id: 1 },
        );
      assert.deepEqual(await find(), [{ id: 1, name: 'one' }]);
      assert.deepEqual(await find(), [{ id: 1, name: 'one' }], 'prepared, then run by name');
      await sql`alter table widgets add column colour text not null default 'red'`.execute(db);
      await assert.rejects(find(), (error: { code?: string }) => error.code === '0A000');
      assert.deepEqual(await find(), [{ id: 1, name: 'one', colour: 'red' }]);
      assert.deepEqual(await find(), [{ id: 1, name: 'one', colour: 'red' }]);
    });
  },
);
