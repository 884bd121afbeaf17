import type { PageKey } from '../../store/keyset.js';

/** An admin write as the audit log keeps it: who asked for what, when, and how it ended. */
export interface AuditEntry {
  id: number;
  /** When the answer was ready, epoch ms. */
  at: number;
  /** The admin token's name (`token:<fingerprint>` for a plain token). */
  actor: string;
  method: string;
  /** The route's template under /admin/v1, e.g. `/oklp/matches/:id/abort`. */
  route: string;
  /** The path parameters (the ids the write was aimed at); empty when the route has none. */
  target: Record<string, string>;
  /** The request body's JSON text, cut at `AUDIT_BODY_LIMIT` characters; null without a body. */
  body: string | null;
  bodyTruncated: boolean;
  /** The HTTP status answered. */
  status: number;
  /** The error code answered; null when the write succeeded. */
  errorCode: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  actor?: string | undefined;
  route?: string | undefined;
  outcome?: 'ok' | 'error' | undefined;
  /** At or after, epoch ms. */
  from?: number | undefined;
  /** Before, epoch ms. */
  to?: number | undefined;
}

/** The most characters of a request body an audit entry keeps. */
export const AUDIT_BODY_LIMIT = 2048;

/** Where admin writes are recorded and listed (the store's `adminAudit`). */
export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
  /** Newest first, `limit + 1` entries (the extra one says there is a next page). */
  page(filter: AuditFilter, after: PageKey | undefined, limit: number): Promise<AuditEntry[]>;
}
