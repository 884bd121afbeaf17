#!/usr/bin/env node
// Bundles the operator console (web/console) with esbuild into OUT_DIR (default dist/console):
// index.html, and under assets/ the script, the style sheet and the icon, each named by a hash of
// its content (served with a year-long cache) and each precompressed as .gz and .br next to it.
// The server reads the directory once at start-up (src/surfaces/console/assets.ts).
// `npm run build` (so `npm ci`), `npm test` and `npm run dev` run it; it takes well under a second.
// Usage: node scripts/buildConsole.mjs [OUT_DIR].
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const source = join(root, 'web/console');

/** Builds the console into `outDir`, replacing what was there. */
export async function buildConsole(outDir = join(root, 'dist/console')) {
  const { build } = await import('esbuild');
  const target = resolve(outDir);
  // Built beside the target and moved into place, so a server starting meanwhile never reads half a build.
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const assets = join(staging, 'assets');
  const result = await build({
    entryPoints: { app: join(source, 'src/main.ts'), console: join(source, 'console.css') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const built = Object.keys(result.metafile.outputs).map((path) => path.split('/').at(-1));
  const named = (prefix, ext) => {
    const name = built.find((file) => file.startsWith(`${prefix}-`) && file.endsWith(ext));
    if (!name) throw new Error(`buildConsole: esbuild wrote no ${prefix}-*${ext}`);
    return name;
  };
  const icon = readFileSync(join(source, 'icon.svg'));
  const iconName = `icon-${createHash('sha256').update(icon).digest('base64url').slice(0, 8)}.svg`;
  writeFileSync(join(assets, iconName), icon);
  const html = readFileSync(join(source, 'index.html'), 'utf8')
    .replaceAll('{{app.js}}', `/console/assets/${named('app', '.js')}`)
    .replaceAll('{{console.css}}', `/console/assets/${named('console', '.css')}`)
    .replaceAll('{{icon.svg}}', `/console/assets/${iconName}`);
  writeFileSync(join(staging, 'index.html'), html);
  for (const file of [join(staging, 'index.html'), ...readdirSync(assets).map((name) => join(assets, name))]) {
    const body = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
    );
  }
  mkdirSync(join(target, '..'), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await buildConsole(process.argv[2]);
  } catch (error) {
    process.stderr.write(`build: the console did not build: ${error.message}\n`);
    process.exit(1);
  }
}
