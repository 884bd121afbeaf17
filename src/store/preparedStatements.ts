import pg from 'pg';

/**
 * The hot queries' SQL, each with the name of its server-side prepared statement. PostgreSQL
 * parses and plans an unnamed statement on every call; a named one is parsed once per
 * connection and then only bound and executed (and its text is not sent again).
 */
export class PreparedStatementNames {
  private readonly names = new Map<string, string>();

  /** Names `sql` (once; the same text keeps its name). */
  add(sql: string): void {
    if (!this.names.has(sql)) this.names.set(sql, `ringside_${this.names.size + 1}`);
  }

  nameOf(sql: string): string | undefined {
    return this.names.get(sql);
  }
}

type QueryCallback = (error: Error, result: pg.QueryResult) => void;

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
        if (name !== undefined) return super.query({ name, text: config, values }, callback as QueryCallback);
      }
      return super.query(config, values, callback);
    }
  };
}
