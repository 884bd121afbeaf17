import { answerBatch, type Outcome, type Waiting as WaitingItem } from './keyedBatcher.js';

interface Waiting<T, R> extends WaitingItem<T, R> {
  resources: readonly string[];
}

interface KeyState<T, R> {
  queue: Array<Waiting<T, R>>;
  /** Resources of the batches in flight. */
  held: Set<string>;
  inFlight: number;
  scheduled: boolean;
}

/**
 * Processes items in batches per key, as KeyedBatcher does (the first item waits for the end
 * of this event-loop turn; while batches of a key are processed, the next one gathers), with
 * one more rule: no two items of a batch, nor of the batches of a key in flight, share a
 * resource. An item naming a resource that an earlier item already holds waits for a later
 * batch, so items processed together never depend on each other (rooms of battles being
 * created together, say). At most `maxInFlight` batches of a key are processed at once, each
 * of at most `maxBatch` items.
 */
export class DisjointBatcher<T, R> {
  private readonly keys = new Map<string, KeyState<T, R>>();

  constructor(
    private readonly process: (key: string, items: T[]) => Promise<Array<Outcome<R>>>,
    private readonly options: { maxInFlight?: number; maxBatch?: number } = {},
  ) {}

  run(key: string, resources: readonly string[], item: T): Promise<R> {
    let state = this.keys.get(key);
    if (!state) {
      state = { queue: [], held: new Set(), inFlight: 0, scheduled: false };
      this.keys.set(key, state);
    }
    const { queue } = state;
    const answer = new Promise<R>((resolve, reject) => queue.push({ item, resources, resolve, reject }));
    if (!state.scheduled && state.inFlight < (this.options.maxInFlight ?? 1)) {
      state.scheduled = true;
      const scheduled = state;
      setImmediate(() => {
        scheduled.scheduled = false;
        void this.flush(key, scheduled);
      });
    }
    return answer;
  }

  private async flush(key: string, state: KeyState<T, R>): Promise<void> {
    if (state.inFlight >= (this.options.maxInFlight ?? 1)) return;
    const taken = new Set<string>();
    const batch: Array<Waiting<T, R>> = [];
    const later: Array<Waiting<T, R>> = [];
    const maxBatch = this.options.maxBatch ?? 256;
    for (const waiting of state.queue) {
      const free = waiting.resources.every((resource) => !taken.has(resource) && !state.held.has(resource));
      if (batch.length >= maxBatch || !free) {
        later.push(waiting);
        continue;
      }
      for (const resource of waiting.resources) taken.add(resource);
      batch.push(waiting);
    }
    if (batch.length === 0) return;
    state.queue = later;
    state.inFlight += 1;
    for (const resource of taken) state.held.add(resource);
    try {
      await answerBatch(batch, (items) => this.process(key, items));
    } finally {
      state.inFlight -= 1;
      for (const resource of taken) state.held.delete(resource);
      if (state.queue.length > 0) void this.flush(key, state);
      else if (state.inFlight === 0 && !state.scheduled) this.keys.delete(key);
    }
  }
}
