/** What one item of a batch came to. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** An item waiting for its batch, with how to answer its caller. */
export interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Processes items in batches per key: the first item of a key waits for the end of this
 * event-loop turn, and while a batch of a key is being processed, the items of that key that
 * arrive wait and go together in the next batch. Under load a hot key (one battle, one room)
 * then costs one write per round trip instead of one per item; idle, an item goes alone.
 * `process` answers every item of a batch (or throws, failing the whole batch).
 */
export class KeyedBatcher<T, R> {
  private readonly pending = new Map<string, Array<Waiting<T, R>>>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly process: (key: string, items: T[]) => Promise<Array<Outcome<R>>>) {}

  run(key: string, item: T): Promise<R> {
    let batch = this.pending.get(key);
    if (!batch) {
      batch = [];
      this.pending.set(key, batch);
      if (!this.inFlight.has(key)) setImmediate(() => void this.flush(key));
    }
    const waiting = batch;
    return new Promise((resolve, reject) => waiting.push({ item, resolve, reject }));
  }

  private async flush(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    this.inFlight.add(key);
    try {
      await answerBatch(batch, (items) => this.process(key, items));
    } finally {
      this.inFlight.delete(key);
      if (this.pending.has(key)) void this.flush(key);
    }
  }
}

/** Processes a batch's items and answers each waiting caller with its own outcome (all fail if it throws). */
export async function answerBatch<T, R>(
  batch: ReadonlyArray<Waiting<T, R>>,
  process: (items: T[]) => Promise<Array<Outcome<R>>>,
): Promise<void> {
  try {
    const outcomes = await process(batch.map((waiting) => waiting.item));
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome ? outcome.error : new Error('batch item left unanswered'));
    });
  } catch (error) {
    for (const waiting of batch) waiting.reject(error);
  }
}
