import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import { repoRoot } from '../support/servers.js';
import { waitUntil } from '../support/wait.js';

/**
 * The console's event-stream client (web/console/src/events.ts) in the browser, with the
 * session cookie, before any page uses it: the module is bundled on its own and evaluated in a
 * signed-in console tab (DevTools evaluation, which the page's CSP does not govern).
 */
async function eventsModule(): Promise<string> {
  const result = await build({
    entryPoints: [join(repoRoot, 'web/console/src/events.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'consoleEvents',
    footer: { js: 'window.consoleEvents = consoleEvents;' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

for (const backend of backends) {
  describe(`web console: the admin event stream client [${backend.name}]`, () => {
    let f: ConsoleFixture;
    let code: string;
    before(async () => {
      [f, code] = await Promise.all([consoleFixture(backend), eventsModule()]);
    });
    after(() => f.close());

    it('opens the stream for its first listener, delivers events, and closes it after the last', async () => {
      const tab = await f.open();
      await tab.goto('/console/audit');
      await tab.signIn();
      await tab.waitForHeading('Audit');
      await tab.page.evaluate(code);
      await tab.page.evaluate(`(() => {
        window.seen = { states: [], transfers: [] };
        const events = consoleEvents.adminEvents;
        events.onState((state) => window.seen.states.push(state));
        window.off = events.on('ledger.transfer', (event) => window.seen.transfers.push(event));
      })()`);
      // Polled with evaluate: waitForFunction's polling evaluates a string, which the console's CSP refuses.
      const pageSays = (expression: string) => async () => (await tab.page.evaluate(expression)) === true;
      await waitUntil(pageSays('window.seen.states.at(-1) === "open"'), 'the stream to open');

      const userId = `events-${backend.name}`;
      const { transfer } = await f.admin.ok('POST', '/ledger/deposits', {
        userId,
        amount: 4200,
        currency: 'USD',
        idempotencyKey: `events-${userId}`,
      });
      await waitUntil(pageSays('window.seen.transfers.length === 1'), 'the ledger transfer event');
      const [event] = (await tab.page.evaluate('window.seen.transfers')) as any[];
      assert.equal(event.type, 'ledger.transfer');
      assert.equal(event.transfer.amount, 4200);
      assert.equal(
        event.transfer.id ?? event.transfer.transferId,
        transfer.transfer?.id ?? transfer.id ?? event.transfer.id,
      );

      await tab.page.evaluate('window.off()');
      assert.equal(await tab.page.evaluate('window.seen.states.at(-1)'), 'down', 'closed with its last listener');
      assert.deepEqual(await tab.page.evaluate('window.seen.states'), ['down', 'connecting', 'open', 'down']);
      tab.assertNoProblems();
    });
  });
}
