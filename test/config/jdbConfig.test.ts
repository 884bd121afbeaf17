import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, resolveConfig } from '../../src/config/load.js';
import { repoRoot } from '../support/servers.js';

const agent = {
  dc: 'jb1',
  parent: 'testag',
  key: '0123456789abcdef',
  iv: 'fedcba9876543210',
  currency: 'USD',
  walletUrl: 'http://127.0.0.1:9000/jdb',
};
const game = { mType: 14077, gType: 0, name: 'Demo', betList: ['5', '1', '2.5'], freeSpinTypes: ['NORMAL'] };

function refusal(jdb: unknown): string {
  try {
    resolveConfig({ jdb });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the config was accepted');
}

describe('JDB config', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringside-jdb-config-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the bad field of an invalid jdb section', () => {
    const withAgent = (changes: Record<string, unknown>) => ({ agents: [{ ...agent, ...changes }] });
    const withGame = (changes: Record<string, unknown>) => ({ agents: [agent], games: [{ ...game, ...changes }] });
    assert.match(refusal(withAgent({ key: 'short' })), /jdb\.agents\[0\]\.key must be exactly 16 ASCII characters/);
    assert.match(
      refusal(withAgent({ iv: 'ééééééééééééééé1' })),
      /jdb\.agents\[0\]\.iv must be exactly 16 ASCII characters/,
    );
    assert.match(refusal(withAgent({ dc: 'j' })), /jdb\.agents\[0\]\.dc must be at least 2 characters/);
    assert.match(refusal(withAgent({ walletUrl: 'ftp://x' })), /jdb\.agents\[0\]\.walletUrl has an invalid format/);
    assert.match(refusal(withAgent({ walletUrl: undefined })), /jdb\.agents\[0\]\.walletUrl is required/);
    assert.match(
      refusal(withAgent({ rateLimitPerSecond: -1 })),
      /jdb\.agents\[0\]\.rateLimitPerSecond must be at least 0/,
    );
    assert.match(
      refusal({ agents: [agent, { ...agent, dc: 'jb2' }] }),
      /jdb\.agents\[1\]\.parent testag appears twice/,
    );
    assert.match(
      refusal(withGame({ betList: ['1', '2.5555'] })),
      /jdb\.games\[0\]\.betList\[1\] has an invalid format/,
    );
    assert.match(refusal(withGame({ betList: ['0'] })), /jdb\.games\[0\]\.betList must hold positive amounts/);
    assert.match(refusal(withGame({ betList: [] })), /jdb\.games\[0\]\.betList must not be empty/);
    assert.match(refusal(withGame({ freeSpinTypes: ['BONUSCHIPS'] })), /jdb\.games\[0\]\.freeSpinTypes\[0\]/);
    assert.match(
      refusal(withGame({ freeSpinTypes: ['NORMAL', 'FEATURE'] })),
      /jdb\.games\[0\]\.feature is required when freeSpinTypes includes FEATURE/,
    );
    assert.match(refusal({ games: [game, game] }), /jdb\.games\[1\]\.mType 14077 appears twice/);
    assert.match(refusal({ payoutRetry: { intervalMs: 0 } }), /jdb\.payoutRetry\.intervalMs must be at least 1/);
    assert.match(refusal({ bogus: true }), /jdb\.bogus is not a known field/);
  });

  it('fills in defaults and reads amounts as thousandths', () => {
    const config = resolveConfig({ jdb: { agents: [agent], games: [game] } }, { RINGSIDE_DATA_DIR: dataDir });
    assert.deepEqual(config.jdb.payoutRetry, { intervalMs: 60_000, forMs: 3_600_000 });
    assert.deepEqual(config.jdb.agents, [{ ...agent, rateLimitPerSecond: 100, spinRecords: false }]);
    assert.deepEqual(config.jdb.games[0]?.betList, [1000, 2500, 5000], 'sorted, in thousandths');
    assert.deepEqual(resolveConfig({}).jdb, {
      agents: [],
      games: [],
      payoutRetry: { intervalMs: 60_000, forMs: 3_600_000 },
      spinRecordRetry: { initialMs: 1000, maxMs: 3_600_000, forMs: 43_200_000 },
    });
  });

  it('gives the development tenant a JDB agent and a demo catalog, kept across restarts', () => {
    const old = join(dataDir, 'old');
    const first = resolveConfig({}, { RINGSIDE_DATA_DIR: old }, true);
    const dev = first.jdb.agents[0]!;
    assert.equal(dev.dc, 'dev');
    assert.match(dev.key, /^[\x21-\x7e]{16}$/);
    assert.match(dev.iv, /^[\x21-\x7e]{16}$/);
    assert.deepEqual(
      first.jdb.games.map((g) => g.mType),
      [14077, 14085],
    );
    assert.equal(resolveConfig({}, { RINGSIDE_DATA_DIR: old }, true).jdb.agents[0]!.key, dev.key);

    // A tenant file written before JDB existed gains an agent and keeps its other secrets.
    const file = join(old, 'dev-tenant.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    delete stored.jdb;
    writeFileSync(file, JSON.stringify(stored));
    const upgraded = resolveConfig({}, { RINGSIDE_DATA_DIR: old }, true);
    assert.equal(upgraded.tencent.apps[0]!.secretKey, stored.tencent.secretKey);
    assert.match(upgraded.jdb.agents[0]!.key, /^[\x21-\x7e]{16}$/);
    assert.ok(JSON.parse(readFileSync(file, 'utf8')).jdb.key);
  });

  it('`ringside serve` stops on an invalid jdb config, naming the field', async () => {
    const file = join(dataDir, 'bad-jdb.json');
    writeFileSync(file, JSON.stringify({ jdb: { agents: [{ ...agent, key: 'too-short' }] } }));
    await assert.rejects(
      promisify(execFile)(process.execPath, [join(repoRoot, 'bin/ringside.mjs'), 'serve', '--config', file]),
      (error: any) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /invalid config: jdb\.agents\[0\]\.key must be exactly 16 ASCII characters/);
        return true;
      },
    );
  });
});
