import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { AdminSessionRepository } from '../../store/adminSessions.js';

/**
 * Browser sessions of the admin API, kept in the database so every process accepts them. The
 * session id (the cookie's value) is 32 random bytes; the database holds only its sha256.
 */
export class AdminSessions {
  constructor(
    private readonly store: AdminSessionRepository,
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  /** A new session acting as the token named `tokenName`. */
  async open(tokenName: string): Promise<{ id: string; expiresAt: number }> {
    const id = randomBytes(32).toString('base64url');
    const createdAt = this.clock.now();
    const expiresAt = createdAt + this.ttlMs;
    await this.store.insert({ idHash: hashOf(id), tokenName, createdAt, expiresAt });
    return { id, expiresAt };
  }

  /** The token name the session acts as, unless it does not exist or has expired. */
  tokenNameOf(id: string): Promise<string | undefined> {
    return this.store.findLive(hashOf(id), this.clock.now());
  }

  /** Ends the session; false when there was none. */
  close(id: string): Promise<boolean> {
    return this.store.delete(hashOf(id));
  }

  /** Forgets expired sessions (they are refused anyway; this keeps the table small). */
  prune(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }
}

function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
