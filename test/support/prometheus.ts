import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './wait.js';

/** A free TCP port on 127.0.0.1 (bound once and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

/**
 * A real Prometheus server (the `prometheus` binary: Debian's package, which `.ci/run`
 * installs) on 127.0.0.1, with a temporary config and data folder, scraping one target every
 * second with a bearer token as its `authorization` setting sends it.
 */
export class PrometheusServer {
  private output = '';

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly exited: Promise<number | null>,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts Prometheus scraping `target` (a `/metrics` URL) and resolves once it is ready (at most `readyWithinMs`). */
  static async start(target: string, token: string, readyWithinMs = 30_000): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'ringside-prometheus-'));
    const scraped = new URL(target);
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: ringside',
      `    metrics_path: ${JSON.stringify(scraped.pathname)}`,
      '    authorization:',
      '      type: Bearer',
      `      credentials: ${JSON.stringify(token)}`,
      '    static_configs:',
      `      - targets: [${JSON.stringify(scraped.host)}]`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // A binary that cannot be run emits 'error' and never 'exit'.
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null));
    });
    const failedToStart = new Promise<never>((_, reject) =>
      child.on('error', (error) =>
        reject(new Error(`cannot run prometheus (.ci/run installs it: apt-get install prometheus): ${error.message}`)),
      ),
    );
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir, exited);
    try {
      await Promise.race([server.ready(readyWithinMs), failedToStart]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async ready(withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`prometheus was not ready within ${withinMs} ms:\n${this.output}`);
  }

  /** An instant query through the HTTP API (`/api/v1/query`). */
  async query(expression: string): Promise<InstantSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expression)}`, {
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`query ${expression} failed: ${body.error}`);
    return body.data.result.map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
  }

  /** Stops the server (SIGTERM, SIGKILL after 10 s) and removes its folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killed = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(killed);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
