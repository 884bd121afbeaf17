import type { DeliveryStatus, OutboxMessage } from '../domain/outbound.js';
import type { Clock } from '../platform/clock.js';
import { DomainError } from '../platform/errors.js';
import type { Store } from '../store/store.js';

/** The outbox as operators see it: what was sent, what is waiting, what was given up on. */
export class DeliveryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  /** Messages by status, newest first. */
  list(status: DeliveryStatus | undefined, limit: number): Promise<OutboxMessage[]> {
    return this.store.outbox.list(status, limit);
  }

  /** Tries a delivery that was given up on again, from its first backoff step. */
  async retry(id: number): Promise<void> {
    if (!(await this.store.outbox.revive(id, this.clock.now()))) {
      throw new DomainError('not_found', `id ${id} is not a delivery that was given up on (status dead)`, {
        field: 'id',
      });
    }
    this.wake();
  }
}
