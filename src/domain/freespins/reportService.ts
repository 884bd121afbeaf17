import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/store.js';
import type { FreeSpinCatalog } from './catalog.js';
import { badParameter } from './errors.js';
import {
  type EventStatus,
  type FreeSpinEvent,
  type FreeSpinType,
  type Grant,
  type SpinRecord,
  freeSpinLimits,
  statusAt,
} from './freeSpin.js';

export interface PlayerEvent {
  event: FreeSpinEvent;
  status: EventStatus;
  grant: Grant;
}

export interface PlayerEventFilter {
  startFrom: number | undefined;
  startTo: number | undefined;
  status: EventStatus | undefined;
  types: FreeSpinType[] | undefined;
}

export interface PlayerCashouts {
  uid: string;
  total: number;
  events: Array<{ eventId: string; cashout: number }>;
}

const MINUTE = 60_000;
const DAY = 24 * 3600 * 1000;

export const reportLimits = {
  /** History is read in windows of whole minutes, at most this long. */
  maxHistoryWindowMs: 5 * MINUTE,
  /** Daily cashout reports go back this far. */
  maxReportAgeMs: 92 * DAY,
};

/** What happened in free-spin events: a player's events, the spin history, daily cashouts. */
export class FreeSpinReportService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: FreeSpinCatalog,
  ) {}

  /** The events a player is bound to, kept until 180 days after they end. */
  async playerEvents(agentId: string, uid: string, filter: PlayerEventFilter): Promise<PlayerEvent[]> {
    this.catalog.agent(agentId);
    const now = this.clock.now();
    const grants = await this.store.freeSpinGrants.ofPlayer(agentId, uid);
    const events = new Map(
      (await this.store.freeSpinEvents.findMany(agentId, [...new Set(grants.map((g) => g.eventId))])).map((e) => [
        e.eventId,
        e,
      ]),
    );
    const kept = now - freeSpinLimits.retentionMs;
    return grants.flatMap((grant) => {
      const event = events.get(grant.eventId);
      if (!event || (event.terminatedAt ?? event.endAt) < kept) return [];
      const status = statusAt(event, now);
      const wanted =
        (filter.startFrom === undefined || event.startAt >= filter.startFrom) &&
        (filter.startTo === undefined || event.startAt <= filter.startTo) &&
        (filter.status === undefined || status === filter.status) &&
        (filter.types === undefined || filter.types.includes(event.type));
      return wanted ? [{ event, status, grant }] : [];
    });
  }

  /**
   * Spins played in [from, to): a window of whole minutes, at most five, within the last 180
   * days, of the given game families (and player).
   */
  async history(
    agentId: string,
    query: { from: number; to: number; uid: string | undefined; gameTypeIds: number[] },
  ): Promise<SpinRecord[]> {
    this.catalog.agent(agentId);
    if (query.from % MINUTE !== 0) throw badParameter('startTime', 'must be a whole minute (seconds 00.000)');
    if (query.to % MINUTE !== 0) throw badParameter('endTime', 'must be a whole minute (seconds 00.000)');
    if (query.to <= query.from) throw badParameter('endTime', 'must be later than startTime');
    if (query.to - query.from > reportLimits.maxHistoryWindowMs) {
      throw badParameter('endTime', 'must be at most 5 minutes after startTime');
    }
    if (query.from < this.clock.now() - freeSpinLimits.retentionMs) {
      throw badParameter('startTime', 'must be within the last 180 days');
    }
    return this.store.freeSpinHistory.between(agentId, query.from, query.to, query);
  }

  /**
   * Positive cashouts fixed during the day starting at `dayStart` (24 hours), per player. Only
   * days that are over, and at most 92 days back.
   */
  async dailyCashouts(agentId: string, dayStart: number): Promise<PlayerCashouts[]> {
    this.catalog.agent(agentId);
    const now = this.clock.now();
    if (dayStart + DAY > now) throw badParameter('date', 'must be a day that is over (the previous day at the latest)');
    if (dayStart < now - reportLimits.maxReportAgeMs) throw badParameter('date', 'must be within the last 3 months');
    const byPlayer = new Map<string, PlayerCashouts>();
    for (const grant of await this.store.freeSpinGrants.cashoutsBetween(agentId, dayStart, dayStart + DAY)) {
      let player = byPlayer.get(grant.uid);
      if (!player) byPlayer.set(grant.uid, (player = { uid: grant.uid, total: 0, events: [] }));
      player.total += grant.cashout!;
      player.events.push({ eventId: grant.eventId, cashout: grant.cashout! });
    }
    return [...byPlayer.values()];
  }
}
