#!/usr/bin/env node
// Compiles src/ to dist/ with tsconfig.build.json; `npm ci` runs it through the `prepare` script.
// It empties the directory first, so nothing compiled from a since deleted or renamed source
// lingers there. Usage: node scripts/build.mjs [OUT_DIR [TSC_OPTION...]].
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [outDir = join(root, 'dist'), ...tscOptions] = process.argv.slice(2);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(resolve(outDir), { recursive: true, force: true });
const args = [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', resolve(outDir), ...tscOptions];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
