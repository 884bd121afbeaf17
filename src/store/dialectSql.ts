import { type ColumnBuilderCallback, type RawBuilder, sql } from 'kysely';
import type { DialectName } from './database.js';

/**
 * Everything in the store's SQL that differs between SQLite and PostgreSQL; the rest is written
 * once for both. A new dialect must give every entry (the compiler refuses a missing one). The
 * one place that differs by more than a fragment, GiftSendRepository's sender upsert (a
 * different statement plan per dialect), switches on DialectName with assertNever.
 */
export interface DialectSql {
  /**
   * Taken first in the migration transaction, so that concurrent start-ups wait for each
   * other: an advisory lock per schema on PostgreSQL; none on SQLite, where the transaction
   * itself is the lock (BEGIN IMMEDIATE).
   */
  migrationLock: RawBuilder<unknown> | undefined;
  /** The two-argument minimum and maximum functions. */
  least: string;
  greatest: string;
  /**
   * Whether `select … for share` exists. PostgreSQL: readers that must wait for an update of
   * the row take it (spins of a free-spin event). SQLite has no row locks and needs none: it
   * runs one write transaction at a time.
   */
  selectForShare: boolean;
  /**
   * A list of strings passed as ONE parameter and read back as a one-column table `value`:
   * `unnest` of a text array on PostgreSQL, `json_each` on SQLite.
   */
  textList(values: readonly string[]): RawBuilder<{ value: string }>;
  /**
   * Whether a text column holding a JSON array of objects has an element whose `key` is
   * `value`: `json_each` on SQLite, jsonb containment on PostgreSQL.
   */
  jsonArrayHas(column: string, key: string, value: number): RawBuilder<boolean>;

  // Schema. Shipped migrations read these entries: never change one, add a new one.

  /** The type of an id column the database assigns (on SQLite, INTEGER PRIMARY KEY is the rowid). */
  serialIdType: 'bigserial' | 'integer';
  /**
   * The constraints of such an id when it must never be reused, not even the highest after
   * its row is deleted: a sequence never goes back; SQLite needs AUTOINCREMENT for that.
   */
  neverReusedId: ColumnBuilderCallback;
}

export const dialectSql: Record<DialectName, DialectSql> = {
  sqlite: {
    migrationLock: undefined,
    least: 'min',
    greatest: 'max',
    selectForShare: false,
    textList: (values) => sql`(select value from json_each(${JSON.stringify(values)}))`,
    jsonArrayHas: (column, key, value) =>
      sql<boolean>`exists (select 1 from json_each(${sql.ref(column)}) where json_extract(value, ${`$.${key}`}) = ${value})`,
    serialIdType: 'integer',
    neverReusedId: (c) => c.primaryKey().autoIncrement(),
  },
  postgres: {
    migrationLock: sql`select pg_advisory_xact_lock(hashtext(current_schema()))`,
    least: 'least',
    greatest: 'greatest',
    selectForShare: true,
    textList: (values) => sql`(select unnest(cast(${values} as text[])) as value)`,
    jsonArrayHas: (column, key, value) =>
      sql<boolean>`cast(${sql.ref(column)} as jsonb) @> cast(${JSON.stringify([{ [key]: value }])} as jsonb)`,
    serialIdType: 'bigserial',
    neverReusedId: (c) => c.primaryKey(),
  },
};
