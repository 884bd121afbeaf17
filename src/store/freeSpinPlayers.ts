import { type Kysely, sql } from 'kysely';
import type { DialectName } from './database.js';
import type { Tables } from './tables.js';
import { textList } from './valueList.js';

/** Players of free-spin agents. Each write is one statement, whatever the number of players. */
export class FreeSpinPlayerRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
  ) {}

  /** Creates the players that do not exist yet; returns the uids it created. */
  async create(agent: string, uids: readonly string[], now: number): Promise<string[]> {
    if (uids.length === 0) return [];
    const rows = await this.db
      .insertInto('freespin_players')
      .columns(['agent', 'uid', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom(textList(this.dialect, uids).as('list'))
          .select([
            sql<string>`cast(${agent} as text)`.as('agent'),
            'list.value',
            sql<number>`cast(${now} as bigint)`.as('created_at'),
          ])
          // SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (a parsing ambiguity).
          .where(sql.lit(true)),
      )
      .onConflict((c) => c.columns(['agent', 'uid']).doNothing())
      .returning('uid')
      .execute();
    return rows.map((row) => row.uid);
  }
}
