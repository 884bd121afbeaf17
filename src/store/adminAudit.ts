import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../domain/audit/adminAudit.js';
import { newestFirst, type PageKey } from './keyset.js';
import type { AdminAuditRow, Tables } from './tables.js';

/** The admin audit log: appended to by the admin surface, listed newest first. */
export class AdminAuditRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async record(entry: NewAuditEntry): Promise<void> {
    await this.db
      .insertInto('admin_audit')
      .values({
        at: entry.at,
        actor: entry.actor,
        method: entry.method,
        route: entry.route,
        target: JSON.stringify(entry.target),
        body: entry.body,
        body_truncated: entry.bodyTruncated ? 1 : 0,
        status: entry.status,
        error_code: entry.errorCode,
      })
      .execute();
  }

  /** A page of entries, newest first (`limit + 1` of them: see `newestFirst`). */
  async page(filter: AuditFilter, after: PageKey | undefined, limit: number): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('admin_audit').selectAll();
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.route !== undefined) query = query.where('route', '=', filter.route);
    if (filter.outcome === 'ok') query = query.where('error_code', 'is', null);
    if (filter.outcome === 'error') query = query.where('error_code', 'is not', null);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    const rows = await newestFirst(query, { at: 'at', id: 'id' }, after, limit).execute();
    return rows.map(toEntry);
  }
}

function toEntry(row: Selectable<AdminAuditRow>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    method: row.method,
    route: row.route,
    target: JSON.parse(row.target) as Record<string, string>,
    body: row.body,
    bodyTruncated: row.body_truncated === 1,
    status: row.status,
    errorCode: row.error_code,
  };
}
