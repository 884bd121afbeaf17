import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture, uniqueRoomId } from '../../support/fixture.js';
import { officialUserSig, otherApp, srv, testApp } from '../../support/tencent.js';

/** Decodes a UserSig with test-side code (not the server's), for tampering. */
function unpack(sig: string): Record<string, unknown> {
  const base64 = sig.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');
  return JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString()) as Record<string, unknown>;
}
function pack(doc: Record<string, unknown>): string {
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString('base64')
    .replaceAll('+', '*')
    .replaceAll('/', '-')
    .replaceAll('=', '_');
}

/** A UserSig made by the official package as if an hour ago, valid for a minute. */
function expiredOfficialSig(identifier: string): string {
  const realNow = Date.now;
  Date.now = () => realNow() - 3600_000;
  try {
    return officialUserSig(testApp, identifier, 60);
  } finally {
    Date.now = realNow;
  }
}

for (const backend of backends) {
  describe(`Tencent UserSig authentication [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    const getList = (options: Parameters<TencentFixture['client']['call']>[2]) =>
      f.client.call(srv('get_room_list'), {}, options);

    it('accepts UserSigs made by the official tls-sig-api-v2 package, for every admin', async () => {
      for (const admin of testApp.admins) {
        const reply = await getList({ identifier: admin, userSig: officialUserSig(testApp, admin, 300) });
        assert.equal(reply.ErrorCode, 0, reply.ErrorInfo);
      }
    });

    it('accepts a UserSig that is still within its validity, however old', async () => {
      const realNow = Date.now;
      Date.now = () => realNow() - 3600_000;
      const sig = officialUserSig(testApp, 'administrator', 7200);
      Date.now = realNow;
      assert.equal((await getList({ userSig: sig })).ErrorCode, 0);
    });

    it('refuses an expired UserSig with 70001', async () => {
      const reply = await getList({ userSig: expiredOfficialSig('administrator') });
      assert.equal(reply.ErrorCode, 70001);
      assert.equal(reply.ActionStatus, 'FAIL');
      assert.match(reply.ErrorInfo, /expired/);
    });

    it('refuses a UserSig signed with another key with 70009', async () => {
      const wrongKey = officialUserSig({ sdkAppId: testApp.sdkAppId, secretKey: 'not-the-right-key' }, 'administrator');
      assert.equal((await getList({ userSig: wrongKey })).ErrorCode, 70009);
    });

    it('refuses a tampered UserSig (identifier or expiry edited without the key) with 70009', async () => {
      const doc = unpack(officialUserSig(testApp, 'administrator'));
      const otherIdentity = pack({ ...doc, 'TLS.identifier': 'ops_admin' });
      assert.equal((await getList({ identifier: 'ops_admin', userSig: otherIdentity })).ErrorCode, 70009);
      const longer = pack({ ...doc, 'TLS.expire': 999999999 });
      assert.equal((await getList({ userSig: longer })).ErrorCode, 70009);
    });

    it('refuses a truncated or garbage UserSig with 70003', async () => {
      const sig = officialUserSig(testApp, 'administrator');
      for (const bad of [sig.slice(0, 40), 'garbage', '!!!!', 'eJw*', `${sig.slice(0, -10)}AAAA`, pack({ hello: 1 })]) {
        const reply = await getList({ userSig: encodeURIComponent(bad) });
        assert.equal(reply.ErrorCode, 70003, `${bad}: ${reply.ErrorCode} ${reply.ErrorInfo}`);
      }
    });

    it('refuses a UserSig of another identifier (70013) or another app (70014)', async () => {
      const forOps = officialUserSig(testApp, 'ops_admin');
      assert.equal((await getList({ identifier: 'administrator', userSig: forOps })).ErrorCode, 70013);
      const forOtherApp = officialUserSig(otherApp, 'administrator');
      assert.equal((await getList({ userSig: forOtherApp })).ErrorCode, 70014);
    });

    it('refuses a valid UserSig of an identifier that is not an admin with 60010', async () => {
      const reply = await getList({ identifier: 'viewer_1', userSig: officialUserSig(testApp, 'viewer_1') });
      assert.equal(reply.ErrorCode, 60010);
      assert.match(reply.ErrorInfo, /administrator/);
    });

    it('answers URL problems with their own codes', async () => {
      const sig = officialUserSig(testApp, 'administrator');
      const id = testApp.sdkAppId;
      const cases: Array<[string, number]> = [
        [`identifier=administrator&usersig=${sig}`, 60012],
        [`sdkappid=&identifier=administrator&usersig=${sig}`, 60012],
        [`sdkappid=abc&identifier=administrator&usersig=${sig}`, 60002],
        [`sdkappid=-5&identifier=administrator&usersig=${sig}`, 60002],
        [`sdkappid=1234&identifier=administrator&usersig=${sig}`, 60006],
        [`sdkappid=${id}&sdkappid=${id}&identifier=administrator&usersig=${sig}`, 60002],
        [`sdkappid=${id}&usersig=${sig}`, 60004],
        [`sdkappid=${id}&identifier=administrator`, 60005],
        [`sdkappid=${id}&identifier=administrator&usersig=`, 70002],
        [`sdkappid=${id}&identifier=administrator&usersig=${sig}&random=notanumber`, 60002],
        [`sdkappid=${id}&identifier=administrator&usersig=${sig}&random=4294967296`, 60002],
        [`sdkappid=${id}&identifier=administrator&usersig=${sig}&contenttype=xml`, 60002],
      ];
      for (const [query, code] of cases) {
        const reply = await f.client.call(srv('get_room_list'), {}, { query });
        assert.equal(
          reply.ErrorCode,
          code,
          `${query.replace(sig, '<sig>')}: got ${reply.ErrorCode} ${reply.ErrorInfo}`,
        );
        assert.equal(reply.ActionStatus, 'FAIL');
        assert.ok(reply.ErrorInfo.length > 0);
        assert.match(reply.RequestId, /^Id-/);
      }
      const ok = await f.client.call(
        srv('get_room_list'),
        {},
        {
          query: `sdkappid=${id}&identifier=administrator&usersig=${sig}&random=4294967295&contenttype=json`,
        },
      );
      assert.equal(ok.ErrorCode, 0);
    });

    it('gives every reply its own RequestId', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await getList({})).RequestId);
      ids.add((await getList({ userSig: 'garbage' })).RequestId);
      assert.equal(ids.size, 21);
    });
  });

  describe(`Tencent bad input [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    const create = (body: unknown, options = {}) => f.client.call(srv('create_room'), body, options);

    it('answers an empty, non-JSON, array or string body with 60003', async () => {
      const bodies = [
        '',
        '   ',
        '{',
        'not json',
        '{"RoomId": }',
        '[]',
        '[{"RoomId":"x"}]',
        '"a string"',
        '42',
        'null',
        'true',
      ];
      for (const rawBody of bodies) {
        const reply = await f.client.call(srv('get_room_info'), undefined, { rawBody });
        assert.equal(reply.ErrorCode, 60003, `${JSON.stringify(rawBody)}: ${reply.ErrorCode} ${reply.ErrorInfo}`);
      }
      const noContentType = await f.client.call(srv('get_room_info'), undefined, { rawBody: '', contentType: null });
      assert.equal(noContentType.ErrorCode, 60003);
    });

    it('parses the body whatever Content-Type the client declares', async () => {
      const roomId = uniqueRoomId('ctype');
      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: roomId, RoomType: 'Live' } });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', null]) {
        const reply = await f.client.call(srv('get_room_info'), { RoomId: roomId }, { contentType });
        assert.equal(reply.ErrorCode, 0, `${contentType}: ${reply.ErrorInfo}`);
      }
    });

    it('answers a field of the wrong type or a missing field with 100002 naming the field', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{}, /RoomInfo is required/],
        [{ RoomInfo: 'room' }, /RoomInfo must be an object/],
        [{ RoomInfo: { RoomType: 'Live' } }, /RoomInfo\.RoomId is required/],
        [{ RoomInfo: { RoomId: 42, RoomType: 'Live' } }, /RoomInfo\.RoomId must be a string/],
        [{ RoomInfo: { RoomId: '', RoomType: 'Live' } }, /RoomInfo\.RoomId must not be empty/],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Meeting' } }, /RoomInfo\.RoomType must be one of "Live"/],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Live', MaxMemberCount: '10' } }, /MaxMemberCount must be an integer/],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Live', MaxMemberCount: 1.5 } }, /MaxMemberCount must be an integer/],
        [
          { RoomInfo: { RoomId: 'r', RoomType: 'Live', IsMessageDisabled: 'yes' } },
          /IsMessageDisabled must be a boolean/,
        ],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Live', Category: [1, 2, 3, 4] } }, /Category must have at most 3 items/],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Live', Category: ['a'] } }, /Category\[0\] must be an integer/],
        [{ RoomInfo: { RoomId: 'r', RoomType: 'Live', TakeSeatMode: 'Anyone' } }, /TakeSeatMode/],
      ];
      for (const [body, message] of cases) {
        const reply = await create(body);
        assert.equal(reply.ErrorCode, 100002, `${JSON.stringify(body)}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, message);
      }
      assert.equal(
        (await f.client.call(srv('get_room_info'), { RoomId: 'r' })).ErrorCode,
        100004,
        'nothing was created',
      );
    });

    it('counts string limits in UTF-8 bytes: 48 accepted, 49 refused for a multi-byte RoomId', async () => {
      const id48 = `${'房'.repeat(15)}abc`; // 45 + 3 = 48 bytes
      assert.equal((await create({ RoomInfo: { RoomId: id48, RoomType: 'Live' } })).ErrorCode, 0);
      const id49 = `${'房'.repeat(16)}a`; // 49 bytes, 17 characters
      const reply = await create({ RoomInfo: { RoomId: id49, RoomType: 'Live' } });
      assert.equal(reply.ErrorCode, 100002);
      assert.match(reply.ErrorInfo, /RoomInfo\.RoomId must be at most 48 bytes/);
      const name101 = `${'名'.repeat(33)}ab`; // 99 + 2 = 101 bytes
      const longName = await create({ RoomInfo: { RoomId: uniqueRoomId(), RoomType: 'Live', RoomName: name101 } });
      assert.equal(longName.ErrorCode, 100002);
      assert.match(longName.ErrorInfo, /RoomName must be at most 100 bytes/);
    });

    it('answers an unknown command or service with 60009', async () => {
      for (const path of [srv('no_such_command'), 'no_such_service/create_room', 'live_engine_http_pk/nothing']) {
        const reply = await f.client.call(path, {});
        assert.equal(reply.ErrorCode, 60009, path);
      }
      const deeper = await fetch(`${f.server.url}/v4/a/b/c?${f.client.queryFor()}`, { method: 'POST', body: '{}' });
      assert.equal(deeper.status, 200);
      assert.equal(((await deeper.json()) as { ErrorCode: number }).ErrorCode, 60009);
    });

    it('answers a method other than POST with the envelope (60002)', async () => {
      const reply = await f.client.call(srv('get_room_list'), undefined, { method: 'GET' });
      assert.equal(reply.ErrorCode, 60002);
    });

    it('answers a body over 1 MiB with the envelope (60002), HTTP 200, and keeps serving', async () => {
      const huge = JSON.stringify({ RoomId: 'x', Padding: 'p'.repeat(1024 * 1024) });
      const response = await f.client.raw(srv('get_room_info'), undefined, { rawBody: huge });
      assert.equal(response.status, 200);
      const reply = (await response.json()) as { ErrorCode: number; ErrorInfo: string };
      assert.equal(reply.ErrorCode, 60002);
      assert.match(reply.ErrorInfo, /1 MiB/);
      const justUnder = JSON.stringify({ RoomId: 'x', Padding: 'p'.repeat(1024 * 1024 - 100) });
      const accepted = await f.client.call(srv('get_room_info'), undefined, { rawBody: justUnder });
      assert.equal(accepted.ErrorCode, 100004, 'a body under the limit is processed');
    });

    it('never answers with anything but the envelope, and keeps serving after all of it', async () => {
      const health = await fetch(`${f.server.url}/healthz`);
      assert.equal(health.status, 200);
      const roomId = uniqueRoomId('after');
      assert.equal((await create({ RoomInfo: { RoomId: roomId, RoomType: 'Live' } })).ErrorCode, 0);
    });
  });
}
