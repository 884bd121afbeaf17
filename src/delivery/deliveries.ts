import type { AdminEventPublisher } from '../domain/events.js';
import {
  type DeliveryAttempt,
  type DeliveryFilter,
  deliveryStateEvent,
  isInFlight,
  type OutboxMessage,
} from '../domain/outbound.js';
import type { Clock } from '../platform/clock.js';
import { DomainError } from '../platform/errors.js';
import type { PageKey } from '../store/keyset.js';
import type { Store } from '../store/store.js';

/** How many of a delivery's latest attempts its detail shows. */
export const ATTEMPT_HISTORY_LIMIT = 100;

/** A delivery with its latest attempts (newest first). */
export interface DeliveryDetail {
  message: OutboxMessage;
  attempts: DeliveryAttempt[];
  /** Whether older attempts than those were made. */
  moreAttempts: boolean;
}

/**
 * The outbox as operators see it: what was sent, what is waiting, what was given up on, and
 * every attempt; and an operator's retry (now, whatever the delivery's state but delivered)
 * and replay (of a delivered one). Every change is one conditional update, so processes
 * sharing a database never both act on one request's target state.
 */
export class DeliveryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly wake: () => void,
    /** Told when an operator puts a delivery back in line (the admin event stream). */
    private readonly events?: AdminEventPublisher,
  ) {}

  /** A page of deliveries, newest first (`limit + 1`: see `newestFirst`). */
  list(filter: DeliveryFilter, after: PageKey | undefined, limit: number): Promise<OutboxMessage[]> {
    return this.store.outbox.page(filter, after, limit);
  }

  async get(id: number): Promise<DeliveryDetail> {
    const message = await this.find(id);
    const attempts = await this.store.outbox.attemptsOf(id, ATTEMPT_HISTORY_LIMIT + 1);
    return {
      message,
      attempts: attempts.slice(0, ATTEMPT_HISTORY_LIMIT),
      moreAttempts: attempts.length > ATTEMPT_HISTORY_LIMIT,
    };
  }

  /**
   * Tries a delivery now: a dead one from its first backoff step with a new retry window, a
   * pending one without waiting for its next attempt. A delivered one is refused (replay it).
   */
  async retry(id: number): Promise<void> {
    const now = this.clock.now();
    const requeued =
      (await this.store.outbox.requeue(id, ['dead'], 'retry', now)) || (await this.store.outbox.hurry(id, now));
    if (!requeued) {
      const message = await this.find(id);
      throw new DomainError('delivery_state', retryRefusal(message, now), { field: 'id' });
    }
    this.wake();
    await this.announce(id);
  }

  /**
   * Sends a delivered (or dead) one again: the same event id and body, as a new attempt with a
   * new retry window. Of two replays at once one wins; the other is refused while that one is
   * pending (one re-send), or, if it came after the re-send ended, is a second re-send.
   */
  async replay(id: number): Promise<void> {
    if (!(await this.store.outbox.requeue(id, ['delivered', 'dead'], 'replay', this.clock.now()))) {
      const message = await this.find(id);
      throw new DomainError(
        'delivery_state',
        message.status === 'pending'
          ? `id ${id} is a pending delivery (not yet delivered, or a replay or retry of it is queued): retry it to send it now, or replay it once it is delivered or dead`
          : `id ${id} is a ${message.status} delivery, which cannot be replayed`,
        { field: 'id' },
      );
    }
    this.wake();
    await this.announce(id);
  }

  /** Publishes the delivery's state after an operator's change (read back: the change was one update). */
  private async announce(id: number): Promise<void> {
    if (!this.events) return;
    const message = await this.store.outbox.find(id);
    if (!message) return;
    this.events.publish(deliveryStateEvent(message, this.clock.now()));
  }

  private async find(id: number): Promise<OutboxMessage> {
    const message = await this.store.outbox.find(id);
    if (!message) throw new DomainError('not_found', `id ${id} is not a delivery`, { field: 'id' });
    return message;
  }
}

/** Why a retry of `message` was refused (read after the conditional updates failed). */
function retryRefusal(message: OutboxMessage, now: number): string {
  const id = message.id;
  if (message.status === 'delivered') {
    return `id ${id} is a delivery that was delivered: to send it again, replay it (POST /deliveries/${id}/replay)`;
  }
  if (isInFlight(message, now)) {
    const lapses = new Date(message.claimedUntil).toISOString();
    return `id ${id} is a delivery being sent right now (its attempt will show in GET /deliveries/${id}; if its sender stopped, it is tried again once its claim lapses at ${lapses})`;
  }
  if (message.status === 'pending' || message.status === 'dead') {
    return `id ${id} is a delivery that changed state while being retried (now ${message.status}): try again`;
  }
  return `id ${id} is a ${message.status} delivery, which cannot be retried`;
}
