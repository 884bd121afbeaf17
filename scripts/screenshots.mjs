#!/usr/bin/env node
// `npm run screenshots`: runs the console's browser tests (test/console), which photograph every
// page at 1280x800 and 390x844 into test-output/console, and copies those screenshots to
// docs/console (what the README shows). Nothing is copied when a test fails.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const taken = join(root, 'test-output/console');
const docs = join(root, 'docs/console');

rmSync(taken, { recursive: true, force: true });
const tests = readdirSync(join(root, 'test/console'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => join('test/console', name));
const { status } = spawnSync(process.execPath, [join(root, 'scripts/test.mjs'), ...tests], {
  cwd: root,
  stdio: 'inherit',
});
if (status !== 0) {
  process.stderr.write('screenshots: the browser tests failed; docs/console is left as it was\n');
  process.exit(status ?? 1);
}
mkdirSync(docs, { recursive: true });
for (const name of readdirSync(docs)) if (name.endsWith('.png')) rmSync(join(docs, name));
const pictures = readdirSync(taken).filter((name) => name.endsWith('.png'));
for (const name of pictures) copyFileSync(join(taken, name), join(docs, name));
process.stdout.write(`screenshots: ${pictures.length} copied to docs/console\n`);
