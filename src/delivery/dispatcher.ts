import type { Clock } from '../platform/clock.js';
import type { OutboxMessage } from '../store/outbox.js';
import type { Store } from '../store/store.js';

export type DeliveryResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

/** Sends one kind of outbound message (by topic prefix) and says when to try again. */
export interface Deliverer {
  deliver(message: OutboxMessage): Promise<DeliveryResult>;
  /** Delay before the next attempt after `attempts` failures, or undefined to give up. */
  retryDelayMs(attempts: number, queuedAt: number, now: number): number | undefined;
  /**
   * What giving up on a message means for the domain (e.g. a match the game never accepted is
   * aborted). Runs before the message is marked dead; if it fails, the message is retried.
   */
  onGiveUp?(message: OutboxMessage, error: string): Promise<void>;
}

/** When a give-up action fails, the message is tried again this much later. */
const GIVE_UP_RETRY_MS = 1000;

export interface DispatcherOptions {
  /** How long a claimed message is ours before another process may retry it. */
  leaseMs?: number;
  batchSize?: number;
  onError?: (error: unknown, message: OutboxMessage | undefined) => void;
}

/**
 * Delivers the outbox: claims due messages (any process may; a lease keeps two from sending
 * the same one at once), hands each to the deliverer of its topic, and records the outcome.
 * At least once: a message is marked delivered only after its receiver accepted it.
 */
export class Dispatcher {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly routes: Array<{ topicPrefix: string; deliverer: Deliverer }>,
    private readonly options: DispatcherOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.batchSize = options.batchSize ?? 20;
  }

  /** Delivers what is due now; if already running, runs once more when done. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const messages = await this.store.outbox.claimDue(this.clock.now(), this.leaseMs, this.batchSize);
      await Promise.all(messages.map((message) => this.deliverOne(message)));
      if (messages.length < this.batchSize) return;
    }
  }

  private async deliverOne(message: OutboxMessage): Promise<void> {
    const route = this.routes.find((r) => message.topic.startsWith(r.topicPrefix));
    if (!route) {
      await this.store.outbox.markDead(message.id, `no deliverer for topic ${message.topic}`);
      return;
    }
    let result: DeliveryResult;
    try {
      result = await route.deliverer.deliver(message);
    } catch (error) {
      this.options.onError?.(error, message);
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.clock.now();
    if (result.ok) {
      await this.store.outbox.markDelivered(message.id, now);
      return;
    }
    const delay = result.permanent
      ? undefined
      : route.deliverer.retryDelayMs(message.attempts, message.created_at, now);
    if (delay !== undefined) {
      await this.store.outbox.reschedule(message.id, now + delay, result.error);
      return;
    }
    try {
      await route.deliverer.onGiveUp?.(message, result.error);
    } catch (error) {
      this.options.onError?.(error, message);
      await this.store.outbox.reschedule(message.id, now + GIVE_UP_RETRY_MS, result.error);
      return;
    }
    await this.store.outbox.markDead(message.id, result.error);
  }
}

/** Exponential backoff from `initialMs`, capped at `maxMs`, for `forMs` after queueing. */
export function exponentialBackoff(policy: { initialMs: number; maxMs: number; forMs: number }) {
  return (attempts: number, queuedAt: number, now: number): number | undefined => {
    if (now - queuedAt >= policy.forMs) return undefined;
    return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempts - 1));
  };
}

/** The same wait after every failure (`intervalMs`), for `forMs` after queueing. */
export function fixedInterval(policy: { intervalMs: number; forMs: number }) {
  return (_attempts: number, queuedAt: number, now: number): number | undefined =>
    now - queuedAt >= policy.forMs ? undefined : policy.intervalMs;
}
