/**
 * The admin event stream (`GET /admin/v1/events`, server-sent events) shared by every page: one
 * `EventSource`, opened while at least one page listens and closed when none does. The stream
 * carries no history: a page reads the current state from a listing, subscribes, and reads
 * again on `onReconnect` (events may have been missed while the stream was down).
 */
import { API_BASE } from './api.js';

/** The event names the admin API sends (docs/admin.md, "Event stream"). */
export type AdminEventType = 'battle.started' | 'battle.scores' | 'battle.ended' | 'delivery.state' | 'ledger.transfer';
/** An event's `data`: `{type, at, …}` (the fields of each type are in docs/admin.md). */
export type AdminEvent = { type: AdminEventType; at: number } & Record<string, unknown>;
export type StreamState = 'connecting' | 'open' | 'down';

type Listener = (event: AdminEvent) => void;

const EVENT_TYPES: AdminEventType[] = [
  'battle.started',
  'battle.scores',
  'battle.ended',
  'delivery.state',
  'ledger.transfer',
];
/** After the server closed the stream for good (not signed in, server restarted): try again after this. */
const REOPEN_MS = 5000;

class AdminEventStream {
  private source: EventSource | undefined;
  private readonly listeners = new Map<AdminEventType, Set<Listener>>();
  private readonly stateListeners = new Set<(state: StreamState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private state: StreamState = 'down';
  private wasOpen = false;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;

  /** Calls `listener` with each event of `type` until the returned function is called. */
  on(type: AdminEventType, listener: Listener): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    this.open();
    return () => {
      set.delete(listener);
      if (this.listenerCount() === 0) this.close();
    };
  }

  /** Calls `listener` with the stream's state now and on each change. */
  onState(listener: (state: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Calls `listener` each time the stream opens again after it was down (re-read your listing). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Closes the stream and forgets every listener (signing out). */
  reset(): void {
    for (const set of this.listeners.values()) set.clear();
    this.close();
  }

  private listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  private open(): void {
    if (this.source) return;
    clearTimeout(this.reopenTimer);
    const source = new EventSource(`${API_BASE}/events`);
    this.source = source;
    this.setState('connecting');
    source.onopen = () => {
      this.setState('open');
      if (this.wasOpen) for (const listener of this.reconnectListeners) listener();
      this.wasOpen = true;
    };
    source.onerror = () => {
      this.setState(source.readyState === EventSource.CLOSED ? 'down' : 'connecting');
      // A refused stream (401, a restart) is not retried by the browser: try again later.
      if (source.readyState === EventSource.CLOSED) {
        this.source = undefined;
        this.reopenTimer = setTimeout(() => {
          if (this.listenerCount() > 0) this.open();
        }, REOPEN_MS);
      }
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        let data: AdminEvent;
        try {
          data = JSON.parse((message as MessageEvent<string>).data) as AdminEvent;
        } catch {
          return;
        }
        for (const listener of this.listeners.get(type) ?? []) listener(data);
      });
    }
  }

  private close(): void {
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = undefined;
    this.wasOpen = false;
    this.setState('down');
  }

  private setState(state: StreamState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** The console's one event stream. */
export const adminEvents = new AdminEventStream();
