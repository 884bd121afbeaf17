import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildOptions, buildApp, type Ringside } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load.js';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Idle keep-alive connections are kept for a minute: with the default 5 s, a test process whose
 * event loop lags by more than undici's margin (a loaded CI machine) may reuse a connection the
 * server is closing, and the request fails with ECONNRESET (the keep-alive race, not a server
 * fault; test/surfaces/hardening/slowClients.test.ts tests the server's own timeout).
 */
const quietServer = { host: '127.0.0.1', port: 0, logLevel: 'error', keepAliveTimeoutMs: 60_000 };

/** A Ringside server in this process, on a free port, built from a config-file object. */
export async function startServer(
  fileConfig: Record<string, unknown>,
  options: BuildOptions = {},
): Promise<TestServer & { ringside: Ringside }> {
  const config = resolveConfig({ ...fileConfig, server: { ...quietServer, ...(fileConfig.server as object) } });
  const ringside = await buildApp(config, options);
  const address = await ringside.http.listen({ host: config.server.host, port: 0 });
  return { url: address, ringside, close: () => ringside.close() };
}

export const repoRoot = new URL('../..', import.meta.url).pathname;
const cli = join(repoRoot, 'bin/ringside.mjs');

// Every Ringside process a test or the bench starts (spawnServer, `ringside` run by the CLI
// tests, `npm start`) inherits this, so bin/ringside.mjs runs the TypeScript sources through tsx,
// never the compiled dist/, which may be stale or absent. test/cli/build.test.ts runs a build.
process.env.RINGSIDE_FROM_SOURCE = '1';

export interface ChildServer extends TestServer {
  child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited by itself. */
  exited: Promise<number | null>;
}

/**
 * A Ringside server in its own process (`ringside serve`), as an operator runs it. Resolves
 * once it prints its listening line. `env` adds to (or, with undefined, removes from) the
 * environment.
 */
export async function spawnServer(options: {
  fileConfig?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Start through `npm start` instead of the CLI directly. */
  viaNpmStart?: boolean;
  /** Options for the server's `node` (e.g. `--cpu-prof`); not with `viaNpmStart`. */
  nodeArgs?: string[];
}): Promise<ChildServer> {
  const args = options.viaNpmStart ? ['start', '--'] : [...(options.nodeArgs ?? []), cli, 'serve'];
  let configDir: string | undefined;
  if (options.fileConfig) {
    configDir = mkdtempSync(join(tmpdir(), 'ringside-config-'));
    const file = join(configDir, 'ringside.json');
    const server = { ...quietServer, ...(options.fileConfig.server as object) };
    writeFileSync(file, JSON.stringify({ ...options.fileConfig, server }));
    args.push('--config', file);
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.RINGSIDE_CONFIG;
  delete env.DATABASE_URL;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const executable = options.viaNpmStart ? 'npm' : process.execPath;
  // Its own process group, so a signal reaches npm and the server it started alike.
  const child = spawn(executable, args, {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Ringside listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) signalGroup(child, signal);
    const code = await exited;
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    return code;
  };
  return { url, child, output: () => output, stop, exited, close: async () => void (await stop()) };
}

/** Signals the child's whole process group (it was started detached). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}
