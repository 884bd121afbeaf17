import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminBrowser } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { type ChildServer, spawnServer } from '../support/servers.js';

for (const backend of backends) {
  describe(`admin browser sessions across two server processes [${backend.name}]`, () => {
    let database: TestDatabase;
    let servers: ChildServer[];

    before(async () => {
      database = await backend.create();
      const fileConfig = { storage: database.storage, admin: { tokens: [ADMIN_TOKEN] } };
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    it('accepts on one process a session made on the other, and signing out on either ends it on both', async () => {
      const [a, b] = servers as [ChildServer, ChildServer];
      const signedInOnA = await AdminBrowser.signIn(a.url, ADMIN_TOKEN);
      const onB = signedInOnA.at(b.url);
      const me = await onB.request('GET', '/session');
      assert.equal(me.status, 200);
      assert.equal(me.body.via, 'session');
      assert.equal((await onB.request('GET', '/deliveries')).status, 200);

      const out = await onB.request('DELETE', '/session', { origin: new URL(b.url).origin });
      assert.deepEqual(out.body, { signedOut: true });
      const refusedOnA = await signedInOnA.request('GET', '/session');
      assert.equal(refusedOnA.status, 401);
      assert.equal(refusedOnA.body.error.code, 'unauthorized');
    });
  });
}
