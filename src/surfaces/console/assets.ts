import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the built console, held in memory with its precompressed forms. */
export interface ConsoleAsset {
  body: Buffer;
  gzip: Buffer | undefined;
  brotli: Buffer | undefined;
  contentType: string;
  /** Weak: the same validator for the plain, gzip and brotli forms of one content. */
  etag: string;
  /** Named by its content's hash: cacheable for a year. */
  immutable: boolean;
}

/** The built console: index.html, and the files under `assets/` by their name. */
export interface ConsoleAssets {
  index: ConsoleAsset;
  files: Map<string, ConsoleAsset>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Where the build put the console (scripts/buildConsole.mjs): `dist/console`. The compiled server
 * (dist/surfaces/console/assets.js) finds it beside itself; run from the sources (tsx: the tests,
 * `npm run dev`), it reads the checkout's dist/console, which `npm test` and `npm run dev` rebuild.
 */
export function consoleAssetsDir(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSources ? '../../../dist/console/' : '../../console/', import.meta.url));
}

/** Reads the built console into memory; `undefined` when it has not been built. */
export function loadConsoleAssets(dir: string = consoleAssetsDir()): ConsoleAssets | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleAsset>();
  const assetsDir = join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      if (name.endsWith('.gz') || name.endsWith('.br')) continue;
      files.set(name, readAsset(join(assetsDir, name), true));
    }
  }
  return { index: readAsset(join(dir, 'index.html'), false), files };
}

function readAsset(path: string, immutable: boolean): ConsoleAsset {
  const body = readFileSync(path);
  const optional = (file: string) => (existsSync(file) ? readFileSync(file) : undefined);
  return {
    body,
    gzip: optional(`${path}.gz`),
    brotli: optional(`${path}.br`),
    contentType: contentTypes[extname(path)] ?? 'application/octet-stream',
    etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    immutable,
  };
}
