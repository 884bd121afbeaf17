import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, type ConsolePage, consoleFixture } from '../support/console.js';
import { eventParams, JdbClient, jdbAgent, testGames } from '../support/jdb.js';
import { createMatch, pollGame, REALM, uniqueUsers } from '../support/oklp.js';
import { createBattle, createRooms, liveConfig, pk, srv } from '../support/tencent.js';

const tileValue = (tab: ConsolePage, key: string) => tab.page.locator(`.tile[data-key="${key}"] .tile-value`);
const cells = (tab: ConsolePage, section: string, key: string) =>
  tab.page.locator(`[data-section="${section}"] tr[data-key="${key}"] td`).allTextContents();

for (const backend of backends) {
  describe(`web console: the overview [${backend.name}]`, () => {
    let f: ConsoleFixture;
    before(async () => {
      f = await consoleFixture(backend, {
        config: {
          // Nothing listens on port 1: the other app's callbacks stay pending (retried for a minute).
          tencent: { callbackRetry: { initialMs: 200, maxMs: 200, forMs: 60_000 } },
          jdb: { agents: [jdbAgent], games: testGames },
          oklp: { realm: REALM, clients: [pollGame] },
        },
      });
    });
    after(() => f.close());

    it('shows what the vendor APIs made: counts per tenant, the outbox, gifts and score updates per second', async () => {
      const client = f.tencent.client;
      const sdkAppId = client.app.sdkAppId;
      // Two running battles (four rooms) and one ended (two rooms more); five score changes.
      const { battleId, rooms } = await createBattle(client, { durationMs: 600_000 });
      await createBattle(client, { durationMs: 600_000 });
      const ended = await createBattle(client);
      await client.ok(pk('end_battle'), { BattleId: ended.battleId });
      for (let i = 0; i < 5; i++) {
        await client.ok(pk('set_battle_score'), {
          BattleId: battleId,
          OpType: 1,
          ScoreList: [{ RoomId: rooms[i % 2], Score: 10 }],
        });
      }
      // Nine gifts in two sends.
      await client.ok(srv('add_gift'), { GiftId: 'rose', Coins: 2, DefaultName: 'rose' });
      for (const count of [4, 5]) {
        await client.ok(srv('send_gift'), { RoomId: rooms[0], GiftId: 'rose', Count: count, From_Account: 'fan' });
      }
      // A free-spin event by Action 72 and an open match.
      await new JdbClient(f.url, jdbAgent).ok(72, eventParams(Date.now()));
      await createMatch(f.admin, {
        clientId: pollGame.clientId,
        teams: [uniqueUsers(1, 'ov-a'), uniqueUsers(1, 'ov-b')],
      });
      const api = await f.admin.ok('GET', '/overview');

      const tab = await f.open();
      await tab.goto('/console');
      await tab.signIn();
      await tab.waitForHeading('Overview');
      assert.equal(await tileValue(tab, 'rooms').textContent(), '6');
      assert.equal(await tileValue(tab, 'running-battles').textContent(), '2');
      assert.equal(await tileValue(tab, 'freespin-events').textContent(), '1');
      assert.equal(await tileValue(tab, 'open-matches').textContent(), '1');
      assert.deepEqual(await cells(tab, 'apps', String(sdkAppId)), [String(sdkAppId), '6', '2']);
      assert.deepEqual(await cells(tab, 'apps', String(f.tencent.other.app.sdkAppId)), [
        String(f.tencent.other.app.sdkAppId),
        '0',
        '0',
      ]);
      assert.deepEqual(await cells(tab, 'agents', jdbAgent.parent), [jdbAgent.parent, '1']);
      assert.deepEqual(await cells(tab, 'clients', pollGame.clientId), [pollGame.clientId, '1']);

      // The charts: the hour's totals as the API counts them, the current minute's bar drawn.
      const gifts = tab.page.locator('[data-chart="gifts"]');
      const scores = tab.page.locator('[data-chart="score-updates"]');
      assert.equal(await gifts.locator('[data-figure="total"]').textContent(), '9');
      assert.equal(await scores.locator('[data-figure="total"]').textContent(), '5');
      const apiTotal = (pick: (m: any) => number) => api.minutes.reduce((sum: number, m: any) => sum + pick(m), 0);
      assert.equal(
        apiTotal((m) => m.gifts),
        9,
      );
      assert.equal(
        apiTotal((m) => m.scoreUpdates),
        5,
      );
      assert.equal(await gifts.locator('rect.bar').count(), 60, 'one bar per minute');
      const current = gifts.locator('rect.bar.current');
      assert.ok(Number(await current.getAttribute('height')) > 0, 'the current minute has a bar');
      assert.match((await current.locator('title').textContent())!, /per second \(9 gifts\)$/);
      assert.match(
        (await scores.locator('svg').getAttribute('aria-label'))!,
        /^Score updates per second: .* now, peak .*, 5 score updates in the last hour\.$/,
      );

      // The outbox: room.created messages to the unreachable app wait, with the oldest one's time.
      await f.tencent.other.ok(liveConfig('set_callback'), {
        Url: 'http://127.0.0.1:1/cb',
        CallbackCommandList: ['Live.CallbackAfterCreateRoom'],
      });
      await createRooms(f.tencent.other, 1, 'overview-outbox');
      await tab.page.getByRole('button', { name: 'Refresh' }).click();
      const outboxRow = tab.page.locator('[data-section="outbox"] tr[data-key="room.created"]');
      await outboxRow.waitFor();
      const [topic, pending, dead] = await outboxRow.locator('td').allTextContents();
      assert.equal(topic, 'room.created');
      assert.ok(Number(pending) >= 1, `pending ${pending}`);
      assert.equal(dead, '0');
      assert.match((await outboxRow.locator('td').nth(3).textContent())!, /waiting \d+:\d\d/);
      assert.equal(
        await outboxRow.locator('a').first().getAttribute('href'),
        '/console/deliveries?status=pending&topic=room.created',
      );
      assert.equal(await tileValue(tab, 'rooms').textContent(), '7', 'the refresh read the new room');

      // More traffic shows at the next read without a reload.
      await client.ok(srv('send_gift'), { RoomId: rooms[0], GiftId: 'rose', Count: 1, From_Account: 'fan' });
      await tab.page.getByRole('button', { name: 'Refresh' }).click();
      await gifts.locator('[data-figure="total"]').filter({ hasText: /^10$/ }).waitFor();
      await tab.screenshot('overview');
      tab.assertNoProblems();

      const phone = await f.open('phone');
      await phone.goto('/console');
      await phone.signIn();
      await phone.waitForHeading('Overview');
      assert.equal(await tileValue(phone, 'running-battles').textContent(), '2');
      await phone.screenshot('overview');
      phone.assertNoProblems();
    });
  });
}
