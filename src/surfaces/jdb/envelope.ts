import { JdbStatus } from './errorCodes.js';

/** Every JDB reply: plain JSON, `status` "0000" on success, `err_text` (≤ 255) on failure. */
export interface JdbReply {
  status: string;
  data?: unknown;
  err_text?: string;
}

export function okReply(data: unknown): JdbReply {
  return data === undefined ? { status: JdbStatus.ok } : { status: JdbStatus.ok, data };
}

export function failReply(status: string, text: string): JdbReply {
  return { status, err_text: text.length > 255 ? `${text.slice(0, 252)}...` : text };
}
