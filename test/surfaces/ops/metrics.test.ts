import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import {
  eventParams,
  gameA,
  JdbClient,
  jdbAgent,
  otherJdbAgent,
  testGames,
  uniqueId,
  walletOk,
} from '../../support/jdb.js';
import { matching, parseMetrics, type Sample, scrape, total } from '../../support/metrics.js';
import { createMatch, GameClient, pollGame, REALM, syncResult, uniqueUsers } from '../../support/oklp.js';
import { Receiver } from '../../support/receiver.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { createBattle, createRooms, pk, srv, TencentClient, testApp } from '../../support/tencent.js';
import { waitUntil } from '../../support/wait.js';

const tencent = (operation: string, code: string) => ({
  surface: 'tencent',
  operation: operation.startsWith('live_engine') ? operation : pk(operation),
  code,
});

for (const backend of backends) {
  describe(`Prometheus metrics at GET /metrics [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let callbacks: Receiver;
    let wallets: Receiver;
    let admin: AdminClient;
    /** Every id the traffic used: none may appear in a label. */
    const ids: string[] = [];
    let rooms = 0;
    let samples: Sample[];
    let text: string;

    before(async () => {
      database = await backend.create();
      // Tencent callbacks fail until given up (dead); the other agent's wallet fails (its payout stays pending).
      callbacks = await Receiver.start({ answer: () => ({ status: 500, body: 'down' }) });
      wallets = await Receiver.start({
        answer: (request) =>
          request.url.pathname.endsWith(jdbAgent.parent)
            ? { status: 200, body: walletOk }
            : { status: 503, body: 'wallet down' },
      });
      const agents = [jdbAgent, otherJdbAgent].map((agent) => ({
        ...agent,
        walletUrl: `${wallets.url}/jdb/${agent.parent}`,
      }));
      server = await startServer({
        storage: database.storage,
        metrics: { databaseCacheMs: 0 },
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: {
          apps: [{ ...testApp, callback: { url: `${callbacks.url}/cb` } }],
          callbackRetry: { initialMs: 50, maxMs: 50, forMs: 300 },
        },
        jdb: { agents, games: testGames },
        oklp: { realm: REALM, clients: [pollGame] },
      });
      admin = new AdminClient(server.url, ADMIN_TOKEN);

      // Tencent: a battle, three score updates and one for a battle that does not exist; two gift sends and one of an unknown gift.
      const client = new TencentClient(server.url, testApp);
      const battle = await createBattle(client, { durationMs: 3_600_000 });
      const [giftRoom] = await createRooms(client, 1, 'gifts');
      rooms = battle.rooms.length + 1;
      ids.push(battle.battleId, ...battle.rooms, giftRoom!);
      for (let i = 0; i < 3; i++) {
        await client.ok(pk('set_battle_score'), {
          BattleId: battle.battleId,
          OpType: 1,
          ScoreList: [{ RoomId: battle.rooms[1], Score: 2 }],
        });
      }
      const missing = await client.call(pk('set_battle_score'), {
        BattleId: 'no-such-battle',
        OpType: 1,
        ScoreList: [{ RoomId: battle.rooms[1], Score: 2 }],
      });
      assert.equal(missing.ErrorCode, 100411);
      await client.ok(srv('add_gift'), { GiftId: 'rose', Coins: 5, DefaultName: 'rose' });
      for (const count of [3, 4]) {
        await client.ok(srv('send_gift'), { RoomId: giftRoom, GiftId: 'rose', Count: count, From_Account: 'fan_1' });
      }
      const unknownGift = await client.call(srv('send_gift'), {
        RoomId: giftRoom,
        GiftId: 'tulip',
        Count: 1,
        From_Account: 'fan_1',
      });
      assert.notEqual(unknownGift.ErrorCode, 0);

      // JDB: an event per agent, a player each who uses the one spin (a payout each), and an unknown action.
      for (const agent of agents) {
        const jdb = new JdbClient(server.url, agent);
        const uid = uniqueId('metrics');
        ids.push(uid);
        await admin.ok('POST', '/jdb/players', { parent: agent.parent, uids: [uid] });
        const { eventId } = await jdb.ok(72, eventParams(Date.now(), { players: [uid], times: 1 }));
        ids.push(String(eventId));
        await admin.ok('POST', '/jdb/spins', { parent: agent.parent, uid, eventId, mType: gameA.mType, win: '3' });
      }
      assert.equal((await new JdbClient(server.url, agents[0]!).call(4242)).status, '9007');

      // OkLetsPlay: three matches, one settled, one aborted, one left open (its 200 stays in escrow).
      const game = new GameClient(server.url, pollGame);
      const matchIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const users = uniqueUsers(2, 'metrics');
        ids.push(...users);
        matchIds.push(await createMatch(admin, { clientId: pollGame.clientId, teams: [[users[0]!], [users[1]!]] }));
        if (i === 0) {
          const reply = await game.finish(syncResult(matchIds[0]!, [[users[0]!], [users[1]!]], [1, 2]));
          assert.equal(reply.status, 200, JSON.stringify(reply.body));
        }
      }
      ids.push(...matchIds);
      await admin.ok('POST', `/oklp/matches/${matchIds[1]}/abort`, { reason: 'called off' });
      assert.equal((await game.call('POST', '/finish', {}, { token: null })).status, 401);
      assert.equal((await admin.request('GET', '/oklp/matches/no-such-match')).status, 404);

      // The outbox settles: the paying agent's payout delivered, the Tencent callbacks given up on.
      await wallets.waitFor((all) => all.some((r) => r.answeredBody === walletOk));
      await waitUntil(async () => {
        const now = await scrape(`${server.url}/metrics`, ADMIN_TOKEN);
        return total(now, 'ringside_outbox_messages', { topic: 'room.created', status: 'dead' }) === rooms;
      }, 'the room callbacks to be given up on');
      const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      text = await response.text();
      samples = parseMetrics(text);
    });
    after(async () => {
      await server.close();
      await callbacks.close();
      await wallets.close();
      await database.drop();
    });

    it('counts each surface’s requests by operation and answered code, with a latency histogram', () => {
      const requests = (labels: Record<string, string>) => total(samples, 'ringside_requests_total', labels);
      assert.equal(requests(tencent('set_battle_score', '0')), 3);
      assert.equal(requests(tencent('set_battle_score', '100411')), 1);
      assert.equal(requests(tencent(srv('send_gift'), '0')), 2);
      assert.equal(requests({ surface: 'tencent', operation: srv('send_gift') }), 3);
      assert.equal(requests(tencent(srv('create_room'), '0')), rooms);
      assert.equal(requests({ surface: 'jdb', operation: '72', status: '200', code: '0000' }), 2);
      const unknownAction = matching(samples, 'ringside_requests_total', { surface: 'jdb', code: '9007' });
      assert.equal(unknownAction.length, 1);
      assert.match(unknownAction[0]!.labels.operation!, /^GET \/apiRequest\.do/, 'named by its route before x is read');
      assert.equal(
        requests({ surface: 'oklp game API', operation: 'POST /api/game/v1/finish', status: '200', code: 'ok' }),
        1,
      );
      assert.equal(
        requests({
          surface: 'oklp game API',
          operation: 'POST /api/game/v1/finish',
          status: '401',
          code: 'unauthorized',
        }),
        1,
      );
      assert.equal(
        requests({
          surface: 'oklp realm',
          operation: 'POST /auth/realms/:realm/protocol/openid-connect/token',
          code: 'ok',
        }),
        1,
      );
      assert.equal(requests({ surface: 'admin', operation: 'POST /admin/v1/oklp/matches', code: 'ok' }), 3);
      assert.equal(
        requests({
          surface: 'admin',
          operation: 'GET /admin/v1/oklp/matches/:id',
          status: '404',
          code: 'match_not_found',
        }),
        1,
      );

      const setScore = { surface: 'tencent', operation: pk('set_battle_score') };
      assert.equal(total(samples, 'ringside_request_duration_seconds_count', setScore), 4);
      assert.ok(total(samples, 'ringside_request_duration_seconds_sum', setScore) > 0);
      const buckets = matching(samples, 'ringside_request_duration_seconds_bucket', setScore);
      assert.equal(buckets.at(-1)!.labels.le, '+Inf');
      assert.equal(buckets.at(-1)!.value, 4);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'cumulative');
    });

    it('labels with commands, actions and route templates only: no id of the traffic in any label', () => {
      for (const sample of samples) {
        for (const value of Object.values(sample.labels)) {
          for (const id of ids) assert.ok(!value.includes(id), `${sample.name} has the id ${id} in a label`);
        }
      }
    });

    it('counts score updates, gift sends, gifts and coins per app, with this process’s label', () => {
      const app = { app: String(testApp.sdkAppId) };
      assert.equal(total(samples, 'ringside_battle_score_updates_total', app), 3);
      assert.equal(total(samples, 'ringside_gift_sends_total', app), 2);
      assert.equal(total(samples, 'ringside_gifts_sent_total', app), 7);
      assert.equal(total(samples, 'ringside_gift_coins_total', app), 35);
      const perProcess = matching(samples, 'ringside_gift_coins_total', app);
      assert.equal(perProcess.length, 1);
      assert.ok(perProcess[0]!.labels.process, 'labelled with the process');
    });

    it('reads rooms, battles, free-spin events, matches and escrow from the database', () => {
      const app = { app: String(testApp.sdkAppId) };
      assert.equal(total(samples, 'ringside_rooms', app), rooms);
      assert.equal(total(samples, 'ringside_battles_running', app), 1);
      assert.equal(total(samples, 'ringside_freespin_events_active', { agent: jdbAgent.parent }), 1);
      assert.equal(total(samples, 'ringside_freespin_events_active', { agent: otherJdbAgent.parent }), 1);
      const client = pollGame.clientId;
      assert.equal(total(samples, 'ringside_matches', { client, status: 'open' }), 1);
      assert.equal(total(samples, 'ringside_matches', { client, status: 'settled' }), 1);
      assert.equal(total(samples, 'ringside_matches', { client, status: 'aborted' }), 1);
      assert.equal(total(samples, 'ringside_escrow_held', { currency: 'USD' }), 200);
      assert.equal(total(samples, 'ringside_database_readings_ok'), 1);
      for (const name of ['ringside_rooms', 'ringside_matches', 'ringside_escrow_held']) {
        assert.ok(
          matching(samples, name).every((sample) => sample.labels.process === undefined),
          `${name} is the database's figure, not the process's`,
        );
      }
    });

    it('shows the outbox by topic (pending, dead, oldest pending age), the JDB payouts and each delivery attempt', () => {
      assert.equal(total(samples, 'ringside_outbox_messages', { topic: 'room.created', status: 'dead' }), rooms);
      assert.equal(total(samples, 'ringside_outbox_messages', { topic: 'freespin.payout', status: 'pending' }), 1);
      assert.equal(total(samples, 'ringside_outbox_messages', { topic: 'freespin.payout', status: 'dead' }), 0);
      assert.ok(total(samples, 'ringside_outbox_oldest_pending_age_seconds', { topic: 'freespin.payout' }) > 0);
      assert.equal(total(samples, 'ringside_jdb_payouts', { status: 'pending' }), 1);
      assert.equal(total(samples, 'ringside_jdb_payouts', { status: 'paid' }), 1);
      assert.equal(total(samples, 'ringside_jdb_payouts', { status: 'given_up' }), 0);

      const attempts = (topic: string, outcome: string) =>
        total(samples, 'ringside_outbox_delivery_attempts_total', { topic, outcome });
      assert.ok(attempts('room.created', 'failed') >= rooms, 'every room callback failed at least once');
      assert.equal(attempts('room.created', 'delivered'), 0);
      assert.equal(attempts('freespin.payout', 'delivered'), 1);
      assert.ok(attempts('freespin.payout', 'failed') >= 1);
      assert.equal(
        total(samples, 'ringside_outbox_delivery_attempt_duration_seconds_count', { topic: 'freespin.payout' }),
        attempts('freespin.payout', 'delivered') + attempts('freespin.payout', 'failed'),
      );
      assert.equal(total(samples, 'ringside_outbox_delivery_latency_seconds_count', { topic: 'freespin.payout' }), 1);
      assert.ok(total(samples, 'ringside_outbox_delivery_latency_seconds_sum', { topic: 'freespin.payout' }) > 0);
    });

    it('has the process’s own figures: event loop lag, heap, GC', () => {
      assert.ok(total(samples, 'nodejs_eventloop_lag_seconds') > 0);
      assert.ok(total(samples, 'nodejs_heap_size_used_bytes') > 0);
      assert.match(text, /^# TYPE nodejs_gc_duration_seconds histogram$/m);
      assert.ok(total(samples, 'process_cpu_seconds_total') > 0);
    });

    it('refuses a scrape without the admin token, or with another, in the admin API’s format', async () => {
      const url = `${server.url}/metrics`;
      const refusals: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer not-an-admin-token-0123456789' },
        { authorization: `Basic ${ADMIN_TOKEN}` },
      ];
      for (const headers of refusals) {
        const response = await fetch(url, { headers });
        assert.equal(response.status, 401);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.deepEqual(Object.keys(body), ['error']);
        assert.equal(body.error.code, 'unauthorized');
        assert.match(body.error.message, /bearer token|unknown admin token/);
      }
      const refused = await scrape(url, ADMIN_TOKEN);
      assert.equal(
        total(refused, 'ringside_requests_total', { surface: 'metrics', status: '401', code: 'unauthorized' }),
        3,
      );
    });
  });

  describe(`metrics options [${backend.name}]`, () => {
    it('serves /metrics on a listener of its own, without a token, and not on the main port', async () => {
      const database = await backend.create();
      const server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
        metrics: { listen: { host: '127.0.0.1', port: 0 }, databaseCacheMs: 0 },
      });
      try {
        const metricsUrl = server.ringside.metricsUrl!;
        assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
        assert.notEqual(new URL(metricsUrl).port, new URL(server.url).port);
        await createRooms(new TencentClient(server.url, testApp), 2, 'listener');
        const samples = await scrape(metricsUrl);
        assert.equal(total(samples, 'ringside_rooms', { app: String(testApp.sdkAppId) }), 2);
        assert.equal(total(samples, 'ringside_requests_total', { operation: srv('create_room'), code: '0' }), 2);
        const main = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        assert.equal(main.status, 404);
      } finally {
        await server.close();
        await database.drop();
      }
      await assert.rejects(fetch(server.ringside.metricsUrl!), 'the listener closes with the server');
    });

    it('reads the database at most once per databaseCacheMs, however often it is scraped', async () => {
      const database = await backend.create();
      const server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
        metrics: { databaseCacheMs: 1500 },
      });
      try {
        const client = new TencentClient(server.url, testApp);
        const rooms = async () =>
          total(await scrape(`${server.url}/metrics`, ADMIN_TOKEN), 'ringside_rooms', {
            app: String(testApp.sdkAppId),
          });
        await createRooms(client, 1, 'cache');
        const started = Date.now();
        assert.equal(await rooms(), 1);
        await createRooms(client, 1, 'cache');
        const scrapes = await Promise.all([rooms(), rooms(), rooms()]);
        if (Date.now() - started < 1500) assert.deepEqual(scrapes, [1, 1, 1], 'the first reading, not a new one');
        await waitUntil(async () => (await rooms()) === 2, 'a fresh reading once the cache time is over', 10_000);
        assert.ok(Date.now() - started >= 1500, 'not before the cache time was over');
      } finally {
        await server.close();
        await database.drop();
      }
    });

    it('switched off: no /metrics, and the surfaces answer as before', async () => {
      const database = await backend.create();
      const server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
        metrics: { enabled: false },
      });
      try {
        assert.equal(server.ringside.metricsUrl, undefined);
        await createRooms(new TencentClient(server.url, testApp), 1, 'off');
        const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        assert.equal(response.status, 404);
      } finally {
        await server.close();
        await database.drop();
      }
    });
  });
}
