import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { callbackOf, eventParams, gameA, jdbAgent, jdbFixture, uniqueId, walletOk } from '../../support/jdb.js';
import { sleep, waitUntil } from '../../support/wait.js';

const INTERVAL_MS = 200;

for (const backend of backends) {
  describe(`JDB Action 16 payouts to a failing wallet [${backend.name}]`, () => {
    it('retries at the fixed interval until the wallet answers "0000": paid once, same transferId every try', async () => {
      const failures = [
        { status: 500, body: 'wallet down' },
        { status: 200, body: '{"status":"9999","err_text":"try later"}' },
      ];
      const f = await jdbFixture(backend, {
        jdb: { payoutRetry: { intervalMs: INTERVAL_MS, forMs: 60_000 } },
        wallet: { answer: (_request, index) => failures[index] ?? { status: 200, body: walletOk } },
      });
      try {
        const uid = uniqueId('p');
        await f.createPlayers([uid]);
        const { eventId } = await f.jdb.ok(72, eventParams(Date.now(), { players: [uid], times: 1 }));
        const spin = await f.spin({ uid, eventId, mType: gameA.mType, win: '42.42' });
        const transferId = spin.body.cashout.transferId;

        await f.wallet.waitFor((all) => all.some((r) => r.answeredBody === walletOk));
        await sleep(4 * INTERVAL_MS);
        const attempts = f.wallet.requests.map((r) => callbackOf(r, jdbAgent));
        assert.equal(attempts.length, 3, 'two failures, then the success; nothing after it');
        assert.deepEqual(
          attempts.map((a) => a.transferId),
          [transferId, transferId, transferId],
        );
        assert.ok(attempts.every((a) => a.action === 16 && a.amount === 42.42 && a.uid === uid));
        const gaps = f.wallet.requests.slice(1).map((r, i) => r.at - f.wallet.requests[i]!.at);
        assert.ok(
          gaps.every((gap) => gap >= INTERVAL_MS - 20),
          `tried again after the interval: ${gaps.join(', ')} ms`,
        );
        assert.equal(f.wallet.requests.filter((r) => r.answeredBody === walletOk).length, 1, 'paid exactly once');

        const { deliveries } = await f.admin.ok('GET', '/deliveries');
        const payout = deliveries.find((d: any) => d.topic === 'freespin.payout');
        assert.equal(payout.status, 'delivered');
        assert.equal(payout.attempts, 3);
      } finally {
        await f.close();
      }
    });

    it('gives up after payoutRetry.forMs, and pays once retried by hand', async () => {
      let walletUp = false;
      // A window of ten intervals: under a loaded machine the first try can start late.
      const f = await jdbFixture(backend, {
        jdb: { payoutRetry: { intervalMs: 100, forMs: 1000 } },
        wallet: { answer: () => (walletUp ? { status: 200, body: walletOk } : { status: 503, body: 'down' }) },
      });
      try {
        const uid = uniqueId('p');
        await f.createPlayers([uid]);
        const { eventId } = await f.jdb.ok(72, eventParams(Date.now(), { players: [uid], times: 1 }));
        await f.spin({ uid, eventId, mType: gameA.mType, win: '1' });
        const dead: any = await waitUntil(
          async () => (await f.admin.ok('GET', '/deliveries?status=dead')).deliveries[0],
          'the payout to be given up on',
          6_000,
        );
        assert.ok(dead, 'given up on');
        assert.equal(dead.topic, 'freespin.payout');
        assert.match(dead.lastError, /HTTP 503/);
        const tries = f.wallet.requests.length;
        assert.ok(tries >= 3 && tries <= 11, `tried every 100 ms for 1000 ms: ${tries} tries`);

        walletUp = true;
        await f.admin.ok('POST', `/deliveries/${dead.id}/retry`);
        await f.wallet.waitFor((all) => all.some((r) => r.answeredBody === walletOk));
        const ids = new Set(f.wallet.requests.map((r) => callbackOf(r, jdbAgent).transferId));
        assert.equal(ids.size, 1, 'the same transferId throughout');
      } finally {
        await f.close();
      }
    });
  });
}
