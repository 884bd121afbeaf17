import type { Clock } from '../../platform/clock.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import type { FreeSpinCatalog } from './catalog.js';
import { eventNotFound } from './errors.js';
import {
  type EventBrowseFilter,
  type EventStatus,
  type EventTotals,
  type FreeSpinEvent,
  type Grant,
  type GrantFilter,
  type SpinFilter,
  type SpinRecord,
  statusAt,
} from './freeSpin.js';

/**
 * Free spins as operators read them: an agent's events, an event's players, a player's grants
 * and spins. Every listing is newest first, `limit + 1` rows after `after` (the extra one says
 * there are more).
 */
export class FreeSpinBrowser {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: FreeSpinCatalog,
  ) {}

  async events(
    agentId: string,
    filter: EventBrowseFilter,
    after: PageKey | undefined,
    limit: number,
  ): Promise<Array<{ event: FreeSpinEvent; status: EventStatus }>> {
    this.catalog.agent(agentId);
    const now = this.clock.now();
    const events = await this.store.freeSpinEvents.list(agentId, filter, now, after, limit);
    return events.map((event) => ({ event, status: statusAt(event, now) }));
  }

  /** The event with what its players add up to: players, spins granted and used, cashouts. */
  async event(
    agentId: string,
    eventId: string,
  ): Promise<{ event: FreeSpinEvent; status: EventStatus; totals: EventTotals }> {
    const event = await this.find(agentId, eventId);
    const totals = (await this.store.freeSpinGrants.totals(agentId, [eventId])).get(eventId);
    return {
      event,
      status: statusAt(event, this.clock.now()),
      totals: totals ?? { players: 0, usedTimes: 0, totalTimes: 0, totalCashout: 0 },
    };
  }

  /** Grants of an event (its players) or of a player (their events). */
  async grants(agentId: string, filter: GrantFilter, after: PageKey | undefined, limit: number): Promise<Grant[]> {
    this.catalog.agent(agentId);
    if (filter.eventId !== undefined) await this.find(agentId, filter.eventId);
    return this.store.freeSpinGrants.list(agentId, filter, after, limit);
  }

  async spins(agentId: string, filter: SpinFilter, after: PageKey | undefined, limit: number): Promise<SpinRecord[]> {
    this.catalog.agent(agentId);
    return this.store.freeSpinHistory.list(agentId, filter, after, limit);
  }

  private async find(agentId: string, eventId: string): Promise<FreeSpinEvent> {
    this.catalog.agent(agentId);
    const event = await this.store.freeSpinEvents.find(agentId, eventId);
    if (!event) throw eventNotFound(eventId);
    return event;
  }
}
