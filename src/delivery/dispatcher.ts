import type { AdminEventPublisher, OutboundEvent } from '../domain/events.js';
import { type AfterAttempt, type DeliveryAttempt, deliveryStateEvent, type OutboxMessage } from '../domain/outbound.js';
import type { Clock } from '../platform/clock.js';
import type { HttpExchange } from '../platform/httpClient.js';
import type { Signal } from '../platform/signal.js';
import type { Store } from '../store/store.js';

/**
 * How an attempt went. A failure is retried unless `permanent`; `cancelled`: the receiver no
 * longer wants the message (not a failure: no give-up action runs, and the status says so).
 * `exchange` is what the request saw (from `sendObserved`), for the delivery log; absent when
 * nothing was sent. `notSent` says why a success sent nothing.
 */
export type DeliveryResult = (
  { ok: true; notSent?: string } | { ok: false; error: string; permanent?: boolean; cancelled?: boolean }
) & {
  exchange?: HttpExchange;
};

/**
 * Sends one kind of outbound event and says when to try again. (Members are function-typed
 * properties so that the compiler checks a deliverer against the events routed to it.)
 */
export interface Deliverer<E extends OutboundEvent = OutboundEvent> {
  deliver: (message: OutboxMessage<E>) => Promise<DeliveryResult>;
  /** Delay before the next attempt after `attempts` failures, or undefined to give up. */
  retryDelayMs: (attempts: number, queuedAt: number, now: number) => number | undefined;
  /**
   * What giving up on a message means for the domain (e.g. a match the game never accepted is
   * aborted). Runs before the message is marked dead; if it fails, the message is retried.
   */
  onGiveUp?: (message: OutboxMessage<E>, error: string) => Promise<void>;
}

/** The outbound events whose topic starts with `P`. */
export type EventsUnder<P extends string> = Extract<OutboundEvent, { topic: `${P}${string}` }>;

/** Messages whose topic starts with `topicPrefix` go to `deliverer` (the first route that matches wins). */
export interface Route {
  topicPrefix: string;
  deliverer: Deliverer;
}

/** A route whose deliverer the compiler has checked takes every event under `topicPrefix`. */
export function route<P extends string>(topicPrefix: P, deliverer: Deliverer<EventsUnder<P>>): Route {
  // The dispatcher hands it only messages whose topic starts with `topicPrefix`.
  return { topicPrefix, deliverer: deliverer as Deliverer };
}

/** The claim (lease) time when none is configured. */
export const DEFAULT_CLAIM_MS = 30_000;

/** When a give-up action fails, the message is tried again this much later. */
const GIVE_UP_RETRY_MS = 1000;

export interface DispatcherOptions {
  /**
   * How long a claimed message is ours before another process may retry it (config
   * `delivery.claimMs`): longer than any deliverer's timeout, or a slow receiver may be sent
   * the same message twice; shorter means faster redelivery after a crash.
   */
  leaseMs?: number;
  /**
   * This process's instance id (config `delivery.instanceId`), recorded with each claim, so
   * that a process restarted under the same id can release what its predecessor held.
   */
  instanceId?: string;
  batchSize?: number;
  /** Runs as soon as this signal is notified (besides whenever `run` is called). */
  wakeOn?: Signal;
  /** A delivery that threw (with its message), or a run started by `wake` that failed. */
  onError?: (error: unknown, message: OutboxMessage | undefined) => void;
  /** Told of each delivery's new state once an attempt's outcome has committed (the admin event stream). */
  events?: AdminEventPublisher;
}

/**
 * Delivers the outbox: claims due messages (any process may; a lease keeps two from sending
 * the same one at once), hands each to the deliverer of its topic, and records the outcome.
 * At least once: a message is marked delivered only after its receiver accepted it.
 */
export class Dispatcher {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly createdAt: number;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly routes: Route[],
    private readonly options: DispatcherOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_CLAIM_MS;
    this.batchSize = options.batchSize ?? 20;
    this.createdAt = clock.now();
    options.wakeOn?.listen(() => this.wake());
  }

  /**
   * Makes the messages this instance id still holds from a previous life due now, instead
   * of after their claims lapse. Call it only once this process owns the id (e.g. it has
   * bound the address the id is named after): a live process with the same id would have
   * its messages sent twice. Returns how many were released.
   */
  async releaseOwnClaims(): Promise<number> {
    if (this.options.instanceId === undefined) return 0;
    // Only claims taken before this dispatcher existed: its own are live.
    const released = await this.store.outbox.releaseClaimsOf(
      this.options.instanceId,
      this.clock.now(),
      this.createdAt + this.leaseMs,
    );
    if (released > 0) this.wake();
    return released;
  }

  /** Starts a run without waiting for it; a failure goes to `onError`. */
  wake(): void {
    if (this.running) this.again = true;
    else this.run().catch((error) => this.options.onError?.(error, undefined));
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
        this.wake();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const messages = await this.store.outbox.claimDue(
        this.clock.now(),
        this.leaseMs,
        this.batchSize,
        this.options.instanceId ?? null,
      );
      await Promise.all(messages.map((message) => this.deliverOne(message)));
      if (messages.length < this.batchSize) return;
    }
  }

  private async deliverOne(message: OutboxMessage): Promise<void> {
    const startedAt = this.clock.now();
    const { topic } = message.event;
    const route = this.routes.find((r) => topic.startsWith(r.topicPrefix));
    let result: DeliveryResult;
    if (!route) {
      result = { ok: false, error: `no deliverer for topic ${topic}`, permanent: true };
    } else {
      try {
        result = await route.deliverer.deliver(message);
      } catch (error) {
        this.options.onError?.(error, message);
        result = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
    const attempt = attemptOf(message, startedAt, result);
    const now = this.clock.now();
    if (result.ok) return this.settle(message, attempt, { status: 'delivered', at: now });
    if (result.cancelled) return this.settle(message, attempt, { status: 'cancelled', error: result.error });
    const delay =
      result.permanent || !route ? undefined : route.deliverer.retryDelayMs(message.attempts, message.queuedAt, now);
    if (delay !== undefined) {
      return this.settle(message, attempt, { status: 'pending', nextAttemptAt: now + delay, error: result.error });
    }
    try {
      await route?.deliverer.onGiveUp?.(message, result.error);
    } catch (error) {
      this.options.onError?.(error, message);
      return this.settle(message, attempt, {
        status: 'pending',
        nextAttemptAt: now + GIVE_UP_RETRY_MS,
        error: result.error,
      });
    }
    return this.settle(message, attempt, { status: 'dead', error: result.error });
  }

  /** Logs the attempt and moves the message on, in one transaction. */
  private async settle(message: OutboxMessage, attempt: DeliveryAttempt, next: AfterAttempt): Promise<void> {
    await this.store.transaction((tx) => tx.outbox.settle(message, attempt, next));
    const settled: OutboxMessage = {
      ...message,
      status: next.status,
      lastError: next.status === 'delivered' ? undefined : next.error,
      nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : message.nextAttemptAt,
      requeuedBy: undefined,
    };
    this.options.events?.publish(deliveryStateEvent(settled, this.clock.now()));
  }
}

/** The delivery log's record of one attempt. */
function attemptOf(message: OutboxMessage, at: number, result: DeliveryResult): DeliveryAttempt {
  const { exchange } = result;
  return {
    deliveryId: message.id,
    at,
    requestedBy: message.requeuedBy ?? 'schedule',
    outcome: result.ok
      ? result.notSent === undefined
        ? 'delivered'
        : 'not_sent'
      : result.cancelled
        ? 'not_sent'
        : 'failed',
    url: exchange?.url,
    httpStatus: exchange?.status,
    latencyMs: exchange?.latencyMs,
    answerHead: exchange?.answerHead,
    detail: result.ok ? result.notSent : result.error,
  };
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
