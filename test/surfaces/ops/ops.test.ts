import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { startServer } from '../../support/servers.js';

for (const backend of backends) {
  describe(`health and readiness [${backend.name}]`, () => {
    it('answers /healthz and /readyz, and /readyz turns 503 when the database is gone', async () => {
      const database = await backend.create();
      const server = await startServer({ storage: database.storage });
      try {
        const health = await fetch(`${server.url}/healthz`);
        assert.equal(health.status, 200);
        assert.deepEqual(await health.json(), { status: 'ok' });
        const ready = await fetch(`${server.url}/readyz`);
        assert.equal(ready.status, 200);
        assert.deepEqual(await ready.json(), { status: 'ready' });

        await server.ringside.database.close();
        const notReady = await fetch(`${server.url}/readyz`);
        assert.equal(notReady.status, 503);
        assert.equal(((await notReady.json()) as { status: string }).status, 'unavailable');
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the process itself is still up');
      } finally {
        await server.ringside.http.close();
        await database.drop();
      }
    });
  });
}
