import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import {
  eventParams,
  gameA,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  otherJdbAgent,
  uniqueId,
  walletOk,
} from '../../support/jdb.js';
import { waitUntil } from '../../support/wait.js';

const TRY_LATER = '{"status":"9999","err_text":"try later"}';

for (const backend of backends) {
  describe(`admin API: JDB payouts with their attempts [${backend.name}]`, () => {
    let f: JdbFixture;
    /** The payouts made by the tests, by name: the spin answer's cashout. */
    const cashouts: Record<'first' | 'second' | 'other', { transferId: number; amount: string }> = {} as never;
    let testagRequests = 0;

    before(async () => {
      f = await jdbFixture(backend, {
        // A window of fifteen tries: the first payout needs three.
        jdb: { payoutRetry: { intervalMs: 100, forMs: 1500 } },
        wallet: {
          // otherag's wallet is closed; testag's fails twice (two ways), then pays.
          answer: (request) => {
            if (request.url.pathname.endsWith(`/${otherJdbAgent.parent}`)) return { status: 503, body: 'closed' };
            testagRequests += 1;
            if (testagRequests === 1) return { status: 500, body: 'wallet down' };
            if (testagRequests === 2) return { status: 200, body: TRY_LATER };
            return { status: 200, body: walletOk };
          },
        },
      });
      const payout = async (parent: string, win: string) => {
        const uid = uniqueId('p');
        await f.createPlayers([uid], parent);
        const jdb = parent === jdbAgent.parent ? f.jdb : f.other;
        const { eventId } = await jdb.ok(72, eventParams(Date.now(), { players: [uid], times: 1 }));
        const spin = await f.spin({ parent, uid, eventId, mType: gameA.mType, win });
        assert.equal(spin.status, 200, JSON.stringify(spin.body));
        return spin.body.cashout as { transferId: number; amount: string };
      };
      cashouts.first = await payout(jdbAgent.parent, '1.5');
      await f.wallet.waitFor((all) => all.some((r) => r.answeredBody === walletOk));
      cashouts.second = await payout(jdbAgent.parent, '2.25');
      cashouts.other = await payout(otherJdbAgent.parent, '3');
      await waitUntil(
        async () => {
          const { items } = await f.admin.ok('GET', '/jdb/payouts?status=pending');
          return items.length === 0;
        },
        'every payout to be paid or given up',
        10_000,
      );
    });
    after(() => f.close());

    const transferIds = (items: any[]) => items.map((p) => p.transferId);

    it('lists payouts by agent and status, newest first, as paid, pending or given up', async () => {
      const testag = (await f.admin.ok('GET', `/jdb/payouts?agent=${jdbAgent.parent}`)).items;
      assert.deepEqual(transferIds(testag), [cashouts.second.transferId, cashouts.first.transferId]);
      const [second] = testag;
      assert.deepEqual(
        {
          agent: second.agent,
          amount: second.amount,
          status: second.status,
          nextAttemptAt: second.nextAttemptAt,
          inFlight: second.inFlight,
          lastError: second.lastError,
          walletUrl: second.walletUrl,
        },
        {
          agent: jdbAgent.parent,
          amount: cashouts.second.amount,
          status: 'paid',
          nextAttemptAt: null,
          inFlight: false,
          lastError: null,
          walletUrl: `${f.wallet.url}/jdb/${jdbAgent.parent}`,
        },
      );
      assert.ok(second.paidAt >= second.createdAt);
      assert.equal(second.currency, jdbAgent.currency);

      const other = (await f.admin.ok('GET', `/jdb/payouts?agent=${otherJdbAgent.parent}`)).items;
      assert.deepEqual(
        other.map((p: any) => [p.transferId, p.status, p.lastError, p.paidAt]),
        [[cashouts.other.transferId, 'given_up', 'HTTP 503', null]],
      );
      assert.deepEqual(transferIds((await f.admin.ok('GET', '/jdb/payouts?status=given_up')).items), [
        cashouts.other.transferId,
      ]);
      assert.deepEqual(transferIds((await f.admin.ok('GET', '/jdb/payouts?status=paid')).items), [
        cashouts.second.transferId,
        cashouts.first.transferId,
      ]);
      assert.deepEqual((await f.admin.ok('GET', '/jdb/payouts?status=pending')).items, []);
      assert.deepEqual(transferIds((await f.admin.ok('GET', '/jdb/payouts')).items), [
        cashouts.other.transferId,
        cashouts.second.transferId,
        cashouts.first.transferId,
      ]);

      const asDeliveries = (await f.admin.ok('GET', `/deliveries?agent=${jdbAgent.parent}&topic=freespin.payout`))
        .deliveries;
      assert.deepEqual(
        asDeliveries.map((d: any) => d.id),
        testag.map((p: any) => p.id),
        'a payout is its delivery, by the same id',
      );
    });

    it('pages with a cursor', async () => {
      const first = await f.admin.ok('GET', '/jdb/payouts?limit=2');
      assert.deepEqual(transferIds(first.items), [cashouts.other.transferId, cashouts.second.transferId]);
      assert.equal(typeof first.nextCursor, 'string');
      const second = await f.admin.ok('GET', `/jdb/payouts?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(transferIds(second.items), [cashouts.first.transferId]);
      assert.equal(second.nextCursor, null);
    });

    it('shows a payout with every attempt to pay it: status, error, latency and the answer', async () => {
      const [, first] = (await f.admin.ok('GET', `/jdb/payouts?agent=${jdbAgent.parent}`)).items;
      const detail = await f.admin.ok('GET', `/jdb/payouts/${first.id}`);
      assert.equal(detail.transferId, cashouts.first.transferId);
      assert.deepEqual(
        detail.attemptHistory.map((a: any) => [a.outcome, a.httpStatus, a.error, a.answerHead, a.requestedBy]),
        [
          ['delivered', 200, null, walletOk, 'schedule'],
          ['failed', 200, 'status 9999: try later', TRY_LATER, 'schedule'],
          ['failed', 500, 'HTTP 500', 'wallet down', 'schedule'],
        ],
      );
      for (const attempt of detail.attemptHistory) {
        assert.equal(attempt.url, `${f.wallet.url}/jdb/${jdbAgent.parent}`);
        assert.ok(Number.isInteger(attempt.latencyMs) && attempt.latencyMs >= 0);
      }
      assert.equal(detail.moreAttempts, false);

      const gaveUp = (await f.admin.ok('GET', '/jdb/payouts?status=given_up')).items[0];
      const given = await f.admin.ok('GET', `/jdb/payouts/${gaveUp.id}`);
      assert.ok(given.attemptHistory.length >= 2);
      assert.ok(given.attemptHistory.every((a: any) => a.error === 'HTTP 503' && a.answerHead === 'closed'));

      const text = JSON.stringify([detail, given]);
      for (const secret of [jdbAgent.key, jdbAgent.iv, otherJdbAgent.key, otherJdbAgent.iv, ADMIN_TOKEN]) {
        assert.ok(!text.includes(secret), 'no secret in an answer');
      }
    });

    it('refuses what it cannot answer, naming the field', async () => {
      const unknown = await f.admin.request('GET', '/jdb/payouts/999999999');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.message, 'id 999999999 is not a delivery');
      for (const [path, field] of [
        ['/jdb/payouts?status=paid_out', /^invalid query: status /],
        ['/jdb/payouts?agent=', /^invalid query: agent /],
        ['/jdb/payouts?cursor=bm9wZQ', /^cursor /],
        ['/jdb/payouts/x1', /^invalid path: id /],
      ] as const) {
        const { status, body } = await f.admin.request('GET', path);
        assert.equal(status, 400, path);
        assert.equal(body.error.code, 'invalid_parameter', path);
        assert.match(body.error.message, field, path);
      }
    });
  });
}
