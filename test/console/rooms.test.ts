import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import { createRooms, pk, srv, testApp } from '../support/tencent.js';

const app = testApp.sdkAppId;

for (const backend of backends) {
  describe(`web console: the Rooms page [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend);
    });
    after(() => f.close());

    it('lists rooms made through the Tencent API, filters them, and shows a room with its top senders', async () => {
      const client = f.tencent.client;
      const [star, rival, quiet] = await createRooms(client, 3, 'console');
      await client.ok(srv('set_room_metadata'), { RoomId: star, Metadata: [{ Key: 'theme', Value: 'night' }] });
      await client.ok(srv('add_gift'), { GiftId: 'rose', Coins: 5, DefaultName: 'Rose' });
      await client.ok(srv('add_gift'), { GiftId: 'crown', Coins: 100, DefaultName: 'Crown' });
      await client.ok(srv('send_gift'), { RoomId: star, GiftId: 'rose', Count: 4, From_Account: 'fan_small' });
      await client.ok(srv('send_gift'), { RoomId: star, GiftId: 'crown', Count: 2, From_Account: 'fan_big' });
      await client.ok(srv('send_gift'), { RoomId: star, GiftId: 'rose', Count: 1, From_Account: 'fan_big' });
      await client.ok(pk('create_battle'), {
        FromRoomId: star,
        ToRoomIdList: [rival],
        Duration: 60_000,
      });
      // A gift during the battle counts for the room's score too.
      await client.ok(srv('send_gift'), { RoomId: star, GiftId: 'rose', Count: 1, From_Account: 'fan_small' });

      const tab = await f.open();
      await tab.goto(`/console/rooms?app=${app}`);
      await tab.signIn();
      await tab.waitForHeading('Rooms');
      for (const roomId of [star, rival, quiet]) await tab.page.locator(`tr[data-key="${roomId}"]`).waitFor();
      const keys = await tab.page
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      assert.deepEqual(keys, [quiet, rival, star], 'newest first');
      assert.equal(await tab.page.locator(`tr[data-key="${star}"] td`).nth(1).textContent(), 'owner-0');
      await tab.screenshot('rooms');

      // In a battle: the two rooms of the battle, not the quiet one; the filter is in the URL.
      await tab.page.getByLabel('In a battle').selectOption('true');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.waitForURL(/inBattle=true/);
      await tab.page.locator(`tr[data-key="${star}"]`).waitFor();
      await tab.page.locator(`tr[data-key="${rival}"]`).waitFor();
      assert.equal(await tab.page.locator(`tr[data-key="${quiet}"]`).count(), 0);
      await tab.page.getByLabel('Owner').fill('owner-2');
      await tab.page.getByLabel('In a battle').selectOption('');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.locator(`tr[data-key="${quiet}"]`).waitFor();
      assert.equal(await tab.page.locator('tbody tr').count(), 1);
      await tab.page.getByLabel('Owner').fill('nobody');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.getByText('No rooms match these filters.').waitFor();

      // The room's own page, reached by its URL.
      await tab.goto(`/console/rooms/${app}/${encodeURIComponent(star!)}`);
      await tab.waitForHeading('Room');
      // The heading shows at once; the room's data follows.
      await tab.page.locator('#top-senders tbody tr').first().waitFor();
      const senders = await tab.page
        .locator('#top-senders tbody tr')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      assert.deepEqual(senders, [
        ['1', 'fan_big', '3', '205'],
        ['2', 'fan_small', '5', '25'],
      ]);
      const stats = await tab.page.locator('.stat').allTextContents();
      assert.deepEqual(stats.slice(0, 4), ['4Gift sends', '8Gifts', '230Coins', '2Senders']);
      assert.deepEqual(await tab.page.locator('#metadata tbody td').allTextContents(), ['theme', 'night']);
      const battleRow = tab.page.locator('#battles tbody tr');
      assert.equal(await battleRow.count(), 1);
      assert.match((await battleRow.textContent())!, /running/);
      assert.match((await battleRow.locator('.scoreboard').textContent())!, new RegExp(`^${star} 5${rival} 0$`));
      await tab.screenshot('room');

      // From the list to a room and back.
      const phone = await f.open('phone');
      await phone.goto(`/console/rooms?app=${app}`);
      await phone.signIn();
      await phone.page.locator(`tr[data-key="${quiet}"] a`).click();
      await phone.waitForHeading('Room');
      await phone.page.getByText('No gifts sent into this room yet.').waitFor();
      await phone.page.getByText('This room has not been in a battle.').waitFor();
      await phone.page.goBack();
      await phone.waitForHeading('Rooms');
      await phone.page.locator(`tr[data-key="${star}"]`).waitFor();
      await phone.screenshot('rooms');
      await phone.page.locator(`tr[data-key="${star}"] a`).click();
      await phone.page.locator('#top-senders').waitFor();
      await phone.screenshot('room');

      // A room that is not there is said so in words.
      await tab.goto(`/console/rooms/${app}/no-such-room`);
      await tab.page.getByText(/room no-such-room does not exist/).waitFor();
      tab.assertNoProblems();
      phone.assertNoProblems();
    });
  });
}
