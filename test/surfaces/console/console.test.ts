import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { consoleSurface } from '../../../src/surfaces/console/plugin.js';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { sqliteBackend } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';

// How /console is served (HTTP only; test/console drives it in a browser). Storage plays no part:
// one backend.
describe('the console surface over HTTP', () => {
  let f: TencentFixture;
  let index: string;
  before(async () => {
    f = await tencentFixture(sqliteBackend, { config: { admin: { tokens: [ADMIN_TOKEN] } } });
    index = await (await fetch(`${f.server.url}/console`)).text();
  });
  after(() => f.close());

  const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);

  it('answers index.html for /console and every page URL under it, never cached without a check', async () => {
    assert.deepEqual(
      assetsOf(index).map((path) => path.replace(/-[A-Za-z0-9_-]{8}\./, '-HASH.')),
      ['/console/assets/icon-HASH.svg', '/console/assets/console-HASH.css', '/console/assets/app-HASH.js'],
    );
    for (const path of ['/console/', '/console/audit', '/console/rooms/1400000000/a%20room', '/console/x?y=1']) {
      const response = await fetch(`${f.server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), index, path);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    }
    const head = await fetch(`${f.server.url}/console/audit`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/html; charset=utf-8');
  });

  it('serves each asset with its content type, compressed as accepted, with an ETag', async () => {
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
      svg: 'image/svg+xml',
    };
    for (const path of assetsOf(index)) {
      const plain = await fetch(`${f.server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.status, 200, path);
      assert.equal(plain.headers.get('content-type'), types[path.split('.').pop()!]);
      assert.equal(plain.headers.get('content-encoding'), null);
      assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(plain.headers.get('vary'), 'accept-encoding');
      assert.equal(plain.headers.get('x-content-type-options'), 'nosniff');
      const body = Buffer.from(await plain.arrayBuffer());

      // fetch() decodes what it is sent: the same bytes come out of either form.
      const gzipped = await fetch(`${f.server.url}${path}`, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
      assert.equal(gzipped.headers.get('content-encoding'), 'gzip', path);
      assert.deepEqual(Buffer.from(await gzipped.arrayBuffer()), body, 'decoded, the same bytes');
      const brotli = await fetch(`${f.server.url}${path}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(brotli.headers.get('content-encoding'), 'br', path);
      assert.deepEqual(Buffer.from(await brotli.arrayBuffer()), body);

      const etag = plain.headers.get('etag')!;
      assert.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
      const again = await fetch(`${f.server.url}${path}`, { headers: { 'if-none-match': `"other", ${etag}` } });
      assert.equal(again.status, 304);
      assert.equal((await again.arrayBuffer()).byteLength, 0);
    }
  });

  it('answers 404 for an asset that does not exist, not index.html', async () => {
    for (const path of ['/console/assets/app-OLDHASH1.js', '/console/assets/', '/console/assets/../index.html']) {
      const response = await fetch(`${f.server.url}${path}`);
      if (path.includes('..')) {
        // fetch() resolves dot segments: this is /console/index.html, a page URL.
        assert.equal(response.status, 200);
        continue;
      }
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.ok(response.headers.get('content-security-policy'));
    }
  });

  it('is not served with admin.console false', async () => {
    const off = await tencentFixture(sqliteBackend, { config: { admin: { tokens: [ADMIN_TOKEN], console: false } } });
    try {
      const response = await fetch(`${off.server.url}/console`);
      assert.equal(response.status, 404);
      const session = await fetch(`${off.server.url}/admin/v1/session`);
      assert.equal(session.status, 401, 'the admin API is still there');
    } finally {
      await off.close();
    }
  });

  it('says how to build it when the build is missing', async () => {
    const app = Fastify();
    await app.register(consoleSurface, { assets: undefined });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      for (const path of ['/console', '/console/audit']) {
        const response = await fetch(`${url}${path}`);
        assert.equal(response.status, 503);
        assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
        assert.match(await response.text(), /npm run build/);
      }
    } finally {
      await app.close();
    }
  });
});
