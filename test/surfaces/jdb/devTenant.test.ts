import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JdbClient, eventParams } from '../../support/jdb.js';
import { spawnServer } from '../../support/servers.js';

describe('JDB on the development tenant', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringside-jdb-dev-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('`npm start` with no config serves a JDB agent whose dc, key and iv it prints', async () => {
    const server = await spawnServer({ viaNpmStart: true, env: { RINGSIDE_DATA_DIR: dataDir, PORT: '0' } });
    try {
      const banner = /JDB agent \(\S+\/apiRequest\.do\): dc "(\S+)", parent "(\S+)", key (\S+), iv (\S+)/.exec(
        server.output(),
      );
      assert.ok(banner, `the banner names the JDB agent:\n${server.output()}`);
      const [, dc, parent, key, iv] = banner as unknown as [string, string, string, string, string];
      assert.equal(key.length, 16);
      assert.equal(iv.length, 16);
      const jdb = new JdbClient(server.url, { dc, parent, key, iv, currency: 'USD', walletUrl: '' });
      const games = await jdb.ok(49);
      assert.deepEqual(
        games[0].list.map((g: any) => g.mType),
        [14077, 14085],
      );
      const data = await jdb.ok(
        72,
        eventParams(Date.now(), { players: ['demo_player'], autoCreatePlayerEnabled: true }),
      );
      assert.equal(typeof data.eventId, 'number');
      const [player] = await jdb.ok(71, { uid: 'demo_player' });
      assert.equal(player.eventId, data.eventId);
    } finally {
      await server.stop();
    }
  });
});
