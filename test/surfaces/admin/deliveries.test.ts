import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { callbackCommand, Receiver } from '../../support/receiver.js';
import { createRooms, otherApp, srv, testApp } from '../../support/tencent.js';
import { waitUntil } from '../../support/wait.js';

const CALLBACK_TOKEN = 'ringside-test-callback-token';
const RECEIVER_OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';

/** A port nothing listens on (a receiver that is down), which a receiver can later take. */
async function freePort(): Promise<number> {
  const probe = await Receiver.start();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  return port;
}

/** The secrets no admin answer may hold. */
const secrets = [CALLBACK_TOKEN, ADMIN_TOKEN, testApp.secretKey, otherApp.secretKey];

function assertNoSecret(answer: unknown, extra: string[] = []): void {
  const text = JSON.stringify(answer);
  for (const secret of [...secrets, ...extra]) assert.ok(!text.includes(secret), `an answer holds a secret: ${text}`);
}

/** Every delivery the listing at `query` holds, page by page. */
async function walk(admin: AdminClient, query: string, limit: number): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const path = `/deliveries?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const answer: any = await admin.ok('GET', path);
    assert.ok(answer.deliveries.length <= limit);
    all.push(...answer.deliveries);
    cursor = answer.nextCursor;
  } while (cursor);
  return all;
}

for (const backend of backends) {
  describe(`delivery log: attempts, listing, replay [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    /** testApp's receiver: down until a test brings it up on its port. */
    let port: number;
    let back: Receiver | undefined;
    /** otherApp's receiver: always up. */
    let up: Receiver;

    before(async () => {
      port = await freePort();
      up = await Receiver.start();
      f = await tencentFixture(backend, {
        apps: [
          { ...testApp, callback: { url: `http://127.0.0.1:${port}/cb`, token: CALLBACK_TOKEN } },
          { ...otherApp, callback: { url: `${up.url}/other` } },
        ],
        config: {
          admin: { tokens: [ADMIN_TOKEN] },
          tencent: { callbackRetry: { initialMs: 50, maxMs: 100, forMs: 800 } },
        },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(async () => {
      await f.close();
      await up.close();
      await back?.close();
    });

    it('logs each failed attempt while the receiver is down; a replay once it is back sends the same event id and body', async () => {
      const [roomId] = await createRooms(f.client, 1, 'down');
      const dead: any = await waitUntil(
        async () =>
          (await admin.ok('GET', `/deliveries?app=${testApp.sdkAppId}&status=dead`)).deliveries.find(
            (d: any) => d.payload.room?.roomId === roomId,
          ),
        'the callback to the down receiver to be given up on',
      );
      const failed = await admin.ok('GET', `/deliveries/${dead.id}`);
      assert.equal(failed.status, 'dead');
      assert.equal(failed.nextAttemptAt, null, 'a dead delivery has no next attempt');
      assert.equal(failed.lastError, 'ECONNREFUSED');
      assert.ok(failed.attemptHistory.length >= 2, 'tried more than once before giving up');
      assert.equal(failed.attemptHistory.length, failed.attempts, 'every attempt is in the log');
      assert.equal(failed.moreAttempts, false);
      for (const attempt of failed.attemptHistory) {
        assert.equal(attempt.outcome, 'failed');
        assert.equal(attempt.error, 'ECONNREFUSED', 'the network error of each attempt');
        assert.equal(attempt.httpStatus, null, 'no answer came');
        assert.equal(attempt.answerHead, null);
        assert.equal(attempt.requestedBy, 'schedule');
        assert.ok(Number.isInteger(attempt.latencyMs) && attempt.latencyMs >= 0);
        const url = new URL(attempt.url);
        assert.equal(`${url.origin}${url.pathname}`, `http://127.0.0.1:${port}/cb`);
        assert.equal(url.searchParams.get('CallbackCommand'), 'Live.CallbackAfterCreateRoom');
        assert.equal(url.searchParams.get('Sign'), 'redacted', 'the signature is not kept');
      }
      const times = failed.attemptHistory.map((a: any) => a.at);
      assert.deepEqual(
        times,
        times.toSorted((a: number, b: number) => b - a),
        'newest first',
      );
      assert.equal(failed.targetUrl, failed.attemptHistory[0].url);

      back = await Receiver.start({ port });
      const replayed = await admin.request('POST', `/deliveries/${dead.id}/replay`);
      assert.equal(replayed.status, 202);
      assert.deepEqual(replayed.body, { replayed: dead.id });
      const [first] = await back.waitFor((all) => all.length >= 1);
      assert.equal(first!.json.EventId, dead.eventId, 'the same event id');
      assert.equal(first!.json.CallbackCommand, 'Live.CallbackAfterCreateRoom');
      assert.equal(first!.json.RoomInfo.RoomId, roomId);
      assert.equal(first!.json.EventTime, dead.payload.at, 'the event as it was written');

      const delivered = await waitUntil(async () => {
        const detail = await admin.ok('GET', `/deliveries/${dead.id}`);
        return detail.status === 'delivered' && detail;
      }, 'the replay to be delivered');
      const [latest, ...earlier] = delivered.attemptHistory;
      assert.deepEqual(
        {
          requestedBy: latest.requestedBy,
          outcome: latest.outcome,
          httpStatus: latest.httpStatus,
          answerHead: latest.answerHead,
          error: latest.error,
        },
        { requestedBy: 'replay', outcome: 'delivered', httpStatus: 200, answerHead: RECEIVER_OK, error: null },
        'the replay is a new attempt in the log',
      );
      assert.deepEqual(earlier, failed.attemptHistory, 'the failed attempts are still there');
      assert.equal(delivered.eventId, dead.eventId);

      // A delivered one replayed: the same body, byte for byte.
      assert.equal((await admin.request('POST', `/deliveries/${dead.id}/replay`)).status, 202);
      const [once, twice] = await back.waitFor((all) => all.length >= 2);
      assert.equal(twice!.body, once!.body, 'the same body');
      const signs = back.requests.map((r) => r.url.searchParams.get('Sign')!);
      assert.ok(
        signs.every((sign) => /^[0-9a-f]{64}$/.test(sign)),
        'the receiver got signed callbacks',
      );
      const final = await waitUntil(async () => {
        const detail = await admin.ok('GET', `/deliveries/${dead.id}`);
        return detail.status === 'delivered' && detail.attemptHistory.length === failed.attemptHistory.length + 2
          ? detail
          : undefined;
      }, 'the second replay to be logged');
      assert.deepEqual(
        final.attemptHistory.slice(0, 2).map((a: any) => [a.requestedBy, a.outcome]),
        [
          ['replay', 'delivered'],
          ['replay', 'delivered'],
        ],
      );
      assertNoSecret([failed, delivered, final], signs);
    });

    it('lists by app, status, topic and time range, newest first; refuses filters it cannot apply', async () => {
      const rooms = await createRooms(f.other, 3, 'listed');
      await f.other.ok(srv('destroy_room'), { RoomId: rooms[0] });
      const mine = await waitUntil(async () => {
        const listed = (await admin.ok('GET', `/deliveries?app=${otherApp.sdkAppId}&limit=500`)).deliveries;
        const ours = listed.filter((d: any) => rooms.includes(d.payload.room?.roomId));
        return ours.length === 4 && ours.every((d: any) => d.status === 'delivered') && listed;
      }, 'the four callbacks to be delivered');
      assert.ok(
        mine.every((d: any) => d.scope.kind === 'app' && d.scope.appId === otherApp.sdkAppId),
        'only the app asked for',
      );
      const keys = mine.map((d: any) => [d.createdAt, d.id]);
      const sorted = keys.toSorted((a: number[], b: number[]) => b[0]! - a[0]! || b[1]! - a[1]!);
      assert.deepEqual(keys, sorted, 'newest first');
      const destroyed = mine.find((d: any) => d.topic === 'room.destroyed');
      assert.deepEqual(
        {
          status: destroyed.status,
          nextAttemptAt: destroyed.nextAttemptAt,
          inFlight: destroyed.inFlight,
          lastError: destroyed.lastError,
          attempts: destroyed.attempts,
        },
        { status: 'delivered', nextAttemptAt: null, inFlight: false, lastError: null, attempts: 1 },
      );
      assert.match(destroyed.targetUrl, new RegExp(`^${up.url}/other\\?`));
      assert.ok(destroyed.deliveredAt >= destroyed.createdAt);

      const byTopic = (await admin.ok('GET', `/deliveries?app=${otherApp.sdkAppId}&topic=room.destroyed`)).deliveries;
      assert.deepEqual(
        byTopic.map((d: any) => d.id),
        mine.filter((d: any) => d.topic === 'room.destroyed').map((d: any) => d.id),
      );
      const dead = (await admin.ok('GET', '/deliveries?status=dead')).deliveries;
      assert.ok(dead.every((d: any) => d.status === 'dead'));
      const delivered = (await admin.ok('GET', '/deliveries?status=delivered&limit=500')).deliveries;
      assert.ok(delivered.every((d: any) => d.status === 'delivered'));
      assert.ok(mine.every((d: any) => delivered.some((e: any) => e.id === d.id)));
      assert.deepEqual((await admin.ok('GET', '/deliveries?agent=testag')).deliveries, [], 'no JDB deliveries here');

      const middle = mine[1];
      const since = (await admin.ok('GET', `/deliveries?app=${otherApp.sdkAppId}&from=${middle.createdAt}&limit=500`))
        .deliveries;
      assert.deepEqual(
        since.map((d: any) => d.id),
        mine.filter((d: any) => d.createdAt >= middle.createdAt).map((d: any) => d.id),
      );
      const before = (await admin.ok('GET', `/deliveries?app=${otherApp.sdkAppId}&to=${middle.createdAt}&limit=500`))
        .deliveries;
      assert.deepEqual(
        before.map((d: any) => d.id),
        mine.filter((d: any) => d.createdAt < middle.createdAt).map((d: any) => d.id),
      );

      for (const [query, field] of [
        ['topic=room.moved', /topic/],
        ['status=gone', /status/],
        ['app=x', /app/],
        ['from=yesterday', /from/],
        ['limit=0', /limit/],
        ['cursor=not-a-cursor', /cursor/],
        [`app=${otherApp.sdkAppId}&client=game`, /at most one of app, agent and client/],
      ] as const) {
        const { status, body } = await admin.request('GET', `/deliveries?${query}`);
        assert.equal(status, 400, query);
        assert.equal(body.error.code, 'invalid_parameter', query);
        assert.match(body.error.message, field, query);
      }
      assertNoSecret(mine);
    });

    it('pages with a cursor while deliveries are being written: no row skipped or repeated', async () => {
      await createRooms(f.other, 5, 'paged');
      const query = `app=${otherApp.sdkAppId}`;
      const before = (await admin.ok('GET', `/deliveries?${query}&limit=500`)).deliveries.map((d: any) => d.id);
      assert.ok(before.length >= 5);

      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        // A new room (a new delivery) is written while each page is read.
        const [answer] = (await Promise.all([
          admin.ok('GET', `/deliveries?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
          createRooms(f.other, 1, 'meanwhile'),
        ])) as [any, string[]];
        seen.push(...answer.deliveries.map((d: any) => d.id));
        cursor = answer.nextCursor;
        pages += 1;
      } while (cursor);
      assert.ok(pages >= 3);
      assert.equal(new Set(seen).size, seen.length, 'no row repeated');
      // Each row that existed before the walk is seen once, in listing order; rows written
      // during it are newer than the first cursor, so they can only be on the first page.
      assert.deepEqual(
        seen.filter((id) => before.includes(id)),
        before,
        'no row skipped',
      );
      const fresh = seen.filter((id) => !before.includes(id));
      assert.deepEqual(seen.slice(0, fresh.length), fresh, 'rows written meanwhile only at the top');
      const all = await walk(admin, query, 3);
      assert.equal(new Set(all.map((d) => d.id)).size, all.length);
      assert.ok(before.every((id: number) => all.some((d) => d.id === id)));
    });

    it('sends a test callback to the configured URL and shows the answer, outside the outbox', async () => {
      const countBefore = (await admin.ok('GET', '/deliveries?limit=500')).deliveries.length;
      const answer = await admin.ok('POST', `/tencent/apps/${otherApp.sdkAppId}/test-callback`);
      assert.equal(answer.sdkAppId, otherApp.sdkAppId);
      assert.equal(answer.callbackCommand, 'Ringside.TestCallback');
      assert.match(answer.eventId, /^test-[0-9a-f]{32}$/);
      assert.equal(answer.accepted, true);
      assert.equal(answer.httpStatus, 200);
      assert.equal(answer.answerHead, RECEIVER_OK);
      assert.equal(answer.error, null);
      assert.ok(Number.isInteger(answer.latencyMs) && answer.latencyMs >= 0);
      assert.match(answer.url, new RegExp(`^${up.url}/other\\?`));
      const received = await up.waitFor((all) => all.some((r) => r.json?.EventId === answer.eventId));
      const test = received.find((r) => r.json?.EventId === answer.eventId)!;
      assert.equal(callbackCommand(test), 'Ringside.TestCallback');
      assert.equal(test.json.Test, true);
      assert.equal(
        (await admin.ok('GET', '/deliveries?limit=500')).deliveries.length,
        countBefore,
        'a test callback is not a delivery',
      );

      const unknown = await admin.request('POST', '/tencent/apps/1400999999/test-callback');
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.error.message, /^sdkAppId 1400999999 /);
      const bad = await admin.request('POST', '/tencent/apps/abc/test-callback');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /sdkAppId/);
      assertNoSecret(answer);
    });
  });

  describe(`delivery retry now, replay, and the test callback's failures [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let receiver: Receiver;
    let mode: 'busy' | 'slow' | 'up' = 'busy';
    let downPort: number;

    before(async () => {
      receiver = await Receiver.start({
        answer: () => (mode === 'busy' ? { status: 503, body: 'busy' } : { status: 200, body: RECEIVER_OK }),
        delayMs: () => (mode === 'slow' ? 1500 : 0),
      });
      downPort = await freePort();
      f = await tencentFixture(backend, {
        apps: [
          { ...testApp, callback: { url: `${receiver.url}/cb`, token: CALLBACK_TOKEN } },
          { ...otherApp, callback: { url: `http://127.0.0.1:${downPort}/nobody` } },
          { ...otherApp, sdkAppId: 1400000303 },
        ],
        config: {
          admin: { tokens: [ADMIN_TOKEN] },
          // The next scheduled attempt is a minute away: only an operator's retry comes sooner.
          tencent: { callbackRetry: { initialMs: 60_000, maxMs: 60_000, forMs: 600_000 } },
        },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    const detailOf = (id: number) => admin.ok('GET', `/deliveries/${id}`);

    it('retries a pending delivery now, refuses one in flight, and replays a delivered one on request', async () => {
      const [roomId] = await createRooms(f.client, 1, 'retry');
      const pending = await waitUntil(async () => {
        const listed = (await admin.ok('GET', `/deliveries?app=${testApp.sdkAppId}&status=pending`)).deliveries;
        const mine = listed.find((d: any) => d.payload.room?.roomId === roomId);
        return mine && !mine.inFlight && mine.lastError === 'HTTP 503' && mine;
      }, 'the first attempt to fail');
      assert.ok(pending.nextAttemptAt > Date.now() + 30_000, 'the next scheduled attempt is a minute away');

      const notYet = await admin.request('POST', `/deliveries/${pending.id}/replay`);
      assert.equal(notYet.status, 409);
      assert.equal(notYet.body.error.code, 'delivery_state');
      assert.match(notYet.body.error.message, new RegExp(`^id ${pending.id} is a pending delivery .*retry it`));

      assert.equal((await admin.request('POST', `/deliveries/${pending.id}/retry`)).status, 202);
      const retried = await waitUntil(async () => {
        const detail = await detailOf(pending.id);
        return detail.attemptHistory.length === 2 && !detail.inFlight && detail;
      }, 'the retry to be attempted');
      assert.deepEqual(
        retried.attemptHistory.map((a: any) => [a.requestedBy, a.outcome, a.httpStatus, a.answerHead, a.error]),
        [
          ['retry', 'failed', 503, 'busy', 'HTTP 503'],
          ['schedule', 'failed', 503, 'busy', 'HTTP 503'],
        ],
      );
      assert.equal(retried.status, 'pending');
      assert.ok(retried.nextAttemptAt > Date.now() + 30_000, 'back on its schedule');

      mode = 'slow';
      assert.equal((await admin.request('POST', `/deliveries/${pending.id}/retry`)).status, 202);
      await waitUntil(async () => (await detailOf(pending.id)).inFlight, 'the attempt to be in flight');
      const inFlight = await admin.request('POST', `/deliveries/${pending.id}/retry`);
      assert.equal(inFlight.status, 409);
      assert.match(inFlight.body.error.message, /being sent right now/);
      const delivered = await waitUntil(async () => {
        const detail = await detailOf(pending.id);
        return detail.status === 'delivered' && detail;
      }, 'the slow attempt to be delivered');
      assert.deepEqual(
        [delivered.attemptHistory[0].requestedBy, delivered.attemptHistory[0].outcome],
        ['retry', 'delivered'],
      );
      assert.ok(delivered.attemptHistory[0].latencyMs >= 1400, 'the latency of the slow answer');

      mode = 'up';
      const refused = await admin.request('POST', `/deliveries/${pending.id}/retry`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'delivery_state');
      assert.match(refused.body.error.message, new RegExp(`replay it \\(POST /deliveries/${pending.id}/replay\\)`));

      // Two replays at once: each one accepted is one more attempt and one more request.
      const mine = () => receiver.requests.filter((r) => r.json?.EventId === pending.eventId);
      const sentBefore = mine().length;
      const replies = await Promise.all([
        admin.request('POST', `/deliveries/${pending.id}/replay`),
        admin.request('POST', `/deliveries/${pending.id}/replay`),
      ]);
      const accepted = replies.filter((r) => r.status === 202).length;
      assert.ok(accepted >= 1);
      for (const reply of replies.filter((r) => r.status !== 202)) {
        assert.equal(reply.status, 409);
        assert.equal(reply.body.error.code, 'delivery_state');
      }
      const settled = await waitUntil(async () => {
        const detail = await detailOf(pending.id);
        const replays = detail.attemptHistory.filter((a: any) => a.requestedBy === 'replay').length;
        return detail.status === 'delivered' && replays === accepted && detail;
      }, 'the replays to be delivered');
      assert.equal(settled.attemptHistory.length, 3 + accepted);
      await receiver.waitFor(() => mine().length === sentBefore + accepted);
      assert.ok(
        mine().every((r) => r.body === mine()[0]!.body),
        'the same body every time',
      );
      assertNoSecret(settled);
    });

    it('answers 404 for a delivery that does not exist, 400 for an id that is not one', async () => {
      for (const path of ['/deliveries/999999999', '/deliveries/999999999/replay', '/deliveries/999999999/retry']) {
        const method = path.endsWith('999') ? 'GET' : 'POST';
        const { status, body } = await admin.request(method, path);
        assert.equal(status, 404, path);
        assert.equal(body.error.code, 'not_found');
        assert.equal(body.error.message, 'id 999999999 is not a delivery');
      }
      const { status, body } = await admin.request('GET', '/deliveries/12a');
      assert.equal(status, 400);
      assert.match(body.error.message, /^invalid path: id /);
    });

    it("shows a test callback's failure: a receiver that is down, an app with no callback URL", async () => {
      const down = await admin.ok('POST', `/tencent/apps/${otherApp.sdkAppId}/test-callback`);
      assert.deepEqual(
        { accepted: down.accepted, httpStatus: down.httpStatus, answerHead: down.answerHead, error: down.error },
        { accepted: false, httpStatus: null, answerHead: null, error: 'ECONNREFUSED' },
      );
      assert.equal(down.url.split('?')[0], `http://127.0.0.1:${downPort}/nobody`);
      mode = 'busy';
      const busy = await admin.ok('POST', `/tencent/apps/${testApp.sdkAppId}/test-callback`);
      assert.deepEqual(
        { accepted: busy.accepted, httpStatus: busy.httpStatus, answerHead: busy.answerHead, error: busy.error },
        { accepted: false, httpStatus: 503, answerHead: 'busy', error: 'HTTP 503' },
      );
      assert.equal(new URL(busy.url).searchParams.get('Sign'), 'redacted');
      mode = 'up';
      const none = await admin.request('POST', '/tencent/apps/1400000303/test-callback');
      assert.equal(none.status, 404);
      assert.equal(none.body.error.message, 'sdkAppId 1400000303 has no callback URL configured');
      assertNoSecret([down, busy]);
    });
  });
}
