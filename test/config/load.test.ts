import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adminTokens, tokenFingerprint } from '../../src/config/adminTokens.js';
import { ConfigError, resolveConfig } from '../../src/config/load.js';

const app = { sdkAppId: 1400000001, secretKey: 'k', admins: ['administrator'] };

function refusal(input: unknown, env: Record<string, string> = {}): string {
  try {
    resolveConfig(input, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the config was accepted');
}

describe('config loading', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringside-config-test-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the bad field of an invalid config', () => {
    assert.match(refusal({ server: { port: '8080' } }), /server\.port must be an integer/);
    assert.match(refusal({ server: { port: 70000 } }), /server\.port must be at most 65535/);
    assert.match(
      refusal({ tencent: { apps: [{ ...app, secretKey: '' }] } }),
      /tencent\.apps\[0\]\.secretKey must not be empty/,
    );
    assert.match(
      refusal({ tencent: { apps: [{ ...app, admins: [] }] } }),
      /tencent\.apps\[0\]\.admins must not be empty/,
    );
    assert.match(
      refusal({ tencent: { apps: [{ ...app, sdkAppId: 'x' }] } }),
      /tencent\.apps\[0\]\.sdkAppId must be an integer/,
    );
    assert.match(refusal({ tencent: { apps: [app, app] } }), /tencent\.apps\[1\]\.sdkAppId 1400000001 appears twice/);
    assert.match(
      refusal({ tencent: { apps: [{ ...app, callback: { url: 'ftp://x' } }] } }),
      /tencent\.apps\[0\]\.callback\.url/,
    );
    assert.match(refusal({ bogus: true }), /bogus is not a known field/);
    assert.match(refusal({ storage: { postgres: { url: 'mysql://x' } } }), /storage\.postgres\.url/);
    assert.match(
      refusal({ storage: { sqlite: { path: 'a' }, postgres: { url: 'postgres://x' } } }),
      /either sqlite or postgres/,
    );
    assert.match(refusal({ admin: { tokens: ['short'] } }), /admin\.tokens\[0\] must be at least 16 characters/);
    assert.match(refusal([]), /config must be an object/);
    assert.match(
      refusal({ tencent: { apps: [{ ...app, gifting: { beforeSendCallback: true } }] } }),
      /tencent\.apps\[0\]\.gifting\.beforeSendCallback needs a callback\.url/,
    );
    assert.match(
      refusal({ tencent: { apps: [{ ...app, gifting: { enabled: 'yes' } }] } }),
      /gifting\.enabled must be a boolean/,
    );
    assert.match(
      refusal({ tencent: { apps: [app], callbackRetry: { initialMs: 0 } } }),
      /callbackRetry\.initialMs must be at least 1/,
    );
    assert.match(
      refusal({ tencent: { apps: [app], liveEvents: { maxMessageBytes: 0 } } }),
      /tencent\.liveEvents\.maxMessageBytes must be at least 1/,
    );
    assert.match(
      refusal({ tencent: { apps: [app], liveEvents: { maxMessageBytes: 2 * 1024 * 1024 } } }),
      /tencent\.liveEvents\.maxMessageBytes must be at most 1048576/,
    );
    assert.match(
      refusal({ tencent: { apps: [app], liveEvents: { maxBufferedBytes: 0 } } }),
      /tencent\.liveEvents\.maxBufferedBytes must be at least 1/,
    );
    assert.match(
      refusal({ tencent: { apps: [app], liveEvents: { maxRooms: 5 } } }),
      /tencent\.liveEvents\.maxRooms is not a known field/,
    );
  });

  it('names the bad environment variable', () => {
    assert.match(refusal({}, { PORT: 'eighty' }), /PORT must be an integer/);
    assert.match(refusal({}, { DATABASE_URL: 'mysql://localhost/db' }), /DATABASE_URL must be a postgres/);
  });

  it('fills in defaults and applies env overrides', () => {
    const plain = resolveConfig({ tencent: { apps: [app] } }, { RINGSIDE_DATA_DIR: dataDir });
    assert.deepEqual(plain.server, {
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 10_000,
      maxRequestsPerSocket: 0,
    });
    assert.deepEqual(plain.storage, { kind: 'sqlite', path: join(dataDir, 'ringside.db') });
    assert.deepEqual(plain.tencent.apps[0]?.limits, { gifts: 16, rateLimits: true });
    assert.deepEqual(plain.tencent.liveEvents, {
      maxMessageBytes: 16 * 1024,
      maxRoomsPerConnection: 100,
      maxConnectionsPerUser: 10,
      maxConnections: 10_000,
      maxMessagesPerSecond: 20,
      maxBufferedBytes: 1024 * 1024,
    });
    const fewer = resolveConfig(
      { tencent: { apps: [app], liveEvents: { maxConnections: 50 } } },
      { RINGSIDE_DATA_DIR: dataDir },
    );
    assert.equal(fewer.tencent.liveEvents.maxConnections, 50);
    assert.equal(fewer.tencent.liveEvents.maxMessagesPerSecond, 20, 'the other limits keep their defaults');
    assert.equal(plain.devTenant, undefined, 'no development tenant when a config file is given');

    const env = {
      HOST: '0.0.0.0',
      PORT: '9191',
      DATABASE_URL: 'postgres://u@db:5432/ringside',
      RINGSIDE_DATA_DIR: dataDir,
    };
    const overridden = resolveConfig({ server: { host: 'x', port: 1 }, storage: { sqlite: { path: 'a.db' } } }, env);
    assert.equal(overridden.server.host, '0.0.0.0');
    assert.equal(overridden.server.port, 9191);
    assert.deepEqual(overridden.storage, { kind: 'postgres', url: env.DATABASE_URL, schema: undefined, poolSize: 10 });
  });

  it('takes admin tokens plain or named, names plain ones by fingerprint, and refuses ambiguous ones without showing a token', () => {
    const plain = 'plain-admin-token-0123456789';
    const named = { name: 'ops', token: 'named-admin-token-0123456789' };
    const config = resolveConfig({ admin: { tokens: [plain, named] } });
    assert.deepEqual(adminTokens(config), [
      { name: `token:${createHash('sha256').update(plain).digest('hex').slice(0, 8)}`, token: plain },
      named,
    ]);
    assert.equal(tokenFingerprint(plain).length, 8);

    const cases: Array<[unknown[], RegExp]> = [
      [[{ name: 'ops', token: 'short' }], /admin\.tokens\[0\]\.token must be at least 16 characters/],
      [[{ name: '', token: named.token }], /admin\.tokens\[0\]\.name must not be empty/],
      [[{ name: 'x'.repeat(65), token: named.token }], /admin\.tokens\[0\]\.name must be at most 64 characters/],
      [[{ name: 'token:abc', token: named.token }], /admin\.tokens\[0\]\.name has an invalid format/],
      [[{ token: named.token }], /admin\.tokens\[0\]\.name is required/],
      [[{ name: 'ops' }], /admin\.tokens\[0\]\.token is required/],
      [[{ ...named, role: 'admin' }], /admin\.tokens\[0\]\.role is not a known field/],
      [[42], /admin\.tokens\[0\] must be a string or an object/],
      [[named, { name: 'ops', token: plain }], /admin\.tokens\[1\]\.name ops appears twice/],
      [[plain, { name: 'again', token: plain }], /admin\.tokens\[1\] repeats an earlier token/],
      [[plain, plain], /admin\.tokens\[1\] repeats an earlier token/],
    ];
    for (const [tokens, message] of cases) {
      const refused = refusal({ admin: { tokens } });
      assert.match(refused, message);
      assert.ok(!refused.includes(plain) && !refused.includes(named.token), 'no token in a refusal');
    }
  });

  it('makes a development tenant when there is no config file, and keeps it across restarts', () => {
    const first = resolveConfig({}, { RINGSIDE_DATA_DIR: dataDir }, true);
    const dev = first.tencent.apps[0]!;
    assert.equal(dev.sdkAppId, 1400000000);
    assert.deepEqual(dev.admins, ['administrator']);
    assert.ok(dev.secretKey.length >= 32, 'a random secret key');
    assert.equal(first.admin.tokens.length, 1);
    const second = resolveConfig({}, { RINGSIDE_DATA_DIR: dataDir }, true);
    assert.equal(second.tencent.apps[0]!.secretKey, dev.secretKey);
    const stored = JSON.parse(readFileSync(join(dataDir, 'dev-tenant.json'), 'utf8'));
    assert.equal(stored.tencent.secretKey, dev.secretKey);
  });
});

describe('OkLetsPlay config', () => {
  const client = { clientId: 'game', clientSecret: 'game-secret-0123456789', flow: 'poll' };

  it('names the bad field', () => {
    assert.match(
      refusal({ oklp: { clients: [{ ...client, flow: 'push' }] } }),
      /oklp\.clients\[0\]\.matchInfoUrl is required for the push flow/,
    );
    assert.match(refusal({ oklp: { clients: [{ ...client, flow: 'webhook' }] } }), /oklp\.clients\[0\]\.flow/);
    assert.match(
      refusal({ oklp: { clients: [{ ...client, clientSecret: 'short' }] } }),
      /oklp\.clients\[0\]\.clientSecret/,
    );
    assert.match(
      refusal({ oklp: { clients: [client, { ...client, clientSecret: 'another-secret-0123' }] } }),
      /oklp\.clients\[1\]\.clientId game appears twice/,
    );
    assert.match(refusal({ oklp: { clients: [], feePercent: 101 } }), /oklp\.feePercent must be at most 100/);
    assert.match(
      refusal({ oklp: { clients: [], feePercent: 2.555 } }),
      /oklp\.feePercent must have at most two decimals/,
    );
    assert.match(
      refusal({ oklp: { clients: [], asyncDeadlineMs: 10 } }),
      /oklp\.asyncDeadlineMs must be at least 1000/,
    );
    assert.match(refusal({ oklp: { clients: [], realm: 'le ts' } }), /oklp\.realm has an invalid format/);
    assert.match(refusal({ oklp: { clients: [], publicUrl: 'https://x.test/' } }), /oklp\.publicUrl/);
    assert.match(
      refusal({ oklp: { clients: [{ ...client, matchInfoUrl: 'ftp://x' }] } }),
      /oklp\.clients\[0\]\.matchInfoUrl/,
    );
    assert.match(refusal({ oklp: {} }), /oklp\.clients is required/);
  });

  it('fills in defaults: realm letsbet, 10 % fee, 24 h async deadline, 300 s tokens', () => {
    const config = resolveConfig({ server: { port: 9000 }, oklp: { clients: [client] } });
    assert.equal(config.oklp.realm, 'letsbet');
    assert.equal(config.oklp.feeBasisPoints, 1000);
    assert.equal(config.oklp.asyncDeadlineMs, 86_400_000);
    assert.equal(config.oklp.tokenLifetimeSeconds, 300);
    assert.equal(config.oklp.issuer, 'http://127.0.0.1:9000/auth/realms/letsbet');
    assert.deepEqual(config.oklp.clients, [{ ...client, matchInfoUrl: undefined }]);
    const custom = resolveConfig({ oklp: { clients: [], feePercent: 1.1, publicUrl: 'https://play.example.com' } });
    assert.equal(custom.oklp.feeBasisPoints, 110);
    assert.equal(custom.oklp.issuer, 'https://play.example.com/auth/realms/letsbet');
    assert.deepEqual(resolveConfig({}).oklp.clients, [], 'no games without a config section');
  });

  it('gives the development tenant a poll-flow game client, kept across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringside-oklp-dev-'));
    try {
      const first = resolveConfig({}, { RINGSIDE_DATA_DIR: dir }, true);
      const [dev] = first.oklp.clients;
      assert.equal(dev?.clientId, 'ringside-dev-game');
      assert.equal(dev?.flow, 'poll');
      assert.ok(dev!.clientSecret.length >= 24);
      assert.equal(
        resolveConfig({}, { RINGSIDE_DATA_DIR: dir }, true).oklp.clients[0]!.clientSecret,
        dev!.clientSecret,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the game client to a development tenant file from an older version, keeping its secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringside-oklp-dev-'));
    try {
      const old = {
        tencent: { sdkAppId: 1400000000, secretKey: 'k'.repeat(40), admin: 'administrator' },
        adminToken: 'a'.repeat(32),
      };
      writeFileSync(join(dir, 'dev-tenant.json'), JSON.stringify(old));
      const config = resolveConfig({}, { RINGSIDE_DATA_DIR: dir }, true);
      assert.equal(config.tencent.apps[0]!.secretKey, old.tencent.secretKey);
      assert.deepEqual(config.admin.tokens, [old.adminToken]);
      assert.equal(config.oklp.clients[0]!.clientId, 'ringside-dev-game');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
