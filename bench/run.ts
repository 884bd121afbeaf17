/**
 * `npm run bench`: starts Ringside in its own process and drives it with autocannon from this
 * one, scenario after scenario, each measured in turns with the bare-route baseline.
 * Timed scenarios (one big request, or a flow) are instead run BENCH_TIMED_RUNS times (default
 * 3) after one unmeasured run, and reported in milliseconds. Paced scenarios send one request
 * at a fixed rate and report its latency without and with a condition (live subscribers, held
 * by a child process: bench/liveSubscribers.ts). Runs on SQLite, and on PostgreSQL
 * too when RINGSIDE_BENCH_DATABASE_URL (or RINGSIDE_TEST_DATABASE_URL) is set. Options:
 * BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (default 2),
 * BENCH_CONNECTIONS (default 32), BENCH_ROUNDS (bare/scenario slices, default 5), BENCH_ONLY
 * (comma-separated scenario names), BENCH_BACKENDS (comma-separated: sqlite, postgres), BENCH_FINISH_RATE (matches per second the `finish`
 * scenario prepares for, default 1500), BENCH_LIVE_RATE and BENCH_LIVE_SUBSCRIBERS (the
 * `live fan-out` scenario's req/s and subscribers, defaults 200 and 1000), BENCH_PROFILE (a
 * directory for a CPU profile), BENCH_METRICS (`on`, the default, `off`, or `both`:
 * BENCH_METRICS_ROUNDS rounds, default 3, of a server with metrics on and one with them off,
 * each on a fresh database, the one that goes first alternating from round to round, and a
 * table of the two side by side), BENCH_PROCESSES (`2`, the default on PostgreSQL: each load
 * scenario is also measured with its load spread over two Ringside processes on the same
 * database, in turns with the one-process slices, and reported beside them; `1` turns that off;
 * `2` turns it on for SQLite too).
 */
import autocannon from 'autocannon';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBackend, sqliteBackend, type Backend } from '../test/support/backends.js';
import { type ChildServer, repoRoot, spawnServer } from '../test/support/servers.js';
import { ADMIN_TOKEN, AdminClient } from '../test/support/admin.js';
import { JdbClient, jdbAgent, testGames, walletOk } from '../test/support/jdb.js';
import { GameClient } from '../test/support/oklp.js';
import { Receiver } from '../test/support/receiver.js';
import { TencentClient } from '../test/support/tencent.js';
import pg from 'pg';
import { PacedLoad, type PacedRun, percentile } from './paced.js';
import {
  bare,
  type BenchClients,
  benchGame,
  envelopeFailures,
  type LoadScenario,
  type PacedScenario,
  scenarios as allScenarios,
  type TimedScenario,
} from './scenarios.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const timedRuns = Number(process.env.BENCH_TIMED_RUNS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
/** A directory: the server writes a V8 CPU profile of the whole run there (open it in Chrome DevTools). */
const profileDir = process.env.BENCH_PROFILE;
const metricsModes: MetricsMode[] =
  process.env.BENCH_METRICS === 'both' ? ['on', 'off'] : [process.env.BENCH_METRICS === 'off' ? 'off' : 'on'];
const metricsRounds = metricsModes.length > 1 ? Number(process.env.BENCH_METRICS_ROUNDS ?? 3) : 1;
const postgresUrl = process.env.RINGSIDE_BENCH_DATABASE_URL || process.env.RINGSIDE_TEST_DATABASE_URL;
/** BENCH_PROCESSES: 1 or 2 Ringside processes for the load scenarios; by default 2 on PostgreSQL, 1 on SQLite. */
const processesOption = process.env.BENCH_PROCESSES;
if (processesOption !== undefined && processesOption !== '1' && processesOption !== '2') {
  throw new Error(`BENCH_PROCESSES must be 1 or 2, not ${processesOption}`);
}
function processesFor(backend: Backend): 1 | 2 {
  if (processesOption) return processesOption === '2' ? 2 : 1;
  return backend.name === 'postgres' ? 2 : 1;
}

const benchApp = {
  sdkAppId: 1400009999,
  secretKey: 'ringside-bench-secret-key',
  admins: ['administrator'],
  limits: { rateLimits: false },
};

type MetricsMode = 'on' | 'off';

interface Figure {
  scenario: string;
  description: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** The bare route, measured in the slices between the scenario's (see measure). */
  bareRequestsPerSecond: number;
  ratioToBare: number;
  /** The server process's CPU time (all its threads) per request, scenario and bare route; Linux only. */
  cpuMicrosPerRequest?: { scenario: number; bare: number };
  /** PostgreSQL's CPU time per scenario request: its backends serving this server (from /proc). */
  databaseCpuMicrosPerRequest?: number;
}

interface TimedFigure {
  scenario: string;
  description: string;
  target: string;
  runsMs: number[];
  medianMs: number;
}

/** Latency at a fixed rate in one condition (paced scenarios). */
interface PacedLatency {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest?: number;
}

interface PacedFigure {
  scenario: string;
  description: string;
  rate: number;
  condition: string;
  without: PacedLatency;
  with: PacedLatency & { eventsReceived: number; eventsPerRequest: number };
  bareRequestsPerSecond: number;
  bareCpuMicrosPerRequest?: number;
  errors: number;
}

type Run = autocannon.Result;

/**
 * The Ringside processes one measurement drives: one, or two on the same database with the
 * load spread across them (autocannon gives connection i the URL i mod 2, so half each).
 */
interface ServerGroup {
  urls: string[];
  pids: number[];
  /** PostgreSQL's backends serving these processes. */
  database?: DatabaseProcesses;
}

/** A load scenario's figures for one server group (the caller adds the scenario's name). */
type Measured = Omit<Figure, 'scenario' | 'description'>;

/**
 * A load scenario next to the bare route. The machine's speed drifts by a third from one
 * minute to the next (a shared VM), so the two are measured in alternating slices —
 * BENCH_ROUNDS (default 5) rounds of bare route then scenario, each a share of BENCH_DURATION —
 * and the ratio is the median of the rounds' ratios. A counted scenario (a fixed number of
 * requests: each one uses up prepared state) runs once, after one bare-route slice.
 *
 * `afterPrepare` runs once the scenario's data is in (see analyzeTables).
 *
 * With several server groups (one process, two processes), the scenario is prepared once (its
 * data is in the database every process shares; a counted scenario prepares for every group)
 * and each round measures every group in turn, so they see the same drift; one figure each.
 */
async function measure(
  groups: ServerGroup[],
  scenario: LoadScenario,
  clients: BenchClients,
  afterPrepare: () => Promise<void>,
): Promise<Measured[]> {
  const counts = scenario.counts?.({ warmupSeconds: warmup, durationSeconds: duration });
  const prepareCounts = counts && { warmup: counts.warmup * groups.length, measured: counts.measured * groups.length };
  const requests = await scenario.prepare(clients, prepareCounts);
  await afterPrepare();
  const bareRequests = await bare.prepare(clients, undefined);
  const slices = counts ? 1 : rounds;
  const slice = duration / slices;
  const forSeconds = (group: ServerGroup, these: typeof requests, seconds: number) =>
    autocannon({ url: target(group), connections, requests: these, duration: seconds });
  // Counted runs: autocannon notices the end at its next sample, so they sample every 10 ms.
  const counted = (group: ServerGroup, amount: number) =>
    autocannon({ url: target(group), connections, requests, amount, sampleInt: 10 });
  const rate = (run: Run, isCounted: boolean) =>
    isCounted ? Math.round(run['2xx'] / run.duration) : Math.round(run.requests.average);
  // Short unmeasured runs first, so the figures are of JIT-compiled code (on every process).
  if (warmup > 0) {
    for (const group of groups) {
      await forSeconds(group, bareRequests, warmup);
      await (counts ? counted(group, counts.warmup) : forSeconds(group, requests, warmup));
    }
  }
  envelopeFailures.count = 0;
  envelopeFailures.sample = '';
  const perGroup = groups.map(() => ({
    pairs: [] as Array<{ bare: Run; scenario: Run }>,
    cpuMs: { bare: 0, scenario: 0 },
    databaseCpuMs: 0,
    envelopeFailures: 0,
  }));
  for (let round = 0; round < slices; round++) {
    for (const [i, group] of groups.entries()) {
      const measured = perGroup[i]!;
      const bareRun = await withServerCpu(group.pids, measured.cpuMs, 'bare', () =>
        forSeconds(group, bareRequests, slice),
      );
      const failuresBefore = envelopeFailures.count;
      const databaseBefore = await group.database?.cpuMs();
      const scenarioRun = await withServerCpu(group.pids, measured.cpuMs, 'scenario', () =>
        counts ? counted(group, counts.measured) : forSeconds(group, requests, slice),
      );
      if (group.database && databaseBefore !== undefined) {
        measured.databaseCpuMs += (await group.database.cpuMs()) - databaseBefore;
      }
      measured.envelopeFailures += envelopeFailures.count - failuresBefore;
      measured.pairs.push({ bare: bareRun, scenario: scenarioRun });
    }
  }
  if (envelopeFailures.count > 0) {
    console.warn(`  ${scenario.name}: ${envelopeFailures.count} replies failed, e.g. ${envelopeFailures.sample}`);
  }
  const total = <T>(items: T[], of: (item: T) => number) => items.reduce((sum, item) => sum + of(item), 0);
  return groups.map((group, i) => {
    const { pairs, cpuMs, databaseCpuMs, envelopeFailures: failures } = perGroup[i]!;
    const runs = pairs.map((p) => p.scenario);
    const seconds = total(runs, (run) => run.duration);
    return {
      requestsPerSecond: counts ? rate(runs[0]!, true) : Math.round(total(runs, (run) => run.requests.total) / seconds),
      bareRequestsPerSecond: Math.round(
        total(pairs, (p) => p.bare.requests.total) / total(pairs, (p) => p.bare.duration),
      ),
      ratioToBare: median(pairs.map((p) => rate(p.scenario, !!counts) / rate(p.bare, false))),
      p50Ms: median(runs.map((run) => run.latency.p50)),
      p99Ms: Math.max(...runs.map((run) => run.latency.p99)),
      errors: total(runs, (run) => run.errors + run.timeouts) + failures,
      non2xx: total(runs, (run) => run.non2xx),
      cpuMicrosPerRequest: group.pids.every(canReadCpu)
        ? {
            scenario: (cpuMs.scenario * 1000) / total(runs, (run) => run.requests.total),
            bare: (cpuMs.bare * 1000) / total(pairs, (p) => p.bare.requests.total),
          }
        : undefined,
      databaseCpuMicrosPerRequest: group.database
        ? (databaseCpuMs * 1000) / total(runs, (run) => run.requests.total)
        : undefined,
    };
  });
}

/** autocannon's target: one URL, or several (its README: connections go round the URLs; @types/autocannon only knows one). */
function target(group: ServerGroup): string {
  return (group.urls.length === 1 ? group.urls[0]! : group.urls) as string;
}

/**
 * PostgreSQL: refreshes the planner's statistics of the bench schema's tables. A scenario fills
 * its tables seconds before it is measured, long before autovacuum's next analyze (a minute
 * apart at least), and the servers' prepared statements keep plans made for tables the
 * statistics still call empty: during `finish`, PostgreSQL scanned match_participants and
 * ledger_accounts whole (about 1,600 sequential scans, 7 million rows, in 3,200 settlements),
 * and after an ANALYZE scanned them 23 times. A deployment that has held this much data for a
 * while has its statistics; the bench measures that state.
 *
 * Tables still empty are left alone: analyzed empty, a table is planned as empty however much it
 * holds until the next analyze, whereas the planner sizes a never-analyzed table from its pages.
 * When `create_battle` analyzed its empty battles table, the expiry statement's generic plan
 * walked every battle of the app for each one it ended (58–76 ms a call against 1.2–1.7 ms).
 */
async function analyzeTables(storage: Record<string, unknown>): Promise<void> {
  if (!('postgres' in storage)) return;
  const { url, schema } = storage.postgres as { url: string; schema: string };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select tablename from pg_tables where schemaname = $1', [schema]);
    const tables: string[] = [];
    for (const { tablename } of rows as Array<{ tablename: string }>) {
      const table = `"${schema}"."${tablename}"`;
      const { rowCount } = await client.query(`select 1 from ${table} limit 1`);
      if (rowCount) tables.push(table);
    }
    if (tables.length > 0) await client.query(`analyze ${tables.join(', ')}`);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL's own CPU time for these servers: the backend processes of their connections, found
 * by the application names the bench gives them (utime + stime from /proc; the database must
 * run on this machine). Looked up at every reading, so connections opened late count too. A
 * backend that exits (the pool closes idle connections) keeps what it had used by the last
 * reading that saw it; only its CPU after that reading is lost.
 */
class DatabaseProcesses {
  /** Per backend ever seen: its CPU ms when first seen and at the latest reading that saw it. */
  private readonly seen = new Map<number, { first: number; latest: number }>();
  /** CPU ms used by backends whose pid a later backend took. */
  private exited = 0;

  constructor(
    private readonly url: string,
    private readonly applicationNames: string[],
  ) {}

  /** CPU ms of the backends since each was first seen (a backend first seen now counts from now). */
  async cpuMs(): Promise<number> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    let pids: number[];
    try {
      const { rows } = await client.query('select pid from pg_stat_activity where application_name = any($1)', [
        this.applicationNames,
      ]);
      pids = rows.map((row: { pid: number }) => row.pid);
    } finally {
      await client.end();
    }
    for (const pid of pids) {
      if (!canReadCpu(pid)) continue;
      const now = serverCpuMs(pid);
      const backend = this.seen.get(pid);
      if (backend && now >= backend.latest) {
        backend.latest = now;
        continue;
      }
      // A new backend, or a new process with the pid of one that exited (whose use is kept).
      if (backend) this.exited += backend.latest - backend.first;
      this.seen.set(pid, { first: now, latest: now });
    }
    let total = this.exited;
    for (const { first, latest } of this.seen.values()) total += latest - first;
    return total;
  }
}

/**
 * The server's CPU time is a second view next to throughput: on two shared cores the load
 * generator competes with the server, and the server's CPU per request does not depend on how
 * fast the load generator is. From /proc (Linux; utime + stime in clock ticks of 10 ms).
 * On PostgreSQL it leaves out the database's own CPU.
 */
function serverCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function canReadCpu(pid: number): boolean {
  return existsSync(`/proc/${pid}/stat`);
}

/** Adds the CPU time the servers (all of them) spend during `run` to `cpuMs[slot]`. */
async function withServerCpu<T, Slot extends string>(
  pids: number[],
  cpuMs: Record<Slot, number>,
  slot: Slot,
  run: () => Promise<T>,
): Promise<T> {
  if (!pids.every(canReadCpu)) return run();
  const sum = () => pids.reduce((ms, pid) => ms + serverCpuMs(pid), 0);
  const before = sum();
  const result = await run();
  cpuMs[slot] += sum() - before;
  return result;
}

/**
 * A paced scenario: its request at a fixed rate, without and with its condition, in turns
 * with the bare route at full load (BENCH_ROUNDS rounds of bare, without, with; a third of a
 * slice each). Latencies are of every request of the slices; the bare route's req/s is there
 * to place the run on the VM's drifting speed, as in the load scenarios.
 */
async function measurePaced(
  url: string,
  serverPid: number,
  scenario: PacedScenario,
  clients: BenchClients,
): Promise<PacedFigure> {
  const setup = await scenario.prepare(clients);
  const load = new PacedLoad(url);
  try {
    const bareRequests = await bare.prepare(clients, undefined);
    const slice = duration / rounds;
    const bareFor = (seconds: number) => autocannon({ url, connections, requests: bareRequests, duration: seconds });
    const pacedFor = (seconds: number) => load.run(setup.request, scenario.rate, seconds);
    if (warmup > 0) {
      await bareFor(warmup);
      await pacedFor(warmup);
      await setup.on();
      await pacedFor(warmup);
      await setup.off();
    }
    await setup.takeEventCount();
    const cpuMs = { bare: 0, without: 0, with: 0 };
    const bareRuns: Run[] = [];
    const runs = { without: [] as PacedRun[], with: [] as PacedRun[] };
    let eventsReceived = 0;
    for (let round = 0; round < rounds; round++) {
      bareRuns.push(await withServerCpu([serverPid], cpuMs, 'bare', () => bareFor(slice)));
      runs.without.push(await withServerCpu([serverPid], cpuMs, 'without', () => pacedFor(slice)));
      await setup.on();
      runs.with.push(await withServerCpu([serverPid], cpuMs, 'with', () => pacedFor(slice)));
      await setup.off();
      eventsReceived += await setup.takeEventCount();
    }
    const all = [...runs.without, ...runs.with];
    const errors = all.reduce((sum, run) => sum + run.errors, 0);
    if (errors > 0)
      console.warn(`  ${scenario.name}: ${errors} requests failed, e.g. ${all.find((r) => r.errors)!.errorSample}`);
    const canCpu = canReadCpu(serverPid);
    const latency = (these: PacedRun[], cpu: number): PacedLatency => {
      const latencies = these.flatMap((run) => run.latenciesMs);
      const sent = these.reduce((sum, run) => sum + run.sent, 0);
      const seconds = these.reduce((sum, run) => sum + run.seconds, 0);
      return {
        requestsPerSecond: Math.round(sent / seconds),
        p50Ms: round2(percentile(latencies, 50)),
        p99Ms: round2(percentile(latencies, 99)),
        cpuMicrosPerRequest: canCpu ? round2((cpu * 1000) / sent) : undefined,
      };
    };
    const sentWith = runs.with.reduce((sum, run) => sum + run.sent, 0);
    const bareTotal = bareRuns.reduce((sum, run) => sum + run.requests.total, 0);
    return {
      scenario: scenario.name,
      description: scenario.description,
      rate: scenario.rate,
      condition: scenario.condition,
      without: latency(runs.without, cpuMs.without),
      with: {
        ...latency(runs.with, cpuMs.with),
        eventsReceived,
        eventsPerRequest: Math.round(eventsReceived / sentWith),
      },
      bareRequestsPerSecond: Math.round(bareTotal / bareRuns.reduce((sum, run) => sum + run.duration, 0)),
      bareCpuMicrosPerRequest: canCpu ? round2((cpuMs.bare * 1000) / bareTotal) : undefined,
      errors,
    };
  } finally {
    load.close();
    await setup.close();
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
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
  const { name, description } = scenario;
  return { scenario: name, description, target: scenario.target, runsMs, medianMs: median(runsMs) };
}

interface BackendResults {
  figures: Figure[];
  /** The same load scenarios with two processes on the database, measured in turns with `figures` (BENCH_PROCESSES). */
  twoProcesses?: Figure[];
  timed: TimedFigure[];
  paced: PacedFigure[];
}

async function runBackend(backend: Backend, metrics: MetricsMode): Promise<BackendResults> {
  const database = await backend.create();
  const processes = processesFor(backend);
  const applicationNames = Array.from(
    { length: processes },
    (_, i) => `ringside-bench-${process.pid}-${Date.now()}-${i + 1}`,
  );
  /** Each process's storage block: on PostgreSQL the same database, its connections named for finding their backends. */
  const storageOf = (i: number) => {
    if (!('postgres' in database.storage)) return database.storage;
    const postgres = database.storage.postgres as { url: string };
    const url = new URL(postgres.url);
    url.searchParams.set('application_name', applicationNames[i]!);
    return { postgres: { ...postgres, url: url.toString(), poolSize: 16 } };
  };
  const databaseProcesses = (names: string[]) => {
    if (!('postgres' in database.storage)) return undefined;
    return new DatabaseProcesses((database.storage.postgres as { url: string }).url, names);
  };
  const wallet = await Receiver.start({ answer: () => ({ status: 200, body: walletOk }) });
  const agent = { ...jdbAgent, walletUrl: `${wallet.url}/jdb` };
  const servers: ChildServer[] = [];
  try {
    // One after the other: the second finds the schema migrated (two at once is tested in test/multiprocess).
    for (let i = 0; i < processes; i++) {
      servers.push(
        await spawnServer({
          nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
          fileConfig: {
            storage: storageOf(i),
            metrics: { enabled: metrics === 'on' },
            admin: { tokens: [ADMIN_TOKEN] },
            tencent: { apps: [benchApp] },
            jdb: { agents: [agent], games: testGames },
            oklp: { clients: [benchGame] },
          },
        }),
      );
    }
    const server = servers[0]!;
    const groupOf = (these: ChildServer[]): ServerGroup => ({
      urls: these.map((s) => s.url),
      pids: these.map((s) => s.child.pid!),
      database: databaseProcesses(applicationNames.slice(0, these.length)),
    });
    const groups = processes === 2 ? [groupOf([server]), groupOf(servers)] : [groupOf([server])];
    // Prepared through the first process; the data is in the database both share.
    const clients: BenchClients = {
      tencent: new TencentClient(server.url, benchApp),
      admin: new AdminClient(server.url, ADMIN_TOKEN),
      game: new GameClient(server.url, benchGame),
      jdb: new JdbClient(server.url, agent),
      wallet,
    };
    const scenarios = allScenarios.filter((s) => !only || only.includes(s.name));
    const figures: Figure[] = [];
    const twoProcesses: Figure[] = [];
    const timed: TimedFigure[] = [];
    const paced: PacedFigure[] = [];
    for (const scenario of scenarios) {
      if (scenario.kind === 'timed') {
        timed.push(await time(scenario, clients));
        continue;
      }
      if (scenario.kind === 'paced') {
        paced.push(await measurePaced(server.url, server.child.pid!, scenario, clients));
        continue;
      }
      const [one, two] = await measure(groups, scenario, clients, () => analyzeTables(database.storage));
      const figure = (measured: Measured): Figure => ({
        scenario: scenario.name,
        description: scenario.description,
        ...measured,
        ratioToBare: Number(measured.ratioToBare.toFixed(2)),
      });
      figures.push(figure(one!));
      if (two) twoProcesses.push(figure(two));
    }
    return { figures, ...(processes === 2 ? { twoProcesses } : {}), timed, paced };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await wallet.close();
    await database.drop();
  }
}

function cpuColumn({ cpuMicrosPerRequest: cpu }: Figure): string {
  return cpu ? `${cpu.scenario.toFixed(1)} (${cpu.bare.toFixed(1)})` : 'n/a';
}

function report(backend: string, { figures, twoProcesses, timed, paced }: BackendResults): string {
  const lines = [`### ${backend}`];
  if (figures.length > 0) {
    lines.push(
      '',
      '| scenario | req/s | p50 ms | p99 ms | bare route req/s, alongside | ratio to bare | server CPU µs/req (bare) | PostgreSQL CPU µs/req | errors |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...figures.map(
        (f) =>
          `| ${f.scenario} | ${f.requestsPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.bareRequestsPerSecond} | ${f.ratioToBare.toFixed(2)} | ${cpuColumn(f)} | ${f.databaseCpuMicrosPerRequest?.toFixed(1) ?? ''} | ${f.errors + f.non2xx} |`,
      ),
    );
  }
  if (twoProcesses && twoProcesses.length > 0) lines.push('', twoProcessTable(figures, twoProcesses));
  if (timed.length > 0) {
    lines.push(
      '',
      `| timed scenario | median ms (of ${timedRuns}) | runs ms | target |`,
      '|---|---:|---|---|',
      ...timed.map((t) => `| ${t.scenario} | ${t.medianMs} | ${t.runsMs.join(', ')} | ${t.target} |`),
    );
  }
  const cpu = (micros: number | undefined) => (micros === undefined ? 'n/a' : micros.toFixed(1));
  for (const p of paced) {
    lines.push(
      '',
      `${p.scenario}: ${p.description}`,
      '',
      `| ${p.scenario} at ${p.rate} req/s | req/s sent | p50 ms | p99 ms | server CPU µs/req | events received per request |`,
      '|---|---:|---:|---:|---:|---:|',
      `| without | ${p.without.requestsPerSecond} | ${p.without.p50Ms} | ${p.without.p99Ms} | ${cpu(p.without.cpuMicrosPerRequest)} | |`,
      `| with ${p.condition} | ${p.with.requestsPerSecond} | ${p.with.p50Ms} | ${p.with.p99Ms} | ${cpu(p.with.cpuMicrosPerRequest)} | ${p.with.eventsPerRequest} |`,
      `| bare route alongside (full load) | ${p.bareRequestsPerSecond} | | | ${cpu(p.bareCpuMicrosPerRequest)} | |`,
      '',
      `errors: ${p.errors}`,
    );
  }
  return lines.join('\n');
}

/**
 * One process beside two on the same database, from the same rounds: req/s, p99, ratio to the
 * bare route (itself spread the same way), the servers' CPU per request (both processes' CPU
 * over all requests; the bare route's in brackets), PostgreSQL's, and errors.
 */
function twoProcessTable(one: Figure[], two: Figure[]): string {
  const cells = (f: Figure) =>
    `${f.requestsPerSecond} | ${f.p99Ms} | ${f.ratioToBare.toFixed(2)} | ${cpuColumn(f)} | ${f.databaseCpuMicrosPerRequest?.toFixed(1) ?? ''} | ${f.errors + f.non2xx}`;
  return [
    'One process against two on the same database (load spread over both; measured in turns):',
    '',
    '| scenario | 1 process req/s | p99 ms | ratio to bare | server CPU µs/req (bare) | PostgreSQL CPU µs/req | errors | 2 processes req/s | p99 ms | ratio to bare | server CPU µs/req, both (bare) | PostgreSQL CPU µs/req | errors | req/s 2 ÷ 1 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...one.map((f, i) => {
      const t = two[i]!;
      return `| ${f.scenario} | ${cells(f)} | ${cells(t)} | ${(t.requestsPerSecond / f.requestsPerSecond).toFixed(2)} |`;
    }),
  ].join('\n');
}

/**
 * Metrics on against off: each scenario's server CPU per request in every round, the medians,
 * and the change; the same for the bare route measured alongside.
 */
function metricsComparison(backend: string, all: Record<string, { figures: Figure[] }>): string {
  const runsOf = (mode: MetricsMode) =>
    Array.from({ length: metricsRounds }, (_, i) => all[`${backend}, metrics ${mode}, round ${i + 1}`]!.figures);
  const on = runsOf('on');
  const off = runsOf('off');
  const lines = [
    `### ${backend}: metrics on against off (server CPU µs/req, ${metricsRounds} rounds each, alternating)`,
    '',
    '| scenario | on (runs) | off (runs) | change | on, bare-route units | off, bare-route units | change | bare route on / off | req/s on / off |',
    '|---|---|---|---:|---|---|---:|---|---|',
  ];
  const cpu = (figure: Figure | undefined, of: 'scenario' | 'bare') => figure?.cpuMicrosPerRequest?.[of] ?? NaN;
  for (const { scenario } of on[0]!) {
    const pick = (runs: Figure[][]) => runs.map((figures) => figures.find((f) => f.scenario === scenario));
    const [onRuns, offRuns] = [pick(on), pick(off)];
    const series = (runs: Array<Figure | undefined>, of: 'scenario' | 'bare') => runs.map((f) => cpu(f, of));
    const [onCpu, offCpu] = [median(series(onRuns, 'scenario')), median(series(offRuns, 'scenario'))];
    const percent = (on: number, off: number) => {
      const change = ((on - off) / off) * 100;
      return `${change >= 0 ? '+' : ''}${change.toFixed(1)} %`;
    };
    const list = (values: number[], digits = 1) => values.map((v) => v.toFixed(digits)).join(', ');
    // The scenario's CPU per request over the bare route's in the same slices: the drift of the VM's speed cancels out.
    const units = (runs: Array<Figure | undefined>) => runs.map((f) => cpu(f, 'scenario') / cpu(f, 'bare'));
    const [onUnits, offUnits] = [units(onRuns), units(offRuns)];
    const rate = (runs: Array<Figure | undefined>) => median(runs.map((f) => f?.requestsPerSecond ?? NaN));
    lines.push(
      `| ${scenario} | **${onCpu.toFixed(1)}** (${list(series(onRuns, 'scenario'))}) | **${offCpu.toFixed(1)}** (${list(series(offRuns, 'scenario'))}) | ${percent(onCpu, offCpu)} | **${median(onUnits).toFixed(2)}** (${list(onUnits, 2)}) | **${median(offUnits).toFixed(2)}** (${list(offUnits, 2)}) | ${percent(median(onUnits), median(offUnits))} | ${median(series(onRuns, 'bare')).toFixed(1)} / ${median(series(offRuns, 'bare')).toFixed(1)} | ${rate(onRuns)} / ${rate(offRuns)} |`,
    );
  }
  return lines.join('\n');
}

/** BENCH_BACKENDS (comma-separated, `sqlite`, `postgres`): only these; by default SQLite, and PostgreSQL when its URL is set. */
const onlyBackends = process.env.BENCH_BACKENDS?.split(',').map((s) => s.trim());
const backends = (postgresUrl ? [sqliteBackend, postgresBackend] : [sqliteBackend]).filter(
  (backend) => !onlyBackends || onlyBackends.includes(backend.name),
);
// postgresBackend.create() (test/support/backends.ts) reads the URL from RINGSIDE_TEST_DATABASE_URL.
if (postgresUrl) process.env.RINGSIDE_TEST_DATABASE_URL = postgresUrl;
const results: Record<string, BackendResults> = {};
console.log(
  `Ringside bench: ${duration} s per scenario after ${warmup} s of warm-up, ${connections} connections, node ${process.version}`,
);
for (const backend of backends) {
  for (let round = 1; round <= metricsRounds; round++) {
    // on, off; then off, on; …: neither always runs first (the VM's speed drifts).
    const order = round % 2 === 1 ? metricsModes : [...metricsModes].reverse();
    for (const mode of order) {
      const name = metricsModes.length > 1 ? `${backend.name}, metrics ${mode}, round ${round}` : backend.name;
      results[name] = await runBackend(backend, mode);
      console.log(`\n${report(name, results[name]!)}`);
    }
  }
  if (metricsModes.length > 1) console.log(`\n${metricsComparison(backend.name, results)}`);
}
const dir = join(repoRoot, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, duration, warmup, connections, timedRuns, metrics: metricsModes, results }, null, 2)}\n`,
);
console.log(`\nResults written to ${file}`);
