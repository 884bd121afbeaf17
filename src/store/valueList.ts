import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from './database.js';
import { dialectSql } from './dialectSql.js';

/**
 * A list of strings passed as ONE parameter and read back as a one-column table `value` (see
 * DialectSql.textList). Lists of any length (tens of thousands of players) then cost one
 * statement and never hit parameter limits.
 */
export function textList(dialect: DialectName, values: readonly string[]): RawBuilder<{ value: string }> {
  return dialectSql[dialect].textList(values);
}

/** `where(column, 'in', inTextList(dialect, values))`: membership in a list of any length. */
export function inTextList(dialect: DialectName, values: readonly string[]): RawBuilder<string> {
  return sql`(select list.value from ${textList(dialect, values)} as list)`;
}
