import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { eventParams, gameA, type JdbFixture, jdbAgent, jdbFixture, uniqueId } from '../../support/jdb.js';

for (const backend of backends) {
  describe(`admin API for JDB players and spins [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());

    const players = (body: unknown) => f.admin.request('POST', '/jdb/players', body);

    it('creates players, listing back those that existed', async () => {
      const [a, b] = [uniqueId('p'), uniqueId('p.x@y-z')];
      assert.deepEqual((await players({ parent: jdbAgent.parent, uids: [a] })).body, { created: 1, existing: [] });
      const again = await players({ parent: jdbAgent.parent, uids: [b, a] });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, { created: 1, existing: [a] });
      const other = await players({ parent: 'otherag', uids: [a] });
      assert.deepEqual(other.body, { created: 1, existing: [] }, 'players belong to their agent');
    });

    it('refuses bad player lists with 400 and an unknown agent with 404, creating nothing', async () => {
      const uid = uniqueId('p');
      const cases: Array<[unknown, number, RegExp]> = [
        [{ parent: jdbAgent.parent, uids: [] }, 400, /uids must not be empty/],
        [{ parent: jdbAgent.parent, uids: [uid, uid] }, 400, /more than once/],
        [{ parent: jdbAgent.parent, uids: [uid, 'has space'] }, 400, /invalid player id "has space"/],
        [{ parent: jdbAgent.parent, uids: [uid, 'x'.repeat(51)] }, 400, /invalid player id/],
        [{ parent: jdbAgent.parent, uids: Array.from({ length: 50_001 }, (_, i) => `u${i}`) }, 400, /at most 50000/],
        [{ parent: jdbAgent.parent }, 400, /uids is required/],
        // The domain's "agent" is the route's `parent`.
        [{ parent: 'nobody', uids: [uid] }, 404, /^parent nobody does not exist/],
      ];
      for (const [body, status, message] of cases) {
        const reply = await players(body);
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.match(reply.body.error.message, message);
      }
      assert.deepEqual((await players({ parent: jdbAgent.parent, uids: [uid] })).body, { created: 1, existing: [] });
    });

    it('validates spin reports', async () => {
      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const { eventId } = await f.jdb.ok(72, eventParams(Date.now(), { players: [uid] }));
      const valid = { uid, eventId, mType: gameA.mType, win: '1' };
      for (const field of ['uid', 'eventId', 'mType', 'win']) {
        const body = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field));
        const reply = await f.spin(body);
        assert.equal(reply.status, 400);
        assert.match(reply.body.error.message, new RegExp(`${field} is required`));
      }
      assert.equal((await f.spin({ ...valid, mType: '14077' })).status, 400);
      assert.equal((await f.spin({ ...valid, eventId: String(eventId) })).status, 200, 'eventId as a string too');
    });

    it('requires the admin token and describes the routes in OpenAPI', async () => {
      const anonymous = await f.admin.request(
        'POST',
        '/jdb/players',
        { parent: jdbAgent.parent, uids: ['x'] },
        { token: null },
      );
      assert.equal(anonymous.status, 401);
      const doc = (await (await fetch(`${f.server.url}/admin/v1/openapi.json`)).json()) as any;
      assert.ok(doc.paths['/admin/v1/jdb/players'].post.requestBody);
      assert.ok(doc.paths['/admin/v1/jdb/spins'].post.requestBody);
    });
  });
}
