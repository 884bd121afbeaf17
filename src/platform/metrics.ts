import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { CounterFamily, type CounterSeries, HistogramFamily, type HistogramSeries } from './metricFamilies.js';

/** Request and delivery times, in seconds: from a fast in-memory answer to a slow receiver. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics (docs/metrics.md lists every one). Two registries:
 * `perProcess` holds what this process counts or measures itself, every series labelled
 * `process` with this process's name, so several processes on one database add up; `shared`
 * holds figures read from the database at scrape time, the same on every process (aggregate
 * them with `max`, never `sum`).
 */
export class Metrics {
  readonly perProcess = new Registry();
  readonly shared = new Registry();
  private readonly runtime: Registry;
  readonly requests: RequestMetrics;
  readonly activity: ActivityMetrics;
  readonly deliveries: DeliveryMetrics;

  /** `processName`: the `process` label of this process's series (default `host:pid`). */
  constructor(processName: string = `${hostname()}:${process.pid}`) {
    this.perProcess.setDefaultLabels({ process: processName });
    this.runtime = runtimeRegistry(processName);
    this.requests = new RequestMetrics(this.perProcess);
    this.activity = new ActivityMetrics(this.perProcess);
    this.deliveries = new DeliveryMetrics(this.perProcess);
  }

  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;

  /** The text exposition format, both registries. */
  async render(): Promise<string> {
    const parts = await Promise.all([this.runtime.metrics(), this.perProcess.metrics(), this.shared.metrics()]);
    return parts.join('\n');
  }
}

let runtime: Registry | undefined;

/**
 * Node's own figures (event loop lag, heap, GC, CPU, memory, handles): one registry per
 * process, made by the first server built in it (tests build several in one process, and
 * each set of collectors samples the event loop on a timer of its own).
 */
function runtimeRegistry(processName: string): Registry {
  if (runtime === undefined) {
    runtime = new Registry();
    runtime.setDefaultLabels({ process: processName });
    collectDefaultMetrics({ register: runtime });
  }
  return runtime;
}

/** Every surface's answered requests (the kit's `RequestRecorder`), on the hot path: see `metricFamilies.ts`. */
export class RequestMetrics {
  private readonly duration: HistogramFamily;
  private readonly answers: CounterFamily;
  /** Surface → operation → its series, bound once: a request finds them with two lookups. */
  private readonly surfaces = new Map<string, Map<string, OperationSeries>>();

  constructor(registry: Registry) {
    this.duration = new HistogramFamily(
      'ringside_request_duration_seconds',
      'Time from a request arriving to its answer being written, by surface and operation.',
      LATENCY_BUCKETS,
      registry,
    );
    this.answers = new CounterFamily(
      'ringside_requests_total',
      'Answered requests by surface, operation, HTTP status and wire code (the error code, or the success code).',
      registry,
    );
  }

  record(surface: string, operation: string, status: number, code: string, seconds: number): void {
    let operations = this.surfaces.get(surface);
    if (operations === undefined) {
      operations = new Map();
      this.surfaces.set(surface, operations);
    }
    let series = operations.get(operation);
    if (series === undefined) {
      series = { duration: this.duration.of({ surface, operation }), answers: new Map() };
      operations.set(operation, series);
    }
    series.duration.observe(seconds);
    let byCode = series.answers.get(status);
    if (byCode === undefined) {
      byCode = new Map();
      series.answers.set(status, byCode);
    }
    let answers = byCode.get(code);
    if (answers === undefined) {
      answers = this.answers.of({ surface, operation, status: String(status), code });
      byCode.set(code, answers);
    }
    answers.inc();
  }
}

interface OperationSeries {
  duration: HistogramSeries;
  /** By HTTP status, then wire code. */
  answers: Map<number, Map<string, CounterSeries>>;
}

interface AppSeries {
  scoreUpdates: CounterSeries;
  giftSends: CounterSeries;
  gifts: CounterSeries;
  coins: CounterSeries;
}

/** What the domain did, counted by the process that did it (the domain's `ActivityCounters`). */
export class ActivityMetrics {
  private readonly scoreUpdates: CounterFamily;
  private readonly giftSends: CounterFamily;
  private readonly gifts: CounterFamily;
  private readonly coins: CounterFamily;
  /** Each app's series, bound once. */
  private readonly byApp = new Map<number, AppSeries>();

  constructor(registry: Registry) {
    const counter = (name: string, help: string) => new CounterFamily(name, help, registry);
    this.scoreUpdates = counter(
      'ringside_battle_score_updates_total',
      'Room scores changed by set_battle_score (one per room whose score changed), by SDKAppID.',
    );
    this.giftSends = counter('ringside_gift_sends_total', 'Accepted gift sends, by SDKAppID.');
    this.gifts = counter('ringside_gifts_sent_total', 'Gifts sent (the sum of the Count of each send), by SDKAppID.');
    this.coins = counter('ringside_gift_coins_total', 'Coins of the gifts sent (Coins times Count), by SDKAppID.');
  }

  scoresChanged(appId: number, rooms: number): void {
    if (rooms > 0) this.of(appId).scoreUpdates.inc(rooms);
  }

  giftsSent(appId: number, sends: number, gifts: number, coins: number): void {
    const series = this.of(appId);
    series.giftSends.inc(sends);
    series.gifts.inc(gifts);
    series.coins.inc(coins);
  }

  private of(appId: number): AppSeries {
    let series = this.byApp.get(appId);
    if (series === undefined) {
      const app = { app: String(appId) };
      series = {
        scoreUpdates: this.scoreUpdates.of(app),
        giftSends: this.giftSends.of(app),
        gifts: this.gifts.of(app),
        coins: this.coins.of(app),
      };
      this.byApp.set(appId, series);
    }
    return series;
  }
}

/** Outbox deliveries this process attempted (the dispatcher's deliverers, measured). */
export class DeliveryMetrics {
  private readonly attempts: Counter<'topic' | 'outcome'>;
  private readonly attemptDuration: Histogram<'topic'>;
  private readonly latency: Histogram<'topic'>;

  constructor(registry: Registry) {
    this.attempts = new Counter({
      name: 'ringside_outbox_delivery_attempts_total',
      help: 'Delivery attempts by topic and outcome (delivered, failed).',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    });
    this.attemptDuration = new Histogram({
      name: 'ringside_outbox_delivery_attempt_duration_seconds',
      help: 'Time one delivery attempt took (the receiver answering, or failing), by topic.',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'ringside_outbox_delivery_latency_seconds',
      help: 'Time from a message being queued to its receiver accepting it, retries included, by topic.',
      labelNames: ['topic'],
      buckets: [...LATENCY_BUCKETS, 30, 60, 300, 900, 3600],
      registers: [registry],
    });
  }

  attempted(topic: string, delivered: boolean, seconds: number): void {
    this.attempts.inc({ topic, outcome: delivered ? 'delivered' : 'failed' });
    this.attemptDuration.observe({ topic }, seconds);
  }

  delivered(topic: string, secondsSinceQueued: number): void {
    this.latency.observe({ topic }, secondsSinceQueued);
  }
}
