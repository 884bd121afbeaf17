import type { Outcome } from './keyedBatcher.js';

interface Waiting<T, R> {
  item: T;
  resources: readonly string[];
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Processes items in batches per key, as KeyedBatcher does (the first item waits for the end
 * of this event-loop turn; while a batch of a key is processed, the next one gathers), with
 * one more rule: no two items of a batch share a resource. An item naming a resource that an
 * earlier item of the batch already holds waits for the next batch, so the items of one batch
 * never depend on each other (rooms of battles being created together, say). At most
 * `maxBatch` items go in one batch; the rest, in arrival order, go next.
 */
export class DisjointBatcher<T, R> {
  private readonly pending = new Map<string, Array<Waiting<T, R>>>();
  /** Keys with a flush scheduled or a batch in flight. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly process: (key: string, items: T[]) => Promise<Array<Outcome<R>>>,
    private readonly maxBatch = 256,
  ) {}

  run(key: string, resources: readonly string[], item: T): Promise<R> {
    let queue = this.pending.get(key);
    if (!queue) {
      queue = [];
      this.pending.set(key, queue);
    }
    const waiting = queue;
    const answer = new Promise<R>((resolve, reject) => waiting.push({ item, resources, resolve, reject }));
    if (!this.busy.has(key)) {
      this.busy.add(key);
      setImmediate(() => void this.flush(key));
    }
    return answer;
  }

  private async flush(key: string): Promise<void> {
    const queue = this.pending.get(key) ?? [];
    const taken = new Set<string>();
    const batch: Array<Waiting<T, R>> = [];
    const later: Array<Waiting<T, R>> = [];
    for (const waiting of queue) {
      if (batch.length >= this.maxBatch || waiting.resources.some((resource) => taken.has(resource))) {
        later.push(waiting);
        continue;
      }
      for (const resource of waiting.resources) taken.add(resource);
      batch.push(waiting);
    }
    if (later.length > 0) this.pending.set(key, later);
    else this.pending.delete(key);
    try {
      const outcomes = await this.process(
        key,
        batch.map((waiting) => waiting.item),
      );
      batch.forEach((waiting, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome ? outcome.error : new Error('batch item left unanswered'));
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      if (this.pending.has(key)) void this.flush(key);
      else this.busy.delete(key);
    }
  }
}
