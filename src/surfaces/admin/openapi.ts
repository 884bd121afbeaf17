import { SESSION_COOKIE } from './sessionCookie.js';
import type { AdminRoute } from './route.js';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};

/** The OpenAPI 3.1 description of the admin API, built from the routes' own schemas. */
export function openApiDocument(routes: AdminRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/admin/v1${route.url.replace(/:(\w+)/g, '{$1}')}`;
    const parameters = [
      ...Object.entries(route.schemas.params?.properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema,
      })),
      ...Object.entries(route.schemas.query?.properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: route.schemas.query?.required?.includes(name) ?? false,
        schema,
      })),
    ];
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = {
      summary: route.summary,
      security: route.public ? [] : [{ adminToken: [] }, { adminSession: [] }],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.schemas.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: route.schemas.body } } } }
        : {}),
      responses: {
        [String(route.status)]: { description: 'success' },
        default: { description: 'error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
  }
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
