#!/usr/bin/env node
// Runs every test/**/*.test.ts file with Node's own test runner, TypeScript through tsx.
// (Node 20's --test does not expand globs itself.) Extra arguments are passed on, e.g.
// `npm test -- --test-name-pattern=rooms` or a list of files.
// It first rebuilds the web console into dist/console (well under a second), so the servers the
// tests start serve the console as its sources are now (the browser tests drive it).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildConsole } from './buildConsole.mjs';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const args = process.argv.slice(2);
const files = args.filter((arg) => !arg.startsWith('--'));
const flags = args.filter((arg) => arg.startsWith('--'));
const tests = files.length > 0 ? files : findTests(join(root, 'test')).sort();
const concurrency = process.env.RINGSIDE_TEST_CONCURRENCY ?? '3';

await buildConsole();

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...flags, ...tests],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
