import type { Clock } from '../platform/clock.js';
import { DomainError } from '../platform/errors.js';
import type { Store } from '../store/store.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: number;
  eventId: string;
  topic: string;
  scope: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | undefined;
  createdAt: number;
  deliveredAt: number | undefined;
  payload: unknown;
}

/** The outbox as operators see it: what was sent, what is waiting, what was given up on. */
export class DeliveryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  async list(status: DeliveryStatus | undefined, limit: number): Promise<Delivery[]> {
    const rows = await this.store.outbox.list(status, limit);
    return rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      topic: row.topic,
      scope: row.scope,
      status: row.status as DeliveryStatus,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastError: row.last_error ?? undefined,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at ?? undefined,
      payload: JSON.parse(row.payload),
    }));
  }

  /** Tries a delivery that was given up on again, from its first backoff step. */
  async retry(id: number): Promise<void> {
    if (!(await this.store.outbox.revive(id, this.clock.now()))) {
      throw new DomainError('not_found', `no given-up delivery ${id}`);
    }
    this.wake();
  }
}
