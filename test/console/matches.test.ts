import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { type ConsoleFixture, consoleFixture } from '../support/console.js';
import { balance, createMatch, GameClient, pollGame, REALM, syncResult, uniqueUsers } from '../support/oklp.js';

const clientId = pollGame.clientId;

for (const backend of backends) {
  describe(`web console: the matches pages [${backend.name}]`, () => {
    let f: ConsoleFixture;
    let game: GameClient;
    before(async () => {
      f = await consoleFixture(backend, { config: { oklp: { realm: REALM, clients: [pollGame] } } });
      game = new GameClient(f.url, pollGame);
    });
    after(() => f.close());

    it('a match created through the admin API and settled through the game API shows its settlement', async () => {
      const [a, b] = uniqueUsers(2, `console-match-${backend.name}`);
      const teams = [[a!], [b!]];
      const matchId = await createMatch(f.admin, { clientId, teams, entryFee: 500 }, 1000);
      const live = await createMatch(f.admin, { clientId, teams: [[`${a}-x`], [`${b}-x`]], entryFee: 250 });
      const reply = await game.finish(syncResult(matchId, teams, [1, 2]));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const detail = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(detail.match.status, 'settled');

      const tab = await f.open();
      await tab.goto('/console/matches');
      await tab.signIn();
      await tab.waitForHeading('Matches & ledger');
      const row = tab.page.locator(`tr[data-key="${matchId}"]`);
      await row.waitFor();
      await tab.page.locator(`tr[data-key="${live}"]`).waitFor();
      const cells = await row.locator('td').allTextContents();
      assert.deepEqual(cells.slice(2), [
        'test-game-poll',
        'Sync',
        'team-1 (1) vs team-2 (1)',
        '$5.00',
        'Settled',
        'Won by team-1',
      ]);
      await tab.screenshot('matches');

      // Filters live in the URL: status settled leaves the live match out.
      await tab.page.getByLabel('Status').selectOption('settled');
      await tab.page.getByLabel('Client').selectOption(clientId);
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.waitForURL(/\/console\/matches\?clientId=test-game-poll&status=settled$/);
      await row.waitFor();
      assert.equal(await tab.page.locator(`tr[data-key="${live}"]`).count(), 0);
      await tab.page.getByLabel('Mode').selectOption('async');
      await tab.page.getByRole('button', { name: 'Apply' }).click();
      await tab.page.getByText('No matches match these filters.').waitFor();
      await tab.page.goBack();
      await row.waitFor();

      // The match's own page: teams, the result received, the settlement and its transfers.
      await row.getByRole('link').click();
      await tab.waitForHeading('Match');
      assert.equal(new URL(tab.page.url()).pathname, `/console/matches/${matchId}`);
      const settlement = tab.page.locator('.settlement');
      await settlement.waitFor();
      assert.equal(await settlement.getAttribute('data-outcome'), 'won');
      const facts = await settlement.locator('.fact').allTextContents();
      assert.deepEqual(facts, ['OutcomeWon by team-1', 'Paid out$9.00', 'Refunded$0.00', 'Platform fee$1.00']);
      assert.deepEqual(
        await settlement.getByRole('region', { name: 'Payouts' }).locator('tbody tr').allTextContents(),
        [`${a}$9.00`],
      );
      assert.equal(await settlement.getByRole('region', { name: 'Refunds' }).textContent(), 'RefundsNo refunds.');
      assert.equal(await tab.page.locator('.match-outcome').textContent(), 'Won by team-1');
      assert.equal(await tab.page.locator('[data-team="team-1"] .badge-ok').textContent(), 'winner');
      const results = await tab.page.locator('.result tbody tr').allTextContents();
      assert.deepEqual(results, ['team-11100no', 'team-22100no', `${a}200`, `${b}100`]);
      const transferRows = tab.page.locator('.match-detail > .table-wrap tbody tr');
      assert.deepEqual(
        await transferRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
        detail.transfers.map((t: any) => String(t.id)),
      );
      assert.deepEqual(await transferRows.locator('td[data-label="Kind"]').allTextContents(), [
        'Entry fee',
        'Entry fee',
        'Prize',
        'Platform fee',
      ]);
      assert.equal(await tab.page.getByRole('button', { name: 'Abort match…' }).count(), 0, 'no actions once settled');
      await tab.screenshot('match');
      const phone = await f.open('phone');
      await phone.goto(`/console/matches/${matchId}`);
      await phone.signIn();
      await phone.page.locator('.settlement').waitFor();
      await phone.screenshot('match');
      const phoneList = await f.open('phone');
      await phoneList.goto('/console/matches');
      await phoneList.signIn();
      await phoneList.page.locator(`tr[data-key="${matchId}"]`).waitFor();
      await phoneList.screenshot('matches');
      for (const t of [tab, phone, phoneList]) t.assertNoProblems();
    });

    it('a live match open in the console shows its settlement when the game reports the result', async () => {
      const [a, b, c, d] = uniqueUsers(4, `console-live-${backend.name}`);
      const teams = [
        [a!, b!],
        [c!, d!],
      ];
      const matchId = await createMatch(f.admin, { clientId, teams, entryFee: 300 });
      const tab = await f.open();
      await tab.goto(`/console/matches/${matchId}`);
      await tab.signIn();
      await tab.waitForHeading('Match');
      await tab.page.getByText('Not settled yet').waitFor();
      assert.equal(await tab.page.locator('.match-summary .badge').textContent(), 'Live');
      await tab.screenshot('match-live');

      const reply = await game.finish(syncResult(matchId, teams, [1, 1]));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const started = Date.now();
      const settlement = tab.page.locator('.settlement[data-outcome="tied"]');
      await settlement.waitFor({ timeout: 5000 });
      console.log(`# the settlement appeared ${Date.now() - started} ms after /finish answered`);
      assert.equal(await tab.page.locator('.match-summary .badge').textContent(), 'Settled');
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      const shown = await settlement.getByRole('region', { name: 'Refunds' }).locator('tbody tr').allTextContents();
      assert.deepEqual(
        shown,
        match.settlement.refunds.map((r: any) => `${r.userId}$${(r.amount / 100).toFixed(2)}`),
      );
      tab.assertNoProblems();
    });

    it('aborts a live match after a confirmation, and forfeits a team', async () => {
      const [a, b] = uniqueUsers(2, `console-abort-${backend.name}`);
      const matchId = await createMatch(f.admin, { clientId, teams: [[a!], [b!]], entryFee: 700 });
      assert.equal(await balance(f.admin, a!), 0);
      const tab = await f.open('phone');
      await tab.goto(`/console/matches/${matchId}`);
      await tab.signIn();
      await tab.waitForHeading('Match');

      // Forfeit: the team is marked, the match stays live.
      await tab.page.getByRole('button', { name: 'Forfeit a team…' }).click();
      const forfeit = tab.page.getByRole('form', { name: 'Forfeit a team' });
      await forfeit.getByLabel('Team').selectOption('team-2');
      await forfeit.getByRole('button', { name: 'Forfeit team' }).click();
      await tab.page.locator('[data-team="team-2"] .badge-error').getByText('forfeited').waitFor();
      assert.equal((await f.admin.ok('GET', `/oklp/matches/${matchId}`)).match.teams[1].forfeited, true);

      // Abort: nothing happens until the reason is given and confirmed.
      await tab.page.getByRole('button', { name: 'Abort match…' }).click();
      const abort = tab.page.getByRole('form', { name: 'Abort this match' });
      assert.match((await abort.textContent())!, /every entry fee is refunded: \$7\.00 to each of 2 players/);
      await abort.getByRole('button', { name: 'Abort match and refund' }).click();
      await abort.getByText('Say why the match is aborted.').waitFor();
      assert.equal((await f.admin.ok('GET', `/oklp/matches/${matchId}`)).match.status, 'live', 'not without a reason');
      await tab.screenshot('match-abort');
      await abort.getByLabel('Reason').fill('server outage');
      await abort.getByRole('button', { name: 'Abort match and refund' }).click();
      await tab.page.locator('.settlement[data-outcome="aborted"]').waitFor();
      assert.equal(await tab.page.locator('.match-outcome').textContent(), 'Aborted: server outage');
      const { match } = await f.admin.ok('GET', `/oklp/matches/${matchId}`);
      assert.equal(match.status, 'aborted');
      assert.equal(await balance(f.admin, a!), 700, 'the entry fee came back');
      assert.deepEqual(await tab.page.getByRole('region', { name: 'Refunds' }).locator('tbody tr').allTextContents(), [
        `${a}$7.00`,
        `${b}$7.00`,
      ]);
      assert.equal(await tab.page.getByRole('button', { name: 'Abort match…' }).count(), 0);
      tab.assertNoProblems();
    });

    it('says so in words when there is no such match', async () => {
      const tab = await f.open();
      await tab.goto('/console/matches/ffffffffffffffffffffffff');
      await tab.signIn();
      const error = tab.page.locator('.state-error');
      await error.waitFor();
      assert.match((await error.textContent())!, /\(match_not_found, HTTP 404\)/);
      tab.assertNoProblems();
    });
  });
}
