import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import {
  callbackOf,
  eventParams,
  gameA,
  JdbClient,
  jdbAgent,
  jdbTime,
  testGames,
  uniqueId,
  walletOk,
} from '../support/jdb.js';
import { Receiver } from '../support/receiver.js';

const DAY = 86_400_000;

for (const backend of backends) {
  describe(`web console: free spins [${backend.name}]`, () => {
    let f: ConsoleFixture;
    let wallet: Receiver;
    let jdb: JdbClient;
    before(async () => {
      wallet = await Receiver.start({ answer: () => ({ status: 200, body: walletOk }) });
      const agent = { ...jdbAgent, walletUrl: `${wallet.url}/jdb` };
      f = await consoleFixture(backend, { config: { jdb: { agents: [agent], games: testGames } } });
      jdb = new JdbClient(f.url, agent);
    });
    after(async () => {
      await f.close();
      await wallet.close();
    });

    it('shows an event made by Action 72 with its players; a spin changes the page; terminating ends it', async () => {
      const players = [uniqueId('fs-a'), uniqueId('fs-b')];
      await f.admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: players });
      const name = `Console spins ${backend.name}`;
      const { eventId: created } = await jdb.ok(72, eventParams(Date.now(), { name, players, times: 3 }));
      const eventId = String(created);

      const tab = await f.open();
      await tab.goto('/console/freespins');
      await tab.signIn();
      await tab.waitForHeading('Free spins');
      const row = tab.page.locator(`tr[data-key="${eventId}"]`);
      await row.waitFor();
      assert.equal(await row.locator('[data-status]').getAttribute('data-status'), 'active');
      await tab.screenshot('freespins');
      await row.getByRole('link', { name }).click();
      await tab.page.waitForURL(new RegExp(`/console/freespins/${jdbAgent.parent}/events/${eventId}$`));
      await tab.waitForHeading('Free-spin event');
      for (const uid of players) await tab.page.locator(`tr[data-key="${uid}"]`).waitFor();
      const usedCell = (uid: string) => tab.page.locator(`tr[data-key="${uid}"] td[data-label="Spins used"]`);
      assert.equal(await usedCell(players[0]!).textContent(), '0 / 3');
      assert.equal(await tab.page.locator('[data-stat="fs-spins-used"] .stat-value').textContent(), '0 / 6');

      // A spin reported through the admin API shows up without a reload.
      const spun = Date.now();
      await f.admin.ok('POST', '/jdb/spins', {
        parent: jdbAgent.parent,
        uid: players[0],
        eventId,
        mType: gameA.mType,
        win: '2.5',
        spinId: uniqueId('spin'),
      });
      await tab.page
        .locator(`tr[data-key="${players[0]}"] td[data-label="Spins used"]`, { hasText: '1 / 3' })
        .waitFor();
      console.log(`[${backend.name}] the spin appeared on the event page after ${Date.now() - spun} ms`);
      assert.equal(await tab.page.locator('[data-stat="fs-spins-used"] .stat-value').textContent(), '1 / 6');
      assert.match(
        (await tab.page.locator(`tr[data-key="${players[0]}"] td[data-label="Won"]`).textContent())!,
        /2\.500/,
      );
      await tab.screenshot('freespins-event');

      // Terminating from the console ends the event as Action 73 would.
      await tab.page.getByRole('button', { name: 'Terminate event' }).click();
      await tab.page.getByRole('button', { name: 'Yes, terminate now' }).click();
      await tab.page.locator('.fs-title [data-status="terminated"]').waitFor();
      assert.equal(await tab.page.getByRole('button', { name: 'Terminate event' }).count(), 0);
      const [listed] = await jdb.ok(76, {
        startTime: jdbTime(Date.now() - DAY),
        endTime: jdbTime(Date.now() + DAY),
        eventId: created,
      });
      assert.equal(listed.status, 'TERMINATED', 'JDB Action 76 sees the event terminated');
      // The player who spun is paid their cashout (Action 16), and the page shows it paid.
      await wallet.waitFor((all) => all.some((r) => callbackOf(r, jdbAgent).uid === players[0]));
      await tab.page.locator(`tr[data-key="${players[0]}"] [data-payout="paid"]`).waitFor();
      assert.match(
        (await tab.page.locator(`tr[data-key="${players[0]}"] td[data-label="Cashout"]`).textContent())!,
        /2\.500/,
      );
      await tab.screenshot('freespins-event-terminated');
      tab.assertNoProblems();

      // The player's grants and spins, on a phone.
      const phone = await f.open('phone');
      await phone.goto(`/console/freespins/${jdbAgent.parent}/events/${eventId}`);
      await phone.signIn();
      await phone.page.locator(`tr[data-key="${players[0]}"] [data-payout="paid"]`).waitFor();
      await phone.screenshot('freespins-event');
      await phone.page.getByRole('link', { name: players[0] }).click();
      await phone.waitForHeading('Free-spin player');
      await phone.page.locator(`tr[data-key="${eventId}"]`).first().waitFor();
      const spins = phone.page.locator('table', { hasText: 'Played' }).locator('tbody tr');
      await spins.first().waitFor();
      assert.equal(await spins.count(), 1);
      await phone.screenshot('freespins-player');
      await phone.goto('/console/freespins?status=terminated');
      await phone.page.locator(`tr[data-key="${eventId}"]`).waitFor();
      await phone.screenshot('freespins');
      phone.assertNoProblems();
    });

    it('shows a refused terminate in words', async () => {
      const uid = uniqueId('fs-c');
      await f.admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [uid] });
      const { eventId } = await jdb.ok(72, eventParams(Date.now(), { players: [uid] }));
      const tab = await f.open();
      await tab.goto(`/console/freespins/${jdbAgent.parent}/events/${eventId}`);
      await tab.signIn();
      await tab.page.getByRole('button', { name: 'Terminate event' }).click();
      // Ended meanwhile by the agent (Action 73): the console's terminate is refused, in words.
      await jdb.ok(73, { eventId });
      await tab.page.getByRole('button', { name: 'Yes, terminate now' }).click();
      const error = tab.page.locator('.fs-terminate .form-error');
      await error.filter({ hasText: 'event_state' }).waitFor();
      assert.match((await error.textContent())!, /TERMINATED.*\(event_state, HTTP 409\)/);
      tab.assertNoProblems();
    });
  });
}
