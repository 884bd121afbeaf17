import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
  /** What the receiver answered. */
  answeredStatus: number;
  answeredBody: string;
  at: number;
}

export interface ReceiverOptions {
  /** The port to listen on (default: a free one), e.g. a down receiver's coming back. */
  port?: number;
  /** Milliseconds to wait before answering (default 0). */
  delayMs?: () => number;
  /** Decides each answer: status and body. Default 200 with `{"ActionStatus":"OK","ErrorCode":0}`. */
  answer?: (
    request: Omit<ReceivedRequest, 'answeredStatus' | 'answeredBody'>,
    index: number,
  ) => { status: number; body: string };
}

/** The Tencent callback command a request carries in its query (`CallbackCommand`). */
export const callbackCommand = (r: { url: URL }) => r.url.searchParams.get('CallbackCommand');

/**
 * A webhook receiver on 127.0.0.1 that records every request it gets (including the ones it
 * answers with a failure), for callback and webhook tests.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];

  private constructor(options: ReceiverOptions) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const received = {
          method: req.method ?? '',
          url: new URL(req.url ?? '/', 'http://127.0.0.1'),
          headers: req.headers,
          body,
          json,
          at: Date.now(),
        };
        const answer = options.answer?.(received, this.requests.length) ?? {
          status: 200,
          body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
        };
        const reply = () => {
          this.requests.push({ ...received, answeredStatus: answer.status, answeredBody: answer.body });
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
          for (const wake of this.waiters.splice(0)) wake();
        };
        const delay = options.delayMs?.() ?? 0;
        if (delay > 0) setTimeout(reply, delay);
        else reply();
      });
    });
  }

  static async start(options: ReceiverOptions = {}): Promise<Receiver> {
    const receiver = new Receiver(options);
    await new Promise<void>((resolve) => receiver.server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the recorded requests once `predicate` holds for them (or fails after `timeoutMs`). */
  async waitFor(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.requests)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `receiver: condition not met in ${timeoutMs} ms; got ${this.requests.length} requests:\n${this.requests.map((r) => `${r.answeredStatus} ${r.body}`).join('\n')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests;
  }

  /** Requests the sender will count as delivered: HTTP 200 with a JSON reply. */
  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.answeredStatus === 200 && isJson(r.answeredBody));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
