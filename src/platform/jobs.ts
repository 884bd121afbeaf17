/**
 * Periodic background work (pruning, expiries, deliveries). Each job runs at most once at a
 * time; errors are reported and the job keeps its schedule. Jobs hold no state that matters:
 * whatever they act on lives in the database, so any process may run them.
 */
export class Jobs {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly onError: (job: string, error: unknown) => void) {}

  every(name: string, intervalMs: number, work: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      const run = work()
        .catch((error) => this.onError(name, error))
        .finally(() => {
          busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    }, intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
