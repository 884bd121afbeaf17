import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN,
  AdminClient,
  allPages,
  assertNewestFirst,
  assertNoSecrets,
  assertWalk,
  walkWhileInserting,
} from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { sleep } from '../../support/wait.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { createBattle, createRooms, otherApp, pk, srv, TencentClient, testApp } from '../../support/tencent.js';

const listApp = { ...testApp, sdkAppId: 1400000707, secretKey: 'ringside-test-secret-key-list' };
const secrets = [testApp.secretKey, otherApp.secretKey, listApp.secretKey, ADMIN_TOKEN];
const byRoom = (r: any) => r.roomId;
const byBattle = (b: any) => b.battleId;
const created = (x: any) => x.createdAt;

for (const backend of backends) {
  describe(`admin API: rooms and battles [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let list: TencentClient;
    before(async () => {
      f = await tencentFixture(backend, {
        apps: [testApp, otherApp, listApp],
        config: { admin: { tokens: [ADMIN_TOKEN] } },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
      list = new TencentClient(f.server.url, listApp);
    });
    after(() => f.close());

    const rooms = (query = '') => `/tencent/apps/${listApp.sdkAppId}/rooms${query}`;

    it('lists the rooms of an app newest first, page by page, filtered by owner and by battle', async () => {
      const ids = await createRooms(list, 5, 'listed');
      await createRooms(f.client, 2, 'elsewhere');
      const walked = await allPages(admin, rooms(), 2);
      assert.deepEqual(new Set(walked.map(byRoom)), new Set(ids), 'the app’s rooms only');
      assert.equal(walked.length, 5);
      assertNewestFirst(walked, byRoom, created);
      assert.deepEqual(
        { ...walked.find((r) => r.roomId === ids[0]), createdAt: 0, updatedAt: 0 },
        {
          sdkAppId: listApp.sdkAppId,
          roomId: ids[0],
          type: 'Live',
          name: ids[0],
          ownerId: 'owner-0',
          maxMembers: 100000,
          coverUrl: '',
          backgroundUrl: '',
          messagesDisabled: false,
          publicVisible: true,
          seatEnabled: false,
          seatMode: 'free',
          maxSeats: 0,
          seatTemplate: '',
          keepOwnerOnSeat: false,
          unlimitedMembers: false,
          categories: [],
          activityStatus: 0,
          notice: '',
          customInfo: '',
          giftsEnabled: true,
          viewCount: 0,
          createdAt: 0,
          updatedAt: 0,
        },
      );

      const owned = await admin.ok('GET', rooms('?ownerId=owner-3'));
      assert.deepEqual(owned, { items: [walked.find((r) => r.roomId === ids[3])], nextCursor: null });

      await list.ok(pk('create_battle'), { FromRoomId: ids[1], ToRoomIdList: [ids[2]], Duration: 60_000 });
      const fighting = await allPages(admin, rooms('?inBattle=true'), 1);
      assert.deepEqual(fighting.map(byRoom).sort(), [ids[1], ids[2]].sort());
      const idle = await allPages(admin, rooms('?inBattle=false'), 1);
      assert.deepEqual(idle.map(byRoom).sort(), [ids[0], ids[3], ids[4]].sort());
      const idleOfOwner = await admin.ok('GET', rooms('?inBattle=false&ownerId=owner-1'));
      assert.deepEqual(idleOfOwner.items, [], 'filters combine');
      assertNoSecrets([walked, owned, fighting, idle], secrets);
    });

    it('never skips nor repeats a room while rooms are being created', async () => {
      const existing = await allPages(admin, rooms(), 500);
      const more = await createRooms(list, 7, 'walk');
      const before = [...existing.map(byRoom), ...more];
      const walked = await walkWhileInserting(admin, rooms(), 3, () => createRooms(list, 2, 'meanwhile'));
      assertWalk(walked, before, byRoom, created);
    });

    it('shows a room with its metadata, gift totals and battles', async () => {
      const [roomId] = await createRooms(list, 1, 'detail');
      await list.ok(srv('set_room_metadata'), {
        RoomId: roomId,
        Metadata: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: '1' },
        ],
      });
      await list.ok(srv('add_gift'), { GiftId: 'rose', Coins: 5, DefaultName: 'Rose' });
      for (const from of ['fan_1', 'fan_2', 'fan_1']) {
        await list.ok(srv('send_gift'), { RoomId: roomId, GiftId: 'rose', Count: 2, From_Account: from });
      }
      const [rival] = await createRooms(list, 1, 'rival');
      const battle = await list.ok(pk('create_battle'), {
        FromRoomId: roomId,
        ToRoomIdList: [rival],
        Duration: 60_000,
      });
      const battleId = battle.Response.BattleId;

      const detail = await admin.ok('GET', rooms(`/${encodeURIComponent(roomId!)}`));
      assert.equal(detail.room.roomId, roomId);
      assert.deepEqual(detail.metadata, [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ]);
      assert.deepEqual(detail.gifts, { sends: 3, count: 6, coins: 30, senders: 2 });
      assert.deepEqual(detail.topSenders, [
        { senderId: 'fan_1', count: 4, coins: 20 },
        { senderId: 'fan_2', count: 2, coins: 10 },
      ]);
      assert.equal(detail.battles.length, 1);
      assert.equal(detail.battles[0].battleId, battleId);
      assert.equal(detail.battles[0].status, 'running');
      // The gifts came before the battle: its scores start at zero.
      assert.deepEqual(detail.battles[0].rooms, [
        { roomId, ownerId: 'owner-0', score: 0 },
        { roomId: rival, ownerId: 'owner-0', score: 0 },
      ]);

      const [quiet] = await createRooms(list, 1, 'quiet');
      const empty = await admin.ok('GET', rooms(`/${quiet}`));
      assert.deepEqual(
        [empty.metadata, empty.gifts, empty.topSenders, empty.battles],
        [[], { sends: 0, count: 0, coins: 0, senders: 0 }, [], []],
      );
      assertNoSecrets([detail, empty], secrets);
    });

    it('shows the ten biggest gift senders by coins, ties by gift count then by id', async () => {
      const [roomId] = await createRooms(list, 1, 'senders');
      await list.ok(srv('add_gift'), { GiftId: 'pebble', Coins: 1, DefaultName: 'Pebble' });
      await list.ok(srv('add_gift'), { GiftId: 'crown', Coins: 50, DefaultName: 'Crown' });
      // fan_00 … fan_10 send 1 … 11 pebbles; tie_a and tie_b send one crown each (50 coins, 1 gift),
      // big sends 50 pebbles (50 coins, 50 gifts): more gifts wins the tie, then the id.
      for (let i = 0; i <= 10; i++) {
        const from = `fan_${String(i).padStart(2, '0')}`;
        await list.ok(srv('send_gift'), { RoomId: roomId, GiftId: 'pebble', Count: i + 1, From_Account: from });
      }
      for (const from of ['tie_b', 'tie_a']) {
        await list.ok(srv('send_gift'), { RoomId: roomId, GiftId: 'crown', Count: 1, From_Account: from });
      }
      await list.ok(srv('send_gift'), { RoomId: roomId, GiftId: 'pebble', Count: 50, From_Account: 'big' });

      const detail = await admin.ok('GET', rooms(`/${roomId}`));
      assert.equal(detail.gifts.senders, 14);
      assert.deepEqual(detail.topSenders, [
        { senderId: 'big', count: 50, coins: 50 },
        { senderId: 'tie_a', count: 1, coins: 50 },
        { senderId: 'tie_b', count: 1, coins: 50 },
        ...[10, 9, 8, 7, 6, 5, 4].map((i) => ({
          senderId: `fan_${String(i).padStart(2, '0')}`,
          count: i + 1,
          coins: i + 1,
        })),
      ]);
    });

    it('answers an unknown app, room or battle with 404 naming it', async () => {
      const cases: Array<[string, number, string, RegExp]> = [
        ['/tencent/apps/1400009999/rooms', 404, 'not_found', /sdkAppId 1400009999 is not a configured Tencent app/],
        [rooms('/no-such-room'), 404, 'room_not_found', /room no-such-room does not exist/],
        [`/tencent/apps/${listApp.sdkAppId}/battles/nope`, 404, 'battle_not_found', /battle nope does not exist/],
        ['/tencent/battles?sdkAppId=1400009999', 404, 'not_found', /sdkAppId 1400009999/],
        [rooms('?inBattle=maybe'), 400, 'invalid_parameter', /invalid query: inBattle/],
        ['/tencent/battles?status=paused', 400, 'invalid_parameter', /invalid query: status/],
        ['/tencent/battles?from=20&to=10', 400, 'invalid_parameter', /from \(20\) must be before to \(10\)/],
        ['/tencent/battles?from=yesterday', 400, 'invalid_parameter', /invalid query: from/],
        [rooms(`/${'x'.repeat(49)}`), 400, 'invalid_parameter', /invalid path: roomId/],
      ];
      for (const [path, status, code, message] of cases) {
        const reply = await admin.request('GET', path);
        assert.equal(reply.status, status, path);
        assert.equal(reply.body.error.code, code, path);
        assert.match(reply.body.error.message, message, path);
      }
      // A cursor of a listing whose ids are numbers is not one of this listing.
      const apps = await admin.ok('GET', '/tencent/apps?limit=1');
      const crossed = await admin.request('GET', rooms(`?cursor=${apps.nextCursor}`));
      assert.equal(crossed.status, 400);
      assert.match(crossed.body.error.message, /cursor is not a cursor this listing returned/);
      // Found by the fuzz test: an id no stored text can be (U+0000, a lone surrogate) reached PostgreSQL: 500.
      const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
      const listings = [rooms(''), '/tencent/battles', `/tencent/apps/${testApp.sdkAppId}/gifts`, '/ledger/accounts'];
      for (const listing of listings) {
        for (const id of ['a\u0000b', '\ud800']) {
          const reply = await admin.request('GET', `${listing}?cursor=${cursorOf([1, id])}`);
          assert.deepEqual([reply.status, reply.body.error?.code], [400, 'invalid_parameter'], listing);
          assert.match(reply.body.error.message, /cursor is not a cursor this listing returned/);
        }
      }
    });
  });

  describe(`admin API: battles [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    before(async () => {
      f = await tencentFixture(backend, { config: { admin: { tokens: [ADMIN_TOKEN] } } });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(() => f.close());

    const battles = (query = '') => `/tencent/battles${query}`;

    it('lists battles newest first, filtered by app, room, status and creation time', async () => {
      const start = Date.now();
      const a = await createBattle(f.client, { callees: 2 });
      const b = await createBattle(f.client);
      const c = await createBattle(f.other);
      await f.client.ok(pk('end_battle'), { BattleId: a.battleId });
      await sleep(5);
      const middle = Date.now();

      const everything = await allPages(admin, battles(), 1);
      assert.deepEqual(new Set(everything.map(byBattle)), new Set([a.battleId, b.battleId, c.battleId]));
      assertNewestFirst(everything, byBattle, created);

      const ofApp = await allPages(admin, battles(`?sdkAppId=${testApp.sdkAppId}`), 1);
      assert.deepEqual(new Set(ofApp.map(byBattle)), new Set([a.battleId, b.battleId]));
      const ofRoom = await admin.ok('GET', battles(`?sdkAppId=${testApp.sdkAppId}&roomId=${a.rooms[2]}`));
      assert.deepEqual(ofRoom.items.map(byBattle), [a.battleId]);
      assert.deepEqual(
        ofRoom.items[0].rooms.map((r: any) => r.roomId),
        a.rooms,
        'the whole scoreboard, caller first',
      );
      const running = await allPages(admin, battles('?status=running'), 5);
      assert.deepEqual(new Set(running.map(byBattle)), new Set([b.battleId, c.battleId]));
      const ended = await admin.ok('GET', battles('?status=ended'));
      assert.deepEqual(ended.items.map(byBattle), [a.battleId]);
      assert.equal(ended.items[0].endReason, 'ended_by_admin');

      const later = await createBattle(f.client);
      const since = await allPages(admin, battles(`?from=${middle}`), 5);
      assert.deepEqual(since.map(byBattle), [later.battleId]);
      const until = await allPages(admin, battles(`?from=${start}&to=${middle}`), 5);
      assert.deepEqual(new Set(until.map(byBattle)), new Set([a.battleId, b.battleId, c.battleId]));
      assertNoSecrets([everything, ofRoom, running, ended, since], secrets);
    });

    it('counts a battle past its end time as ended before the expiry job marks it', async () => {
      const short = await createBattle(f.client, { durationMs: 1000 });
      await sleep(1100);
      const ended = await allPages(admin, battles(`?status=ended&roomId=${short.rooms[0]}`), 5);
      assert.deepEqual(ended.map(byBattle), [short.battleId]);
      assert.equal(ended[0].endReason, 'time_up');
      const running = await allPages(admin, battles(`?status=running&roomId=${short.rooms[0]}`), 5);
      assert.deepEqual(running, []);
    });

    it('shows a battle with its scores and history', async () => {
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [
          { RoomId: rooms[0], Score: 40 },
          { RoomId: rooms[1], Score: 2 },
        ],
      });
      const path = `/tencent/apps/${testApp.sdkAppId}/battles/${encodeURIComponent(battleId)}`;
      const live = await admin.ok('GET', path);
      assert.equal(live.battle.status, 'running');
      assert.deepEqual(
        live.battle.rooms.map((r: any) => r.score),
        [40, 2],
      );
      assert.deepEqual(
        live.history.map((h: any) => h.type),
        ['created', 'started'],
      );
      assert.deepEqual(live.history[0].rooms, rooms);
      assert.equal(live.history[0].operatorId, testApp.admins[0]);

      await f.client.ok(pk('end_battle'), { BattleId: battleId });
      const over = await admin.ok('GET', path);
      assert.equal(over.battle.status, 'ended');
      assert.deepEqual(over.history.at(-1), {
        type: 'ended',
        at: over.battle.endedAt,
        reason: 'ended_by_admin',
        scores: over.battle.rooms,
      });
      const elsewhere = await admin.request(
        'GET',
        `/tencent/apps/${otherApp.sdkAppId}/battles/${encodeURIComponent(battleId)}`,
      );
      assert.equal(elsewhere.status, 404, 'a battle belongs to its app');
      assertNoSecrets([live, over], secrets);
    });

    it('never skips nor repeats a battle while battles are being created', async () => {
      for (let i = 0; i < 5; i++) await createBattle(f.client);
      const before = (await allPages(admin, battles(), 500)).map(byBattle);
      const walked = await walkWhileInserting(admin, battles(), 2, () => createBattle(f.client));
      assertWalk(walked, before, byBattle, created);
    });
  });
}
