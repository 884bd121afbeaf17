import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** Admin browser sessions, by the hash of their id (see migration 012). */
export class AdminSessionRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async insert(session: { idHash: string; tokenName: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('admin_sessions')
      .values({
        id_hash: session.idHash,
        token_name: session.tokenName,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  /** The token name of the session, if it exists and has not expired at `now`. */
  async findLive(idHash: string, now: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('admin_sessions')
      .select('token_name')
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.token_name;
  }

  /** Returns false when there was no such session. */
  async delete(idHash: string): Promise<boolean> {
    const result = await this.db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Deletes the sessions expired at `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('admin_sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
