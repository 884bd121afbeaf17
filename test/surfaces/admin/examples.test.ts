/**
 * Issue 13, item 3: the admin API's OpenAPI document is the truth about it. Every operation
 * documents its answer, its errors and an example; every example fits its own schemas; and the
 * live server, configured with the tenants the examples name, answers every documented request
 * example with one of the operation's documented answers (its status, its schema, its codes),
 * never with an input refusal. (The fuzz test checks every valid and mutated request the same way.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exampleNames as ex } from '../../../src/surfaces/admin/examples.js';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { callJson } from '../../support/http.js';
import { gameA, jdbAgent } from '../../support/jdb.js';
import { pollGame, REALM } from '../../support/oklp.js';
import { DocumentedAnswers, type Operation, operationsOf } from '../../support/openapi.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { srv, TencentClient, testApp } from '../../support/tencent.js';

/** Refusals of the request's form: a documented example must never get one. */
const inputRefusals = new Set(['invalid_parameter', 'invalid_json', 'bad_request', 'body_too_large']);

function concretePath({ path, operation }: Operation): string {
  const params = new Map<string, string>(
    (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => [p.name, p.example]),
  );
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params.get(name);
    assert.ok(value !== undefined, `${path}: no example for the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(
    (operation.parameters ?? [])
      .filter((p: any) => p.in === 'query' && p.example !== undefined)
      .map((p: any) => [p.name, p.example]),
  ).toString();
  return query ? `${filled}?${query}` : filled;
}

for (const backend of backends) {
  describe(`admin API: the documented examples, against the live server [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let document: any;
    const answers = new DocumentedAnswers();

    before(async () => {
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [{ ...testApp, sdkAppId: ex.sdkAppId }] },
        jdb: { agents: [{ ...jdbAgent, parent: ex.parent }], games: [{ ...gameA, mType: ex.mType }] },
        oklp: { realm: REALM, clients: [{ ...pollGame, clientId: ex.clientId }] },
      });
      // The objects the examples name that a client can make with a name of its choosing: the
      // rooms, and the players' money (the examples' match takes an entry fee from each).
      const tencent = new TencentClient(server.url, { ...testApp, sdkAppId: ex.sdkAppId });
      for (const roomId of [ex.room, ex.otherRoom]) {
        await tencent.ok(srv('create_room'), {
          RoomInfo: { RoomId: roomId, RoomType: 'Live', Owner_Account: ex.owner },
        });
      }
      const admin = new AdminClient(server.url, ADMIN_TOKEN);
      for (const userId of ex.users) {
        await admin.ok('POST', '/ledger/deposits', {
          userId,
          amount: 10_000,
          currency: 'USD',
          idempotencyKey: `seed-${userId}`,
        });
      }
      const response = await fetch(`${server.url}/admin/v1/openapi.json`);
      document = await response.json();
    });
    after(async () => {
      await server.close();
      await database.drop?.();
    });

    it('every operation documents its success answer with an example, and its errors', () => {
      const operations = operationsOf(document);
      assert.ok(operations.length > 55, `${operations.length} operations`);
      for (const { method, path, operation } of operations) {
        const name = `${method} ${path}`;
        const [success, ...others] = Object.entries(operation.responses as Record<string, any>);
        assert.ok(success && Number(success[0]) < 300, `${name}: its first answer is its success`);
        const [mediaType, content] = Object.entries<any>(success[1].content ?? {})[0] ?? [];
        assert.ok(content, `${name}: the success answer has a media type and schema`);
        if (mediaType === 'application/json') assert.ok(content.example !== undefined, `${name}: an example answer`);
        if (operation.requestBody) {
          assert.ok(
            operation.requestBody.content['application/json'].example !== undefined,
            `${name}: an example body`,
          );
        }
        assert.ok(others.length > 0, `${name}: documents its errors`);
        for (const [status, error] of others) {
          assert.ok(Number(status) >= 400, `${name}: ${status}`);
          assert.ok(error.content['application/json'].schema, `${name} ${status}: the error's schema`);
        }
      }
    });

    it('every documented example fits its own schema (no undocumented field either)', () => {
      for (const { method, path, operation } of operationsOf(document)) {
        const name = `${method} ${path}`;
        for (const parameter of operation.parameters ?? []) {
          if (parameter.example === undefined) continue;
          const misfit = answers.misfit(parameter.schema, parameter.example);
          assert.equal(misfit, undefined, `${name}: the example of ${parameter.in} parameter ${parameter.name}`);
        }
        const body = operation.requestBody?.content['application/json'];
        if (body) assert.equal(answers.misfit(body.schema, body.example), undefined, `${name}: the example body`);
        const [status, success] = Object.entries(operation.responses as Record<string, any>)[0]!;
        const json = success.content['application/json'];
        if (json) assert.equal(answers.misfit(json.schema, json.example), undefined, `${name}: the example ${status}`);
      }
    });

    it('the live server answers every documented request example with a documented answer, never an input refusal', async (t) => {
      const seen: string[] = [];
      // Deletions last, so the examples of the other routes find what a deletion's example removes.
      const operations = operationsOf(document);
      const ordered = [
        ...operations.filter((o) => o.method !== 'DELETE'),
        ...operations.filter((o) => o.method === 'DELETE'),
      ];
      for (const operation of ordered) {
        const { method, path } = operation;
        const name = `${method} ${path}`;
        const content = operation.operation.responses[Object.keys(operation.operation.responses)[0]!].content;
        if (!content['application/json']) {
          // A stream (the event stream): its documented media type is what the server sends.
          const stream = new AbortController();
          const response = await fetch(`${server.url}${concretePath(operation)}`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
            signal: stream.signal,
          });
          assert.equal(response.status, 200, name);
          const mediaType = Object.keys(content)[0]!.split(';')[0]!;
          assert.ok(response.headers.get('content-type')?.startsWith(mediaType), `${name}: ${mediaType}`);
          stream.abort();
          continue;
        }
        const body = operation.operation.requestBody?.content['application/json'].example;
        const reply = await callJson(method, `${server.url}${concretePath(operation)}`, {
          bearer: ADMIN_TOKEN,
          body,
        }).catch((error) => {
          throw new Error(`${name}: ${error.message} (${error.cause?.message ?? error.cause})`);
        });
        const problem = answers.undocumented(operation.operation, reply.status, reply.body);
        assert.equal(problem, undefined, `${name} (the documented example): ${problem}`);
        const code = reply.body?.error?.code;
        assert.ok(
          !inputRefusals.has(code),
          `${name}: the documented example was refused: ${JSON.stringify(reply.body)}`,
        );
        seen.push(`${name} ${reply.status}${code ? ` ${code}` : ''}`);
      }
      // Most examples name objects this server has: they are answered with success, not refusals.
      const succeeded = seen.filter((line) => / 2\d\d$/.test(line));
      t.diagnostic(`${succeeded.length} of ${seen.length} examples succeeded; the others:`);
      for (const line of seen.filter((line) => !succeeded.includes(line))) t.diagnostic(line);
      assert.ok(
        succeeded.length > seen.length / 2,
        `only ${succeeded.length} of ${seen.length} succeeded:\n${seen.join('\n')}`,
      );
    });
  });
}
