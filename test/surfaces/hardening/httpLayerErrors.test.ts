/**
 * Issue 11, item 14: "Errors made by the HTTP layer escape each surface's format … A Tencent
 * caller always gets HTTP 200 and the envelope, a JDB caller a `status` and `err_text`,
 * OkLetsPlay and admin callers their JSON error: wherever the request can be attributed to a
 * surface by its path, answer in that surface's format." What a normal client cannot send
 * (oversized headers, a malformed chunked body) goes over a raw `node:net` socket.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { jdbAgent, testGames } from '../../support/jdb.js';
import { pollGame, REALM } from '../../support/oklp.js';
import { startServer } from '../../support/servers.js';
import { TencentClient, testApp } from '../../support/tencent.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `chunks` to a fresh connection and reads the first answer (or none, when the server just closes). */
export function rawExchange(baseUrl: string, chunks: Array<string | Buffer>): Promise<RawAnswer | undefined> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('data', (data) => received.push(data));
    socket.on('error', () => {
      // A reset after the answer is the server closing a connection it refused.
    });
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      if (text === '') return resolve(undefined);
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head!.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)?.[1]);
      if (!status) return reject(new Error(`not an HTTP answer: ${text.slice(0, 200)}`));
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      let body = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolve({ status, headers, body });
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      // Half-close only after the server answered: some refusals come after reading more.
      setTimeout(() => socket.end(), 2000);
    });
  });
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/** How each surface's answer must look. */
interface Surface {
  name: string;
  /** A path of the surface that its routes serve (with any query it needs). */
  path: string;
  /** A path under the surface where a parameter goes: a long segment is put there. */
  paramPath: (segment: string) => string;
  /** More bytes than the surface's body limit, and where to send them (default `path`). */
  oversized: number;
  oversizedPath?: string;
  /** Fails unless `answer` is in the surface's format; `status` is the HTTP-level status meant. */
  check(answer: RawAnswer | undefined, status: number): void;
}

function json(answer: RawAnswer | undefined): any {
  assert.ok(answer, 'the server answered before closing');
  assert.match(answer.headers['content-type'] ?? '', /application\/json/);
  return JSON.parse(answer.body);
}

const tencentQuery = new TencentClient('http://unused', testApp).queryFor();

const surfaces: Surface[] = [
  {
    name: 'Tencent',
    oversized: 2 * 1024 * 1024,
    path: `/v4/live_engine_http_srv/create_room?${tencentQuery}`,
    paramPath: (segment) => `/v4/live_engine_http_srv/${segment}?${tencentQuery}`,
    check(answer, _status) {
      // "HTTP 200 always" with the envelope.
      assert.equal(answer?.status, 200, answer?.body);
      const body = json(answer);
      assert.equal(body.ActionStatus, 'FAIL');
      assert.equal(typeof body.ErrorCode, 'number');
      assert.notEqual(body.ErrorCode, 100001);
      assert.equal(typeof body.ErrorInfo, 'string');
      assert.equal(typeof body.RequestId, 'string');
    },
  },
  {
    name: 'JDB',
    oversized: 9 * 1024 * 1024,
    path: '/apiRequest.do',
    paramPath: (segment) => `/apiRequest.do/${segment}`,
    check(answer, _status) {
      assert.equal(answer?.status, 200, answer?.body);
      const body = json(answer);
      assert.match(body.status, /^\d{4}$/);
      assert.notEqual(body.status, '9999');
      assert.notEqual(body.status, '0000');
      assert.equal(typeof body.err_text, 'string');
    },
  },
  {
    name: 'admin',
    oversized: 17 * 1024 * 1024,
    path: '/admin/v1/ledger/deposits',
    paramPath: (segment) => `/admin/v1/ledger/accounts/${segment}`,
    check(answer, status) {
      assert.equal(answer?.status, status, answer?.body);
      const body = json(answer);
      assert.equal(typeof body.error.code, 'string');
      assert.equal(typeof body.error.message, 'string');
    },
  },
  {
    name: 'OkLetsPlay',
    oversized: 512 * 1024,
    // The game API authenticates before it reads a body; the token endpoint reads it first.
    oversizedPath: `/auth/realms/${REALM}/protocol/openid-connect/token`,
    path: '/api/game/v1/finish',
    paramPath: (segment) => `/auth/realms/${segment}`,
    check(answer, status) {
      assert.equal(answer?.status, status, answer?.body);
      const body = json(answer);
      // The game API's `{"error": {"code", "message"}}`, or the token realm's OAuth2 error.
      if (typeof body.error === 'string') assert.equal(typeof body.error_description, 'string');
      else assert.equal(typeof body.error.code, 'string');
    },
  },
];

for (const backend of backends) {
  describe(`HTTP-layer errors in each surface's format [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: Awaited<ReturnType<typeof startServer>>;

    before(async () => {
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
        jdb: { agents: [{ ...jdbAgent, walletUrl: 'http://127.0.0.1:9/jdb' }], games: testGames },
        oklp: { realm: REALM, clients: [pollGame] },
      });
    });
    after(async () => {
      await server.close();
      await database.drop();
    });

    for (const surface of surfaces) {
      it(`${surface.name}: headers over the limit (431)`, async () => {
        const answer = await rawExchange(server.url, [
          `POST ${surface.path} HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`,
        ]);
        surface.check(answer, 431);
      });

      // Found by the fuzz test: a request line longer than the 8 KiB the path is read from.
      it(`${surface.name}: a URL over the header limit (431)`, async () => {
        const answer = await rawExchange(server.url, [
          `GET ${surface.paramPath('a'.repeat(20_000))} HTTP/1.1\r\nHost: x\r\n\r\n`,
        ]);
        surface.check(answer, 431);
      });

      it(`${surface.name}: a malformed chunked body`, async () => {
        const answer = await rawExchange(server.url, [
          `POST ${surface.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
          'zz\r\n{}\r\n0\r\n\r\n',
        ]);
        surface.check(answer, 400);
      });

      it(`${surface.name}: bad percent-encoding in the path`, async () => {
        const response = await fetch(`${server.url}${surface.paramPath('%E0%A4%A')}`, { method: 'POST', body: '{}' });
        const answer = {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
        surface.check(answer, 400);
      });

      it(`${surface.name}: a path segment of 2,000 characters`, async () => {
        const response = await fetch(`${server.url}${surface.paramPath('s'.repeat(2000))}`, {
          method: 'POST',
          body: '{}',
        });
        const answer = {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
        // The router refuses a parameter this long (414) or finds no route for it (404).
        surface.check(answer, answer.status === 404 ? 404 : 414);
      });

      it(`${surface.name}: a body over the limit`, async () => {
        const response = await fetch(`${server.url}${surface.oversizedPath ?? surface.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: `{"pad":"${'p'.repeat(surface.oversized)}"}`,
        });
        const answer = {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
        surface.check(answer, 413);
      });
    }

    it('JDB: /apiRequest.do;jsessionid=x answers in the JDB format, not Fastify 404 JSON', async () => {
      const response = await fetch(`${server.url}/apiRequest.do;jsessionid=x?dc=a&x=b`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as any;
      assert.match(body.status, /^\d{4}$/);
      assert.equal(typeof body.err_text, 'string');
    });

    it('JDB: an oversized body to /apiRequest.do;jsessionid=x answers in the JDB format', async () => {
      const response = await fetch(`${server.url}/apiRequest.do;jsessionid=x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"pad":"${'p'.repeat(3 * 1024 * 1024)}"}`,
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as any;
      assert.match(body.status, /^\d{4}$/);
      assert.notEqual(body.status, '9999');
    });

    it('Tencent: an unknown path under /v4 is the envelope, HTTP 200', async () => {
      const response = await fetch(`${server.url}/v4;x`, { method: 'POST', body: '{}' });
      const answer = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
      surfaces[0]!.check(answer, 200);
    });

    // Found by the fuzz test: the parser raises its error again for every chunk a client sends
    // after its refusal, and each answer added a 'finish' listener to the socket (Node then
    // warned of a listener leak).
    it('a client that keeps sending after its 431 is answered once', async () => {
      let closings = 0;
      // Counts the server's calls to close the connection (each one added a listener).
      const onConnection = (socket: Socket) => {
        const destroySoon = socket.destroySoon.bind(socket);
        socket.destroySoon = () => {
          closings += 1;
          destroySoon();
        };
      };
      server.ringside.http.server.on('connection', onConnection);
      try {
        const chunk = `/${'a'.repeat(64 * 1024)}`;
        const answer = await rawExchange(server.url, [
          'GET /admin/v1/ledger/accounts',
          ...Array.from({ length: 64 }, () => chunk),
          ' HTTP/1.1\r\nHost: x\r\n\r\n',
        ]);
        surfaces[2]!.check(answer, 431);
      } finally {
        server.ringside.http.server.off('connection', onConnection);
      }
      assert.equal(closings, 1);
    });

    it('a path of no surface keeps plain JSON errors (431 here)', async () => {
      const answer = await rawExchange(server.url, [
        `GET /nowhere HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
      ]);
      assert.equal(answer?.status, 431);
      assert.equal(JSON.parse(answer!.body).statusCode, 431);
      const missing = await fetch(`${server.url}/nowhere`);
      assert.equal(missing.status, 404);
    });

    it('the server still serves after all of these', async () => {
      const response = await fetch(`${server.url}/healthz`);
      assert.equal(response.status, 200);
    });
  });
}
