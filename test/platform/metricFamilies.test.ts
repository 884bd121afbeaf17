import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from '../../src/platform/metricFamilies.js';
import { parseMetrics, total } from '../support/metrics.js';

describe('hot-path metric families, rendered by a prom-client registry', () => {
  it('renders cumulative buckets with `le` bounds inclusive, +Inf, _sum and _count, and the registry’s default labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ process: 'p1' });
    const histogram = new HistogramFamily('test_seconds', 'Test histogram.', [0.1, 1, 10], registry);
    const series = histogram.of({ route: 'a' });
    assert.equal(histogram.of({ route: 'a' }), series, 'one series per label set');
    for (const value of [0.05, 0.1, 0.5, 1, 20]) series.observe(value);
    const text = await registry.metrics();
    assert.match(text, /^# TYPE test_seconds histogram$/m);
    const samples = parseMetrics(text);
    const bucket = (le: string) => total(samples, 'test_seconds_bucket', { route: 'a', le, process: 'p1' });
    assert.deepEqual(['0.1', '1', '10', '+Inf'].map(bucket), [2, 4, 4, 5]);
    assert.equal(total(samples, 'test_seconds_count', { route: 'a' }), 5);
    assert.ok(Math.abs(total(samples, 'test_seconds_sum', { route: 'a' }) - 21.65) < 1e-9);
  });

  it('counts per label set and renders the value, as a counter', async () => {
    const registry = new Registry();
    const counter = new CounterFamily('test_total', 'Test counter.', registry);
    counter.of({ code: '0' }).inc();
    counter.of({ code: '0' }).inc(2);
    counter.of({ code: '1' }).inc();
    const text = await registry.metrics();
    assert.match(text, /^# TYPE test_total counter$/m);
    assert.match(text, /^# HELP test_total Test counter\.$/m);
    const samples = parseMetrics(text);
    assert.equal(total(samples, 'test_total', { code: '0' }), 3);
    assert.equal(total(samples, 'test_total', { code: '1' }), 1);
  });
});
