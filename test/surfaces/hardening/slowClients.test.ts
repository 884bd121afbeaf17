/**
 * Issue 11, item 15: "50 connections trickling headers or bodies for 30 s were never closed."
 * Headers must arrive within `server.headersTimeoutMs`, the whole request within
 * `server.requestTimeoutMs`; idle keep-alive connections close after `keepAliveTimeoutMs`;
 * at most `maxConnections` are held. Short timeouts here; the defaults are in the README.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../../src/config/load.js';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { waitUntil } from '../../support/wait.js';

/** A connection that records what it received and when it was closed. */
function open(baseUrl: string): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (data) => chunks.push(data));
    socket.on('error', () => {});
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now())));
    socket.on('connect', () => resolve({ socket, received: () => Buffer.concat(chunks).toString('utf8'), closed }));
  });
}

/** Writes one byte of `text` every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(text.charAt(index % text.length));
    index += 1;
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

/** Fails unless `promise` settles within `ms` (the server must close the connection). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still open after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const backend of backends) {
  describe(`slow and idle clients are closed after the configured timeouts [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;

    before(async () => {
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        server: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 1000, maxConnections: 200 },
      });
    });
    after(async () => {
      await server.close();
      await database.drop();
    });

    it('closes 50 connections trickling headers with a 408, and serves others meanwhile', async () => {
      const started = Date.now();
      const connections = await Promise.all(Array.from({ length: 50 }, () => open(server.url)));
      for (const { socket } of connections) {
        socket.write('GET /admin/v1/ledger/accounts/slow HTTP/1.1\r\nHost: x\r\n');
        trickle(socket, 'X-Slow: yes\r\n', 100);
      }
      const healthy = await fetch(`${server.url}/healthz`);
      assert.equal(healthy.status, 200, 'other clients are served while the slow ones trickle');
      const closedAt = await within(Promise.all(connections.map((c) => c.closed)), 10_000, 'trickling headers');
      assert.ok(Math.min(...closedAt) - started >= 900, 'not closed before the headers timeout');
      // Node keeps no part of headers it has not finished reading, so the request cannot be
      // attributed to a surface: a plain JSON 408.
      for (const { received } of connections) assert.match(received(), /^HTTP\/1\.1 408 /);
    });

    it('closes a connection trickling its body after the request timeout', async () => {
      const started = Date.now();
      const { socket, received, closed } = await open(server.url);
      socket.write(
        `POST /admin/v1/ledger/deposits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
      trickle(socket, ' ', 100);
      await within(closed, 10_000, 'trickling a body');
      assert.ok(Date.now() - started >= 1900, 'not closed before the request timeout');
      // The request is in flight: its path says admin, so the 408 is in the admin format.
      const answer = received();
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.equal(typeof JSON.parse(answer.split('\r\n\r\n')[1]!).error.code, 'string');
    });

    it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
      const { socket, received, closed } = await open(server.url);
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitUntil(async () => received().includes('"ok"'), 'the health answer', 5000);
      await within(closed, 5000, 'an idle keep-alive connection');
    });
  });

  describe(`the connection cap [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;

    before(async () => {
      database = await backend.create();
      server = await startServer({ storage: database.storage, server: { maxConnections: 3 } });
    });
    after(async () => {
      await server.close();
      await database.drop();
    });

    it('refuses connections beyond maxConnections and accepts again once one closes', async () => {
      const held = await Promise.all([open(server.url), open(server.url), open(server.url)]);
      const extra = await open(server.url);
      await within(extra.closed, 5000, 'a connection over the cap');
      held[0]!.socket.destroy();
      await held[0]!.closed;
      await waitUntil(
        async () => (await fetch(`${server.url}/healthz`).catch(() => undefined))?.status === 200,
        'a connection under the cap',
        5000,
      );
      for (const { socket } of held) socket.destroy();
    });
  });
}

describe('server timeouts and the outbox claim in config', () => {
  it('has defaults suited to a public server', () => {
    const config = resolveConfig({});
    assert.deepEqual(
      {
        headersTimeoutMs: config.server.headersTimeoutMs,
        requestTimeoutMs: config.server.requestTimeoutMs,
        keepAliveTimeoutMs: config.server.keepAliveTimeoutMs,
        maxConnections: config.server.maxConnections,
        maxRequestsPerSocket: config.server.maxRequestsPerSocket,
      },
      {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 10_000,
        maxRequestsPerSocket: 0,
      },
    );
    assert.deepEqual(config.delivery, { claimMs: 30_000, instanceId: undefined });
  });

  it('refuses a headers timeout longer than the request timeout, and a claim no longer than a delivery timeout', () => {
    assert.throws(
      () => resolveConfig({ server: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 } }),
      /server\.headersTimeoutMs must not be longer than server\.requestTimeoutMs/,
    );
    assert.throws(
      () => resolveConfig({ delivery: { claimMs: 5000 } }),
      /delivery\.claimMs must be longer than the longest delivery timeout \(5000 ms\)/,
    );
    assert.equal(resolveConfig({ delivery: { claimMs: 6000, instanceId: 'a' } }).delivery.instanceId, 'a');
    assert.equal(resolveConfig({}, { RINGSIDE_INSTANCE_ID: 'pod-1' }).delivery.instanceId, 'pod-1');
  });
});
