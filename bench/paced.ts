import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A POST the paced load sends again and again. */
export interface PacedRequest {
  path: string;
  body: string;
  /** Whether a 200 reply's body is a success (a Tencent envelope can say FAIL with HTTP 200). */
  isOk(reply: string): boolean;
}

export interface PacedRun {
  sent: number;
  /** From the first request sent to the last reply. */
  seconds: number;
  /** Per answered request, from its sending to the end of its reply. */
  latenciesMs: number[];
  errors: number;
  errorSample: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A fixed request rate over keep-alive connections: each request goes out on time whether or
 * not the earlier ones have been answered (an open loop, unlike autocannon's connections that
 * wait for their reply), so a slow reply shows in the latency instead of lowering the rate.
 */
export class PacedLoad {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly url: string) {}

  async run(request: PacedRequest, rate: number, seconds: number): Promise<PacedRun> {
    const total = Math.round(rate * seconds);
    const run: PacedRun = { sent: 0, seconds: 0, latenciesMs: [], errors: 0, errorSample: '' };
    const replies: Array<Promise<void>> = [];
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      replies.push(this.send(request, run));
    }
    await Promise.all(replies);
    run.seconds = (performance.now() - started) / 1000;
    return run;
  }

  close(): void {
    this.agent.destroy();
  }

  private send(request: PacedRequest, run: PacedRun): Promise<void> {
    run.sent += 1;
    const sentAt = performance.now();
    const failed = (why: string) => {
      run.errors += 1;
      run.errorSample ||= why;
    };
    return new Promise((resolve) => {
      const req = http.request(
        `${this.url}${request.path}`,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            if (res.statusCode === 200 && request.isOk(text)) run.latenciesMs.push(performance.now() - sentAt);
            else failed(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
            resolve();
          });
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (error) => {
        failed(error.message);
        resolve();
      });
      req.end(request.body);
    });
  }
}

/** The p-th percentile (0–100) of some values, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
