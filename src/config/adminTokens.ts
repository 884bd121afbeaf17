import { createHash } from 'node:crypto';

/** An admin token with the name the audit log records its requests under. */
export interface AdminToken {
  name: string;
  token: string;
}

/** `admin.tokens` entries as the config file gives them: a plain token, or a named one. */
export type AdminTokenEntry = string | AdminToken;

/**
 * The first 8 hex digits of the token's SHA-256: enough to tell a handful of tokens apart in
 * the audit log, far too little to recover or guess the token from.
 */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

/** The name of an entry: its own, or `token:<fingerprint>` for a plain token. */
export function adminTokenOf(entry: AdminTokenEntry): AdminToken {
  return typeof entry === 'string' ? { name: `token:${tokenFingerprint(entry)}`, token: entry } : entry;
}

/** Every admin token with its name, whichever form the config gave it in. */
export function adminTokens(config: { admin: { tokens: readonly AdminTokenEntry[] } }): AdminToken[] {
  return config.admin.tokens.map(adminTokenOf);
}
