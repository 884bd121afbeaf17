import { type Compilable, CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import { KeyedBatcher } from '../platform/keyedBatcher.js';
import type { PreparedStatementNames } from './preparedStatements.js';
import type { CachingSqliteDialect, StatementResult } from './sqliteDialect.js';

/** A named hole in a query template, filled with a value on every run. */
class Slot {
  constructor(readonly name: string) {}
}

/** Stands in for a value when a template is built: `where('room_id', '=', slot('roomId'))`. */
export function slot<T = any>(name: string): T {
  return new Slot(name) as unknown as T;
}

interface Template {
  sql: string;
  /** Per parameter: the slot that fills it, or a constant compiled into the template. */
  parameters: Array<{ slot: string } | { constant: unknown }>;
  /** Whether every parameter is a slot (what `rowsInOrder` needs). */
  slotsOnly: boolean;
  /** The slots' names, each once: a run gives a value for each of them and for nothing else. */
  slotNames: Set<string>;
}

/**
 * Hot queries, built and compiled by Kysely once per shape and then run with fresh values:
 * building and compiling cost more than running a small query. On SQLite they run on the
 * connection directly, in the group commit; on PostgreSQL, as named prepared statements. The
 * templates are shared by every Store over the same database; a Store inside a transaction runs
 * them within it.
 */
export class QueryTemplates {
  private readonly templates = new Map<string, Template>();
  /** Reads by id batched across callers (see QueryRunner.rowsById). */
  private readonly reads = new KeyedBatcher<{ run: (ids: string[]) => Promise<BatchedRead>; id: string }, unknown[]>(
    async (_key, items) => {
      const ids = [...new Set(items.map((item) => item.id))];
      const { rows, idOf } = await items[0]!.run(ids);
      const byId = new Map<string, unknown[]>();
      for (const row of rows) {
        const id = idOf(row);
        const these = byId.get(id);
        if (these) these.push(row);
        else byId.set(id, [row]);
      }
      return items.map((item) => ({ ok: true, value: byId.get(item.id) ?? [] }));
    },
  );

  /** `sqlite` on SQLite; `prepared` on PostgreSQL, where each template runs as a named prepared statement. */
  constructor(
    private readonly sqlite: CachingSqliteDialect | undefined,
    private readonly prepared?: PreparedStatementNames,
  ) {}

  runner(db: Kysely<any>, inTransaction: boolean, commitsPromptly: boolean): QueryRunner {
    return new QueryRunner(this, db, inTransaction, commitsPromptly);
  }

  template(key: string, build: () => Compilable<unknown>): Template {
    let template = this.templates.get(key);
    if (!template) {
      const compiled = build().compile();
      template = {
        sql: compiled.sql,
        parameters: compiled.parameters.map((value) =>
          value instanceof Slot ? { slot: value.name } : { constant: value },
        ),
        slotsOnly: compiled.parameters.every((value) => value instanceof Slot),
        slotNames: new Set(compiled.parameters.flatMap((value) => (value instanceof Slot ? [value.name] : []))),
      };
      this.templates.set(key, template);
      this.prepared?.add(template.sql);
    }
    return template;
  }

  /**
   * `column` is one of the ids in the slot `ids`: `= any(…)` of an array on PostgreSQL, `in`
   * the elements of a JSON array on SQLite (see `idList`).
   */
  idIn(column: string): RawBuilder<boolean> {
    return this.sqlite
      ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${slot('ids')}))`
      : sql<boolean>`${sql.ref(column)} = any(${slot('ids')})`;
  }

  /** The value of the slot `ids` of `idIn`. */
  idList(ids: string[]): unknown {
    return this.sqlite ? JSON.stringify(ids) : ids;
  }

  /** Runs `run` for the ids asked for under `key` meanwhile, together (see QueryRunner.rowsById). */
  readBatched<R>(key: string, id: string, run: (ids: string[]) => Promise<BatchedRead>): Promise<R[]> {
    return this.reads.run(key, { run, id }) as Promise<R[]>;
  }

  /** On SQLite: runs the statement itself (see CachingSqliteDialect.run). */
  runOnSqlite<R>(
    sql: string,
    parameters: unknown[],
    inTransaction: boolean,
    commitPromptly: boolean,
  ): StatementResult<R> | Promise<StatementResult<R>> | undefined {
    return this.sqlite?.run<R>(sql, parameters, inTransaction, commitPromptly);
  }

  /** Resolves when what was written so far is committed (SQLite's group commit; at once elsewhere). */
  durable(): Promise<void> {
    return this.sqlite?.durable() ?? Promise.resolve();
  }

  /** SQLite: commits what was written so far as soon as the connection is free. */
  commitPromptly(): void {
    this.sqlite?.commitPromptly();
  }
}

export class QueryRunner {
  constructor(
    private readonly templates: QueryTemplates,
    private readonly db: Kysely<any>,
    private readonly inTransaction: boolean,
    private readonly commitsPromptly: boolean,
  ) {}

  /**
   * Runs the template `key` (built by `build` the first time, with `slot(name)` for values)
   * with `values` in its slots. Keys must name the query's shape: a query whose SQL depends on
   * its input (list lengths, optional clauses) needs one key per shape. A run whose values do not
   * fit the slots of the key's SQL is such a shape that its key misses: it fails, naming them.
   */
  async run<R>(key: string, build: () => Compilable<R>, values: Record<string, unknown>): Promise<StatementResult<R>> {
    const template = this.templates.template(key, build);
    const parameters = template.parameters.map((p) => {
      if ('constant' in p) return p.constant;
      if (!(p.slot in values)) throw new Error(`query ${key}: no value for slot ${p.slot}`);
      return values[p.slot];
    });
    let given = 0;
    for (const _ in values) given += 1;
    if (given !== template.slotNames.size) throw unfilledSlots(key, template, values);
    return this.execute(template.sql, parameters);
  }

  async rows<R>(key: string, build: () => Compilable<R>, values: Record<string, unknown>): Promise<R[]> {
    return (await this.run(key, build, values)).rows;
  }

  /**
   * The rows of one id, on both backends. Outside a transaction, a statement over a list of ids
   * (`idIn(column)`) reads every id asked for under `key` and `values` in this event-loop turn,
   * or while the previous read of them was on its way (KeyedBatcher): one statement for many
   * readers, whose replies then leave together. Each read starts after its callers asked, so a
   * reader sees every write committed before it asked. Inside a transaction, the id alone
   * (`idIn` is then `= slot('id')`). `build` gets `idIn`; `idOf` names the id of a row.
   */
  rowsById<R>(
    key: string,
    build: (idIn: (column: string) => RawBuilder<boolean>) => Compilable<R>,
    values: Record<string, unknown>,
    id: string,
    idOf: (row: R) => string,
  ): Promise<R[]> {
    if (this.inTransaction) {
      return this.rows(`${key}:one`, () => build((column) => sql<boolean>`${sql.ref(column)} = ${slot('id')}`), {
        ...values,
        id,
      });
    }
    let batchKey = key;
    for (const name in values) batchKey += `\u0000${String(values[name])}`;
    return this.templates.readBatched<R>(batchKey, id, async (ids) => ({
      rows: await this.rows(`${key}:list`, () => build((column) => this.templates.idIn(column)), {
        ...values,
        ids: this.templates.idList(ids),
      }),
      idOf: idOf as (row: unknown) => string,
    }));
  }

  /**
   * Like `rows`, with the values in the order the statement takes them instead of by slot name:
   * for long generated lists of slots (a row of slots per item), where naming every value costs
   * more than the statement. The template must hold slots only, as many as `parameters`.
   */
  async rowsInOrder<R>(key: string, build: () => Compilable<R>, parameters: unknown[]): Promise<R[]> {
    const template = this.templates.template(key, build);
    if (!template.slotsOnly || template.parameters.length !== parameters.length) {
      throw new Error(`query ${key}: takes ${template.parameters.length} values in slots, given ${parameters.length}`);
    }
    return (await this.execute<R>(template.sql, parameters)).rows;
  }

  private async execute<R>(sql: string, parameters: unknown[]): Promise<StatementResult<R>> {
    const onSqlite = this.templates.runOnSqlite<R>(sql, parameters, this.inTransaction, this.commitsPromptly);
    if (onSqlite) return onSqlite;
    const result = await this.db.executeQuery<R>(CompiledQuery.raw(sql, parameters));
    return { rows: result.rows, changes: Number(result.numAffectedRows ?? BigInt(result.rows.length)) };
  }
}

interface BatchedRead {
  rows: unknown[];
  idOf: (row: unknown) => string;
}

/** The error of a run that gives values no slot of the key's SQL takes (every slot was filled). */
function unfilledSlots(key: string, template: Template, values: Record<string, unknown>): Error {
  const extra = Object.keys(values).filter((name) => !template.slotNames.has(name));
  return new Error(
    `query ${key}: no slot of its SQL takes ${extra.join(', ')}; the SQL is compiled once per key, so a key must name each shape of its query`,
  );
}
