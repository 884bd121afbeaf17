import { Type } from '@sinclair/typebox';
import { isCleanText } from '../../platform/validation.js';
import type { PageKey } from '../../store/keyset.js';
import { adminRefusals } from './errorCodes.js';
import { pageLimit, pageLimitQuery } from './route.js';

/**
 * Cursor pagination for every admin listing: newest first, `limit` and `cursor` in, `nextCursor`
 * out (null on the last page). A cursor is the sort key of the last item returned, so a page
 * never repeats or skips a row however many rows are inserted meanwhile: new rows sort before
 * the cursor and the walk goes on from where it was. Cursors are opaque to clients
 * (base64url of a small JSON array).
 */
export const pageQuery = {
  limit: pageLimitQuery,
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' })),
};

export interface PageRequest {
  limit: number;
  after: PageKey | undefined;
}

/**
 * The page a listing's query asks for; a cursor Ringside did not make, or one of a listing whose
 * ids are of the other kind (`idKind`), is 400 naming `cursor`.
 */
export function pageRequest(
  query: { limit?: string; cursor?: string },
  idKind: 'string' | 'number' = 'string',
  defaultLimit = 50,
): PageRequest {
  const after = decodeCursor(query.cursor);
  if (after && typeof after.id !== idKind) throw notACursor();
  return { limit: pageLimit(query.limit, defaultLimit), after };
}

/**
 * One page of a listing whose store query fetched up to `limit + 1` rows: the extra row only says
 * that there is a next page.
 */
export function page<T, R>(
  rows: T[],
  request: PageRequest,
  keyOf: (row: T) => PageKey,
  render: (row: T) => R,
): { items: R[]; nextCursor: string | null } {
  const more = rows.length > request.limit;
  const items = more ? rows.slice(0, request.limit) : rows;
  const last = items.at(-1);
  return { items: items.map(render), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

/** A cursor's id is compared with stored ids: text a database can hold (PostgreSQL's holds no U+0000). */
export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    Number.isSafeInteger(parsed[0]) &&
    (Number.isSafeInteger(parsed[1]) ||
      (typeof parsed[1] === 'string' && parsed[1].length <= 128 && isCleanText(parsed[1])))
  ) {
    return { at: parsed[0] as number, id: parsed[1] as number | string };
  }
  throw notACursor();
}

function notACursor() {
  return adminRefusals.invalidParameter('cursor is not a cursor this listing returned (pass nextCursor as it is)');
}

/**
 * A page of a list held in memory (the configured tenants), in ascending id order: the same
 * `limit`, `cursor` and `nextCursor` as the stored listings. The list only changes when the
 * server restarts with another config, and a cursor goes on after its id whatever was added.
 */
export function pageOfList<T, R>(
  items: readonly T[],
  request: PageRequest,
  idOf: (item: T) => string | number,
  render: (item: T) => R,
): { items: R[]; nextCursor: string | null } {
  const after = request.after?.id;
  const sorted = [...items].sort((a, b) => compareIds(idOf(a), idOf(b)));
  const rest = after === undefined ? sorted : sorted.filter((item) => compareIds(idOf(item), after) > 0);
  return page(rest.slice(0, request.limit + 1), request, (item) => ({ at: 0, id: idOf(item) }), render);
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
