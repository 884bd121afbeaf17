#!/usr/bin/env node
// The `ringside` command, which `npm start` runs. It runs the compiled JavaScript in dist/
// (`npm run build`; `npm ci` builds it through the `prepare` script), so a production install
// needs neither tsx nor typescript. With RINGSIDE_FROM_SOURCE=1 it runs the TypeScript sources
// through tsx (a devDependency) instead: the tests and the bench set it, so they always run the
// code as it is, never a build that may be stale.
import { existsSync } from 'node:fs';

if (process.env.RINGSIDE_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
} else {
  const main = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(main)) {
    process.stderr.write('ringside: dist/ is missing; build it with `npm run build` (`npm ci` does)\n');
    process.exit(1);
  }
  // Stack traces name the TypeScript lines, as they did under tsx (the build writes source maps).
  process.setSourceMapsEnabled(true);
  await import(main.href);
}
