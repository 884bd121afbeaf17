import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AdminSessions } from '../../domain/admin/adminSessions.js';
import { adminRefusals } from './errorCodes.js';
import type { AdminToken } from '../../config/adminTokens.js';
import { sessionIdIn } from './sessionCookie.js';

/** Who makes an admin request: the admin token's name, and whether it came as a session cookie. */
export interface AdminActor {
  tokenName: string;
  via: 'token' | 'session';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every authorized admin request. */
    adminActor?: AdminActor;
  }
}

/** The admin API's credentials: bearer admin tokens, and browser sessions made from them. */
export class AdminAuth {
  private readonly tokens: Array<{ name: string; secret: Buffer }>;

  constructor(
    tokens: AdminToken[],
    readonly sessions: AdminSessions,
    /** Set when a proxy ends TLS in front of the server: the browser's origin is https. */
    readonly behindHttps: boolean,
  ) {
    this.tokens = tokens.map(({ name, token }) => ({ name, secret: Buffer.from(token) }));
  }

  /** The name of the admin token `given`, if it is one (compared in constant time). */
  tokenNamed(given: string): string | undefined {
    const bytes = Buffer.from(given);
    return this.tokens.find((token) => token.secret.length === bytes.length && timingSafeEqual(token.secret, bytes))
      ?.name;
  }

  /** The name of the admin token an `Authorization: Bearer …` header carries; 401 otherwise. */
  bearer(header: string | undefined): string {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    if (!match) throw adminRefusals.unauthorized('missing bearer token (Authorization: Bearer <admin token>)');
    const tokenName = this.tokenNamed(match[1]!);
    if (!tokenName) throw adminRefusals.unauthorized('unknown admin token');
    return tokenName;
  }

  /** Whether the browser reached this server over HTTPS (session cookies are then `Secure`). */
  isHttps(request: FastifyRequest): boolean {
    return this.behindHttps || request.protocol === 'https';
  }

  /**
   * Who the request acts as: a bearer admin token, else a live session cookie whose token is
   * still configured. A write through a cookie must also come from the server's own origin
   * (`Origin` header), so another site cannot make a signed-in browser write.
   */
  async authorize(request: FastifyRequest): Promise<AdminActor> {
    const header = request.headers.authorization;
    if (header !== undefined) return { tokenName: this.bearer(header), via: 'token' };
    const sessionId = sessionIdIn(request.headers.cookie);
    if (sessionId === undefined) {
      throw adminRefusals.unauthorized(
        'missing credentials: a bearer token (Authorization: Bearer <admin token>) or a session cookie',
      );
    }
    const tokenName = await this.sessions.tokenNameOf(sessionId);
    if (!tokenName || !this.tokens.some((token) => token.name === tokenName)) {
      throw adminRefusals.unauthorized('session expired or signed out: sign in again (POST /admin/v1/session)');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const expected = `${this.isHttps(request) ? 'https' : 'http'}://${request.headers.host ?? ''}`;
      if (request.headers.origin !== expected) {
        throw adminRefusals.forbidden(`a write with a session cookie needs the header Origin: ${expected}`);
      }
    }
    return { tokenName, via: 'session' };
  }
}
