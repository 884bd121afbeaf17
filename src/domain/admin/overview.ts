import type { Clock } from '../../platform/clock.js';
import type { DatabaseReadings } from '../../store/readings.js';
import type { Store } from '../../store/store.js';
import { type ActivityCounter, MINUTE_MS } from './activity.js';

/** One minute of the overview. */
export interface OverviewMinute {
  /** Start of the minute, epoch ms. */
  minute: number;
  /** Accepted score changes (set_battle_score requests that changed a running battle). */
  scoreUpdates: number;
  /** Gifts sent (the sum of their counts), and their value in coins. */
  gifts: number;
  coins: number;
  /** Delivery attempts by outcome. */
  deliveries: { delivered: number; failed: number; notSent: number };
  settledMatches: number;
}

/** What is going on now, per tenant, and the outbox's health. */
export interface OverviewNow {
  /** When the counts were read. */
  at: number;
  apps: Array<{ appId: number; rooms: number; runningBattles: number }>;
  agents: Array<{ agent: string; activeFreeSpinEvents: number }>;
  clients: Array<{ clientId: string; openMatches: number }>;
  /** Per topic with a pending or a dead message, by topic. */
  outbox: Array<{ topic: string; pending: number; dead: number; oldestPendingAt: number | null }>;
}

/** The configured tenants: each is shown, with zeros when nothing of it is in the database. */
export interface ConfiguredTenants {
  appIds: readonly number[];
  agents: readonly string[];
  clientIds: readonly string[];
}

/** The figures of the whole database (the same reading the metrics' gauges show). */
export interface ReadingSource {
  read(now: number): Promise<DatabaseReadings>;
}

/** The minutes an overview covers: the current one and the 59 before it. */
export const OVERVIEW_MINUTES = 60;

/** Per-minute counts of the last hour, for the console's small charts. */
export class Overview {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly activity: ActivityCounter,
    private readonly readings: ReadingSource,
    private readonly tenants: ConfiguredTenants,
  ) {}

  /**
   * Counts per tenant now: rooms and running battles per app, active free-spin events per agent,
   * open (live) matches per client; and pending and dead outbox messages per topic. A tenant no
   * longer configured but with rows in the database is shown too, after the configured ones.
   */
  async now(): Promise<OverviewNow> {
    const at = this.clock.now();
    const reading = await this.readings.read(at);
    const apps = keyed(
      this.tenants.appIds,
      reading.roomsByApp.map((r) => r.appId),
      reading.runningBattlesByApp.map((r) => r.appId),
    );
    const rooms = new Map(reading.roomsByApp.map((r) => [r.appId, r.count]));
    const battles = new Map(reading.runningBattlesByApp.map((r) => [r.appId, r.count]));
    const events = new Map(reading.activeFreeSpinEventsByAgent.map((r) => [r.agent, r.count]));
    const open = new Map<string, number>();
    for (const row of reading.matches)
      if (row.status === 'live') open.set(row.clientId, (open.get(row.clientId) ?? 0) + row.count);
    const topics = new Map<string, OverviewNow['outbox'][number]>();
    for (const row of reading.outbox) {
      const entry = topics.get(row.topic) ?? { topic: row.topic, pending: 0, dead: 0, oldestPendingAt: null };
      if (row.status === 'pending') {
        entry.pending += row.count;
        entry.oldestPendingAt = row.oldestAt;
      } else {
        entry.dead += row.count;
      }
      topics.set(row.topic, entry);
    }
    return {
      at,
      apps: apps.map((appId) => ({ appId, rooms: rooms.get(appId) ?? 0, runningBattles: battles.get(appId) ?? 0 })),
      agents: keyed(this.tenants.agents, [...events.keys()]).map((agent) => ({
        agent,
        activeFreeSpinEvents: events.get(agent) ?? 0,
      })),
      clients: keyed(
        this.tenants.clientIds,
        reading.matches.map((r) => r.clientId),
      ).map((clientId) => ({
        clientId,
        openMatches: open.get(clientId) ?? 0,
      })),
      outbox: [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    };
  }

  async lastHour(): Promise<OverviewMinute[]> {
    // This process's own counts are exact at once; other processes' within their flush interval.
    await this.activity.flush();
    const now = this.clock.now();
    const first = now - (now % MINUTE_MS) - (OVERVIEW_MINUTES - 1) * MINUTE_MS;
    const minutes: OverviewMinute[] = Array.from({ length: OVERVIEW_MINUTES }, (_, i) => ({
      minute: first + i * MINUTE_MS,
      scoreUpdates: 0,
      gifts: 0,
      coins: 0,
      deliveries: { delivered: 0, failed: 0, notSent: 0 },
      settledMatches: 0,
    }));
    const at = (minute: number) => minutes[(minute - first) / MINUTE_MS];
    const [counted, attempts, settlements] = await Promise.all([
      this.store.activity.countedSince(first),
      this.store.activity.attemptsSince(first),
      this.store.activity.settlementsSince(first),
    ]);
    for (const { minute, metric, count } of counted) {
      const entry = at(minute);
      if (!entry) continue;
      if (metric === 'score_updates') entry.scoreUpdates += count;
      else if (metric === 'gifts') entry.gifts += count;
      else if (metric === 'coins') entry.coins += count;
    }
    for (const { minute, metric, count } of attempts) {
      const entry = at(minute);
      if (!entry) continue;
      if (metric === 'delivered') entry.deliveries.delivered += count;
      else if (metric === 'failed') entry.deliveries.failed += count;
      else if (metric === 'not_sent') entry.deliveries.notSent += count;
    }
    for (const { minute, count } of settlements) {
      const entry = at(minute);
      if (entry) entry.settledMatches += count;
    }
    return minutes;
  }
}

/** The configured keys in their order, then the others found in the database, sorted, each once. */
function keyed<K extends string | number>(configured: readonly K[], ...found: K[][]): K[] {
  const known = new Set(configured);
  const others = [...new Set(found.flat())].filter((key) => !known.has(key));
  others.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...configured, ...others];
}
