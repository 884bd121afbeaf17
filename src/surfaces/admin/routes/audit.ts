import { Type } from '@sinclair/typebox';
import type { AuditEntry, AuditLog } from '../../../domain/audit/adminAudit.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';
import { timeRange, timeRangeQuery } from '../filters.js';

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
      async handle({ query }) {
        const request = pageRequest(query, 'number', 100);
        const filter = { actor: query.actor, route: query.route, outcome: query.outcome, ...timeRange(query) };
        const rows = await audit.page(filter, request.after, request.limit);
        return page(rows, request, (entry) => ({ at: entry.at, id: entry.id }), renderAuditEntry);
      },
    }),
  ];
}

function renderAuditEntry(entry: AuditEntry) {
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
