import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import type { Store } from '../../store/store.js';
import { bindPlayers } from './binding.js';
import type { FreeSpinCatalog } from './catalog.js';
import { badParameter, eventNotFound, eventStatusForbids } from './errors.js';
import {
  type BindReport,
  type EventStatus,
  type EventTotals,
  type FreeSpinEvent,
  type FreeSpinType,
  statusAt,
} from './freeSpin.js';
import {
  checkNewPlayerIds,
  checkPlayers,
  checkSchedule,
  checkTimes,
  checkWithdrawals,
  distinctPlayers,
  matchBets,
} from './rules.js';

/** What an event is made of, as a caller gives it (amounts in thousandths, times in ms). */
export interface EventTerms {
  name: string;
  startAt: number;
  endAt: number;
  gameIds: number[];
  bet: number;
  minWithdrawal: number | undefined;
  maxWithdrawal: number | undefined;
}

export interface NewEvent extends EventTerms {
  /** The caller's id for the event; generated (a number) when absent. */
  eventId: string | undefined;
  /** The idempotency key: creating again with it returns the first event. */
  transactionId: string;
  times: number;
  type: FreeSpinType;
  players: string[];
  /** Creates the (single) player when missing. */
  autoCreatePlayers: boolean;
}

/** An update's terms; `times` and `type`, when given, must be the event's own (they never change). */
export interface EventUpdate extends EventTerms {
  times: number | undefined;
  type: FreeSpinType | undefined;
}

export interface EventFilter {
  startFrom: number;
  startTo: number;
  eventId: string | undefined;
  /** Part of the name, any case. */
  name: string | undefined;
  status: EventStatus | undefined;
  /** Events with any of these games. */
  gameIds: number[] | undefined;
  types: FreeSpinType[] | undefined;
}

export interface EventOverview {
  event: FreeSpinEvent;
  status: EventStatus;
  totals: EventTotals;
}

const MAX_ID_ATTEMPTS = 5;

/** Thrown inside a creation transaction to undo it when the event's keys are taken. */
class KeysTaken extends Error {}

/** Free-spin events of an agent: creation, binding, updates, termination and listing. */
export class FreeSpinEventService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: FreeSpinCatalog,
  ) {}

  /**
   * Creates the event and binds its players in one transaction. The same transactionId again
   * returns the first event and its binding report, and changes nothing.
   */
  async create(agentId: string, input: NewEvent): Promise<{ event: FreeSpinEvent; report: BindReport }> {
    const agent = this.catalog.agent(agentId);
    const earlier = await this.store.freeSpinEvents.findByTransaction(agentId, input.transactionId);
    if (earlier) return earlier;

    const now = this.clock.now();
    checkTimes(input.times);
    checkPlayers(input.players);
    const players = distinctPlayers(input.players);
    if (input.autoCreatePlayers) {
      if (players.length !== 1) {
        throw badParameter('players', 'must hold exactly one player when players are created automatically');
      }
      checkNewPlayerIds(players);
    }
    const games = this.checkTerms(input, input.type, now);
    for (let attempt = 1; ; attempt++) {
      const event: FreeSpinEvent = {
        agent: agentId,
        eventId: input.eventId ?? newEventId(),
        transactionId: input.transactionId,
        name: input.name,
        type: input.type,
        times: input.times,
        bet: input.bet,
        games,
        minWithdrawal: input.minWithdrawal,
        maxWithdrawal: input.maxWithdrawal,
        currency: agent.currency,
        startAt: input.startAt,
        endAt: input.endAt,
        terminatedAt: undefined,
        settledAt: undefined,
        revision: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        return await this.store.transaction(async (tx) => {
          if (!(await tx.freeSpinEvents.insert(event, { failed: [], notExisted: [] }))) throw new KeysTaken();
          if (input.autoCreatePlayers) await tx.freeSpinPlayers.create(agentId, players, now);
          const report = await bindPlayers(tx, event, players, now);
          if (report.failed.length > 0 || report.notExisted.length > 0) {
            await tx.freeSpinEvents.saveBindReport(agentId, event.eventId, report);
          }
          return { event, report };
        });
      } catch (error) {
        if (!(error instanceof KeysTaken)) throw error;
        const raced = await this.store.freeSpinEvents.findByTransaction(agentId, input.transactionId);
        if (raced) return raced;
        if (input.eventId !== undefined) {
          throw new DomainError('event_exists', `eventId ${input.eventId} already exists`, { field: 'eventId' });
        }
        if (attempt === MAX_ID_ATTEMPTS) throw new DomainError('internal', 'could not draw an unused event id');
      }
    }
  }

  /** Binds more players to an event that has not ended; a player given twice is bound once. */
  async bind(agentId: string, eventId: string, uids: string[]): Promise<BindReport> {
    this.catalog.agent(agentId);
    checkPlayers(uids);
    const players = distinctPlayers(uids);
    const now = this.clock.now();
    const event = await this.find(agentId, eventId);
    requireStatus(event, now, ['inactive', 'active']);
    return this.store.transaction((tx) => bindPlayers(tx, event, players, now));
  }

  /** Unbinds players from an event that has not started; players not bound are ignored. */
  async unbind(agentId: string, eventId: string, uids: string[]): Promise<void> {
    this.catalog.agent(agentId);
    checkPlayers(uids);
    const event = await this.find(agentId, eventId);
    requireStatus(event, this.clock.now(), ['inactive']);
    // Only grants with no spin used are removed, should the event start meanwhile.
    await this.store.freeSpinGrants.unbind(agentId, eventId, distinctPlayers(uids));
  }

  /**
   * Changes an event that has not ended. Its times and type never change, and once it has
   * started its start time stays. Concurrent changes are detected by the event's revision.
   */
  async update(agentId: string, eventId: string, input: EventUpdate): Promise<FreeSpinEvent> {
    this.catalog.agent(agentId);
    for (;;) {
      const now = this.clock.now();
      const event = await this.find(agentId, eventId);
      const status = requireStatus(event, now, ['inactive', 'active']);
      if (input.times !== undefined && input.times !== event.times) {
        throw badParameter('times', 'cannot be changed after creation');
      }
      if (input.type !== undefined && input.type !== event.type) {
        throw badParameter('type', 'cannot be changed after creation');
      }
      if (status === 'active' && input.startAt !== event.startAt) {
        throw badParameter('startTime', 'cannot be changed once the event has started');
      }
      const games = this.checkTerms(input, event.type, now);
      const changes = { ...input, games };
      const updated = await this.store.freeSpinEvents.update(agentId, eventId, event.revision, changes, now);
      if (updated) return updated;
      // Changed, ended or started meanwhile: judge again against what it is now.
    }
  }

  /** Terminates an event that has not ended; its players' cashouts are then fixed. */
  async terminate(agentId: string, eventId: string): Promise<void> {
    this.catalog.agent(agentId);
    const now = this.clock.now();
    if (await this.store.freeSpinEvents.terminate(agentId, eventId, now)) return;
    const event = await this.find(agentId, eventId);
    requireStatus(event, now, ['inactive', 'active']);
    throw new DomainError('internal', `event ${eventId} could not be terminated`);
  }

  /** Events starting within the filter's range, with their players' totals. */
  async list(agentId: string, filter: EventFilter): Promise<EventOverview[]> {
    this.catalog.agent(agentId);
    const now = this.clock.now();
    const name = filter.name?.toLowerCase();
    const events = (await this.store.freeSpinEvents.startingBetween(agentId, filter.startFrom, filter.startTo)).filter(
      (event) =>
        (filter.eventId === undefined || event.eventId === filter.eventId) &&
        (name === undefined || event.name.toLowerCase().includes(name)) &&
        (filter.status === undefined || statusAt(event, now) === filter.status) &&
        (filter.gameIds === undefined || event.games.some((g) => filter.gameIds!.includes(g.gameId))) &&
        (filter.types === undefined || filter.types.includes(event.type)),
    );
    const totals = await this.store.freeSpinGrants.totals(
      agentId,
      events.map((event) => event.eventId),
    );
    const none: EventTotals = { players: 0, usedTimes: 0, totalTimes: 0, totalCashout: 0 };
    return events.map((event) => ({
      event,
      status: statusAt(event, now),
      totals: totals.get(event.eventId) ?? none,
    }));
  }

  private async find(agentId: string, eventId: string): Promise<FreeSpinEvent> {
    const event = await this.store.freeSpinEvents.find(agentId, eventId);
    if (!event) throw eventNotFound(eventId);
    return event;
  }

  /** The terms' rules; returns each game's matched bet. */
  private checkTerms(terms: EventTerms, type: FreeSpinType, now: number) {
    checkSchedule(terms.startAt, terms.endAt, now);
    checkWithdrawals(terms.minWithdrawal, terms.maxWithdrawal);
    return matchBets(this.catalog.eventGames(terms.gameIds), terms.bet, type);
  }
}

function requireStatus(event: FreeSpinEvent, now: number, allowed: EventStatus[]): EventStatus {
  const status = statusAt(event, now);
  if (!allowed.includes(status)) throw eventStatusForbids(status, allowed);
  return status;
}

/** A generated event id: 15 random digits (a JDB "Long"). */
function newEventId(): string {
  return String(randomInt(100_000_000_000_000, 380_000_000_000_000));
}
