import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import { balance, deposit, uniqueUsers } from '../support/oklp.js';

/** The transfers of a user's USD account, through the admin API. */
async function transfersOf(f: ConsoleFixture, userId: string): Promise<any[]> {
  const page = await f.admin.ok('GET', `/ledger/transfers?accountId=${encodeURIComponent(`user:USD:${userId}`)}`);
  return page.items;
}

for (const backend of backends) {
  describe(`web console: the ledger pages [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend);
    });
    after(() => f.close());

    it('a deposit made in the console and double-clicked moves money once; the next fill is a new deposit', async () => {
      const [user] = uniqueUsers(1, `console-dep-${backend.name}`);
      const tab = await f.open();
      const posts: string[] = [];
      tab.page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/admin/v1/ledger/deposits'))
          posts.push(request.postData() ?? '');
      });
      await tab.goto('/console/ledger');
      await tab.signIn();
      await tab.waitForHeading('Matches & ledger');
      const form = tab.page.getByRole('form', { name: 'Deposit' });
      await form.getByLabel('User id').fill(user!);
      await form.getByLabel('Amount').fill('12.5');
      assert.equal(await form.locator('.field-hint').textContent(), '$12.50 = 1250 minor units');
      const key = (await form.locator('.idempotency-key').textContent())!;
      assert.match(key, /^console-[0-9a-f-]{36}$/);

      await form.getByRole('button', { name: 'Deposit' }).dblclick();
      const note = form.getByRole('status');
      await note.getByText(/^Deposited \$12\.50 to /).waitFor();
      const transfers = await transfersOf(f, user!);
      assert.equal(transfers.length, 1, 'one transfer for a double click');
      assert.equal(await balance(f.admin, user!), 1250, 'the money moved once');
      assert.equal(transfers[0].idempotencyKey, key, "the form's key");
      assert.equal(
        await note.textContent(),
        `Deposited $12.50 to ${user}: transfer #${transfers[0].id}, balance now $12.50.`,
      );
      // The button was disabled from the first click: the second sent nothing (and had it, the key would match).
      assert.equal(posts.length, 1, `${posts.length} requests`);
      assert.equal(JSON.parse(posts[0]!).idempotencyKey, key);
      // The account appears in the list with its balance.
      const row = tab.page.locator(`tr[data-key="user:USD:${user}"]`);
      await row.waitFor();
      assert.equal(await row.locator('.balance').textContent(), '$12.50');
      await tab.screenshot('ledger');

      // A new fill gets a new key: 0.29 is 29 cents exactly (a float would make 28.999…).
      const nextKey = (await form.locator('.idempotency-key').textContent())!;
      assert.notEqual(nextKey, key);
      assert.equal(await form.getByLabel('Amount').inputValue(), '', 'the amount is cleared for the next fill');
      await form.getByLabel('Amount').fill('0.29');
      await form.getByRole('button', { name: 'Deposit' }).click();
      await note.getByText(/balance now \$12\.79\.$/).waitFor();
      assert.equal(await balance(f.admin, user!), 1279);
      assert.deepEqual(
        (await transfersOf(f, user!)).map((t) => [t.amount, t.idempotencyKey]),
        [
          [29, nextKey],
          [1250, key],
        ],
      );
      tab.assertNoProblems();
    });

    it('a deposit retried after the network failed moves money once (the same idempotency key)', async () => {
      const [user] = uniqueUsers(1, `console-retry-${backend.name}`);
      const tab = await f.open('phone');
      await tab.goto('/console/ledger');
      await tab.signIn();
      await tab.waitForHeading('Matches & ledger');
      const form = tab.page.getByRole('form', { name: 'Deposit' });
      await form.getByLabel('User id').fill(user!);
      await form.getByLabel('Amount').fill('40');
      const key = (await form.locator('.idempotency-key').textContent())!;
      // The server gets the first request and moves the money, but its answer is lost on the way.
      let cut = 0;
      await tab.page.route('**/admin/v1/ledger/deposits', async (route) => {
        cut += 1;
        await route.fetch();
        await route.abort('connectionreset');
      });
      await form.getByRole('button', { name: 'Deposit' }).click();
      const error = form.locator('.form-error');
      await error.getByText(/did not answer/).waitFor();
      assert.match((await error.textContent())!, /may or may not have gone through: press the button again to retry/);
      assert.equal(cut, 1);
      assert.equal(await balance(f.admin, user!), 4000, 'the first attempt moved the money');
      assert.equal(await form.getByRole('button', { name: 'Deposit' }).isEnabled(), true, 'ready to retry');
      assert.equal(await form.locator('.idempotency-key').textContent(), key, 'the key is kept for the retry');

      await tab.page.unroute('**/admin/v1/ledger/deposits');
      await form.getByRole('button', { name: 'Deposit' }).click();
      await form
        .getByRole('status')
        .getByText(/^Deposited \$40\.00 to /)
        .waitFor();
      assert.equal(await error.textContent(), '', 'the error is gone');
      assert.equal(await balance(f.admin, user!), 4000, 'the retry moved nothing more');
      const transfers = await transfersOf(f, user!);
      assert.deepEqual(
        transfers.map((t) => [t.amount, t.idempotencyKey]),
        [[4000, key]],
      );
      // The only problem in the tab is the connection the test cut.
      assert.ok(
        tab.problems.every((problem) => problem.includes('ERR_CONNECTION_RESET')),
        tab.problems.join('\n'),
      );
    });

    it('a withdrawal beyond the balance shows the refusal next to the amount; a bad amount or user id too', async () => {
      const [user] = uniqueUsers(1, `console-wd-${backend.name}`);
      await deposit(f.admin, user!, 500);
      const accountId = `user:USD:${user}`;
      const tab = await f.open();
      await tab.goto(`/console/ledger/accounts/${encodeURIComponent(accountId)}`);
      await tab.signIn();
      await tab.waitForHeading('Ledger account');
      const current = tab.page.locator('nav a[aria-current="page"]');
      assert.equal(await current.textContent(), 'Matches & ledger', 'the navigation shows the section the page is in');
      const shownBalance = tab.page.locator('.account-summary .balance');
      assert.equal(await shownBalance.textContent(), '$5.00');
      const form = tab.page.getByRole('form', { name: 'Withdraw' });
      assert.equal(await form.locator('.movement-target').textContent(), `From ${user} in USD`, "the account's user");
      assert.equal(await form.getByLabel('User id').count(), 0, 'not asked');
      await form.getByLabel('Amount').fill('7.5');
      await form.getByRole('button', { name: 'Withdraw' }).click();
      const amountError = form.locator('#withdrawal-amount-error');
      await amountError.getByText(/^Not enough money/).waitFor();
      assert.equal(
        await amountError.textContent(),
        `Not enough money for $7.50: amount 750 is more than the USD balance of user "${user}" (insufficient_funds, HTTP 409)`,
      );
      assert.equal(await form.getByLabel('Amount').getAttribute('aria-invalid'), 'true');
      assert.equal(await form.locator('.form-error').textContent(), '', 'nothing else is blamed');
      assert.equal(await balance(f.admin, user!), 500, 'nothing moved');
      assert.equal(await shownBalance.textContent(), '$5.00');
      await tab.screenshot('ledger-account');
      const phone = await f.open('phone');
      await phone.goto(`/console/ledger/accounts/${encodeURIComponent(accountId)}`);
      await phone.signIn();
      const phoneForm = phone.page.getByRole('form', { name: 'Withdraw' });
      await phoneForm.getByLabel('Amount').fill('7.5');
      await phoneForm.getByRole('button', { name: 'Withdraw' }).click();
      await phoneForm
        .locator('#withdrawal-amount-error')
        .getByText(/^Not enough money/)
        .waitFor();
      await phone.screenshot('ledger-account');
      phone.assertNoProblems();

      // An amount the currency cannot have is refused before anything is sent.
      await form.getByLabel('Amount').fill('1.234');
      await form.getByRole('button', { name: 'Withdraw' }).click();
      await amountError.getByText('USD amounts have at most 2 decimals.').waitFor();

      // The refused attempts used no key up: the same form withdraws a smaller amount.
      await form.getByLabel('Amount').fill('2.25');
      await form.getByRole('button', { name: 'Withdraw' }).click();
      await form
        .getByRole('status')
        .getByText(/^Withdrew \$2\.25 from /)
        .waitFor();
      assert.equal(await amountError.textContent(), '');
      assert.equal(await balance(f.admin, user!), 275);
      await shownBalance.getByText('$2.75').waitFor();
      const transfers = await transfersOf(f, user!);
      const row = tab.page.locator(`tr[data-key="${transfers[0].id}"]`);
      await row.waitFor();
      assert.equal(await row.locator('.money-out').textContent(), '−$2.25');

      // A refusal of the API about another field is shown next to that field.
      await tab.goto('/console/ledger');
      await tab.waitForHeading('Matches & ledger');
      const deposits = tab.page.getByRole('form', { name: 'Deposit' });
      await deposits.getByLabel('User id').fill('u'.repeat(129));
      await deposits.getByLabel('Amount').fill('1');
      await deposits.getByRole('button', { name: 'Deposit' }).click();
      await deposits
        .locator('#deposit-userId-error')
        .getByText('invalid body: userId must be at most 128 bytes in UTF-8 (invalid_parameter, HTTP 400)')
        .waitFor();
      assert.equal(await deposits.locator('#deposit-amount-error').textContent(), '');
      tab.assertNoProblems();
    });

    it("lists transfers filtered by kind, and an account's transfers signed from its side", async () => {
      const [user] = uniqueUsers(1, `console-list-${backend.name}`);
      await deposit(f.admin, user!, 1000);
      await f.admin.ok('POST', '/ledger/withdrawals', {
        userId: user,
        amount: 300,
        currency: 'USD',
        idempotencyKey: `wd-${user}`,
      });
      const [withdrawal, depositTransfer] = await transfersOf(f, user!);
      const tab = await f.open();
      await tab.goto('/console/ledger/transfers?kind=withdrawal');
      await tab.signIn();
      await tab.waitForHeading('Matches & ledger');
      await tab.page.locator(`tr[data-key="${withdrawal.id}"]`).waitFor();
      assert.equal(await tab.page.locator(`tr[data-key="${depositTransfer.id}"]`).count(), 0);
      assert.equal(await tab.page.getByLabel('Kind').inputValue(), 'withdrawal');
      await tab.screenshot('ledger-transfers');

      // From the transfer's account link to the account's page.
      await tab.page.locator(`tr[data-key="${withdrawal.id}"]`).getByRole('link', { name: user, exact: true }).click();
      await tab.waitForHeading('Ledger account');
      assert.equal(
        new URL(tab.page.url()).pathname,
        `/console/ledger/accounts/${encodeURIComponent(`user:USD:${user}`)}`,
      );
      assert.equal(await tab.page.locator('.account-summary .balance').textContent(), '$7.00');
      const rows = tab.page.locator('tbody tr');
      await rows.nth(1).waitFor();
      assert.deepEqual(await rows.locator('td[data-label="Change"]').allTextContents(), ['−$3.00', '+$10.00']);
      // A movement made elsewhere shows up without a reload (the admin event stream).
      await deposit(f.admin, user!, 200);
      await tab.page.locator('.account-summary .balance').getByText('$9.00').waitFor({ timeout: 5000 });
      await rows.nth(2).waitFor();
      assert.deepEqual(await rows.locator('td[data-label="Change"]').allTextContents(), [
        '+$2.00',
        '−$3.00',
        '+$10.00',
      ]);
      const phone = await f.open('phone');
      await phone.goto('/console/ledger/transfers');
      await phone.signIn();
      await phone.page.locator(`tr[data-key="${withdrawal.id}"]`).waitFor();
      await phone.screenshot('ledger-transfers');
      const phoneLedger = await f.open('phone');
      await phoneLedger.goto('/console/ledger');
      await phoneLedger.signIn();
      await phoneLedger.page.locator(`tr[data-key="user:USD:${user}"]`).waitFor();
      await phoneLedger.screenshot('ledger');
      for (const t of [tab, phone, phoneLedger]) t.assertNoProblems();
    });
  });
}
