import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminBrowser, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { sleep } from '../../support/wait.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const deposit = (userId: string) => ({ userId, amount: 100, currency: 'USD', idempotencyKey: `key-${userId}` });

for (const backend of backends) {
  describe(`admin browser sessions [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;

    before(async () => {
      f = await tencentFixture(backend, { config: { admin: { tokens: [ADMIN_TOKEN] } } });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(() => f.close());

    const sessionRows = () => f.server.ringside.database.db.selectFrom('admin_sessions').selectAll().execute();

    it('exchanges an admin token for an HttpOnly, SameSite=Strict cookie, keeping only its hash', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      const attributes = browser.setCookie.split(';').map((part) => part.trim());
      assert.match(attributes[0]!, /^ringside_admin_session=[A-Za-z0-9_-]{43}$/);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/admin/v1', `Max-Age=${12 * 3600}`]) {
        assert.ok(attributes.includes(attribute), `${attribute} in ${browser.setCookie}`);
      }
      assert.ok(!attributes.includes('Secure'), 'plain HTTP without behindHttps: no Secure attribute');

      const id = browser.cookie.split('=')[1]!;
      const rows = await sessionRows();
      const row = rows.find((r) => r.id_hash === sha256(id));
      assert.ok(row, 'the session is stored by the sha256 of its id');
      assert.ok(!JSON.stringify(rows).includes(id), 'the raw session id is stored nowhere');
      assert.ok(!JSON.stringify(rows).includes(ADMIN_TOKEN), 'nor the admin token');
      assert.equal(Number(row.expires_at) - Number(row.created_at), 12 * 3600 * 1000);
      assert.match(
        row.token_name,
        /^token:[0-9a-f]{8}$/,
        'a plain token is named by its fingerprint, as in the audit log',
      );

      const me = await browser.request('GET', '/session');
      assert.equal(me.status, 200);
      assert.deepEqual(me.body, { tokenName: row.token_name, via: 'session' });
      const viaToken = await admin.ok('GET', '/session');
      assert.deepEqual(viaToken, { tokenName: row.token_name, via: 'token' });
    });

    it('refuses a wrong token with 401 and a missing one with 400 naming the field', async () => {
      const wrong = await admin.request('POST', '/session', { token: 'not-the-admin-token-at-all' }, { token: null });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'unauthorized');
      const missing = await admin.request('POST', '/session', {}, { token: null });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, 'invalid_parameter');
      assert.match(missing.body.error.message, /token/);
      const noCookie = await admin.request('GET', '/deliveries', undefined, { token: null });
      assert.equal(noCookie.status, 401);
      const forged = await fetch(`${f.server.url}/admin/v1/deliveries`, {
        headers: { cookie: 'ringside_admin_session=forged-forged-forged' },
      });
      assert.equal(forged.status, 401);
      assert.equal(((await forged.json()) as any).error.code, 'unauthorized');
    });

    it('accepts the cookie on every admin route; a write also needs the same-origin Origin header', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      const listing = await browser.request('GET', '/deliveries');
      assert.equal(listing.status, 200);
      assert.ok(Array.isArray(listing.body.deliveries));

      for (const origin of [undefined, 'http://evil.example', 'https://' + new URL(f.server.url).host]) {
        const refused = await browser.request('POST', '/ledger/deposits', { origin, body: deposit('u-csrf') });
        assert.equal(refused.status, 403, `Origin ${origin}`);
        assert.equal(refused.body.error.code, 'forbidden');
        assert.match(refused.body.error.message, /Origin/);
      }
      const account = await admin.ok('GET', '/ledger/accounts/u-csrf');
      assert.deepEqual(account.transfers, [], 'no refused write went through');

      const written = await browser.request('POST', '/ledger/deposits', {
        origin: browser.origin,
        body: deposit('u-cookie'),
      });
      assert.equal(written.status, 200, JSON.stringify(written.body));
      assert.equal(written.body.transfer.balanceAfter, 100);
    });

    it('signs out: the row is deleted, the cookie cleared and refused afterwards', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      const id = browser.cookie.split('=')[1]!;
      const noOrigin = await browser.request('DELETE', '/session');
      assert.equal(noOrigin.status, 403, 'signing out is a write: same origin only');

      const out = await browser.request('DELETE', '/session', { origin: browser.origin });
      assert.equal(out.status, 200);
      assert.deepEqual(out.body, { signedOut: true });
      assert.match(
        out.headers.get('set-cookie') ?? '',
        /^ringside_admin_session=; Max-Age=0; Path=\/admin\/v1; HttpOnly/,
      );
      assert.ok(!(await sessionRows()).some((row) => row.id_hash === sha256(id)));

      const after = await browser.request('GET', '/deliveries');
      assert.equal(after.status, 401);
      assert.match(after.body.error.message, /sign in again/);
    });

    it('documents the session routes in OpenAPI, signing in without credentials', async () => {
      const doc = (await (await fetch(`${f.server.url}/admin/v1/openapi.json`)).json()) as any;
      assert.deepEqual(doc.paths['/admin/v1/session'].post.security, []);
      assert.ok(doc.paths['/admin/v1/session'].delete.security.some((s: any) => 'adminSession' in s));
      assert.equal(doc.components.securitySchemes.adminSession.in, 'cookie');
    });
  });

  describe(`admin browser sessions expire; behind HTTPS they are Secure [${backend.name}]`, () => {
    let f: TencentFixture;

    before(async () => {
      f = await tencentFixture(backend, {
        config: { admin: { tokens: [ADMIN_TOKEN], sessionTtlMs: 1500, behindHttps: true } },
      });
    });
    after(() => f.close());

    it('marks the cookie Secure and wants an https Origin for writes', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      assert.match(browser.setCookie, /; Secure$/);
      assert.match(browser.setCookie, /Max-Age=1;/);
      const host = new URL(f.server.url).host;
      const plain = await browser.request('POST', '/ledger/deposits', {
        origin: `http://${host}`,
        body: deposit('s1'),
      });
      assert.equal(plain.status, 403);
      assert.match(plain.body.error.message, new RegExp(`Origin: https://${host}`));
      const secure = await browser.request('POST', '/ledger/deposits', {
        origin: `https://${host}`,
        body: deposit('s2'),
      });
      assert.equal(secure.status, 200);
    });

    it('refuses the cookie once the session has expired', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      assert.equal((await browser.request('GET', '/session')).status, 200);
      await sleep(1600);
      const expired = await browser.request('GET', '/session');
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'unauthorized');
      assert.match(expired.body.error.message, /expired/);
    });
  });
}
