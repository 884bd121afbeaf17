import { Type } from '@sinclair/typebox';
import type { AdminAuth } from '../auth.js';
import { adminRefusals } from '../errorCodes.js';
import { defineAdminRoute, json } from '../route.js';
import { clearedSessionCookie, sessionCookie, sessionIdIn } from '../sessionCookie.js';

const exampleTokenName = 'ops-console';

const Actor = Type.Object({
  tokenName: Type.String({ description: 'the admin token’s name (token:<fingerprint> for a plain token)' }),
  via: Type.Union([Type.Literal('token'), Type.Literal('session')], {
    description: 'token: a bearer admin token; session: a session cookie',
  }),
});

/** Browser sessions: an admin token exchanged for an HttpOnly cookie, and signing out. */
export function sessionRoutes(auth: AdminAuth) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/session',
      summary:
        'Sign a browser in: exchange an admin token for a session cookie (HttpOnly, SameSite=Strict, Path=/admin/v1)',
      status: 201,
      public: true,
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: json(
        Type.Object({
          tokenName: Actor.properties.tokenName,
          expiresAt: Type.String({ format: 'date-time', description: 'when the session ends (ISO 8601, UTC)' }),
        }),
      ),
      errors: ['unauthorized'],
      example: {
        body: { token: 'q7Vx2mR9tLcK4nWb8ZpF1sHd6YjE0aUo' },
        response: { tokenName: exampleTokenName, expiresAt: '2025-12-01T12:00:00.000Z' },
      },
      async handle({ body, http }) {
        const tokenName = auth.tokenNamed(body.token);
        if (!tokenName) throw adminRefusals.unauthorized('unknown admin token');
        // Signing in is recorded in the audit log under the token's name (the route is public).
        http.request.adminActor = { tokenName, via: 'token' };
        const session = await auth.sessions.open(tokenName);
        const secure = auth.isHttps(http.request);
        http.reply.header('set-cookie', sessionCookie(session.id, auth.sessions.ttlMs, secure));
        http.reply.header('cache-control', 'no-store');
        return { tokenName, expiresAt: new Date(session.expiresAt).toISOString() };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/session',
      summary: 'Who the request acts as: the admin token name, and whether through a session cookie or the token',
      response: json(Actor),
      example: { response: { tokenName: exampleTokenName, via: 'session' } },
      async handle({ http }) {
        const actor = http.request.adminActor!;
        return { tokenName: actor.tokenName, via: actor.via };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/session',
      summary: "Sign out: end the cookie's session (on every process) and clear the cookie",
      response: json(
        Type.Object({
          signedOut: Type.Boolean({
            description: 'a live session was ended (false: no cookie, or not a live session)',
          }),
        }),
      ),
      example: { response: { signedOut: true } },
      async handle({ http }) {
        const id = sessionIdIn(http.request.headers.cookie);
        const signedOut = id !== undefined && (await auth.sessions.close(id));
        http.reply.header('set-cookie', clearedSessionCookie(auth.isHttps(http.request)));
        return { signedOut };
      },
    }),
  ];
}
