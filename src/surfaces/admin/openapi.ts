import { Type } from '@sinclair/typebox';
import { type AdminRefusalCode, adminRefusalStatuses, domainErrorToStatus } from './errorCodes.js';
import type { AdminErrorCode, AdminRoute } from './route.js';
import { SESSION_COOKIE } from './sessionCookie.js';

/** Every admin refusal: `{"error": {"code", "message"}}` with the HTTP status. */
export const adminErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

/** The refusals any route of this shape can answer, besides its own `errors`. */
function commonErrors(route: AdminRoute): AdminErrorCode[] {
  const { body, query, params } = route.schemas;
  return [
    ...(route.public ? [] : (['unauthorized'] as const)),
    ...(!route.public && route.method !== 'GET' ? (['forbidden'] as const) : []),
    ...(body || query || params ? (['invalid_parameter'] as const) : []),
    ...(body ? (['invalid_json', 'bad_request', 'body_too_large'] as const) : []),
    'internal',
  ];
}

function statusesOf(code: AdminErrorCode): readonly number[] {
  return code in adminRefusalStatuses
    ? adminRefusalStatuses[code as AdminRefusalCode]
    : [domainErrorToStatus[code as keyof typeof domainErrorToStatus]];
}

/** A route's refusals, by HTTP status: each documented with the codes it carries. */
export function documentedErrors(route: AdminRoute): Map<number, AdminErrorCode[]> {
  const byStatus = new Map<number, AdminErrorCode[]>();
  for (const code of new Set([...commonErrors(route), ...route.errors])) {
    for (const status of statusesOf(code)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function errorResponse(codes: AdminErrorCode[]) {
  const schema = Type.Object({
    error: Type.Object({
      code: codes.length === 1 ? Type.Literal(codes[0]!) : Type.Union(codes.map((code) => Type.Literal(code))),
      message: Type.String({ description: 'what is wrong, naming the field at fault' }),
    }),
  });
  return { description: codes.join(', '), content: { 'application/json': { schema } } };
}

function successResponse(route: AdminRoute) {
  if ('stream' in route.response) {
    const { mediaType, description } = route.response.stream;
    return { description, content: { [mediaType]: { schema: { type: 'string' } } } };
  }
  return {
    description: 'success',
    content: { 'application/json': { schema: route.response.json, example: route.example.response } },
  };
}

function operation(route: AdminRoute) {
  const { body, query, params } = route.schemas;
  const parameters = [
    ...Object.entries(params?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema,
      ...(route.example.params?.[name] !== undefined && { example: route.example.params[name] }),
    })),
    ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query?.required?.includes(name) ?? false,
      schema,
      ...(route.example.query?.[name] !== undefined && { example: route.example.query[name] }),
    })),
  ];
  const errors = Object.fromEntries(
    [...documentedErrors(route)].map(([status, codes]) => [status, errorResponse(codes)]),
  );
  return {
    summary: route.summary,
    security: route.public ? [] : [{ adminToken: [] }, { adminSession: [] }],
    ...(parameters.length > 0 && { parameters }),
    ...(body && {
      requestBody: { required: true, content: { 'application/json': { schema: body, example: route.example.body } } },
    }),
    responses: { [String(route.status)]: successResponse(route), ...errors },
  };
}

/** `GET /metrics`: on the main port it takes the admin token (see docs/metrics.md). */
const metricsOperation = {
  summary: 'Prometheus metrics (text exposition format); on the main port behind the admin token',
  security: [{ adminToken: [] }],
  responses: {
    '200': { description: 'the metrics', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } },
    '401': errorResponse(['unauthorized']),
    '500': errorResponse(['internal']),
  },
};

/** `GET /admin/v1/openapi.json`: this document, open to all. */
const documentOperation = {
  summary: 'This OpenAPI 3.1 document (no credentials needed)',
  security: [],
  responses: {
    '200': {
      description: 'the document',
      content: { 'application/json': { schema: { type: 'object' }, example: { openapi: '3.1.0' } } },
    },
    '500': errorResponse(['internal']),
  },
};

/** The OpenAPI 3.1 description of the admin API, built from the routes' own schemas. */
export function openApiDocument(routes: AdminRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/admin/v1${route.url.replace(/:(\w+)/g, '{$1}')}`;
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = operation(route);
  }
  paths['/admin/v1/openapi.json'] = { get: documentOperation };
  paths['/metrics'] = { get: metricsOperation };
  return {
    openapi: '3.1.0',
    info: { title: 'Ringside admin API', version: '1' },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer' },
        adminSession: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
    },
    paths,
  };
}
