import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseReadings, ReadingsRepository } from '../../store/readings.js';

/** Outbox statuses of JDB payouts, in the words of the metric. */
const payoutStatus: Record<string, string> = { pending: 'pending', delivered: 'paid', dead: 'given_up' };
/** Match statuses, in the words of the metric. */
const matchStatus: Record<string, string> = { live: 'open', settled: 'settled', aborted: 'aborted' };

/**
 * The figures of the whole database, read when Prometheus scrapes, at most once per `cacheMs`
 * (scrapes in between, and the gauges of one scrape, share one reading). Every process reports
 * the same values: aggregate them across processes with `max`, not `sum`.
 */
export function registerDatabaseGauges(
  registry: Registry,
  readings: ReadingsRepository,
  clock: Clock,
  cacheMs: number,
  onError: (error: unknown) => void,
): void {
  let last: { at: number; reading: Promise<DatabaseReadings | undefined>; done: boolean } | undefined;
  // A reading in flight serves every gauge that asks meanwhile (those of one scrape ask at once).
  const read = (): Promise<DatabaseReadings | undefined> => {
    const now = performance.now();
    if (last === undefined || (last.done && now - last.at >= cacheMs)) {
      const current = {
        at: now,
        done: false,
        reading: readings.read(clock.now()).catch((error: unknown) => {
          onError(error);
          return undefined;
        }),
      };
      void current.reading.finally(() => (current.done = true));
      last = current;
    }
    return last.reading;
  };

  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (set: (labels: Record<L, string>, value: number) => void, reading: DatabaseReadings) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const reading = await read();
        this.reset();
        if (reading) fill((labels, value) => this.set(labels, value), reading);
      },
    });

  new Gauge({
    name: 'ringside_database_readings_ok',
    help: '1 when the last reading of the database figures succeeded, 0 when it failed (the figures are then absent).',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
  gauge('ringside_rooms', 'Rooms that exist, by SDKAppID.', ['app'], (set, r) => {
    for (const { appId, count } of r.roomsByApp) set({ app: String(appId) }, count);
  });
  gauge('ringside_battles_running', 'Battles running, by SDKAppID.', ['app'], (set, r) => {
    for (const { appId, count } of r.runningBattlesByApp) set({ app: String(appId) }, count);
  });
  gauge(
    'ringside_outbox_messages',
    'Outbox messages waiting to be delivered (pending) or given up on (dead), by topic.',
    ['topic', 'status'],
    (set, r) => {
      for (const { topic, status, count } of r.outbox) set({ topic, status }, count);
    },
  );
  gauge(
    'ringside_outbox_oldest_pending_age_seconds',
    'Age of the oldest pending outbox message (since it was queued), by topic.',
    ['topic'],
    (set, r) => {
      const now = clock.now();
      for (const { topic, status, oldestAt } of r.outbox) {
        if (status === 'pending' && oldestAt !== null) set({ topic }, Math.max(0, now - oldestAt) / 1000);
      }
    },
  );
  gauge(
    'ringside_jdb_payouts',
    'JDB Action 16 free-spin payouts: pending, paid (the wallet answered "0000") and given up.',
    ['status'],
    (set, r) => {
      const counts = new Map(Object.values(payoutStatus).map((status) => [status, 0]));
      for (const { status, count } of r.payouts) {
        const name = payoutStatus[status] ?? status;
        counts.set(name, (counts.get(name) ?? 0) + count);
      }
      for (const [status, count] of counts) set({ status }, count);
    },
  );
  gauge(
    'ringside_freespin_events_active',
    'Free-spin events active now (started, not ended, not terminated), by agent (JDB parent).',
    ['agent'],
    (set, r) => {
      for (const { agent, count } of r.activeFreeSpinEventsByAgent) set({ agent }, count);
    },
  );
  gauge(
    'ringside_matches',
    'OkLetsPlay matches by game client and status (open, settled, aborted).',
    ['client', 'status'],
    (set, r) => {
      for (const { clientId, status, count } of r.matches) {
        set({ client: clientId, status: matchStatus[status] ?? status }, count);
      }
    },
  );
  gauge(
    'ringside_escrow_held',
    'Money held in match escrow, in minor units of the currency, by currency.',
    ['currency'],
    (set, r) => {
      for (const { currency, amount } of r.escrowByCurrency) set({ currency }, amount);
    },
  );
}
