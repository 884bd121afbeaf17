import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../support/admin.js';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';

/** Every page of the navigation: its link text and its URL. */
const navigation = [
  ['Overview', '/console'],
  ['Live battles', '/console/battles'],
  ['Rooms', '/console/rooms'],
  ['Gifts', '/console/gifts'],
  ['Free spins', '/console/freespins'],
  ['Matches & ledger', '/console/matches'],
  ['Deliveries', '/console/deliveries'],
  ['Audit', '/console/audit'],
] as const;

for (const backend of backends) {
  describe(`web console: sign-in, navigation, headers [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend);
    });
    after(() => f.close());

    it('signs in with the admin token (a session cookie, nothing in web storage) and signs out', async () => {
      const tab = await f.open();
      await tab.goto('/console/audit');
      await tab.page.getByLabel('Admin token').waitFor();
      assert.equal(await tab.page.getByRole('navigation').count(), 0, 'no page before signing in');
      await tab.screenshot('sign-in');

      await tab.signIn();
      await tab.waitForHeading('Audit');
      assert.equal(new URL(tab.page.url()).pathname, '/console/audit', 'the page asked for, after signing in');
      const me = await f.admin.ok('GET', '/session');
      assert.equal(await tab.page.locator('.who-name').textContent(), me.tokenName);

      const cookies = await tab.context.cookies();
      assert.equal(cookies.length, 1);
      const [cookie] = cookies;
      assert.equal(cookie!.name, 'ringside_admin_session');
      assert.equal(cookie!.httpOnly, true);
      assert.equal(cookie!.sameSite, 'Strict');
      assert.equal(cookie!.path, '/admin/v1');
      const storage = await tab.page.evaluate(
        'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])',
      );
      assert.equal(storage, '[[],[]]', 'neither the token nor anything else is kept in web storage');
      const html = await tab.page.content();
      assert.ok(!html.includes(ADMIN_TOKEN), 'the token is not left in the page');

      await tab.page.getByRole('button', { name: 'Sign out' }).click();
      await tab.page.getByLabel('Admin token').waitFor();
      assert.equal(await tab.page.getByRole('alert').textContent(), 'Signed out.');
      const afterSignOut = await tab.context.request.get('/admin/v1/session');
      assert.equal(afterSignOut.status(), 401, 'the session has ended on the server');
      assert.deepEqual(await tab.context.cookies(), [], 'and the cookie is gone');
      tab.assertNoProblems();
    });

    it('asks to sign in again, in words, when the session ends elsewhere; then shows the same page', async () => {
      const tab = await f.open();
      await tab.goto('/console/audit');
      await tab.signIn();
      await tab.waitForHeading('Audit');
      // Signed out from another tab of the same browser: the same cookie, ended on the server.
      const [cookie] = await tab.context.cookies();
      const ended = await fetch(`${f.url}/admin/v1/session`, {
        method: 'DELETE',
        headers: { cookie: `${cookie!.name}=${cookie!.value}`, origin: f.url },
      });
      assert.deepEqual(await ended.json(), { signedOut: true });

      // The next page's first request is refused: the sign-in form, then that page again.
      const nav = tab.page.getByRole('navigation');
      await nav.getByRole('link', { name: 'Deliveries' }).click();
      await tab.page.getByLabel('Admin token').waitFor();
      assert.match(
        (await tab.page.getByRole('alert').textContent())!,
        /^Your session has ended .*session expired or signed out/,
      );
      assert.equal(new URL(tab.page.url()).pathname, '/console/deliveries');
      await tab.signIn();
      await tab.waitForHeading('Deliveries');
      await tab.page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
      assert.equal(await tab.page.locator('.state-error').count(), 0, 'the page read its data');
      tab.assertNoProblems();
    });

    it('can be used with the keyboard alone: skip link, navigation, sign-out', async () => {
      const tab = await f.open();
      await tab.goto('/console/audit');
      await tab.page.getByLabel('Admin token').waitFor(); // shown once the console knows nobody is signed in
      await tab.page.keyboard.type(ADMIN_TOKEN); // the token field has the focus
      await tab.page.keyboard.press('Enter');
      await tab.waitForHeading('Audit');
      const focused = () => tab.page.evaluate('document.activeElement.textContent.trim()');

      await tab.page.keyboard.press('Tab');
      assert.equal(await focused(), 'Skip to content');
      await tab.page.keyboard.press('Tab'); // the brand link
      for (const [title] of navigation) {
        await tab.page.keyboard.press('Tab');
        assert.equal(await focused(), title);
      }
      await tab.page.keyboard.press('Shift+Tab');
      await tab.page.keyboard.press('Shift+Tab');
      assert.equal(await focused(), 'Matches & ledger');
      await tab.page.keyboard.press('Enter');
      await tab.waitForHeading('Matches & ledger');
      assert.equal(
        await tab.page.evaluate('document.activeElement.tagName'),
        'H1',
        "the new page's heading has the focus",
      );
      assert.equal(await focused(), 'Matches & ledger');
      const outline = await tab.page.evaluate(
        "(() => { const a = document.querySelector('nav a'); a.focus(); return getComputedStyle(a).outlineStyle; })()",
      );
      assert.equal(outline, 'solid', 'a focused link shows it');

      await tab.page.getByRole('button', { name: 'Sign out' }).focus();
      await tab.page.keyboard.press('Enter');
      await tab.page.getByLabel('Admin token').waitFor();
      tab.assertNoProblems();
    });

    it('refuses a wrong token, and without a session no admin route answers', async () => {
      const tab = await f.open('phone');
      await tab.goto('/console/deliveries');
      await tab.page.getByLabel('Admin token').fill('not-the-admin-token-at-all');
      await tab.page.getByRole('button', { name: 'Sign in' }).click();
      const alert = tab.page.getByRole('alert');
      await alert.filter({ hasText: 'unknown admin token' }).waitFor();
      assert.equal(await alert.textContent(), 'Not signed in: unknown admin token (unauthorized, HTTP 401)');
      assert.equal(await tab.page.getByRole('navigation').count(), 0, 'no page is shown');
      assert.deepEqual(await tab.context.cookies(), []);
      await tab.screenshot('sign-in-refused');

      // Every route of the admin API, as the browser would call it now: refused, but the two public ones.
      const openapi = await (await tab.context.request.get('/admin/v1/openapi.json')).json();
      let checked = 0;
      for (const [path, operations] of Object.entries<Record<string, unknown>>(openapi.paths)) {
        for (const method of Object.keys(operations)) {
          if (path === '/admin/v1/session' && method === 'post') continue; // signing in: the form above
          if (path === '/admin/v1/openapi.json') continue; // public
          const url = path.replace(/\{[^}]+\}/g, 'x1');
          const answer = await tab.context.request.fetch(url, {
            method: method.toUpperCase(),
            headers: { origin: f.url },
            ...(method === 'get' || method === 'delete' ? {} : { data: {} }),
          });
          assert.equal(answer.status(), 401, `${method.toUpperCase()} ${url}`);
          assert.equal((await answer.json()).error.code, 'unauthorized', `${method.toUpperCase()} ${url}`);
          checked += 1;
        }
      }
      assert.ok(checked >= 40, `${checked} routes checked`);
      tab.assertNoProblems();
    });

    it('answers every page with a CSP that allows no inline script and no other host', async () => {
      for (const path of ['/console', '/console/audit', '/console/rooms/1400000000/some-room']) {
        const response = await fetch(`${f.url}${path}`);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
        const csp = response.headers.get('content-security-policy') ?? '';
        const directives = new Map(
          csp.split(';').map((d) => {
            const [name, ...values] = d.trim().split(/\s+/);
            return [name, values];
          }),
        );
        assert.deepEqual(directives.get('default-src'), ["'self'"], csp);
        assert.deepEqual(directives.get('script-src'), ["'self'"], csp);
        assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], csp);
        assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('http'), csp);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');

        const html = await response.text();
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
        assert.ok(scripts.length > 0);
        for (const [, attributes, body] of scripts) {
          assert.match(attributes!, /\ssrc="\/console\/assets\/[^"]+\.js"/, 'every script is a file of the console');
          assert.equal(body!.trim(), '', 'and has no inline code');
        }
        assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
        assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'nothing from another host');
      }

      // The browser enforces it: an inline script put in the page does not run.
      const tab = await f.open();
      await tab.goto('/console');
      await tab.page.getByLabel('Admin token').waitFor();
      await tab.page.addScriptTag({ content: 'window.inlineRan = true' }).catch(() => undefined);
      assert.equal(await tab.page.evaluate('window.inlineRan === true'), false, 'the CSP blocked the inline script');
      assert.ok(
        tab.problems.some((problem) => /Content Security Policy/.test(problem)),
        'and reported it',
      );
    });

    it('serves its files compressed, with a year-long cache for hashed names (reports the first load size)', async (t) => {
      const tab = await f.open();
      const served: Array<{ path: string; encoding: string | undefined; bytes: number; cache: string | undefined }> =
        [];
      tab.page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (!path.startsWith('/console')) return;
        const headers = response.headers();
        served.push({
          path,
          encoding: headers['content-encoding'],
          bytes: Number(headers['content-length']),
          cache: headers['cache-control'],
        });
      });
      await tab.goto('/console');
      await tab.page.getByLabel('Admin token').waitFor();
      await tab.page.waitForLoadState('networkidle');
      const paths = served.map((file) => file.path);
      assert.ok(paths.includes('/console'));
      for (const kind of ['app-', 'console-']) {
        assert.ok(
          paths.some((path) => path.startsWith(`/console/assets/${kind}`)),
          `${kind} in ${paths.join(', ')}`,
        );
      }
      for (const file of served) {
        assert.equal(file.encoding, 'br', `${file.path} is served brotli-compressed`);
        assert.ok(file.bytes > 0, file.path);
        const hashed = file.path.startsWith('/console/assets/');
        assert.equal(file.cache, hashed ? 'public, max-age=31536000, immutable' : 'no-cache', file.path);
      }
      const total = served.reduce((sum, file) => sum + file.bytes, 0);
      t.diagnostic(
        `first load of the console: ${total} bytes compressed in ${served.length} files (${served.map((file) => `${file.path.split('/').pop()} ${file.bytes}`).join(', ')})`,
      );
      tab.assertNoProblems();
    });

    it('gives every page of the navigation its own URL; reload and back work', async () => {
      for (const viewport of ['desktop', 'phone'] as const) {
        const tab = await f.open(viewport);
        await tab.goto('/console');
        await tab.signIn();
        await tab.waitForHeading('Overview');
        for (const [title, url] of navigation) {
          if (viewport === 'phone') {
            const menu = tab.page.getByRole('button', { name: 'Menu' });
            assert.equal(
              await tab.page.getByRole('link', { name: title, exact: true }).isVisible(),
              false,
              'the menu is closed',
            );
            await menu.click();
          }
          await tab.page.getByRole('navigation').getByRole('link', { name: title, exact: true }).click();
          await tab.waitForHeading(title);
          assert.equal(new URL(tab.page.url()).pathname, url);
          const current = tab.page.locator('nav a[aria-current="page"]');
          assert.equal(await current.textContent(), title);
        }

        // Back goes to the previous page's URL and shows it; a reload shows the same page again.
        await tab.page.goBack();
        await tab.waitForHeading('Deliveries');
        assert.equal(new URL(tab.page.url()).pathname, '/console/deliveries');
        await tab.page.goBack();
        await tab.waitForHeading('Matches & ledger');
        await tab.page.reload();
        await tab.waitForHeading('Matches & ledger');
        assert.equal(new URL(tab.page.url()).pathname, '/console/matches');
        await tab.page.goForward();
        await tab.waitForHeading('Deliveries');

        // A URL no page has says so, inside the console.
        await tab.goto('/console/no-such-page');
        await tab.waitForHeading('Page not found');
        tab.assertNoProblems();
      }
    });
  });
}
