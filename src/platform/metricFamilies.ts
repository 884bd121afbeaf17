import type { Metric, Registry } from 'prom-client';

/** One line of a metric, as the registry renders it. */
interface Value {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * Counters and histograms for the hot path, rendered by a prom-client registry like its own.
 * prom-client's `inc`/`observe` check and hash the labels on every call (about 1–3 µs, a tenth
 * of a fast request); here a series is bound to its labels once and then costs an addition
 * (histograms: and a walk over the bounds). Callers keep the series they use.
 */
abstract class Family<S extends { labels: Record<string, string> }> {
  private readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    // The registry asks a metric only for `name`, `get()` and `reset()`.
    registry.registerMetric(this as unknown as Metric);
  }

  readonly aggregator = 'sum' as const;

  /** The series of these label values (made on first use). */
  of(labels: Record<string, string>): S {
    const key = JSON.stringify(labels);
    let found = this.series.get(key);
    if (found === undefined) {
      found = this.create(labels);
      this.series.set(key, found);
    }
    return found;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Value[] }> {
    const values = [...this.series.values()].flatMap((series) => this.values(series));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }

  protected abstract create(labels: Record<string, string>): S;
  protected abstract values(series: S): Value[];
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Record<string, string>) {}

  inc(by = 1): void {
    this.value += by;
  }
}

export class CounterFamily extends Family<CounterSeries> {
  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  protected create(labels: Record<string, string>): CounterSeries {
    return new CounterSeries(labels);
  }

  protected values(series: CounterSeries): Value[] {
    return [{ labels: series.labels, value: series.value }];
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative): `counts[i]` ≤ `bounds[i]`, the last one above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HistogramFamily extends Family<HistogramSeries> {
  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, 'histogram', registry);
  }

  protected create(labels: Record<string, string>): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }

  protected values(series: HistogramSeries): Value[] {
    const values: Value[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += series.counts[i]!;
      values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: bound }, value: cumulative });
    });
    values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count });
    values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum });
    values.push({ metricName: `${this.name}_count`, labels: series.labels, value: series.count });
    return values;
  }
}
