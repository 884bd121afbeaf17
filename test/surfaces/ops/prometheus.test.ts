import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type InstantSample, PrometheusServer } from '../../support/prometheus.js';
import { Receiver } from '../../support/receiver.js';
import { startServer } from '../../support/servers.js';
import { createBattle, pk, TencentClient, testApp } from '../../support/tencent.js';
import { sleep, waitUntil } from '../../support/wait.js';

const SET_SCORE = pk('set_battle_score');

for (const backend of backends) {
  describe(`a real Prometheus scraping Ringside [${backend.name}]`, () => {
    it(
      'reads back the rate of set_battle_score requests and the outbox depth after the test’s traffic',
      { timeout: 120_000 },
      async () => {
        const database = await backend.create();
        // Callbacks fail and are retried for a day: every room.created message stays pending.
        const callbacks = await Receiver.start({ answer: () => ({ status: 500, body: 'down' }) });
        const server = await startServer({
          storage: database.storage,
          metrics: { databaseCacheMs: 200 },
          admin: { tokens: [ADMIN_TOKEN] },
          tencent: { apps: [{ ...testApp, callback: { url: `${callbacks.url}/cb` } }] },
        });
        let prometheus: PrometheusServer | undefined;
        try {
          prometheus = await PrometheusServer.start(`${server.url}/metrics`, ADMIN_TOKEN);
          const query = prometheus.query.bind(prometheus);
          await waitUntil(
            async () => (await query('up{job="ringside"}'))[0]?.value === 1,
            'the first good scrape',
            30_000,
          );

          // 300 score updates over about three seconds, so that several scrapes see the counter move.
          const client = new TencentClient(server.url, testApp);
          const { battleId, rooms } = await createBattle(client, { durationMs: 3_600_000 });
          const body = { BattleId: battleId, OpType: 1, ScoreList: [{ RoomId: rooms[1], Score: 1 }] };
          for (let slice = 0; slice < 10; slice++) {
            await Promise.all(Array.from({ length: 30 }, () => client.ok(SET_SCORE, body)));
            await sleep(300);
          }

          const value = (samples: InstantSample[]) => samples[0]?.value;
          const counted = `sum(ringside_requests_total{surface="tencent",operation="${SET_SCORE}",code="0"})`;
          await waitUntil(
            async () => value(await query(counted)) === 300,
            'Prometheus to hold all 300 requests',
            30_000,
          );
          const rate = value(await query(`sum(rate(ringside_requests_total{operation="${SET_SCORE}"}[1m]))`));
          assert.ok(rate !== undefined && rate > 0, `a rate of set_battle_score requests: ${rate}/s`);
          assert.ok(rate < 300, `no more than the requests made: ${rate}/s`);
          const latency = value(
            await query(`sum(rate(ringside_request_duration_seconds_count{operation="${SET_SCORE}"}[1m]))`),
          );
          assert.ok(latency !== undefined && latency > 0, 'the latency histogram is scraped too');

          const depth = 'ringside_outbox_messages{topic="room.created",status="pending"}';
          const pending = await waitUntil(
            async () => {
              const found = value(await query(depth));
              return found === rooms.length ? found : undefined;
            },
            `an outbox depth of ${rooms.length} pending room.created messages`,
            30_000,
          );
          assert.equal(pending, rooms.length);
          const oldest = value(await query('ringside_outbox_oldest_pending_age_seconds{topic="room.created"}'));
          assert.ok(oldest !== undefined && oldest > 0, `the oldest pending message's age: ${oldest} s`);
        } finally {
          await prometheus?.stop();
          await server.close();
          await callbacks.close();
          await database.drop();
        }
      },
    );
  });
}
