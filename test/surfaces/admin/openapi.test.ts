import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';

/** A value for a path parameter that the route's pattern accepts, so the route itself is reached. */
function sampleFor(schema: { pattern?: string }): string {
  return schema.pattern?.includes('[0-9]') && !schema.pattern.includes('A-Za-z') ? '1' : 'x';
}

for (const backend of backends) {
  describe(`admin API: the OpenAPI document [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let doc: any;

    before(async () => {
      f = await tencentFixture(backend, { config: { admin: { tokens: [ADMIN_TOKEN] } } });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
      const response = await fetch(`${f.server.url}/admin/v1/openapi.json`);
      assert.equal(response.status, 200);
      doc = await response.json();
    });
    after(async () => {
      await f.close();
    });

    it('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)', async () => {
      const result = await new Validator().validate(doc);
      assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
      assert.equal(result.valid, true);
      assert.equal(doc.openapi, '3.1.0');
    });

    it('every documented operation is a route the server has, with its parameters and a summary', async () => {
      const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
      );
      assert.ok(operations.length >= 50, `${operations.length} operations documented`);
      for (const { path, method, operation } of operations) {
        assert.ok(operation.summary, `${method} ${path} has a summary`);
        const pathParameters = (operation.parameters ?? []).filter((p: any) => p.in === 'path');
        const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        assert.deepEqual(pathParameters.map((p: any) => p.name).sort(), [...named].sort(), `${method} ${path}`);
        if (method === 'GET' && path.endsWith('/openapi.json')) continue;
        if (path === '/metrics') {
          // Outside the admin API's prefix, behind the same token.
          const response = await fetch(`${f.server.url}${path}`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          });
          assert.equal(response.status, 200);
          assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
          continue;
        }
        const concrete = path
          .replace('/admin/v1', '')
          .replace(/\{(\w+)\}/g, (_, name) => sampleFor(pathParameters.find((p: any) => p.name === name).schema));
        if (path === '/admin/v1/events') {
          // A stream that never ends: its route answers with the stream's headers.
          const stream = new AbortController();
          const response = await fetch(`${f.server.url}${path}`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
            signal: stream.signal,
          });
          assert.equal(response.status, 200);
          assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
          stream.abort();
          continue;
        }
        // HEAD would not tell a missing route from a missing object; the answer's message does.
        const { status, body } = await admin.request(method, concrete, method === 'GET' ? undefined : {});
        assert.notEqual(body?.error?.message, `no admin route ${method} /admin/v1${concrete}`, `${method} ${path}`);
        assert.ok(status < 500, `${method} ${path}: HTTP ${status} ${JSON.stringify(body)}`);
      }
    });
  });
}
