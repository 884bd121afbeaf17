import { WebSocket } from 'ws';

/** One message and the sockets it goes to, picked when its turn comes. */
export interface FanOutTarget {
  sockets: WebSocket[];
  message: Buffer;
}

interface Delivery {
  prepare: () => FanOutTarget;
  /** Set once it has started going out (then nothing replaces it any more). */
  target?: FanOutTarget;
  sent: number;
  latestWins?: string;
}

/**
 * Sends live messages to WebSockets a slice at a time, between turns of the event loop: a
 * message to thousands of subscribers costs milliseconds (a write per socket), and requests
 * that arrive meanwhile are answered between slices instead of after the whole fan-out.
 * Messages go out in the order they were added, each to all its sockets before the next
 * starts, so every subscriber sees them in that order. A message added with a `latestWins`
 * key replaces the one of the same key still waiting (a battle's newer scoreboard replaces an
 * older one not yet sent): when messages come faster than they can be sent, the queue keeps
 * one per key instead of growing.
 *
 * A socket whose client does not read keeps what it is sent in the server's memory: one that
 * holds more than `maxBufferedBytes` unsent when its turn comes gets nothing more, and is
 * handed to `onSlowReader` (which drops it) instead.
 */
export class SlicedFanOut {
  private readonly queue: Delivery[] = [];
  private readonly waiting = new Map<string, Delivery>();
  private scheduled = false;

  constructor(
    private readonly socketsPerSlice: number,
    private readonly maxBufferedBytes: number,
    private readonly onSlowReader: (socket: WebSocket) => void,
  ) {}

  add(prepare: () => FanOutTarget, latestWins?: string): void {
    const waiting = latestWins === undefined ? undefined : this.waiting.get(latestWins);
    if (waiting) {
      waiting.prepare = prepare;
      return;
    }
    const delivery: Delivery = { prepare, sent: 0, latestWins };
    this.queue.push(delivery);
    if (latestWins !== undefined) this.waiting.set(latestWins, delivery);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.sendSlice());
  }

  private sendSlice(): void {
    this.scheduled = false;
    let budget = this.socketsPerSlice;
    while (budget > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!head.target) {
        if (head.latestWins !== undefined) this.waiting.delete(head.latestWins);
        head.target = head.prepare();
      }
      const { sockets, message } = head.target;
      for (; budget > 0 && head.sent < sockets.length; budget--) {
        const socket = sockets[head.sent++]!;
        if (socket.readyState !== WebSocket.OPEN) continue;
        if (socket.bufferedAmount > this.maxBufferedBytes) this.onSlowReader(socket);
        else socket.send(message, { binary: false });
      }
      if (head.sent === sockets.length) this.queue.shift();
    }
    if (this.queue.length > 0) this.schedule();
  }
}
