/**
 * Issue 11, item 8: callback configuration over REST (`v4/live_config/*`, reference §5.1).
 * The vendor's words that decide behaviour are quoted where they apply.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { callbackCommand, type ReceivedRequest, Receiver } from '../../support/receiver.js';
import { startServer } from '../../support/servers.js';
import { createBattle, createRooms, liveConfig, pk, srv, TencentClient, testApp } from '../../support/tencent.js';
import { sleep, waitUntil } from '../../support/wait.js';

const fastRetry = { initialMs: 100, maxMs: 300, forMs: 60_000 };
const OK = { status: 200, body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}' };

const battleCommands = [
  'Live.CallbackAfterCreateBattle',
  'Live.CallbackAfterStartBattle',
  'Live.CallbackAfterEndBattle',
];
const roomCommands = ['Live.CallbackAfterCreateRoom', 'Live.CallbackAfterDestroyRoom'];

/** A receiver whose `/down…` paths answer 500 and every other path OK (a wrong URL and a right one). */
async function pathReceiver(): Promise<Receiver> {
  return Receiver.start({ answer: (r) => (r.url.pathname.startsWith('/down') ? { status: 500, body: 'down' } : OK) });
}

const ofRoom = (roomId: string) => (r: ReceivedRequest) =>
  r.json?.RoomInfo?.RoomId === roomId || r.json?.RoomId === roomId;

for (const backend of backends) {
  describe(`live_config commands [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('set_callback, get_callback, update_callback, delete_callback: one configuration per app, with 100300 and 100301', async () => {
      const c = f.client;
      // get_callback: "100301 callback configuration does not exist".
      const none = await c.call(liveConfig('get_callback'), {});
      assert.equal(none.ErrorCode, 100301);
      assert.equal(none.ActionStatus, 'FAIL');
      assert.match(none.ErrorInfo, /no callback configuration exists.*set_callback/);
      assert.equal(
        (await c.call(liveConfig('update_callback'), { Url: 'http://a.example/cb', CallbackCommandList: [] }))
          .ErrorCode,
        100301,
      );
      assert.equal((await c.call(liveConfig('delete_callback'), {})).ErrorCode, 100301);

      const set = await c.call(liveConfig('set_callback'), {
        Url: 'http://a.example/cb',
        CallbackCommandList: ['Live.CallbackAfterCreateRoom', 'Live.CallbackAfterDestroyRoom'],
      });
      assert.equal(set.ErrorCode, 0, set.ErrorInfo);
      assert.equal(set.ActionStatus, 'OK');
      assert.equal(set.ErrorInfo, '');
      assert.match(set.RequestId, /^Id-[0-9a-f]{32}-O-Seq-\d+$/);
      assert.equal(set.Response, undefined, 'an envelope-only answer');

      const got = await c.ok(liveConfig('get_callback'), {});
      assert.deepEqual(got.Response, {
        Url: 'http://a.example/cb',
        CallbackCommandList: ['Live.CallbackAfterCreateRoom', 'Live.CallbackAfterDestroyRoom'],
      });

      // "Only one callback can be set per sdkAppId."
      const again = await c.call(liveConfig('set_callback'), { Url: 'http://b.example/cb', CallbackCommandList: [] });
      assert.equal(again.ErrorCode, 100300);
      assert.match(again.ErrorInfo, /already exists.*update_callback/);
      assert.equal((await c.ok(liveConfig('get_callback'), {})).Response.Url, 'http://a.example/cb', 'unchanged');

      // Names Ringside never sends are kept as given; a name given twice is kept once.
      await c.ok(liveConfig('update_callback'), {
        Url: 'https://b.example/hook?x=1',
        CallbackCommandList: [
          'Live.CallbackAfterEndBattle',
          'Mic.CallbackAfterSeatInfoChanged',
          'Live.CallbackAfterEndBattle',
        ],
      });
      assert.deepEqual((await c.ok(liveConfig('get_callback'), {})).Response, {
        Url: 'https://b.example/hook?x=1',
        CallbackCommandList: ['Live.CallbackAfterEndBattle', 'Mic.CallbackAfterSeatInfoChanged'],
      });

      // Per app: the other app has none.
      assert.equal((await f.other.call(liveConfig('get_callback'), {})).ErrorCode, 100301);

      await c.ok(liveConfig('delete_callback'), {});
      assert.equal((await c.call(liveConfig('get_callback'), {})).ErrorCode, 100301);
      assert.equal((await c.call(liveConfig('delete_callback'), {})).ErrorCode, 100301);
      // After a delete, set_callback works again.
      await c.ok(liveConfig('set_callback'), { Url: 'http://c.example/cb', CallbackCommandList: [] });
      await c.ok(liveConfig('delete_callback'), {});
    });

    it('refuses bad configurations with 100002 naming the field ("Url … must start with http/https")', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ CallbackCommandList: [] }, /^invalid parameter: Url is required$/],
        [{ Url: 'http://a.example/cb' }, /^invalid parameter: CallbackCommandList is required$/],
        [
          { Url: 'ftp://a.example/cb', CallbackCommandList: [] },
          /^invalid parameter: Url must be an absolute URL starting with http:\/\/ or https:\/\/$/,
        ],
        [{ Url: 'www.example.com/cb', CallbackCommandList: [] }, /Url must be an absolute URL/],
        [{ Url: 'http://', CallbackCommandList: [] }, /Url must be an absolute URL/],
        [{ Url: '', CallbackCommandList: [] }, /Url must not be empty/],
        [{ Url: `http://a.example/${'x'.repeat(1024)}`, CallbackCommandList: [] }, /Url must be at most 1024 bytes/],
        [
          { Url: 'http://a.example/cb', CallbackCommandList: 'Live.CallbackAfterCreateRoom' },
          /CallbackCommandList must be an array/,
        ],
        [{ Url: 'http://a.example/cb', CallbackCommandList: [1] }, /CallbackCommandList\[0\] must be a string/],
        [
          { Url: 'http://a.example/cb', CallbackCommandList: ['Live.CallbackAfterCreateRoom', 'CreateRoom'] },
          /^invalid parameter: CallbackCommandList\[1\] must be a callback command name such as Live\.CallbackAfterCreateBattle$/,
        ],
      ];
      for (const command of ['set_callback', 'update_callback']) {
        for (const [body, info] of cases) {
          const reply = await f.client.call(liveConfig(command), body);
          assert.equal(reply.ErrorCode, 100002, `${command} ${JSON.stringify(body)}`);
          assert.match(reply.ErrorInfo, info);
        }
      }
      assert.equal((await f.client.call(liveConfig('get_callback'), {})).ErrorCode, 100301, 'nothing was stored');
    });

    it('set_callback_token and get_callback_token: "all parameters must be filled in" the first time, then only those to change', async () => {
      const c = f.other;
      // get_callback_token: "100302 the callback authentication configuration does not exist".
      const none = await c.call(liveConfig('get_callback_token'), {});
      assert.equal(none.ErrorCode, 100302);
      assert.match(none.ErrorInfo, /set_callback_token/);
      for (const partial of [{ Token: 'abc' }, { IsTokenEnable: true }, {}]) {
        const reply = await c.call(liveConfig('set_callback_token'), partial);
        assert.equal(reply.ErrorCode, 100002, JSON.stringify(partial));
        assert.match(
          reply.ErrorInfo,
          /^invalid parameter: (Token|IsTokenEnable) is required: the app has no token configuration yet$/,
        );
      }
      assert.equal((await c.call(liveConfig('get_callback_token'), {})).ErrorCode, 100302);

      // "Token length minimum 1, maximum 128" (characters: 128 of them may be more bytes).
      for (const [body, info] of [
        [{ Token: '', IsTokenEnable: true }, /Token must not be empty/],
        [{ Token: 'x'.repeat(129), IsTokenEnable: true }, /Token must be at most 128 characters/],
        [{ Token: 'abc', IsTokenEnable: 'true' }, /IsTokenEnable must be a boolean/],
        [{ Token: 7, IsTokenEnable: true }, /Token must be a string/],
      ] as Array<[unknown, RegExp]>) {
        const reply = await c.call(liveConfig('set_callback_token'), body);
        assert.equal(reply.ErrorCode, 100002);
        assert.match(reply.ErrorInfo, info);
      }

      const longest = '令'.repeat(128);
      await c.ok(liveConfig('set_callback_token'), { Token: longest, IsTokenEnable: true });
      assert.deepEqual((await c.ok(liveConfig('get_callback_token'), {})).Response, {
        Token: longest,
        IsTokenEnable: true,
      });
      await c.ok(liveConfig('set_callback_token'), { IsTokenEnable: false });
      assert.deepEqual((await c.ok(liveConfig('get_callback_token'), {})).Response, {
        Token: longest,
        IsTokenEnable: false,
      });
      await c.ok(liveConfig('set_callback_token'), { Token: 'second' });
      assert.deepEqual((await c.ok(liveConfig('get_callback_token'), {})).Response, {
        Token: 'second',
        IsTokenEnable: false,
      });
      await c.ok(liveConfig('set_callback_token'), {});
      assert.deepEqual((await c.ok(liveConfig('get_callback_token'), {})).Response, {
        Token: 'second',
        IsTokenEnable: false,
      });
      await c.ok(liveConfig('set_callback_token'), { Token: 'third', IsTokenEnable: true });
      assert.deepEqual((await c.ok(liveConfig('get_callback_token'), {})).Response, {
        Token: 'third',
        IsTokenEnable: true,
      });
    });

    it('answers only admins (60010), like every REST command', async () => {
      const reply = await f.client.call(liveConfig('get_callback'), {}, { identifier: 'not_an_admin' });
      assert.equal(reply.ErrorCode, 60010);
    });
  });

  describe(`callbacks configured over REST [${backend.name}]`, () => {
    let f: TencentFixture;
    let receiver: Receiver;
    let admin: AdminClient;
    before(async () => {
      receiver = await pathReceiver();
      // testApp has no callback in the config file; otherApp has one, at /file.
      const withFileCallback = {
        ...testApp,
        sdkAppId: 1400000303,
        callback: { url: `${receiver.url}/file`, token: 'file-token' },
      };
      f = await tencentFixture(backend, {
        apps: [testApp, withFileCallback],
        config: { admin: { tokens: [ADMIN_TOKEN] }, tencent: { callbackRetry: fastRetry } },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });
    const at = (path: string) => receiver.requests.filter((r) => r.url.pathname === path);

    it('sends only the commands in CallbackCommandList ("when the executed CallbackCommand is on the configuration list, it will trigger the callback")', async () => {
      await f.client.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/only-battles?tag=1`,
        CallbackCommandList: ['Live.CallbackAfterCreateBattle', 'Live.CallbackAfterEndBattle'],
      });
      const { battleId, rooms } = await createBattle(f.client);
      await f.client.ok(pk('end_battle'), { BattleId: battleId });
      await f.client.ok(srv('destroy_room'), { RoomId: rooms[0] });
      await receiver.waitFor(() =>
        at('/only-battles').some(
          (r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId,
        ),
      );
      // The destroy came after the end: had it been queued, it would be due by now.
      await sleep(500);
      const sent = at('/only-battles').filter((r) => r.json.BattleId === battleId || rooms.some((id) => ofRoom(id)(r)));
      assert.deepEqual(sent.map(callbackCommand).sort(), [
        'Live.CallbackAfterCreateBattle',
        'Live.CallbackAfterEndBattle',
      ]);
      assert.equal(sent[0]!.url.searchParams.get('tag'), '1', "the URL's own query is kept");
      assert.equal(sent[0]!.url.searchParams.get('SdkAppid'), String(testApp.sdkAppId));
      assert.equal(sent[0]!.url.searchParams.get('Sign'), null, 'no token: unsigned');
      const unwanted = await admin.ok('GET', '/deliveries?limit=100');
      assert.ok(
        !unwanted.deliveries.some((d: any) => d.topic === 'battle.started' && d.payload.battle.battleId === battleId),
        'an event whose command is not in the list is not even queued',
      );
      await f.client.ok(liveConfig('delete_callback'), {});
    });

    it('signs with the token while IsTokenEnable is true: "Sign = sha256(Token + RequestTime)"', async () => {
      await f.client.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/signed`,
        CallbackCommandList: roomCommands,
      });
      await f.client.ok(liveConfig('set_callback_token'), { Token: 'rest-token', IsTokenEnable: true });
      const [signedRoom] = await createRooms(f.client, 1, 'signed');
      const [signed] = await receiver
        .waitFor(() => at('/signed').some(ofRoom(signedRoom!)))
        .then(() => at('/signed').filter(ofRoom(signedRoom!)));
      const requestTime = signed!.url.searchParams.get('RequestTime')!;
      assert.ok(Math.abs(Number(requestTime) - Date.now() / 1000) < 60);
      assert.equal(
        signed!.url.searchParams.get('Sign'),
        createHash('sha256').update(`rest-token${requestTime}`).digest('hex'),
      );

      await f.client.ok(liveConfig('set_callback_token'), { IsTokenEnable: false });
      const [plainRoom] = await createRooms(f.client, 1, 'unsigned');
      await receiver.waitFor(() => at('/signed').some(ofRoom(plainRoom!)));
      const plain = at('/signed').find(ofRoom(plainRoom!))!;
      assert.equal(plain.url.searchParams.get('Sign'), null, 'disabled: unsigned');
      assert.equal(plain.url.searchParams.get('RequestTime'), null);
      await f.client.ok(liveConfig('delete_callback'), {});
    });

    it("prefers the REST configuration to the config file's, and after delete_callback the file's applies again", async () => {
      const app = f.other; // has callback /file with token file-token
      const [first] = await createRooms(app, 1, 'file-first');
      await receiver.waitFor(() => at('/file').some(ofRoom(first!)));
      const fromFile = at('/file').find(ofRoom(first!))!;
      assert.equal(
        fromFile.url.searchParams.get('Sign'),
        createHash('sha256')
          .update(`file-token${fromFile.url.searchParams.get('RequestTime')}`)
          .digest('hex'),
        "the file's token signs",
      );

      await app.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/rest`,
        CallbackCommandList: ['Live.CallbackAfterCreateRoom'],
      });
      const [second] = await createRooms(app, 1, 'rest-wins');
      await app.ok(srv('destroy_room'), { RoomId: second });
      await receiver.waitFor(() => at('/rest').some(ofRoom(second!)));
      await sleep(500);
      assert.equal(at('/file').filter(ofRoom(second!)).length, 0, 'nothing goes to the file URL');
      assert.deepEqual(at('/rest').filter(ofRoom(second!)).map(callbackCommand), ['Live.CallbackAfterCreateRoom']);
      // No token made over REST: the file's token still signs.
      const viaRest = at('/rest').find(ofRoom(second!))!;
      assert.equal(
        viaRest.url.searchParams.get('Sign'),
        createHash('sha256')
          .update(`file-token${viaRest.url.searchParams.get('RequestTime')}`)
          .digest('hex'),
      );

      await app.ok(liveConfig('delete_callback'), {});
      const [third] = await createRooms(app, 1, 'file-again');
      await app.ok(srv('destroy_room'), { RoomId: third });
      await receiver.waitFor(() => at('/file').filter(ofRoom(third!)).length === 2);
      assert.deepEqual(
        at('/file').filter(ofRoom(third!)).map(callbackCommand).sort(),
        roomCommands.slice().sort(),
        'every callback again',
      );
      assert.equal(at('/rest').filter(ofRoom(third!)).length, 0);
    });

    it('sends each attempt to the URL of the moment: fixing a wrong URL rescues queued events', async () => {
      await f.client.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/down-wrong`,
        CallbackCommandList: roomCommands,
      });
      const [roomId] = await createRooms(f.client, 1, 'rescued');
      await receiver.waitFor(() => at('/down-wrong').filter(ofRoom(roomId!)).length >= 2);
      await f.client.ok(liveConfig('update_callback'), {
        Url: `${receiver.url}/fixed`,
        CallbackCommandList: roomCommands,
      });
      await receiver.waitFor(() => at('/fixed').some(ofRoom(roomId!)));
      const failed = at('/down-wrong').find(ofRoom(roomId!))!;
      const rescued = at('/fixed').find(ofRoom(roomId!))!;
      assert.equal(rescued.json.EventId, failed.json.EventId, 'the same event, not a new one');
      const delivery = await waitUntil(
        async () =>
          (await admin.ok('GET', '/deliveries?status=delivered&limit=100')).deliveries.find(
            (d: any) => d.eventId === failed.json.EventId,
          ),
        'the rescued delivery to be delivered',
      );
      assert.ok(delivery.attempts >= 3);
      await f.client.ok(liveConfig('delete_callback'), {});
    });

    it('cancels a queued event whose command left the list, or whose app has no URL any more, and lists it as cancelled', async () => {
      await f.client.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/down-cancel`,
        CallbackCommandList: roomCommands,
      });
      const [dropped] = await createRooms(f.client, 1, 'dropped');
      await receiver.waitFor(() => at('/down-cancel').some(ofRoom(dropped!)));
      await f.client.ok(liveConfig('update_callback'), {
        Url: `${receiver.url}/down-cancel`,
        CallbackCommandList: ['Live.CallbackAfterDestroyRoom'],
      });
      const cancelled: any = await waitUntil(
        async () =>
          (await admin.ok('GET', '/deliveries?status=cancelled&limit=100')).deliveries.find(
            (d: any) => d.payload.room?.roomId === dropped,
          ),
        'the room.created delivery to be cancelled',
      );
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.topic, 'room.created');
      assert.equal(cancelled.lastError, "Live.CallbackAfterCreateRoom is no longer in the app's CallbackCommandList");
      const attempts = at('/down-cancel').filter(ofRoom(dropped!)).length;
      await sleep(600);
      assert.equal(at('/down-cancel').filter(ofRoom(dropped!)).length, attempts, 'no attempt after the cancel');
      const retry = await admin.request('POST', `/deliveries/${cancelled.id}/retry`);
      assert.equal(retry.status, 409, 'a cancelled delivery cannot be retried');
      assert.equal(retry.body.error.code, 'delivery_state');
      assert.match(retry.body.error.message, /is a cancelled delivery, which cannot be retried/);

      // The app has no file callback: once the REST one is deleted it has no URL at all.
      await f.client.ok(liveConfig('update_callback'), {
        Url: `${receiver.url}/down-cancel`,
        CallbackCommandList: roomCommands,
      });
      const [orphan] = await createRooms(f.client, 1, 'orphan');
      await receiver.waitFor(() => at('/down-cancel').some(ofRoom(orphan!)));
      await f.client.ok(liveConfig('delete_callback'), {});
      const orphaned: any = await waitUntil(
        async () =>
          (await admin.ok('GET', '/deliveries?status=cancelled&limit=100')).deliveries.find(
            (d: any) => d.payload.room?.roomId === orphan,
          ),
        'the delivery of an app without a URL to be cancelled',
      );
      assert.equal(orphaned.lastError, `app ${testApp.sdkAppId} has no callback URL any more`);
    });
  });

  describe(`before-send-gift check configured over REST [${backend.name}]`, () => {
    let f: TencentFixture;
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start({
        answer: (r) =>
          callbackCommand(r) === 'Live.CallbackBeforeSendGift'
            ? { status: 200, body: '{"ActionStatus":"FAIL","ErrorCode":102150,"ErrorInfo":"no gifts today"}' }
            : OK,
      });
      f = await tencentFixture(backend);
      await f.client.ok(srv('add_gift'), { GiftId: 'rose', Coins: 5, DefaultName: 'Rose' });
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });
    const sendRose = (roomId: string) =>
      f.client.call(srv('send_gift'), { RoomId: roomId, GiftId: 'rose', Count: 1, From_Account: 'fan_1' });
    const asked = () => receiver.requests.filter((r) => callbackCommand(r) === 'Live.CallbackBeforeSendGift');

    it('turns the check on only while Live.CallbackBeforeSendGift is in the list', async () => {
      const [roomId] = await createRooms(f.client, 1, 'gifts');
      assert.equal((await sendRose(roomId!)).ErrorCode, 0, 'no configuration: no check');

      await f.client.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/gifts`,
        CallbackCommandList: ['Live.CallbackAfterCreateRoom'],
      });
      assert.equal((await sendRose(roomId!)).ErrorCode, 0, 'not in the list: no check');
      assert.equal(asked().length, 0);

      await f.client.ok(liveConfig('update_callback'), {
        Url: `${receiver.url}/gifts`,
        CallbackCommandList: ['Live.CallbackBeforeSendGift'],
      });
      const refused = await sendRose(roomId!);
      assert.equal(refused.ErrorCode, 102150, 'the app refused it with its own code');
      assert.equal(refused.ErrorInfo, 'no gifts today');
      assert.equal(asked().length, 1);
      assert.equal(asked()[0]!.url.pathname, '/gifts');

      await f.client.ok(liveConfig('delete_callback'), {});
      assert.equal((await sendRose(roomId!)).ErrorCode, 0, 'deleted: no check');
      assert.equal(asked().length, 1);
    });
  });

  describe(`callback configuration across restarts [${backend.name}]`, () => {
    it('survives a restart: the new server reads it and sends to it', async () => {
      const receiver = await Receiver.start();
      const database = await backend.create();
      const fileConfig = { storage: database.storage, tencent: { apps: [testApp], callbackRetry: fastRetry } };
      try {
        const first = await startServer(fileConfig);
        const before = new TencentClient(first.url, testApp);
        await before.ok(liveConfig('set_callback'), { Url: `${receiver.url}/kept`, CallbackCommandList: roomCommands });
        await before.ok(liveConfig('set_callback_token'), { Token: 'kept-token', IsTokenEnable: true });
        await first.close();

        const second = await startServer(fileConfig);
        try {
          const afterRestart = new TencentClient(second.url, testApp);
          assert.deepEqual((await afterRestart.ok(liveConfig('get_callback'), {})).Response, {
            Url: `${receiver.url}/kept`,
            CallbackCommandList: roomCommands,
          });
          assert.deepEqual((await afterRestart.ok(liveConfig('get_callback_token'), {})).Response, {
            Token: 'kept-token',
            IsTokenEnable: true,
          });
          const [roomId] = await createRooms(afterRestart, 1, 'restarted');
          await receiver.waitFor((all) => all.some(ofRoom(roomId!)));
          const sent = receiver.requests.find(ofRoom(roomId!))!;
          assert.equal(sent.url.pathname, '/kept');
          assert.ok(sent.url.searchParams.get('Sign'));
        } finally {
          await second.close();
        }
      } finally {
        await database.drop();
        await receiver.close();
      }
    });
  });
}
