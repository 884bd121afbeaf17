/**
 * A wake-up call between two parts that need each other: made first and given to both, so the
 * side that notifies can be built before the side that listens. Listeners must not throw.
 */
export class Signal {
  private readonly listeners: Array<() => void> = [];

  listen(listener: () => void): void {
    this.listeners.push(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
