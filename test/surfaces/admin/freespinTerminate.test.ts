import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  callbackOf,
  eventParams,
  gameA,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  jdbTime,
  uniqueId,
} from '../../support/jdb.js';

const DAY = 86_400_000;
const base = `/jdb/agents/${jdbAgent.parent}`;

for (const backend of backends) {
  describe(`admin API: terminating a free-spin event [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());

    const wide = () => ({ startTime: jdbTime(Date.now() - DAY), endTime: jdbTime(Date.now() + DAY) });

    async function newEvent(players: string[]) {
      await f.createPlayers(players);
      const { eventId } = await f.jdb.ok(72, eventParams(Date.now(), { players }));
      return String(eventId);
    }

    it('ends the event as Action 73 does: JDB sees it TERMINATED, no more spins, the cashouts are paid', async () => {
      const [spinner, idle] = [uniqueId('p'), uniqueId('p')];
      const eventId = await newEvent([spinner, idle]);
      const spun = await f.spin({ uid: spinner, eventId, mType: gameA.mType, win: '2.5', spinId: uniqueId('s') });
      assert.equal(spun.status, 200, JSON.stringify(spun.body));

      const answer = await f.admin.request('POST', `${base}/events/${eventId}/terminate`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.event.eventId, eventId);
      assert.equal(answer.body.event.status, 'terminated');
      assert.equal(typeof answer.body.event.terminatedAt, 'number');

      const [listed] = await f.jdb.ok(76, { ...wide(), eventId });
      assert.equal(listed.status, 'TERMINATED', 'Action 76 shows what the admin API did');
      const detail = await f.admin.ok('GET', `${base}/events/${eventId}`);
      assert.equal(detail.event.status, 'terminated');
      assert.equal(detail.event.terminatedAt, answer.body.event.terminatedAt);

      const late = await f.spin({ uid: spinner, eventId, mType: gameA.mType, win: '1', spinId: uniqueId('s') });
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'event_state');

      // The player who spun gets the cashout paid by Action 16; the one who did not, nothing.
      const paidTo = (uid: string) =>
        f.wallet.requests.map((r) => callbackOf(r, jdbAgent)).find((c) => c.action === 16 && c.uid === uid);
      await f.wallet.waitFor(() => paidTo(spinner) !== undefined);
      const paid = paidTo(spinner);
      assert.equal(String(paid.eventId), eventId);
      assert.equal(paid.amount, 2.5);
      const players = await f.admin.ok('GET', `${base}/events/${eventId}/players`);
      const grant = players.items.find((g: any) => g.uid === spinner);
      assert.equal(grant.cashout.amount, '2.500');
      assert.equal(paid.transferId, grant.cashout.payoutTransferId);

      const route = '/jdb/agents/:parent/events/:eventId/terminate';
      const audit = await f.admin.ok('GET', `/audit?route=${encodeURIComponent(route)}`);
      const entry = audit.items.find((e: any) => e.target.eventId === eventId);
      assert.ok(entry, `the write is audited: ${JSON.stringify(audit.items)}`);
      assert.equal(entry.outcome, 'ok');
    });

    it('refuses an event that has ended (409 event_state), an unknown event and an unknown agent (404)', async () => {
      const eventId = await newEvent([uniqueId('p')]);
      await f.jdb.ok(73, { eventId });
      const again = await f.admin.request('POST', `${base}/events/${eventId}/terminate`);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'event_state');
      assert.match(again.body.error.message, /TERMINATED/);

      const missing = await f.admin.request('POST', `${base}/events/999999999999999/terminate`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'event_not_found');
      assert.match(missing.body.error.message, /999999999999999/);

      const agent = await f.admin.request('POST', `/jdb/agents/no-such-agent/events/${eventId}/terminate`);
      assert.equal(agent.status, 404);
      assert.equal(agent.body.error.code, 'agent_not_found');

      const long = await f.admin.request('POST', `${base}/events/${'9'.repeat(51)}/terminate`);
      assert.equal(long.status, 400);
      assert.equal(long.body.error.code, 'invalid_parameter');
      assert.match(long.body.error.message, /^invalid path: eventId/);
    });
  });
}
