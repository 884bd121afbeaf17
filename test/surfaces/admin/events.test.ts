import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminBrowser, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { Receiver } from '../../support/receiver.js';
import { SseClient } from '../../support/sse.js';
import { createBattle, createRooms, otherApp, pk, testApp } from '../../support/tencent.js';
import { sleep, waitUntil } from '../../support/wait.js';

const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

for (const backend of backends) {
  describe(`admin event stream (GET /admin/v1/events) [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let receiver: Receiver;
    let stream: SseClient;
    let openedAt: number;

    before(async () => {
      receiver = await Receiver.start({ answer: () => ({ status: 200, body: '{"ErrorCode":0}' }) });
      f = await tencentFixture(backend, {
        apps: [{ ...testApp, callback: { url: `${receiver.url}/cb` } }, otherApp],
        // A stream is one long response: it must outlive the time a request may take to arrive.
        config: { admin: { tokens: [ADMIN_TOKEN] }, server: { requestTimeoutMs: 1000, headersTimeoutMs: 1000 } },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
      stream = await SseClient.open(`${f.server.url}/admin/v1/events`, bearer);
      openedAt = Date.now();
    });
    after(async () => {
      stream.close();
      await f.close();
      await receiver.close();
    });

    it('answers with text/event-stream, unbuffered', async () => {
      assert.equal(stream.response.status, 200);
      assert.equal(stream.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(stream.response.headers.get('cache-control'), 'no-store');
    });

    it('carries battles of every app: started, score changes and ended', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      const started = await stream.next(
        (e) => e.event === 'battle.started' && e.data.battle.battleId === battleId,
        'battle.started',
      );
      assert.equal(started.data.battle.appId, testApp.sdkAppId);
      assert.equal(started.data.type, 'battle.started');

      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [{ RoomId: rooms[0], Score: 7 }],
      });
      const scores = await stream.next((e) => e.event === 'battle.scores' && e.data.battleId === battleId, 'scores');
      assert.equal(scores.data.scores.find((s: any) => s.roomId === rooms[0]).score, 7);

      await f.client.ok(pk('end_battle'), { BattleId: battleId });
      await stream.next((e) => e.event === 'battle.ended' && e.data.battle.battleId === battleId, 'battle.ended');

      // The other app's battles too, with no per-connection room list or cap.
      const other = await createBattle(f.other);
      const otherStarted = await stream.next(
        (e) => e.event === 'battle.started' && e.data.battle.battleId === other.battleId,
        "the other app's battle.started",
      );
      assert.equal(otherStarted.data.battle.appId, otherApp.sdkAppId);
    });

    it('carries ledger movements', async () => {
      const user = `sse-user-${process.pid}`;
      await admin.ok('POST', '/ledger/deposits', { userId: user, amount: 250, currency: 'USD', idempotencyKey: user });
      const moved = await stream.next(
        (e) => e.event === 'ledger.transfer' && e.data.transfer.to === `user:USD:${user}`,
        'ledger.transfer',
      );
      assert.equal(moved.data.transfer.kind, 'deposit');
      assert.equal(moved.data.transfer.amount, 250);
      assert.equal(moved.data.transfer.balanceAfter, 250);
    });

    it('carries delivery state changes, also after an operator replays one', async () => {
      const [roomId] = await createRooms(f.client, 1, 'sse');
      const { id } = await waitUntil(
        async () =>
          (await admin.ok('GET', '/deliveries?topic=room.created')).deliveries.find(
            (d: any) => d.payload.room?.roomId === roomId,
          ),
        "the room's room.created delivery",
      );
      const delivered = await stream.next(
        (e) => e.event === 'delivery.state' && e.data.delivery.id === id && e.data.delivery.status === 'delivered',
        'room.created delivered',
      );
      assert.equal(delivered.data.delivery.topic, 'room.created');
      assert.deepEqual(delivered.data.delivery.scope, { kind: 'app', appId: testApp.sdkAppId });
      assert.equal(delivered.data.delivery.lastError, null);

      await admin.ok('POST', `/deliveries/${id}/replay`);
      await stream.next(
        (e) => e.event === 'delivery.state' && e.data.delivery.id === id && e.data.delivery.requeuedBy === 'replay',
        'the replay queued',
      );
      const again = stream.events.filter(
        (e) => e.event === 'delivery.state' && e.data.delivery.id === id && e.data.delivery.status === 'delivered',
      );
      if (again.length < 2) {
        await stream.next(
          (e) =>
            e !== delivered &&
            e.event === 'delivery.state' &&
            e.data.delivery.id === id &&
            e.data.delivery.status === 'delivered',
          'the replay delivered',
        );
      }
    });

    it('works with a browser session cookie, and refuses a request without credentials', async () => {
      const browser = await AdminBrowser.signIn(f.server.url, ADMIN_TOKEN);
      const viaCookie = await SseClient.open(`${f.server.url}/admin/v1/events`, { cookie: browser.cookie });
      try {
        assert.equal(viaCookie.response.status, 200);
        await admin.ok('POST', '/ledger/deposits', {
          userId: 'cookie-watcher',
          amount: 1,
          currency: 'EUR',
          idempotencyKey: 'cookie-watcher',
        });
        await viaCookie.next(
          (e) => e.event === 'ledger.transfer' && e.data.transfer.currency === 'EUR',
          'EUR transfer',
        );
      } finally {
        viaCookie.close();
      }
      const refused = await fetch(`${f.server.url}/admin/v1/events`);
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as any).error.code, 'unauthorized');
    });

    it('keeps a stream open past server.requestTimeoutMs, and ends it when the server shuts down', async () => {
      await sleep(openedAt + 1500 - Date.now());
      assert.ok(!stream.isEnded, 'open after 1.5 s, with requestTimeoutMs 1 s');
      // Checked last: closes this suite's server (after() closes it again, which is a no-op).
      await f.server.close();
      await stream.untilEnded();
    });
  });
}
