import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, type ConsolePage, consoleFixture } from '../support/console.js';
import { srv, testApp } from '../support/tencent.js';

const app = testApp.sdkAppId;

for (const backend of backends) {
  describe(`web console: the Gifts page [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend);
    });
    after(() => f.close());

    const giftInfo = async () => (await f.tencent.client.ok(srv('get_gift_info_list'), {})).Response;
    const tencentGift = async (giftId: string) => (await giftInfo()).GiftList.find((g: any) => g.GiftId === giftId);

    const openCatalog = async (tab: ConsolePage) => {
      await tab.goto(`/console/gifts?app=${app}`);
      await tab.signIn();
      await tab.waitForHeading('Gifts');
    };

    const addGift = async (tab: ConsolePage, values: { giftId: string; name: string; coins: string }) => {
      const details = tab.page.locator('details', { has: tab.page.locator('#gift-new') });
      if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
      await tab.page.locator('#gift-new-giftId').fill(values.giftId);
      await tab.page.locator('#gift-new-defaultName').fill(values.name);
      await tab.page.locator('#gift-new-coins').fill(values.coins);
    };

    it('adds a gift that get_gift_info_list returns, once on a double click', async () => {
      const tab = await f.open();
      await openCatalog(tab);
      await tab.page.getByText('No gifts yet: add one below.').waitFor();
      await addGift(tab, { giftId: 'console-rose', name: 'Console Rose', coins: '25' });
      await tab.page.locator('#gift-new-level').fill('3');
      await tab.page.getByRole('button', { name: 'Add gift' }).dblclick();
      await tab.page.getByText('Gift console-rose added.').waitFor();
      await tab.page.locator('tr[data-key="console-rose"]').waitFor();
      assert.equal(await tab.page.locator('.field-error:not(:empty)').count(), 0, 'the second click sent nothing');
      const adds = (await f.admin.ok('GET', '/audit')).items.filter(
        (entry: any) => entry.method === 'POST' && entry.route === '/tencent/apps/:sdkAppId/gifts',
      );
      assert.equal(adds.length, 1, 'one add request for the double click');

      const gift = await tencentGift('console-rose');
      assert.deepEqual(
        { id: gift.GiftId, coins: gift.Coins, level: gift.Level, name: gift.DefaultName },
        { id: 'console-rose', coins: 25, level: 3, name: 'Console Rose' },
      );
      const cells = await tab.page.locator('tr[data-key="console-rose"] td').allTextContents();
      assert.deepEqual(cells.slice(0, 4), ['console-roseConsole Rose', '25', '3', 'none']);
      await tab.screenshot('gifts');
      tab.assertNoProblems();
      const phone = await f.open('phone');
      await openCatalog(phone);
      await phone.page.locator('tr[data-key="console-rose"]').waitFor();
      await phone.screenshot('gifts');
      phone.assertNoProblems();
    });

    it('shows the rule a refused gift broke next to the field at fault', async () => {
      await f.tencent.client.ok(srv('add_gift'), { GiftId: 'taken', Coins: 1, DefaultName: 'Taken' });
      for (const viewport of ['desktop', 'phone'] as const) {
        const tab = await f.open(viewport);
        await openCatalog(tab);
        const tooLong = 'A name far too long for a gift';
        await addGift(tab, { giftId: `long-${viewport}`, name: tooLong, coins: '5' });
        await tab.page.getByRole('button', { name: 'Add gift' }).click();
        const nameError = tab.page.locator('#gift-new-defaultName-error');
        await nameError.filter({ hasText: /\S/ }).waitFor();
        assert.match((await nameError.textContent())!, /defaultName must be at most 20 bytes/);
        assert.equal(await tab.page.locator('#gift-new-defaultName').getAttribute('aria-invalid'), 'true');
        // The Tencent command refuses the same gift by the same rule.
        const tencent = await f.tencent.client.call(srv('add_gift'), {
          GiftId: 'long',
          Coins: 5,
          DefaultName: tooLong,
        });
        assert.notEqual(tencent.ErrorCode, 0);
        assert.match(tencent.ErrorInfo, /DefaultName must be at most 20 bytes/);

        await tab.page.locator('#gift-new-defaultName').fill('Fine');
        await tab.page.locator('#gift-new-giftId').fill('taken');
        await tab.page.getByRole('button', { name: 'Add gift' }).click();
        const idError = tab.page.locator('#gift-new-giftId-error');
        await idError.filter({ hasText: /already exists/ }).waitFor();
        assert.equal(await nameError.textContent(), '', 'the earlier error is gone');

        await tab.page.locator('#gift-new-giftId').fill(`price-${viewport}`);
        await tab.page.locator('#gift-new-coins').fill('');
        await tab.page.getByRole('button', { name: 'Add gift' }).click();
        await tab.page
          .locator('#gift-new-coins-error')
          .filter({ hasText: /coins is required/ })
          .waitFor();
        await tab.page.locator('#gift-new-coins').fill('1.5');
        await tab.page.getByRole('button', { name: 'Add gift' }).click();
        await tab.page
          .locator('#gift-new-coins-error')
          .filter({ hasText: /coins must be an integer/ })
          .waitFor();
        await tab.page.locator('#gift-new-giftId').fill('taken');
        await tab.page.locator('#gift-new-coins').fill('5');
        await tab.page.getByRole('button', { name: 'Add gift' }).click();
        await idError.filter({ hasText: /already exists/ }).waitFor();
        await tab.page.locator('#gift-new-giftId').scrollIntoViewIfNeeded();
        await tab.screenshot('gifts-form-error');
        tab.assertNoProblems();
      }
      assert.equal(await tencentGift('long-desktop'), undefined);
      assert.equal((await tencentGift('taken')).DefaultName, 'Taken', 'the duplicate changed nothing');
    });

    it('edits a gift, names it in a language, puts it in a category and deletes it', async () => {
      await f.tencent.client.ok(srv('add_gift'), { GiftId: 'edit-me', Coins: 7, DefaultName: 'Edit me' });
      await f.tencent.client.ok(srv('add_gift'), { GiftId: 'edit-too', Coins: 1, DefaultName: 'Edit too' });
      const tab = await f.open();
      await openCatalog(tab);

      // A category added on the catalog page.
      await tab.page.getByText('Add a category').click();
      await tab.page.locator('#category-new-categoryId').fill('console-cat');
      await tab.page.locator('#category-new-defaultName').fill('Console picks');
      await tab.page.getByRole('button', { name: 'Add category' }).click();
      await tab.page.locator('tr[data-key="console-cat"]').waitFor();

      await tab.page.locator('tr[data-key="edit-me"] a', { hasText: 'edit-me' }).click();
      await tab.waitForHeading('Gift');
      assert.match(tab.page.url(), new RegExp(`/console/gifts/${app}/gift/edit-me$`));
      await tab.page.locator('#gift-edit-coins').fill('30');
      await tab.page.locator('#gift-edit-defaultName').fill('Edited');
      await tab.page.getByRole('button', { name: 'Save changes' }).click();
      await tab.page.getByText('Saved.').waitFor();
      const edited = await tencentGift('edit-me');
      assert.deepEqual([edited.Coins, edited.DefaultName], [30, 'Edited']);

      // A refused edit names its field.
      await tab.page.locator('#gift-edit-extensionInfo').fill('{not json');
      await tab.page.getByRole('button', { name: 'Save changes' }).click();
      await tab.page
        .locator('#gift-edit-extensionInfo-error')
        .filter({ hasText: /extensionInfo/ })
        .waitFor();
      await tab.page.locator('#gift-edit-extensionInfo').fill('');

      // A language: the name is required the first time, as set_gift_language says.
      await tab.page.getByText('Set a language').click();
      await tab.page.locator('#gift-lang-set-language').selectOption('zh-Hans');
      await tab.page.locator('#gift-lang-set-description').fill('花');
      await tab.page.getByRole('button', { name: 'Set language' }).click();
      await tab.page
        .locator('#gift-lang-set-name-error')
        .filter({ hasText: /name is required when the zh-Hans language is first set/ })
        .waitFor();
      await tab.page.locator('#gift-lang-set-name').fill('玫瑰');
      await tab.page.getByRole('button', { name: 'Set language' }).click();
      await tab.page.locator('tr[data-key="zh-Hans"]').waitFor();

      await tab.page.getByLabel('Add to category').selectOption('console-cat');
      await tab.page.getByRole('button', { name: 'Add to the chosen category' }).click();
      await tab.page.getByRole('button', { name: 'Take out of console-cat' }).waitFor();
      const info = await giftInfo();
      assert.deepEqual(info.CategoryList.find((c: any) => c.CategoryId === 'console-cat').GiftIdList, ['edit-me']);
      const withLanguage = info.GiftList.find((g: any) => g.GiftId === 'edit-me');
      assert.match(JSON.stringify(withLanguage), /玫瑰/);
      await tab.screenshot('gift');
      const phone = await f.open('phone');
      await phone.goto(`/console/gifts/${app}/gift/edit-me`);
      await phone.signIn();
      await phone.page.locator('tr[data-key="zh-Hans"]').waitFor();
      await phone.screenshot('gift');
      phone.assertNoProblems();

      // The category's page shows the relation; taking the gift out there changes it.
      await tab.page.locator('a', { hasText: 'console-cat' }).first().click();
      await tab.waitForHeading('Gift category');
      await tab.page.getByRole('button', { name: 'Take edit-me out' }).click();
      await tab.page.getByText('No gifts in it yet.').waitFor();
      await tab.page.locator('#category-add-gifts-giftIds').fill('edit-me, edit-too, ghost');
      await tab.page.getByRole('button', { name: 'Add', exact: true }).click();
      await tab.page.getByText('Added; not gifts of this app: ghost.').waitFor();
      await tab.page.getByRole('button', { name: 'Take edit-me out' }).waitFor();
      // Reordering: edit-too moves up, and get_gift_info_list gives the new order.
      await tab.page.getByRole('button', { name: 'Move edit-too up' }).click();
      await tab.page.locator('ol li:first-child[data-key="edit-too"]').waitFor();
      assert.equal(await tab.page.getByRole('button', { name: 'Move edit-too up' }).isDisabled(), true, 'first now');
      const order = await tab.page
        .locator('ol li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-key')));
      assert.deepEqual(order, ['edit-too', 'edit-me']);
      const reordered = (await giftInfo()).CategoryList.find((c: any) => c.CategoryId === 'console-cat');
      assert.deepEqual(reordered.GiftIdList, ['edit-too', 'edit-me']);
      await tab.screenshot('gift-category');

      await tab.page.locator('ol a', { hasText: 'edit-me' }).click();
      await tab.waitForHeading('Gift');
      tab.page.once('dialog', (dialog) => void dialog.accept());
      await tab.page.getByRole('button', { name: 'Delete gift edit-me' }).click();
      await tab.waitForHeading('Gifts');
      await tab.page.locator('tr[data-key="edit-too"]').waitFor();
      assert.equal(await tab.page.locator('tr[data-key="edit-me"]').count(), 0);
      assert.equal(await tencentGift('edit-me'), undefined, 'get_gift_info_list no longer returns it');
      tab.assertNoProblems();
    });
  });
}
