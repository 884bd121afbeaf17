import { JdbStatus } from './errorCodes.js';

/** Every JDB reply: plain JSON, `status` "0000" on success, `err_text` (String(255)) on failure. */
export interface JdbReply {
  status: string;
  data?: unknown;
  err_text?: string;
}

/** `err_text` is String(255): 255 characters (code points). */
const MAX_TEXT = 255;
const ELLIPSIS = '...';

export function okReply(data: unknown): JdbReply {
  return data === undefined ? { status: JdbStatus.ok } : { status: JdbStatus.ok, data };
}

export function failReply(status: string, text: string): JdbReply {
  return { status, err_text: limitText(text) };
}

/**
 * `text` when it has at most 255 characters, else its first 252 and "...". Counts code points
 * and cuts between them, so a surrogate pair is never split; reads no further than it must.
 */
export function limitText(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const keep = MAX_TEXT - ELLIPSIS.length;
  let index = 0;
  let cut = 0;
  for (let points = 0; index < text.length; points++) {
    if (points === keep) cut = index;
    if (points === MAX_TEXT) return `${text.slice(0, cut)}${ELLIPSIS}`;
    index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  }
  return text;
}
