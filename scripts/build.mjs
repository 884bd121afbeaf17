#!/usr/bin/env node
// Compiles src/ to dist/ with tsconfig.build.json and bundles the web console into dist/console
// (scripts/buildConsole.mjs); `npm ci` runs it as the `prepare` script.
// It empties the directory first, so nothing compiled from a since deleted or renamed source
// lingers there. Usage: node scripts/build.mjs [OUT_DIR [TSC_OPTION...]].
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildConsole } from './buildConsole.mjs';

const root = new URL('..', import.meta.url).pathname;
const [outDir = join(root, 'dist'), ...tscOptions] = process.argv.slice(2);

// `npx ringside` in a checkout installs the checkout into npx's cache as a link, and that runs
// `prepare` again. The checkout was built when it was installed (and a production install has no
// tsc any more), so this is no time to rebuild: `npm run build` does it when asked.
const npxInstall = process.env.npm_command === 'exec' && process.env.npm_lifecycle_event === 'prepare';
if (npxInstall && existsSync(join(outDir, 'main.js'))) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write('build: typescript is not installed (a devDependency: `npm ci` installs it)\n');
  process.exit(1);
}
rmSync(resolve(outDir), { recursive: true, force: true });
const args = [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', resolve(outDir), ...tscOptions];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (status !== 0) process.exit(status ?? 1);
try {
  await buildConsole(join(resolve(outDir), 'console'));
} catch (error) {
  process.stderr.write(`build: the console did not build: ${error.message}\n`);
  process.exit(1);
}
