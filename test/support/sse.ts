/** One server-sent event as a client reads it. */
export interface ServerSentEvent {
  event: string;
  data: any;
}

/**
 * Reads a server-sent event stream over real HTTP (fetch), parsing `event:`/`data:` fields; keeps
 * every event and comment it has read so a test can wait for the one it expects.
 */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    void this.read();
  }

  /** Opens the stream; resolves once the response headers have arrived (any status). */
  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    return new SseClient(response, abort);
  }

  /** The first event (read already or to come) that `matches`, within `timeoutMs`. */
  async next(matches: (event: ServerSentEvent) => boolean, what: string, timeoutMs = 10_000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiter = () => done();
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(waiter);
      });
    }
  }

  /** Resolves once the server has ended the stream. */
  async untilEnded(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          this.parse(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
        this.wakeWaiters();
      }
    } catch {
      // aborted by close(), or the connection was cut
    }
    this.ended = true;
    this.wakeWaiters();
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
  }

  private wakeWaiters(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter();
  }
}
