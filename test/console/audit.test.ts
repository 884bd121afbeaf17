import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';

for (const backend of backends) {
  describe(`web console: the audit page [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend);
    });
    after(() => f.close());

    it('lists an admin write made through the admin API, filters it and pages with Load more', async () => {
      const userId = `audit-${backend.name}`;
      await f.admin.ok('POST', '/ledger/deposits', {
        userId,
        amount: 1250,
        currency: 'USD',
        idempotencyKey: `deposit-${userId}`,
      });
      const refused = await f.admin.request('POST', '/ledger/withdrawals', {
        userId,
        amount: 1_000_000,
        currency: 'USD',
        idempotencyKey: `withdrawal-${userId}`,
      });
      assert.equal(refused.status, 409);
      const { tokenName } = await f.admin.ok('GET', '/session');
      const entries = (await f.admin.ok('GET', '/audit')).items;
      const deposit = entries.find((entry: any) => entry.route === '/ledger/deposits');
      const withdrawal = entries.find((entry: any) => entry.route === '/ledger/withdrawals');

      const tab = await f.open();
      await tab.goto('/console/audit');
      await tab.signIn();
      await tab.waitForHeading('Audit');
      const depositRow = tab.page.locator(`tr[data-key="${deposit.id}"]`);
      await depositRow.waitFor();
      const cells = await depositRow.locator('td').allTextContents();
      assert.equal(cells[1], tokenName);
      assert.equal(cells[2], 'POST /ledger/deposits');
      assert.equal(cells[3], `OK ${deposit.status}`);
      // The time in the viewer's zone, the UTC value on hover.
      const time = depositRow.locator('time');
      assert.equal(await time.getAttribute('datetime'), new Date(deposit.at).toISOString());
      assert.match((await time.getAttribute('title'))!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/);
      await depositRow.getByText('Show').click();
      assert.match((await depositRow.locator('pre').textContent())!, new RegExp(`"userId": "${userId}"`));
      const withdrawalRow = tab.page.locator(`tr[data-key="${withdrawal.id}"]`);
      assert.equal(await withdrawalRow.locator('.badge').textContent(), '409 insufficient_funds');
      await tab.screenshot('audit');
      // A viewer in another time zone and locale sees the time in theirs, the UTC value on hover.
      const phone = await f.open('phone', { timezoneId: 'Asia/Tokyo', locale: 'de-DE' });
      await phone.goto('/console/audit');
      await phone.signIn();
      const phoneRow = phone.page.locator(`tr[data-key="${withdrawal.id}"]`);
      await phoneRow.waitFor();
      const tokyo = new Intl.DateTimeFormat('de-DE', {
        dateStyle: 'medium',
        timeStyle: 'medium',
        timeZone: 'Asia/Tokyo',
      });
      const shownTime = (await phoneRow.locator('time').textContent())!.replace(/\s/g, ' ');
      assert.equal(shownTime, tokyo.format(withdrawal.at).replace(/\s/g, ' '));
      assert.equal(
        await phoneRow.locator('time').getAttribute('title'),
        `${new Date(withdrawal.at).toISOString().replace('T', ' ').replace('Z', '')} UTC`,
      );
      await phone.screenshot('audit');
      phone.assertNoProblems();

      // Filters go into the URL: a reload and the back button keep them.
      await tab.page.getByLabel('Outcome').selectOption('error');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.waitForURL(/\/console\/audit\?outcome=error$/);
      await withdrawalRow.waitFor();
      assert.equal(await depositRow.count(), 0, 'the successful write is filtered out');
      await tab.page.reload();
      await withdrawalRow.waitFor();
      assert.equal(await tab.page.getByLabel('Outcome').inputValue(), 'error');
      assert.equal(await depositRow.count(), 0);
      await tab.page.goBack();
      await depositRow.waitFor();
      assert.equal(await tab.page.getByLabel('Outcome').inputValue(), '');

      await tab.page.getByLabel('Route').fill('/ledger/no-such-route');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.getByText('No audit entries match these filters.').waitFor();

      // Pages of two, following nextCursor, until every entry is shown once.
      for (const n of [1, 2]) {
        await f.admin.ok('POST', '/ledger/deposits', {
          userId,
          amount: n,
          currency: 'USD',
          idempotencyKey: `more-${n}-${userId}`,
        });
      }
      const all = (await f.admin.ok('GET', '/audit')).items.map((entry: any) => String(entry.id));
      assert.ok(all.length >= 5, `${all.length} entries: three pages at least`);
      await tab.goto('/console/audit?limit=2');
      await tab.page.locator('tbody tr').nth(1).waitFor();
      assert.equal(await tab.page.locator('tbody tr').count(), 2);
      while (await tab.page.getByRole('button', { name: 'Load more' }).isVisible()) {
        const before = await tab.page.locator('tbody tr').count();
        await tab.page.getByRole('button', { name: 'Load more' }).click();
        await tab.page.locator('tbody tr').nth(before).waitFor();
        await tab.page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
      }
      const shown = await tab.page
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key')));
      assert.deepEqual(shown, all.slice(0, shown.length));
      assert.ok(shown.length >= all.length, 'every entry, newest first, none twice');
      await tab.page.getByText(`${shown.length} shown, no more.`).waitFor();
      tab.assertNoProblems();
    });

    it("shows the admin API's refusal in words, with a way to try again", async () => {
      const tab = await f.open('phone');
      await tab.goto(`/console/audit?actor=${'x'.repeat(65)}`);
      await tab.signIn();
      const error = tab.page.locator('.state-error');
      await error.waitFor();
      assert.match((await error.textContent())!, /invalid query: actor .*64.*\(invalid_parameter, HTTP 400\)/);
      assert.equal(await tab.page.getByRole('button', { name: 'Try again' }).count(), 1);
      await tab.screenshot('audit-error');
    });
  });
}
