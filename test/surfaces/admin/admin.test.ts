import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { Receiver } from '../../support/receiver.js';
import { createRooms, testApp } from '../../support/tencent.js';
import { waitUntil } from '../../support/wait.js';

for (const backend of backends) {
  describe(`admin API and deliveries [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let receiver: Receiver;
    let receiverUp = false;

    before(async () => {
      receiver = await Receiver.start({
        answer: () => (receiverUp ? { status: 200, body: '{"ErrorCode":0}' } : { status: 500, body: 'down' }),
      });
      const app = { ...testApp, callback: { url: `${receiver.url}/cb` } };
      f = await tencentFixture(backend, {
        apps: [app],
        config: {
          admin: { tokens: [ADMIN_TOKEN] },
          // A window of ten retries: on a loaded machine the first attempt can start late.
          tencent: { callbackRetry: { initialMs: 50, maxMs: 100, forMs: 1000 } },
        },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    it('refuses requests without the admin bearer token, with the JSON error body', async () => {
      for (const token of [null, 'wrong-token-wrong-token']) {
        const { status, body } = await admin.request('GET', '/deliveries', undefined, { token });
        assert.equal(status, 401);
        assert.equal(body.error.code, 'unauthorized');
        assert.ok(body.error.message.length > 0);
      }
      const missing = await admin.request('GET', '/no/such/route');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
    });

    it('answers bad input with 400 and the error body', async () => {
      const badQuery = await admin.request('GET', '/deliveries?status=lost');
      assert.equal(badQuery.status, 400);
      assert.match(badQuery.body.error.message, /status/);
      const badPath = await admin.request('POST', '/deliveries/abc/retry');
      assert.equal(badPath.status, 400);
    });

    it('publishes its OpenAPI description', async () => {
      const response = await fetch(`${f.server.url}/admin/v1/openapi.json`);
      assert.equal(response.status, 200);
      const doc = (await response.json()) as any;
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/admin/v1/deliveries'].get);
      assert.ok(doc.paths['/admin/v1/deliveries/{id}/retry'].post);
    });

    it('lists deliveries given up on, and retries one until it is delivered', async () => {
      const [roomId] = await createRooms(f.client, 1, 'dead');
      const dead: any = await waitUntil(
        async () =>
          (await admin.ok('GET', '/deliveries?status=dead')).deliveries.find(
            (d: any) => d.payload.room?.roomId === roomId,
          ),
        'the room.created delivery to be given up on',
        10_000,
      );
      assert.ok(dead, 'the callback was given up on after its retry window');
      assert.equal(dead.topic, 'room.created');
      assert.ok(dead.attempts >= 2);
      assert.match(dead.lastError, /HTTP 500/);

      receiverUp = true;
      const retried = await admin.request('POST', `/deliveries/${dead.id}/retry`);
      assert.equal(retried.status, 202);
      await receiver.waitFor(() => receiver.accepted().some((r) => r.json.RoomInfo?.RoomId === roomId));
      const status = await waitUntil(
        async () => {
          const { deliveries } = await admin.ok('GET', '/deliveries?limit=50');
          const { status } = deliveries.find((d: any) => d.id === dead.id);
          return status === 'delivered' && status;
        },
        'the retried delivery to be delivered',
        2_500,
      );
      assert.equal(status, 'delivered');
      const again = await admin.request('POST', `/deliveries/${dead.id}/retry`);
      assert.equal(again.status, 409, 'a delivered one is not retried: it is replayed');
      assert.equal(again.body.error.code, 'delivery_state');
      assert.match(again.body.error.message, new RegExp(`replay it \\(POST /deliveries/${dead.id}/replay\\)`));
    });
  });
}
