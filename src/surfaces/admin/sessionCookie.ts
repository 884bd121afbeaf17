import { createHash } from 'node:crypto';

/** The admin session cookie's name; it is sent only to the admin API (`Path=/admin/v1`). */
export const SESSION_COOKIE = 'ringside_admin_session';

/** The `Set-Cookie` value that stores a new session's `id` in the browser for the session's `ttlMs`. */
export function sessionCookie(id: string, ttlMs: number, secure: boolean): string {
  return cookie(`${SESSION_COOKIE}=${id}; Max-Age=${Math.floor(ttlMs / 1000)}`, secure);
}

/** The `Set-Cookie` value that removes the session cookie (signing out). */
export function clearedSessionCookie(secure: boolean): string {
  return cookie(`${SESSION_COOKIE}=; Max-Age=0`, secure);
}

function cookie(nameValueAge: string, secure: boolean): string {
  return `${nameValueAge}; Path=/admin/v1; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The session id in a `Cookie` header, if any. */
export function sessionIdIn(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}
