import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, spawnServer } from '../support/servers.js';
import { srv } from '../support/tencent.js';

const run = promisify(execFile);

/**
 * What a production image holds after `npm ci && npm prune --omit=dev`: package.json, bin/ and
 * the runtime dependencies (every top-level package the lockfile does not mark `dev`, linked from
 * this checkout's node_modules), but no src/ and no tsx or typescript.
 */
function productionLayout(dir: string): string[] {
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  cpSync(join(repoRoot, 'bin'), join(dir, 'bin'), { recursive: true });
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const left: string[] = [];
  for (const [path, entry] of Object.entries<{ dev?: boolean }>(lock.packages)) {
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)) continue;
    if (entry.dev) {
      left.push(path.slice('node_modules/'.length));
      continue;
    }
    const source = join(repoRoot, path);
    if (!existsSync(source)) continue; // an optional dependency for another platform
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(source, join(dir, path));
  }
  return left;
}

/** The CLI of the production layout, with nothing asking it to run sources. */
function ringside(dir: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [join(dir, 'bin/ringside.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, RINGSIDE_FROM_SOURCE: undefined, ...env },
    timeout: 60_000,
  });
}

describe('the production build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-build-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('`npm start` serves the compiled dist/ with no dev dependency installed', async () => {
    const devOnly = productionLayout(dir);
    assert.ok(devOnly.includes('tsx') && devOnly.includes('typescript'), 'tsx and typescript are dev-only');

    const dataDir = join(dir, 'data');
    await assert.rejects(ringside(dir, ['serve'], { RINGSIDE_DATA_DIR: dataDir, PORT: '0' }), (error: any) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /dist\/ is missing; build it with `npm run build`/);
      return true;
    });

    // The build script `npm ci` runs, into the copy. Without the type check (`npm run typecheck`
    // does it), a third of the CPU: with isolatedModules the emitted JavaScript is the same.
    await run(process.execPath, [join(repoRoot, 'scripts/build.mjs'), join(dir, 'dist'), '--noCheck']);
    assert.ok(existsSync(join(dir, 'dist/main.js')));

    const server = await spawnServer({
      viaNpmStart: true,
      cwd: dir,
      env: { RINGSIDE_FROM_SOURCE: undefined, RINGSIDE_DATA_DIR: dataDir, PORT: '0' },
    });
    try {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);

      // The web console, bundled by the same build, served from dist/console.
      const page = await fetch(`${server.url}/console/audit`);
      assert.equal(page.status, 200);
      const script = /<script[^>]* src="(\/console\/assets\/app-[^"]+\.js)"/.exec(await page.text())?.[1];
      assert.ok(script, "the built console's index.html names its script");
      const bundle = await fetch(`${server.url}${script}`);
      assert.equal(bundle.status, 200);
      assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');

      const sig = (
        await ringside(dir, ['usersig', '--identifier', 'administrator'], { RINGSIDE_DATA_DIR: dataDir })
      ).stdout.trim();
      const query = `sdkappid=1400000000&identifier=administrator&usersig=${sig}&random=7&contenttype=json`;
      const reply = await fetch(`${server.url}/v4/${srv('create_room')}?${query}`, {
        method: 'POST',
        body: JSON.stringify({ RoomInfo: { RoomId: 'built-room', RoomType: 'Live' } }),
      });
      const body = (await reply.json()) as { ErrorCode: number; ErrorInfo: string; Response: unknown };
      assert.equal(body.ErrorCode, 0, body.ErrorInfo);
      assert.deepEqual(body.Response, { RoomId: 'built-room' });
    } finally {
      await server.stop();
    }
  });
});
