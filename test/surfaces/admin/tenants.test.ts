import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient, allPages, assertNoSecrets } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { gameA, gameC, jdbAgent, otherJdbAgent } from '../../support/jdb.js';
import { otherGame, pollGame, pushGame, REALM } from '../../support/oklp.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { liveConfig, otherApp, TencentClient, testApp } from '../../support/tencent.js';

const callbackToken = 'callback-token-very-secret-0001';
const apps = [
  { ...otherApp, callback: { url: 'https://hooks.example.com/tencent', token: callbackToken } },
  testApp,
  { ...testApp, sdkAppId: 1400000303, secretKey: 'ringside-test-secret-key-three' },
];
const agents = [
  { ...jdbAgent, walletUrl: 'https://wallet-user:wallet-password-secret@wallet.example.com/jdb' },
  otherJdbAgent,
];
const clients = [pollGame, otherGame, pushGame('https://game.example.com/match-info')];
const secrets = [
  ...apps.map((a) => a.secretKey),
  callbackToken,
  ...agents.flatMap((a) => [a.key, a.iv]),
  'wallet-password-secret',
  ...clients.map((c) => c.clientSecret),
  ADMIN_TOKEN,
];

for (const backend of backends) {
  describe(`admin API: tenants as configured [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let admin: AdminClient;
    before(async () => {
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps },
        jdb: { agents, games: [gameC, gameA] },
        oklp: { realm: REALM, clients },
      });
      admin = new AdminClient(server.url, ADMIN_TOKEN);
    });
    after(async () => {
      await server.close();
      await database.drop();
    });

    it('lists Tencent apps by SDKAppID, page by page, without secret key or callback token', async () => {
      const first = await admin.ok('GET', '/tencent/apps?limit=2');
      assert.equal(first.items.length, 2);
      assert.equal(typeof first.nextCursor, 'string');
      const second = await admin.ok('GET', `/tencent/apps?limit=2&cursor=${first.nextCursor}`);
      assert.equal(second.nextCursor, null);
      assert.deepEqual(
        [...first.items, ...second.items].map((a: any) => a.sdkAppId),
        [1400000101, 1400000202, 1400000303],
      );
      assert.deepEqual(first.items[1], {
        sdkAppId: otherApp.sdkAppId,
        admins: ['administrator'],
        callback: { url: 'https://hooks.example.com/tencent', hasToken: true },
        effectiveCallback: { url: 'https://hooks.example.com/tencent', signed: true, source: 'config file' },
        limits: { gifts: 16, rateLimits: false },
        gifting: { enabled: true, battleScores: true, beforeSendCallback: false },
      });
      assert.equal(first.items[0].callback, null);
      const one = await admin.ok('GET', `/tencent/apps/${otherApp.sdkAppId}`);
      assert.deepEqual(one.app, first.items[1]);
      assertNoSecrets([first, second, one], secrets);
    });

    it("shows where an app's callbacks go now: a live_config configuration wins over the file's", async () => {
      const tencent = new TencentClient(server.url, otherApp);
      const restToken = 'rest-callback-token-secret-0002';
      await tencent.ok(liveConfig('set_callback'), {
        Url: 'https://rest.example.com/cb',
        CallbackCommandList: ['Live.CallbackAfterEndBattle'],
      });
      await tencent.ok(liveConfig('set_callback_token'), { Token: restToken, IsTokenEnable: false });
      const { app } = await admin.ok('GET', `/tencent/apps/${otherApp.sdkAppId}`);
      assert.deepEqual(app.callback, { url: 'https://hooks.example.com/tencent', hasToken: true }, 'as configured');
      assert.deepEqual(app.effectiveCallback, {
        url: 'https://rest.example.com/cb',
        signed: false,
        source: 'live_config',
      });
      await tencent.ok(liveConfig('delete_callback'), {});
      const after = (await admin.ok('GET', `/tencent/apps/${otherApp.sdkAppId}`)).app;
      // The REST token stays after delete_callback, and is off: the file's URL is used, unsigned.
      assert.deepEqual(after.effectiveCallback, {
        url: 'https://hooks.example.com/tencent',
        signed: false,
        source: 'config file',
      });
      assertNoSecrets([app, after], [...secrets, restToken]);
    });

    it('lists JDB agents and games without key, IV or URL credentials', async () => {
      const listed = await allPages(admin, '/jdb/agents', 1);
      assert.deepEqual(
        listed.map((a) => a.parent),
        ['otherag', 'testag'],
      );
      const detail = await admin.ok('GET', '/jdb/agents/testag');
      assert.deepEqual(detail.agent, {
        parent: 'testag',
        dc: 'jb1',
        currency: 'USD',
        walletUrl: 'https://wallet.example.com/jdb',
        rateLimitPerSecond: 0,
        spinRecords: false,
      });
      const games = await admin.ok('GET', '/jdb/games');
      assert.deepEqual(
        games.items.map((g: any) => [g.mType, g.betList]),
        [
          // Amounts as everywhere in the admin API: three decimals.
          [gameC.mType, ['0.100', '0.250', '1.500']],
          [gameA.mType, ['1.000', '5.000', '15.000', '20.000', '30.000']],
        ],
      );
      assert.deepEqual(games.items[1].feature, { multiple: 50, maxTotalBet: '1000.000' });
      assertNoSecrets([listed, detail, games], secrets);
    });

    it('lists OkLetsPlay clients without client secrets', async () => {
      const listed = await allPages(admin, '/oklp/clients', 2);
      assert.deepEqual(listed, [
        { clientId: 'test-game-other', flow: 'poll', matchInfoUrl: null },
        { clientId: 'test-game-poll', flow: 'poll', matchInfoUrl: null },
        { clientId: 'test-game-push', flow: 'push', matchInfoUrl: 'https://game.example.com/match-info' },
      ]);
      const detail = await admin.ok('GET', '/oklp/clients/test-game-push');
      assert.deepEqual(detail.client, listed[2]);
      assertNoSecrets([listed, detail], secrets);
    });

    it('answers an unknown tenant with 404 naming it, and a bad cursor or id with 400', async () => {
      const cases: Array<[string, number, string, RegExp]> = [
        ['/tencent/apps/1400009999', 404, 'not_found', /sdkAppId 1400009999 is not a configured Tencent app/],
        ['/tencent/apps/abc', 400, 'invalid_parameter', /invalid path: sdkAppId/],
        ['/jdb/agents/nobody', 404, 'not_found', /parent nobody is not a configured JDB agent/],
        ['/oklp/clients/nobody', 404, 'not_found', /clientId nobody is not a configured OkLetsPlay client/],
        ['/tencent/apps?cursor=bm90LWEtY3Vyc29y', 400, 'invalid_parameter', /cursor is not a cursor/],
        ['/oklp/clients?limit=0', 400, 'invalid_parameter', /invalid query: limit/],
      ];
      for (const [path, status, code, message] of cases) {
        const reply = await admin.request('GET', path);
        assert.equal(reply.status, status, path);
        assert.equal(reply.body.error.code, code, path);
        assert.match(reply.body.error.message, message);
      }
    });

    it('answers nothing to a caller without the admin token', async () => {
      for (const path of ['/tencent/apps', '/jdb/agents', '/oklp/clients']) {
        const reply = await admin.request('GET', path, undefined, { token: null });
        assert.equal(reply.status, 401);
        assertNoSecrets(reply.body, secrets);
      }
    });
  });
}
