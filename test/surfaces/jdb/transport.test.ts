import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  encryptX,
  eventParams,
  gameA,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  jdbTime,
  otherJdbAgent,
  paddings,
  PARAMETER,
  type Transport,
  uniqueId,
} from '../../support/jdb.js';

const transports: Transport[] = ['get', 'form', 'json'];

/** A sub-account of jb1 with its own key, chosen by the outer `parent` field. */
const subAgent = { ...jdbAgent, parent: 'subag', key: 'Sub-account-key1', iv: 'Sub-account-iv01' };

for (const backend of backends) {
  describe(`JDB transport [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend, { agents: [jdbAgent, otherJdbAgent, subAgent] });
    });
    after(() => f.close());

    it('reads x padded with spaces, zero bytes or PKCS#7, with and without `=`, over GET, form and JSON', async () => {
      for (const transport of transports) {
        for (const padding of paddings) {
          for (const keepEquals of [false, true]) {
            const plaintext = JSON.stringify({ action: 49, ts: Date.now(), parent: jdbAgent.parent, lang: 'en' });
            const x = encryptX(plaintext, jdbAgent, { padding, keepEquals });
            assert.equal(x.includes('='), keepEquals, 'this plaintext has base64 padding to keep or strip');
            assert.doesNotMatch(x, /[+/]/, 'URL-safe alphabet');
            const reply = await f.jdb.send({ dc: jdbAgent.dc, x }, transport);
            assert.equal(reply.status, '0000', `${transport} ${padding} ${keepEquals}: ${reply.err_text}`);
            assert.equal(reply.data[0].list[0].mType, gameA.mType);
          }
        }
      }
    });

    it('answers plain JSON with HTTP 200, never another surface envelope', async () => {
      const response = await f.jdb.raw({ dc: 'zz', x: 'abc' }, 'get');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['err_text', 'status']);

      const put = await fetch(`${f.server.url}/apiRequest.do?dc=jb1&x=abc`, { method: 'PUT' });
      assert.equal(put.status, 200);
      assert.deepEqual(await put.json(), {
        status: '9999',
        err_text: 'Failed: /apiRequest.do accepts GET and POST only',
      });

      const badJson = await fetch(`${f.server.url}/apiRequest.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"dc":',
      });
      assert.equal(badJson.status, 200);
      assert.equal(((await badJson.json()) as any).status, '9006');

      const huge = await fetch(`${f.server.url}/apiRequest.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `dc=jb1&x=${'A'.repeat(9 * 1024 * 1024)}`,
      });
      assert.equal(huge.status, 200);
      const hugeReply = (await huge.json()) as any;
      assert.equal(hugeReply.status, '8000');
      assert.match(hugeReply.err_text, /larger than 8 MiB/);

      const elsewhere = await fetch(`${f.server.url}/apiRequest.do/more`);
      assert.equal(elsewhere.status, 200);
      assert.equal(((await elsewhere.json()) as any).status, '9007');
    });

    it('answers 9002 for a missing or too short dc and 9003 for an unknown one', async () => {
      const x = encryptX(JSON.stringify({ action: 49, ts: Date.now(), parent: jdbAgent.parent }), jdbAgent);
      for (const transport of transports) {
        assert.equal((await f.jdb.send({ x }, transport)).status, '9002');
        assert.equal((await f.jdb.send({ dc: 'j', x }, transport)).status, '9002');
        const unknown = await f.jdb.send({ dc: 'nosuchdc', x }, transport);
        assert.equal(unknown.status, '9003');
        assert.match(unknown.err_text!, /domain/i);
        assert.equal((await f.jdb.send({ dc: jdbAgent.dc, x, parent: 'nobody' }, transport)).status, '9003');
      }
    });

    it('answers 9004 for an empty x and 9006 for an x that does not decrypt to a JSON object', async () => {
      for (const transport of transports) {
        assert.equal((await f.jdb.send({ dc: jdbAgent.dc }, transport)).status, '9004');
        assert.equal((await f.jdb.send({ dc: jdbAgent.dc, x: '' }, transport)).status, '9004');
        for (const x of ['not base64 at all!', 'abcd', 'A'.repeat(22)]) {
          assert.equal((await f.jdb.send({ dc: jdbAgent.dc, x }, transport)).status, '9006', x);
        }
      }
      // Encrypted with another agent's key.
      const stranger = await f.jdb.call(49, {}, { keyOf: otherJdbAgent });
      assert.equal(stranger.status, '9006');
      assert.match(stranger.err_text!, /Cannot extract parameters/);
      for (const plaintext of ['not json', '[1,2]', '"text"', '{"action":49']) {
        assert.equal((await f.jdb.call(49, {}, { plaintext })).status, '9006', plaintext);
      }
    });

    it('answers 9005 when ts is more than 30 s old or ahead; a replayed old create changes nothing', async () => {
      const now = Date.now();
      for (const ts of [now - 31_000, now + 31_000]) {
        const reply = await f.jdb.call(49, {}, { ts });
        assert.equal(reply.status, '9005');
        assert.match(reply.err_text!, /timestamp/);
      }
      assert.equal((await f.jdb.call(49, {}, { ts: now - 25_000 })).status, '0000', 'within 30 s is fine');

      const name = uniqueId('replayed');
      const create = await f.jdb.call(72, eventParams(now, { name }), { ts: now - 45_000 });
      assert.equal(create.status, '9005');
      const listed = await f.jdb.ok(76, {
        startTime: jdbTime(now - 86_400_000),
        endTime: jdbTime(now + 86_400_000),
        name,
      });
      assert.deepEqual(listed, [], 'no event was created');
    });

    it('answers 8000 naming ts, action or parent when one is missing or malformed', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ action: 49, parent: jdbAgent.parent }, 'ts is required'],
        [{ action: 49, ts: String(Date.now()), parent: jdbAgent.parent }, 'ts must be an integer'],
        [{ ts: Date.now(), parent: jdbAgent.parent }, 'action is required'],
        [{ action: '49', ts: Date.now(), parent: jdbAgent.parent }, 'action must be an integer'],
        [{ action: 49, ts: Date.now() }, 'parent is required'],
      ];
      for (const [plain, text] of cases) {
        const reply = await f.jdb.call(49, {}, { plaintext: JSON.stringify(plain) });
        assert.equal(reply.status, '8000');
        assert.ok(reply.err_text!.startsWith(`${PARAMETER}${text}`), reply.err_text);
      }
    });

    it("answers 7001 when the inner parent is not the dc's agent, and 9007 for an unknown action", async () => {
      const wrongParent = await f.jdb.call(49, { parent: otherJdbAgent.parent });
      assert.equal(wrongParent.status, '7001');
      for (const action of [0, 50, 79, 999]) {
        const reply = await f.jdb.call(action);
        assert.equal(reply.status, '9007', String(action));
        assert.match(reply.err_text!, /Unknown action/);
      }
    });

    it('uses the key of the sub-account named by the outer parent', async () => {
      const sub = await f.jdb.call(
        49,
        { parent: subAgent.parent },
        { keyOf: subAgent, outerParent: subAgent.parent, transport: 'json' },
      );
      assert.equal(sub.status, '0000', sub.err_text);
      const withoutOuter = await f.jdb.call(49, { parent: subAgent.parent }, { keyOf: subAgent, transport: 'json' });
      assert.equal(withoutOuter.status, '9006', "without the outer parent, jb1's own key is used");
    });
  });

  describe(`JDB rate limits [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend, { agents: [{ ...jdbAgent, rateLimitPerSecond: 3 }] });
    });
    after(() => f.close());

    it('answers 9019 past the agent’s calls per second, per action', async () => {
      const replies = await Promise.all(Array.from({ length: 6 }, () => f.jdb.call(49)));
      const statuses = replies.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === '0000').length, 3, statuses.join());
      assert.equal(statuses.filter((s) => s === '9019').length, 3, statuses.join());
      assert.match(replies.find((r) => r.status === '9019')!.err_text!, /Rate limit/);
      const other = await f.jdb.call(71, { uid: 'nobody' });
      assert.equal(other.status, '0000', 'another action has its own budget');
    });
  });
}
