import { type Static, Type } from '@sinclair/typebox';
import { AUDIT_BODY_LIMIT, type AuditEntry, type AuditLog } from '../../../domain/audit/adminAudit.js';
import { exampleNames as ex } from '../examples.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs, Nullable, Page } from '../schemas.js';

const AuditEntryView = Type.Object({
  id: Type.Integer(),
  at: { ...EpochMs, description: 'when the answer was ready (epoch ms)' },
  actor: Type.String({ description: 'the admin token’s name (token:<fingerprint> for a plain token)' }),
  method: Type.String({ description: 'POST, PUT, PATCH or DELETE' }),
  route: Type.String({ description: 'the route template under /admin/v1, e.g. /oklp/matches/:id/abort' }),
  target: Type.Record(Type.String(), Type.String(), {
    description: 'the path parameters (the ids the write was aimed at); empty when the route has none',
  }),
  body: Nullable(
    Type.String({
      description: `the request body’s JSON text, secret fields redacted, cut at ${AUDIT_BODY_LIMIT} characters`,
    }),
  ),
  bodyTruncated: Type.Boolean(),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  status: Type.Integer({ description: 'the HTTP status answered' }),
  errorCode: Nullable(Type.String({ description: 'the error code answered; null when the write succeeded' })),
});

/** The admin audit log: who wrote what through the admin API, when, and how it ended. */
export function auditRoutes(audit: AuditLog) {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/audit',
      summary: 'List admin writes (every non-GET admin request), newest first (answer: items, nextCursor)',
      query: Type.Object({
        actor: Type.Optional(
          Type.String({ minLength: 1, maxLength: 64, description: 'a token name, or token:<fingerprint>' }),
        ),
        route: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 256,
            pattern: '^/',
            description: 'a route template, e.g. /ledger/deposits',
          }),
        ),
        outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('error')])),
        ...timeRangeQuery,
        ...pageQuery,
      }),
      response: json(Page(AuditEntryView)),
      example: {
        query: { route: '/oklp/matches/:id/abort', outcome: 'ok', limit: '20' },
        response: {
          items: [
            {
              id: 311,
              at: ex.at,
              actor: 'ops-console',
              method: 'POST',
              route: '/oklp/matches/:id/abort',
              target: { id: '66a1f0c2b4e5d6f7a8b9c0d1' },
              body: '{"reason":"server outage"}',
              bodyTruncated: false,
              outcome: 'ok',
              status: 200,
              errorCode: null,
            },
          ],
          nextCursor: null,
        },
      },
      async handle({ query }) {
        const request = pageRequest(query, 'number', 100);
        const filter = { actor: query.actor, route: query.route, outcome: query.outcome, ...timeRange(query) };
        const rows = await audit.page(filter, request.after, request.limit);
        return page(rows, request, (entry) => ({ at: entry.at, id: entry.id }), renderAuditEntry);
      },
    }),
  ];
}

function renderAuditEntry(entry: AuditEntry): Static<typeof AuditEntryView> {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    method: entry.method,
    route: entry.route,
    target: entry.target,
    body: entry.body,
    bodyTruncated: entry.bodyTruncated,
    outcome: entry.errorCode === null ? 'ok' : 'error',
    status: entry.status,
    errorCode: entry.errorCode,
  };
}
