import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { repoRoot, signalGroup, spawnServer } from '../support/servers.js';
import { srv, TencentClient } from '../support/tencent.js';

const run = promisify(execFile);
const cli = join(repoRoot, 'bin/ringside.mjs');

function ringside(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [cli, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
}

/** Test-side UserSig decoding and HMAC, written independently of the server's code. */
function checkUserSig(sig: string, key: string) {
  const doc = JSON.parse(
    inflateSync(Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64')).toString(),
  );
  const content = ['identifier', 'sdkappid', 'time', 'expire'].map((f) => `TLS.${f}:${doc[`TLS.${f}`]}\n`).join('');
  const expected = createHmac('sha256', key).update(content).digest('base64');
  return { doc, signed: expected === doc['TLS.sig'] };
}

describe('ringside CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ringside-cli-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('`ringside usersig` prints a UserSig signed with the given key', async () => {
    const { stdout } = await ringside([
      'usersig',
      '--sdkappid',
      '1400012345',
      '--key',
      'k3y',
      '--identifier',
      'admin_a',
      '--expire',
      '600',
    ]);
    const { doc, signed } = checkUserSig(stdout.trim(), 'k3y');
    assert.ok(signed);
    assert.equal(doc['TLS.identifier'], 'admin_a');
    assert.equal(doc['TLS.sdkappid'], 1400012345);
    assert.equal(doc['TLS.expire'], 600);
    assert.ok(Math.abs(doc['TLS.time'] - Date.now() / 1000) < 10);
  });

  it('`ringside usersig` explains what is missing', async () => {
    await assert.rejects(
      ringside(['usersig', '--identifier', 'x'], { RINGSIDE_DATA_DIR: join(dataDir, 'none') }),
      (error: any) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /--sdkappid must be a positive integer/);
        assert.match(error.stderr, /--key is required/);
        return true;
      },
    );
  });

  it('`ringside serve` with an invalid config file stops with a message naming the field', async () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ tencent: { apps: [{ sdkAppId: 1, secretKey: 'k', admins: 'root' }] } }));
    await assert.rejects(ringside(['serve', '--config', file]), (error: any) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /invalid config: tencent\.apps\[0\]\.admins must be an array/);
      assert.doesNotMatch(error.stderr, /\n\s+at /, 'no stack trace');
      return true;
    });
    await assert.rejects(ringside(['serve', '--config', join(dataDir, 'missing.json')]), /cannot read config file/);
  });

  it('`npm start` with no config serves the development tenant and prints a curl line that works', async () => {
    const server = await spawnServer({ viaNpmStart: true, env: { RINGSIDE_DATA_DIR: dataDir, PORT: '0' } });
    try {
      const output = server.output();
      assert.match(output, /sdkAppId 1400000000, admin "administrator"/);
      const curl = /^\s*(curl .+)$/m.exec(output)?.[1];
      assert.ok(curl, 'a curl line is printed');
      const { stdout } = await run('sh', ['-c', curl]);
      const reply = JSON.parse(stdout);
      assert.equal(reply.ErrorCode, 0, reply.ErrorInfo);
      assert.deepEqual(reply.Response, { RoomId: 'room-1' });

      const dev = JSON.parse(readFileSync(join(dataDir, 'dev-tenant.json'), 'utf8'));
      assert.ok(output.includes(`client_id ${dev.oklp.clientId}, client_secret ${dev.oklp.clientSecret}`));
      const tokenCurl = /^\s*(curl .*\/openid-connect\/token .+)$/m.exec(output)?.[1];
      assert.ok(tokenCurl, 'the OkLetsPlay token curl line is printed');
      const token = JSON.parse((await run('sh', ['-c', tokenCurl])).stdout);
      assert.equal(token.token_type, 'Bearer');
      assert.ok(token.access_token);
    } finally {
      await server.stop();
    }
  });

  it("the README's first request and first match work as printed", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /<!-- first-request -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'the README has the first-request block');
    const server = await spawnServer({ env: { RINGSIDE_DATA_DIR: dataDir, PORT: '0' } });
    try {
      const port = new URL(server.url).port;
      const script = block.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
      const { stdout } = await run('sh', ['-c', script], {
        cwd: repoRoot,
        env: { ...process.env, RINGSIDE_DATA_DIR: dataDir },
      });
      const reply = JSON.parse(stdout);
      assert.equal(reply.ErrorCode, 0, reply.ErrorInfo);
      assert.deepEqual(reply.Response, { RoomId: 'my-first-room' });

      const matchBlock = /<!-- first-match -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      assert.ok(matchBlock, 'the README has the first-match block');
      const dev = JSON.parse(readFileSync(join(dataDir, 'dev-tenant.json'), 'utf8'));
      const match = await run('sh', ['-c', matchBlock.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`)], {
        cwd: repoRoot,
        env: { ...process.env, ADMIN: dev.adminToken, SECRET: dev.oklp.clientSecret },
      });
      const finish = JSON.parse(match.stdout.trim().split('\n').at(-1)!);
      assert.equal(finish.match_status, 'settled', match.stdout);
      assert.deepEqual(finish.settlement.payouts, [{ id: 'alice', amount: 180 }]);
    } finally {
      await server.stop();
    }
  });

  it('shuts down on SIGTERM after finishing the request in flight', async () => {
    const server = await spawnServer({ env: { RINGSIDE_DATA_DIR: dataDir, PORT: '0' } });
    const dev = JSON.parse(readFileSync(join(dataDir, 'dev-tenant.json'), 'utf8'));
    const client = new TencentClient(server.url, {
      sdkAppId: dev.tencent.sdkAppId,
      secretKey: dev.tencent.secretKey,
      admins: ['administrator'],
    });
    const url = new URL(`${server.url}/v4/${srv('create_room')}?${client.queryFor()}`);
    // A request whose body is still arriving when the signal comes. `Expect: 100-continue`
    // makes the server say when it has taken the request in (its "100 Continue"); the signal
    // comes only then, and the body 300 ms later.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', expect: '100-continue' };
      const req = request(url, { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.on('continue', () => {
        req.write('{"RoomInfo":{"RoomId":"in-flight",');
        signalGroup(server.child, 'SIGTERM');
        setTimeout(() => req.end('"RoomType":"Live"}}'), 300);
      });
      req.flushHeaders();
    });
    const { status, body } = await inFlight;
    assert.equal(status, 200);
    assert.equal(JSON.parse(body).ErrorCode, 0, body);
    assert.equal(await server.exited, 0, `exits 0; output:\n${server.output()}`);
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer accepting connections');
  });
});
