import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import { callbackCommand, Receiver } from '../support/receiver.js';
import { createRooms, liveConfig, otherApp, testApp } from '../support/tencent.js';
import { waitUntil } from '../support/wait.js';

/** What the receiver answers once it is up: shown by the console as the answer's first bytes. */
const RECEIVER_ANSWER = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"got it"}';

/** A port nothing listens on (a receiver that is down), which a receiver can later take. */
async function freePort(): Promise<number> {
  const probe = await Receiver.start();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  return port;
}

for (const backend of backends) {
  describe(`web console: deliveries [${backend.name}]`, () => {
    let f: ConsoleFixture;
    let port: number;
    let receiver: Receiver | undefined;
    before(async () => {
      port = await freePort();
      // Callbacks are given up on (dead) within a second while the receiver is down.
      f = await consoleFixture(backend, {
        config: { tencent: { callbackRetry: { initialMs: 50, maxMs: 100, forMs: 800 } } },
      });
      await f.tencent.client.ok(liveConfig('set_callback'), {
        Url: `http://127.0.0.1:${port}/cb`,
        CallbackCommandList: ['Live.CallbackAfterCreateRoom'],
      });
    });
    after(async () => {
      await f.close();
      await receiver?.close();
    });

    it('shows a dead delivery with its attempts; a replay from the console reaches the receiver', async () => {
      const [roomId] = await createRooms(f.tencent.client, 1, 'console-dead');
      const dead: any = await waitUntil(
        async () =>
          (await f.admin.ok('GET', `/deliveries?app=${testApp.sdkAppId}&status=dead`)).deliveries.find(
            (d: any) => d.payload.room?.roomId === roomId,
          ),
        'the callback to the down receiver to be given up on',
      );

      // The log, filtered to the app, kept live from the event stream.
      const list = await f.open();
      await list.goto(`/console/deliveries?app=${testApp.sdkAppId}`);
      await list.signIn();
      await list.waitForHeading('Deliveries');
      const row = list.page.locator(`tr[data-key="${dead.id}"]`);
      await row.locator('[data-status="dead"]').waitFor();
      assert.match((await row.textContent())!, /ECONNREFUSED/);
      await list.screenshot('deliveries');

      const tab = await f.open();
      await tab.goto(`/console/deliveries/${dead.id}`);
      await tab.signIn();
      await tab.waitForHeading('Delivery');
      await tab.page.locator('.fs-title [data-status="dead"]').waitFor();
      const attempts = tab.page.locator('table.attempts tbody tr');
      assert.equal(await attempts.count(), dead.attempts, 'every attempt is listed');
      assert.ok(dead.attempts >= 2);
      for (const text of await attempts.allTextContents()) assert.match(text, /Failed.*ECONNREFUSED/);
      assert.match((await tab.page.locator('.facts').textContent())!, /given up/);
      assert.equal(await tab.page.getByRole('button', { name: 'Retry now' }).count(), 1, 'a dead one can be retried');

      receiver = await Receiver.start({ port, answer: () => ({ status: 200, body: RECEIVER_ANSWER }) });
      await tab.page.getByRole('button', { name: 'Replay' }).click();
      const [first] = await receiver.waitFor((all) => all.length >= 1);
      assert.equal(first!.json.EventId, dead.eventId, 'the same event id');
      assert.equal(callbackCommand(first!), 'Live.CallbackAfterCreateRoom');
      assert.equal(first!.json.RoomInfo.RoomId, roomId);
      assert.equal(first!.json.EventTime, dead.payload.at, 'the event as it was written');

      // The page follows the delivery's state: delivered, the replay as the newest attempt with the answer.
      await tab.page.locator('.fs-title [data-status="delivered"]').waitFor();
      const latest = attempts.first();
      await tab.page.locator('table.attempts tbody tr[data-by="replay"][data-outcome="delivered"]').waitFor();
      assert.match((await latest.textContent())!, /HTTP 200/);
      assert.equal(await latest.locator('pre').textContent(), RECEIVER_ANSWER, "the answer's first bytes");
      assert.equal(await attempts.count(), dead.attempts + 1);
      // The log's row changed without a reload.
      await row.locator('[data-status="delivered"]').waitFor();

      // A delivered one replayed: the receiver gets the same body again.
      await tab.page.getByRole('button', { name: 'Replay' }).click();
      const [once, twice] = await receiver.waitFor((all) => all.length >= 2);
      assert.equal(twice!.body, once!.body, 'the same body');
      await tab.page.locator('table.attempts tbody tr[data-by="replay"]').nth(1).waitFor();
      await tab.screenshot('deliveries-detail');
      list.assertNoProblems();
      tab.assertNoProblems();

      const phone = await f.open('phone');
      await phone.goto(`/console/deliveries/${dead.id}`);
      await phone.signIn();
      await phone.page.locator('.fs-title [data-status="delivered"]').waitFor();
      await phone.screenshot('deliveries-detail');
      await phone.goto('/console/deliveries?status=delivered');
      await phone.page.locator(`tr[data-key="${dead.id}"]`).waitFor();
      await phone.screenshot('deliveries');
      phone.assertNoProblems();
    });

    it("shows a delivery that does not exist as the admin API's refusal in words, with a way to try again", async () => {
      for (const viewport of ['desktop', 'phone'] as const) {
        const tab = await f.open(viewport);
        await tab.goto('/console/deliveries/999999999');
        await tab.signIn();
        const error = tab.page.locator('.state-error');
        await error.waitFor();
        assert.match((await error.textContent())!, /999999999.*\(not_found, HTTP 404\)/);
        const again = tab.page.getByRole('button', { name: 'Try again' });
        assert.equal(await again.count(), 1);
        await tab.screenshot('deliveries-detail-missing');
        // Trying again reads again, and is refused the same way: one error, not two.
        await again.click();
        await tab.page.locator('.state-error').waitFor();
        assert.equal(await tab.page.locator('.state-error').count(), 1);
      }
    });

    it("sends a test callback and shows the receiver's answer; an app without a callback URL is refused in words", async () => {
      receiver ??= await Receiver.start({ port, answer: () => ({ status: 200, body: RECEIVER_ANSWER }) });
      const tab = await f.open();
      await tab.goto('/console/deliveries');
      await tab.signIn();
      await tab.waitForHeading('Deliveries');
      await tab.page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
      // A callback queued after the list was read is announced live, and shown on request.
      const [roomId] = await createRooms(f.tencent.client, 1, 'console-new');
      const fresh: any = await waitUntil(
        async () =>
          (await f.admin.ok('GET', `/deliveries?app=${testApp.sdkAppId}`)).deliveries.find(
            (d: any) => d.payload.room?.roomId === roomId && d.status === 'delivered',
          ),
        'the new room callback to be delivered',
      );
      await tab.page.getByText('1 new delivery since this list was read.').waitFor();
      await tab.page.getByRole('button', { name: 'Show', exact: true }).click();
      await tab.page.locator(`tr[data-key="${fresh.id}"] [data-status="delivered"]`).waitFor();

      const sentBefore = receiver.requests.length;
      await tab.page.getByLabel('App to test').selectOption(String(testApp.sdkAppId));
      await tab.page.getByRole('button', { name: 'Send a test callback' }).click();
      const answer = tab.page.locator('.test-answer');
      await answer.waitFor();
      assert.equal(await answer.getAttribute('data-accepted'), 'true');
      assert.equal(await answer.locator('[data-field="httpStatus"]').textContent(), '200');
      assert.equal(await answer.locator('[data-field="answer"]').textContent(), RECEIVER_ANSWER);
      const [sent] = (await receiver.waitFor((all) => all.length > sentBefore)).slice(sentBefore);
      assert.equal(callbackCommand(sent!), 'Ringside.TestCallback');
      assert.match((await answer.textContent())!, new RegExp(sent!.json.EventId));
      await tab.screenshot('deliveries-test-callback');

      await tab.page.getByLabel('App to test').selectOption(String(otherApp.sdkAppId));
      await tab.page.getByRole('button', { name: 'Send a test callback' }).click();
      const refusal = tab.page.locator('.test-callback-result .form-error');
      await refusal.waitFor();
      assert.match((await refusal.textContent())!, /no callback URL configured \(not_found, HTTP 404\)/);
      tab.assertNoProblems();
    });
  });
}
