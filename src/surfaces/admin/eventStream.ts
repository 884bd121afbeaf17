import type { ServerResponse } from 'node:http';
import type { Static } from '@sinclair/typebox';
import type { EventBus } from '../../delivery/liveEventBus.js';
import type { AdminEvent, LiveEvent } from '../../domain/events.js';
import type { StreamEventView } from './eventSchemas.js';
import { renderTransfer } from './render.js';

/** A comment line every this often keeps proxies and browsers from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** A client with more than this waiting to be written is too slow to follow: it is dropped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface AdminEventStreamOptions {
  heartbeatMs?: number;
  maxBufferedBytes?: number;
}

/**
 * `GET /admin/v1/events`: every app's live battle events and the admin events (deliveries,
 * ledger) as server-sent events, to every connected operator. Subscribes once to each bus per
 * process while any client is connected (none: the buses' publishers pay nothing for it) and
 * writes each event, encoded once, to every client. Clients that do not keep up
 * are disconnected instead of buffered without bound (an `EventSource` reconnects by itself).
 */
export class AdminEventStream {
  private readonly clients = new Set<ServerResponse>();
  /** Set while any client is connected. */
  private listening: { unsubscribe: Array<() => void>; heartbeat: NodeJS.Timeout } | undefined;
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly live: EventBus<LiveEvent>,
    private readonly admin: EventBus<AdminEvent>,
    options: AdminEventStreamOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  }

  /** Streams to `response` until the client goes away or the stream is closed. */
  add(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Tells nginx-like proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    // How long an EventSource waits before reconnecting; the comment flushes the headers.
    response.write('retry: 3000\n: connected\n\n');
    this.clients.add(response);
    this.listen();
    response.on('close', () => this.remove(response));
  }

  get size(): number {
    return this.clients.size;
  }

  /** Ends every client's stream and stops listening (server shutdown). */
  close(): void {
    for (const client of this.clients) {
      this.remove(client);
      client.end();
    }
  }

  private listen(): void {
    if (this.listening) return;
    const send = (event: LiveEvent | AdminEvent) =>
      this.broadcast(Buffer.from(`event: ${event.type}\ndata: ${render(event)}\n\n`));
    const heartbeat = setInterval(() => this.broadcast(Buffer.from(': heartbeat\n\n')), this.heartbeatMs);
    heartbeat.unref();
    this.listening = { unsubscribe: [this.live.subscribe(send), this.admin.subscribe(send)], heartbeat };
  }

  private remove(client: ServerResponse): void {
    this.clients.delete(client);
    if (this.clients.size > 0 || !this.listening) return;
    clearInterval(this.listening.heartbeat);
    for (const unsubscribe of this.listening.unsubscribe) unsubscribe();
    this.listening = undefined;
  }

  private broadcast(chunk: Buffer): void {
    for (const client of this.clients) {
      if (client.writableLength + chunk.length > this.maxBufferedBytes) {
        this.remove(client);
        client.destroy();
        continue;
      }
      client.write(chunk);
    }
  }
}

/** The event as JSON on one line (the `data:` field). */
function render(event: LiveEvent | AdminEvent): string {
  const data: Static<typeof StreamEventView> =
    event.type === 'ledger.transfer' ? { ...event, transfer: renderTransfer(event.transfer) } : event;
  return JSON.stringify(data);
}
