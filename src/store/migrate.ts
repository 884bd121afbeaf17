import type { Kysely } from 'kysely';
import type { DialectName } from './database.js';
import { dialectSql } from './dialectSql.js';
import { migrations } from './migrations/index.js';

/**
 * Applies the forward-only migrations that have not run yet, in order, in one transaction,
 * after the dialect's migration lock (concurrent start-ups wait for each other).
 */
export async function migrate(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await dialectSql[dialect].migrationLock?.execute(trx);
    await trx.schema
      .createTable('ringside_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const applied = new Set(
      (await trx.selectFrom('ringside_migrations').select('name').execute()).map((row) => row.name as string),
    );
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(trx, dialect);
      await trx.insertInto('ringside_migrations').values({ name: migration.name, applied_at: Date.now() }).execute();
    }
  });
}
