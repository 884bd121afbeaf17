/**
 * `npm run bench`: starts Ringside in its own process and drives it with autocannon from this
 * one, scenario after scenario, each next to the bare-route baseline measured in the same run.
 * Runs on SQLite, and on PostgreSQL too when RINGSIDE_BENCH_DATABASE_URL (or
 * RINGSIDE_TEST_DATABASE_URL) is set. Options: BENCH_DURATION (seconds per scenario, default
 * 10), BENCH_CONNECTIONS (default 32), BENCH_ONLY (comma-separated scenario names),
 * BENCH_FINISH_RATE (matches per second the `finish` scenario prepares for, default 1500).
 */
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBackend, sqliteBackend, type Backend } from '../test/support/backends.js';
import { ADMIN_TOKEN, AdminClient } from '../test/support/admin.js';
import { GameClient } from '../test/support/oklp.js';
import { repoRoot, spawnServer } from '../test/support/servers.js';
import { TencentClient } from '../test/support/tencent.js';
import {
  bare,
  benchGame,
  type BenchClients,
  envelopeFailures,
  scenarios as allScenarios,
  type Scenario,
} from './scenarios.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const postgresUrl = process.env.RINGSIDE_BENCH_DATABASE_URL || process.env.RINGSIDE_TEST_DATABASE_URL;

const benchApp = {
  sdkAppId: 1400009999,
  secretKey: 'ringside-bench-secret-key',
  admins: ['administrator'],
  limits: { rateLimits: false },
};

interface Figure {
  scenario: string;
  description: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  ratioToBare: number;
}

async function measure(url: string, scenario: Scenario, clients: BenchClients) {
  const counts = scenario.counts?.({ warmupSeconds: warmup, durationSeconds: duration });
  const requests = await scenario.prepare(clients, counts);
  // A run lasts `seconds`, or makes `amount` requests when the scenario counts them (autocannon
  // notices the end at its next sample, so counted runs sample every 10 ms to time it closely).
  const run = (seconds: number, amount: number | undefined) =>
    autocannon({ url, connections, requests, ...(amount ? { amount, sampleInt: 10 } : { duration: seconds }) });
  // A short unmeasured run first, so the figures are of JIT-compiled code.
  if (warmup > 0) await run(warmup, counts?.warmup);
  envelopeFailures.count = 0;
  envelopeFailures.sample = '';
  const result = await run(duration, counts?.measured);
  if (envelopeFailures.count > 0) {
    console.warn(`  ${scenario.name}: ${envelopeFailures.count} replies failed, e.g. ${envelopeFailures.sample}`);
  }
  return {
    requestsPerSecond: counts ? Math.round(result['2xx'] / result.duration) : Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + envelopeFailures.count,
    non2xx: result.non2xx,
  };
}

async function runBackend(backend: Backend): Promise<Figure[]> {
  const database = await backend.create();
  const storage =
    'postgres' in database.storage
      ? { postgres: { ...(database.storage.postgres as object), poolSize: 16 } }
      : database.storage;
  const server = await spawnServer({
    fileConfig: {
      storage,
      tencent: { apps: [benchApp] },
      admin: { tokens: [ADMIN_TOKEN] },
      oklp: { clients: [benchGame] },
    },
  });
  try {
    const clients: BenchClients = {
      tencent: new TencentClient(server.url, benchApp),
      admin: new AdminClient(server.url, ADMIN_TOKEN),
      game: new GameClient(server.url, benchGame, 'letsbet'),
    };
    const scenarios = allScenarios.filter((s) => !only || only.includes(s.name));
    const baseline = await measure(server.url, bare, clients);
    const figures: Figure[] = [{ scenario: bare.name, description: bare.description, ...baseline, ratioToBare: 1 }];
    for (const scenario of scenarios) {
      const figure = await measure(server.url, scenario, clients);
      figures.push({
        scenario: scenario.name,
        description: scenario.description,
        ...figure,
        ratioToBare: Number((figure.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)),
      });
    }
    return figures;
  } finally {
    await server.stop();
    await database.drop();
  }
}

function report(backend: string, figures: Figure[]): string {
  const lines = [
    `### ${backend}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | ratio to bare | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.scenario} | ${f.requestsPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.ratioToBare.toFixed(2)} | ${f.errors + f.non2xx} |`,
    ),
  ];
  return lines.join('\n');
}

const backends = postgresUrl ? [sqliteBackend, { ...postgresBackend }] : [sqliteBackend];
if (postgresUrl) process.env.RINGSIDE_TEST_DATABASE_URL = postgresUrl;
const results: Record<string, Figure[]> = {};
console.log(
  `Ringside bench: ${duration} s per scenario after ${warmup} s of warm-up, ${connections} connections, node ${process.version}`,
);
for (const backend of backends) {
  results[backend.name] = await runBackend(backend);
  console.log(`\n${report(backend.name, results[backend.name]!)}`);
}
const dir = join(repoRoot, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, duration, warmup, connections, results }, null, 2)}\n`,
);
console.log(`\nResults written to ${file}`);
