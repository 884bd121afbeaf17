import type { LiveEvent, LiveEventPublisher } from '../domain/events.js';
import { utf8Length } from '../platform/bytes.js';
import { MAX_NOTIFY_PAYLOAD_BYTES, type PostgresNotifications } from '../store/notifications.js';

export type EventListener<E> = (event: E) => void;
export type LiveEventListener = EventListener<LiveEvent>;

/** Events to subscribers on every process: publish from anywhere, subscribe locally. */
export interface EventBus<E> {
  publish(event: E): void;
  subscribe(listener: EventListener<E>): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The live events of battles (the Tencent WebSocket endpoint and the admin stream listen). */
export interface LiveEventBus extends EventBus<LiveEvent>, LiveEventPublisher {}

/**
 * One process (the SQLite deployment): events go to this process's listeners after the
 * current event-loop turn, in the order they were published. Publishing happens inside a
 * request, before its reply is written: handing events to a thousand WebSockets there would
 * make the request wait for all of them. After the turn, the replies are on their way.
 */
export class LocalEventBus<E = LiveEvent> implements EventBus<E> {
  private readonly listeners = new Set<EventListener<E>>();
  private pending: E[] = [];
  /** The turn's delivery, once scheduled. */
  private delivering: Promise<void> | undefined;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  publish(event: E): void {
    if (this.listeners.size === 0) return;
    this.pending.push(event);
    this.delivering ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliverPending());
  }

  subscribe(listener: EventListener<E>): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    await this.delivering;
  }

  /** Hands an event to this process's listeners now (the caller is outside any request). */
  protected deliver(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  private deliverPending(): void {
    const events = this.pending;
    this.pending = [];
    this.delivering = undefined;
    for (const event of events) this.deliver(event);
  }
}

/**
 * Several processes on one PostgreSQL: events published within one tick go out as
 * NOTIFY batches, and every process (this one included) hands what it hears to its
 * listeners. Delivery is best effort, like any live stream: a subscriber that is not
 * connected misses events and re-reads state (get_battle_info) when it comes back.
 */
export class PostgresEventBus<E = LiveEvent> extends LocalEventBus<E> {
  private queued: string[] = [];
  /** The batch on its way, if any: batches go one after another, so events keep their order. */
  private sending: Promise<void> | undefined;

  constructor(
    private readonly notifications: PostgresNotifications,
    private readonly onError: (error: unknown) => void,
  ) {
    super(onError);
  }

  override publish(event: E): void {
    this.queued.push(JSON.stringify(event));
    if (!this.sending) this.sending = this.sendQueued();
  }

  override async start(): Promise<void> {
    await this.notifications.listen(
      (payload) => {
        // A notification arrives on its own, outside any request: deliver at once.
        for (const event of JSON.parse(payload) as E[]) this.deliver(event);
      },
      (error) => this.onError(error),
    );
  }

  override async close(): Promise<void> {
    await this.sending;
  }

  /** Sends what was published during this tick, then whatever came meanwhile, until none is left. */
  private async sendQueued(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queued.length > 0) {
      const events = this.queued;
      this.queued = [];
      try {
        await this.notifications.notify(packBatches(events));
      } catch (error) {
        this.onError(error);
      }
    }
    this.sending = undefined;
  }
}

/** JSON arrays of events, each within PostgreSQL's notification payload limit. */
function packBatches(events: string[]): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const bytes = utf8Length(event) + 1;
    if (bytes + 2 > MAX_NOTIFY_PAYLOAD_BYTES) continue; // cannot be carried; live events are best effort
    if (size + bytes > MAX_NOTIFY_PAYLOAD_BYTES) {
      batches.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) batches.push(`[${current.join(',')}]`);
  return batches;
}
