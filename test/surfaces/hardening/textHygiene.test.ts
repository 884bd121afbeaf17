/**
 * Issue 11, items 10 and 11: "A zero byte (`\u0000`) in any id or string answers an internal
 * error on PostgreSQL … while SQLite accepts it" and "Lone UTF-16 surrogates in ids are
 * mangled". One rule for both backends where input enters: every string refuses U+0000 and
 * lone surrogates, ids also refuse other control characters, each with the surface's own
 * invalid-parameter error (never Tencent 100001, JDB 9999 or HTTP 500).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends, type TestDatabase } from '../../support/backends.js';
import { eventParams, JdbClient, jdbAgent, testGames, uniqueId } from '../../support/jdb.js';
import { GameClient, pollGame, REALM, syncResult, uniqueUsers } from '../../support/oklp.js';
import { startServer, type TestServer } from '../../support/servers.js';
import { srv, TencentClient, testApp } from '../../support/tencent.js';

/** Strings PostgreSQL cannot store, or that SQLite and PostgreSQL mangle differently. */
const badTexts = [
  { name: 'a zero byte', value: 'a\u0000b', rule: /must not contain the zero byte U\+0000/ },
  { name: 'a lone high surrogate', value: 'a\ud800b', rule: /must be well-formed Unicode/ },
  { name: 'a lone low surrogate', value: '\udc00x', rule: /must be well-formed Unicode/ },
];

for (const backend of backends) {
  describe(`NUL, lone surrogates and control characters are refused alike [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let tencent: TencentClient;
    let jdb: JdbClient;
    let admin: AdminClient;
    let game: GameClient;

    before(async () => {
      database = await backend.create();
      server = await startServer({
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        tencent: { apps: [testApp] },
        jdb: { agents: [{ ...jdbAgent, walletUrl: 'http://127.0.0.1:9/jdb' }], games: testGames },
        oklp: { realm: REALM, clients: [pollGame] },
      });
      tencent = new TencentClient(server.url, testApp);
      jdb = new JdbClient(server.url, jdbAgent);
      admin = new AdminClient(server.url, ADMIN_TOKEN);
      game = new GameClient(server.url, pollGame);
    });
    after(async () => {
      await server.close();
      await database.drop();
    });

    for (const bad of badTexts) {
      it(`Tencent: a RoomId with ${bad.name} is 100002 naming RoomId, and no room is made`, async () => {
        const reply = await tencent.call(srv('create_room'), { RoomInfo: { RoomId: bad.value, RoomType: 'Live' } });
        assert.equal(reply.ActionStatus, 'FAIL');
        assert.equal(reply.ErrorCode, 100002, reply.ErrorInfo);
        assert.match(reply.ErrorInfo, /RoomInfo\.RoomId/);
        assert.match(reply.ErrorInfo, bad.rule);
        const lookup = await tencent.call(srv('get_room_info'), { RoomId: bad.value });
        assert.equal(lookup.ErrorCode, 100002, lookup.ErrorInfo);
      });

      it(`Tencent: a stored non-id string (RoomName) with ${bad.name} is 100002 naming it`, async () => {
        const reply = await tencent.call(srv('create_room'), {
          RoomInfo: { RoomId: uniqueId('room'), RoomType: 'Live', RoomName: bad.value },
        });
        assert.equal(reply.ErrorCode, 100002, reply.ErrorInfo);
        assert.match(reply.ErrorInfo, /RoomInfo\.RoomName/);
        assert.match(reply.ErrorInfo, bad.rule);
      });

      it(`JDB: a transactionId and a player uid with ${bad.name} are 8000 naming the field`, async () => {
        const now = Date.now();
        const byTransaction = await jdb.call(72, eventParams(now, { transactionId: bad.value }));
        assert.equal(byTransaction.status, '8000', byTransaction.err_text);
        assert.match(byTransaction.err_text!, /transactionId/);
        const byPlayer = await jdb.call(72, eventParams(now, { players: [bad.value] }));
        assert.equal(byPlayer.status, '8000', byPlayer.err_text);
        assert.match(byPlayer.err_text!, /players\[0\]/);
        const created = await admin.request('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [bad.value] });
        assert.equal(created.status, 400, JSON.stringify(created.body));
        assert.match(created.body.error.message, /uids\[0\]/);
      });

      it(`admin: a deposit's userId with ${bad.name} is 400 naming userId`, async () => {
        const reply = await admin.request('POST', '/ledger/deposits', {
          userId: bad.value,
          amount: 100,
          currency: 'USD',
          idempotencyKey: uniqueId('dep'),
        });
        assert.equal(reply.status, 400, JSON.stringify(reply.body));
        assert.match(reply.body.error.message, /userId/);
        assert.match(reply.body.error.message, bad.rule);
      });

      it(`OkLetsPlay: a finish match_id with ${bad.name} is 400 invalid_request naming match_id`, async () => {
        const reply = await game.finish(syncResult(bad.value, [['u1'], ['u2']], [1, 2]));
        assert.equal(reply.status, 400, JSON.stringify(reply.body));
        assert.equal(reply.body.error.code, 'invalid_request');
        assert.match(reply.body.error.message, /match_id/);
      });
    }

    it('Tencent: an identifier in the URL with a zero byte or a control character is 60004 naming it', async () => {
      for (const identifier of ['administrator\u0000', 'admin\u0001istrator']) {
        const query = tencent.queryFor(identifier, tencent.sigFor(identifier));
        const reply = await tencent.call(srv('get_room_info'), { RoomId: 'r' }, { query });
        assert.equal(reply.ErrorCode, 60004, reply.ErrorInfo);
        assert.match(reply.ErrorInfo, /identifier in the URL/);
      }
    });

    it('admin: a path userId with a zero byte (GET /ledger/accounts/u%00) is 400 naming userId', async () => {
      const reply = await admin.request('GET', '/ledger/accounts/u%00');
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.match(reply.body.error.message, /userId/);
      assert.match(reply.body.error.message, /zero byte/);
    });

    it('admin: a path userId that is not UTF-8 (a lone surrogate, %ED%A0%80) is 400 in the admin format', async () => {
      const reply = await admin.request('GET', '/ledger/accounts/u%ED%A0%80');
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.equal(typeof reply.body.error.code, 'string');
      assert.match(reply.body.error.message, /URL is not valid/);
    });

    it('ids refuse other control characters; other stored strings keep them', async () => {
      const tab = await tencent.call(srv('create_room'), { RoomInfo: { RoomId: 'a\tb', RoomType: 'Live' } });
      assert.equal(tab.ErrorCode, 100002, tab.ErrorInfo);
      assert.match(
        tab.ErrorInfo,
        /RoomInfo\.RoomId is an id and must not contain control characters \(it holds U\+0009\)/,
      );
      const deposit = await admin.request('POST', '/ledger/deposits', {
        userId: 'u\u007f',
        amount: 1,
        currency: 'USD',
        idempotencyKey: uniqueId('dep'),
      });
      assert.equal(deposit.status, 400, JSON.stringify(deposit.body));
      assert.match(deposit.body.error.message, /U\+007F/);

      const roomId = uniqueId('room');
      await tencent.ok(srv('create_room'), {
        RoomInfo: { RoomId: roomId, RoomType: 'Live', RoomName: 'two\tcolumns' },
      });
      const info = await tencent.ok(srv('get_room_info'), { RoomId: roomId });
      assert.equal(info.Response.RoomInfo.RoomName, 'two\tcolumns');
    });

    it('well-formed ids beyond the BMP (surrogate pairs) are stored and found again', async () => {
      const roomId = `${uniqueId('room')}-😀`;
      await tencent.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      const info = await tencent.ok(srv('get_room_info'), { RoomId: roomId });
      assert.equal(info.Response.RoomInfo.RoomId, roomId);
      const [user] = uniqueUsers(1);
      const userId = `${user}-😀`;
      await admin.ok('POST', '/ledger/deposits', {
        userId,
        amount: 5,
        currency: 'USD',
        idempotencyKey: uniqueId('dep'),
      });
      const account = await admin.ok('GET', `/ledger/accounts/${encodeURIComponent(userId)}`);
      assert.deepEqual(account.balances, [{ currency: 'USD', balance: 5 }]);
    });
  });
}
