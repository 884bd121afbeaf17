import type { DomainError } from '../../platform/errors.js';

/**
 * Domain field names in a surface's words, as field paths whose indices are written `[]`:
 * with `teams[].userIds[]` → `teams[].participants[].id`, the domain's `teams[1].userIds[0]`
 * is the client's `teams[1].participants[0].id`. A field not listed has the same name on the
 * wire.
 */
export type WireFieldNames = ReadonlyMap<string, string>;

/** `field` (a domain field path) as the client wrote it. */
export function wireFieldName(field: string, names: WireFieldNames): string {
  const indices = field.match(/\[\d+\]/g) ?? [];
  const renamed = names.get(field.replace(/\[\d+\]/g, '[]'));
  if (renamed === undefined) return field;
  let next = 0;
  return renamed.replace(/\[\]/g, () => indices[next++] ?? '[]');
}

/**
 * A domain error's message in the surface's words. A domain message about a field starts
 * with the field's domain name (`teams[0].userIds[1] must be …`); the client reads the name
 * it sent instead (`teams[0].participants[1].id must be …`).
 */
export function wireMessage(error: DomainError, names: WireFieldNames): string {
  const { field, message } = error;
  if (field === undefined || !message.startsWith(`${field} `)) return message;
  return wireFieldName(field, names) + message.slice(field.length);
}
