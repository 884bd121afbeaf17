import { type SelectQueryBuilder, sql } from 'kysely';

/** Where a newest-first listing stands: the sort key (time, then id) of the last row a page held. */
export interface PageKey {
  at: number;
  id: number | string;
}

/**
 * Keyset pagination, newest first: rows ordered by `(at, id)` descending, strictly after `after`,
 * `limit + 1` of them (the extra one tells the caller there is a next page). The row-value
 * comparison `(at, id) < (?, ?)` is the same in SQLite and PostgreSQL, and an index on
 * `(at, id)` serves it.
 */
export function newestFirst<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { at: string; id: string },
  after: PageKey | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  const at = sql.ref(columns.at);
  const id = sql.ref(columns.id);
  const bounded = after ? query.where(sql<boolean>`(${at}, ${id}) < (${after.at}, ${after.id})`) : query;
  return bounded
    .orderBy(sql`${at}`, 'desc')
    .orderBy(sql`${id}`, 'desc')
    .limit(limit + 1);
}
