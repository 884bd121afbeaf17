import { performance } from 'node:perf_hooks';

/**
 * The live-event connections this process holds, in all and per user: what the connection
 * caps are checked against. A socket is counted from the moment it is admitted until it closes.
 */
export class LiveConnectionCounts {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  get size(): number {
    return this.total;
  }

  of(user: string): number {
    return this.perUser.get(user) ?? 0;
  }

  /** Counts one more connection of `user`; call the returned function once it has closed. */
  add(user: string): () => void {
    this.total += 1;
    this.perUser.set(user, this.of(user) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = this.of(user) - 1;
      if (left > 0) this.perUser.set(user, left);
      else this.perUser.delete(user);
    };
  }
}

/** At most `perSecond` messages in any one-second window of one connection (a fixed window). */
export class MessageRate {
  private windowStart = -Infinity;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** Counts one message; false when it is one too many for the current second. */
  allows(now = performance.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.perSecond;
  }
}
