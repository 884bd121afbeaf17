import { ApiError, api } from './api.js';

/** Who the console acts as (the admin token's name). */
export interface SessionInfo {
  tokenName: string;
}

/** The current session, or null when the browser is not signed in. */
export async function currentSession(): Promise<SessionInfo | null> {
  try {
    return await api<SessionInfo>('GET', '/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Exchanges an admin token for the session cookie (HttpOnly: the page never sees it). The token
 * lives only in the form field and this call; it is never stored.
 */
export async function signIn(token: string): Promise<SessionInfo> {
  return api<SessionInfo>('POST', '/session', { body: { token } });
}

/** Ends the session on the server and clears the cookie. */
export async function signOut(): Promise<void> {
  await api('DELETE', '/session');
}
