import pg from 'pg';

/**
 * The hot queries' SQL, each with the name of its server-side prepared statement. PostgreSQL
 * parses and plans an unnamed statement on every call; a named one is parsed once per
 * connection and then only bound and executed (and its text is not sent again).
 */
export class PreparedStatementNames {
  /** Undefined: the text was named once and is now run unnamed (see forget). */
  private readonly names = new Map<string, string | undefined>();

  /** Names `sql` (once; the same text keeps its name). */
  add(sql: string): void {
    if (!this.names.has(sql)) this.names.set(sql, `ringside_${this.names.size + 1}`);
  }

  nameOf(sql: string): string | undefined {
    return this.names.get(sql);
  }

  /** From now on `sql` runs unnamed, on every connection. */
  forget(sql: string): void {
    if (this.names.has(sql)) this.names.set(sql, undefined);
  }
}

/**
 * PostgreSQL's refusal to run a prepared statement whose result columns a schema change
 * altered ("cached plan must not change result type"): after another process's migration
 * added a column to a table that a `select *` reads, say.
 */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * A pg client class (the pool's `Client`) that runs every query whose text was named in
 * `names` as that named prepared statement. Kysely runs queries as `query(text, values)`, so
 * the hot queries it runs, in a transaction or not, are prepared without it knowing.
 */
export function preparingClient(names: PreparedStatementNames): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    // pg's query() is overloaded many ways; this one only looks at (text, values[, callback]).
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config === 'string' && (values === undefined || Array.isArray(values))) {
        const name = names.nameOf(config);
        if (name !== undefined && callback === undefined) {
          // This call fails; the statement then runs unnamed, so the next one works.
          return super.query({ name, text: config, values }).catch((error: { code?: string }) => {
            if (error?.code === CACHED_PLAN_CHANGED) names.forget(config);
            throw error;
          });
        }
      }
      return super.query(config, values, callback);
    }
  };
}
