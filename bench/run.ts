/**
 * `npm run bench`: starts Ringside in its own process and drives it with autocannon from this
 * one, scenario after scenario, each next to the bare-route baseline measured in the same run.
 * Timed scenarios (one big request, or a flow) are instead run BENCH_TIMED_RUNS times (default
 * 3) after one unmeasured run, and reported in milliseconds. Runs on SQLite, and on PostgreSQL
 * too when RINGSIDE_BENCH_DATABASE_URL (or RINGSIDE_TEST_DATABASE_URL) is set. Options:
 * BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (default 2),
 * BENCH_CONNECTIONS (default 32), BENCH_ONLY (comma-separated scenario names),
 * BENCH_FINISH_RATE (matches per second the `finish` scenario prepares for, default 1500).
 */
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBackend, sqliteBackend, type Backend } from '../test/support/backends.js';
import { repoRoot, spawnServer } from '../test/support/servers.js';
import { ADMIN_TOKEN, AdminClient } from '../test/support/admin.js';
import { JdbClient, jdbAgent, testGames, walletOk } from '../test/support/jdb.js';
import { GameClient } from '../test/support/oklp.js';
import { Receiver } from '../test/support/receiver.js';
import { TencentClient } from '../test/support/tencent.js';
import {
  bare,
  type BenchClients,
  benchGame,
  envelopeFailures,
  type LoadScenario,
  scenarios as allScenarios,
  type TimedScenario,
} from './scenarios.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const timedRuns = Number(process.env.BENCH_TIMED_RUNS ?? 3);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
/** A directory: the server writes a V8 CPU profile of the whole run there (open it in Chrome DevTools). */
const profileDir = process.env.BENCH_PROFILE;
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
  /** The bare route, measured right before the scenario (the machine's speed drifts). */
  bareRequestsPerSecond: number;
  ratioToBare: number;
}

interface TimedFigure {
  scenario: string;
  description: string;
  target: string;
  runsMs: number[];
  medianMs: number;
}

async function measure(url: string, scenario: LoadScenario, clients: BenchClients) {
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

/** One unmeasured run, then `timedRuns` measured ones; the median is the figure. */
async function time(scenario: TimedScenario, clients: BenchClients): Promise<TimedFigure> {
  await scenario.prepare(clients);
  await scenario.run(clients, 0);
  const runsMs: number[] = [];
  for (let round = 1; round <= timedRuns; round++) {
    const started = performance.now();
    await scenario.run(clients, round);
    runsMs.push(Math.round(performance.now() - started));
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  const { name, description } = scenario;
  return { scenario: name, description, target: scenario.target, runsMs, medianMs: sorted[sorted.length >> 1]! };
}

async function runBackend(backend: Backend): Promise<{ figures: Figure[]; timed: TimedFigure[] }> {
  const database = await backend.create();
  const storage =
    'postgres' in database.storage
      ? { postgres: { ...(database.storage.postgres as object), poolSize: 16 } }
      : database.storage;
  const wallet = await Receiver.start({ answer: () => ({ status: 200, body: walletOk }) });
  const agent = { ...jdbAgent, walletUrl: `${wallet.url}/jdb` };
  const server = await spawnServer({
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    fileConfig: {
      storage,
      admin: { tokens: [ADMIN_TOKEN] },
      tencent: { apps: [benchApp] },
      jdb: { agents: [agent], games: testGames },
      oklp: { clients: [benchGame] },
    },
  });
  try {
    const clients: BenchClients = {
      tencent: new TencentClient(server.url, benchApp),
      admin: new AdminClient(server.url, ADMIN_TOKEN),
      game: new GameClient(server.url, benchGame, 'letsbet'),
      jdb: new JdbClient(server.url, agent),
      wallet,
    };
    const scenarios = allScenarios.filter((s) => !only || only.includes(s.name));
    const figures: Figure[] = [];
    const timed: TimedFigure[] = [];
    for (const scenario of scenarios) {
      if (scenario.kind === 'timed') {
        timed.push(await time(scenario, clients));
        continue;
      }
      const baseline = await measure(server.url, bare, clients);
      const figure = await measure(server.url, scenario, clients);
      figures.push({
        scenario: scenario.name,
        description: scenario.description,
        ...figure,
        bareRequestsPerSecond: baseline.requestsPerSecond,
        ratioToBare: Number((figure.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)),
      });
    }
    return { figures, timed };
  } finally {
    await server.stop();
    await wallet.close();
    await database.drop();
  }
}

function report(backend: string, { figures, timed }: { figures: Figure[]; timed: TimedFigure[] }): string {
  const lines = [
    `### ${backend}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | bare route req/s, just before | ratio to bare | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.scenario} | ${f.requestsPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.bareRequestsPerSecond} | ${f.ratioToBare.toFixed(2)} | ${f.errors + f.non2xx} |`,
    ),
  ];
  if (timed.length > 0) {
    lines.push(
      '',
      `| timed scenario | median ms (of ${timedRuns}) | runs ms | target |`,
      '|---|---:|---|---|',
      ...timed.map((t) => `| ${t.scenario} | ${t.medianMs} | ${t.runsMs.join(', ')} | ${t.target} |`),
    );
  }
  return lines.join('\n');
}

const backends = postgresUrl ? [sqliteBackend, { ...postgresBackend }] : [sqliteBackend];
if (postgresUrl) process.env.RINGSIDE_TEST_DATABASE_URL = postgresUrl;
const results: Record<string, { figures: Figure[]; timed: TimedFigure[] }> = {};
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
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, duration, warmup, connections, timedRuns, results }, null, 2)}\n`,
);
console.log(`\nResults written to ${file}`);
