import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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

interface RequestSeries {
  duration: Histogram.Internal<string>;
  answers: Counter.Internal;
}

/** Every surface's answered requests (the kit's `RequestRecorder`). */
export class RequestMetrics {
  private readonly duration: Histogram<string>;
  private readonly answers: Counter<string>;
  /** Each label set's series, bound once: a request looks its series up by one string. */
  private readonly series = new Map<string, RequestSeries>();

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'ringside_request_duration_seconds',
      help: 'Time from a request arriving to its answer being written, by surface and operation.',
      labelNames: ['surface', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.answers = new Counter({
      name: 'ringside_requests_total',
      help: 'Answered requests by surface, operation, HTTP status and wire code (the error code, or the success code).',
      labelNames: ['surface', 'operation', 'status', 'code'],
      registers: [registry],
    });
  }

  record(surface: string, operation: string, status: number, code: string, seconds: number): void {
    const key = `${surface}\u0000${operation}\u0000${status}\u0000${code}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        duration: this.duration.labels(surface, operation),
        answers: this.answers.labels(surface, operation, String(status), code),
      };
      this.series.set(key, series);
    }
    series.duration.observe(seconds);
    series.answers.inc();
  }
}

interface AppSeries {
  scoreUpdates: Counter.Internal;
  giftSends: Counter.Internal;
  gifts: Counter.Internal;
  coins: Counter.Internal;
}

/** What the domain did, counted by the process that did it (the domain's `ActivityCounters`). */
export class ActivityMetrics {
  private readonly scoreUpdates: Counter<'app'>;
  private readonly giftSends: Counter<'app'>;
  private readonly gifts: Counter<'app'>;
  private readonly coins: Counter<'app'>;
  /** Each app's series, bound once. */
  private readonly byApp = new Map<number, AppSeries>();

  constructor(registry: Registry) {
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: ['app'] as const, registers: [registry] });
    this.scoreUpdates = counter(
      'ringside_battle_score_updates_total',
      'Room scores changed by set_battle_score (one per room whose score changed), by SDKAppID.',
    );
    this.giftSends = counter('ringside_gift_sends_total', 'Accepted gift sends, by SDKAppID.');
    this.gifts = counter('ringside_gifts_sent_total', 'Gifts sent (the sum of the sends\u2019 Count), by SDKAppID.');
    this.coins = counter('ringside_gift_coins_total', 'Coins of the gifts sent (Coins \u00d7 Count), by SDKAppID.');
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
      const app = String(appId);
      series = {
        scoreUpdates: this.scoreUpdates.labels(app),
        giftSends: this.giftSends.labels(app),
        gifts: this.gifts.labels(app),
        coins: this.coins.labels(app),
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
