/**
 * The bench's live subscribers, in a process of their own (forked by bench/run.ts), so that
 * receiving their events does not slow down the load generator. It opens
 * LIVE_SUBSCRIBERS_CONFIG's `count` WebSockets to `/v4/live_events`, each as its own user
 * (`viewer_<i>`, with a UserSig), and then obeys the parent over IPC:
 *
 * - `{ type: 'subscribe', rooms }` / `{ type: 'unsubscribe', rooms }`: every connection sends
 *   the action; the reply (`subscribed` / `unsubscribed`) comes once every connection has
 *   answered `Subscribed`.
 * - `{ type: 'count' }`: replies `{ type: 'count', events }`, the BattleScoreChanged events
 *   received since the last count, over all connections.
 * - `{ type: 'close' }`: closes every connection and exits.
 *
 * It reports `{ type: 'ready', connected }` once every connection has said `Ready`, and
 * `{ type: 'failed', message }` (then exits) if anything goes wrong or takes longer than
 * `timeoutMs`. It exits when the parent goes away.
 */
import WebSocket from 'ws';
import { officialUserSig } from '../test/support/tencent.js';

interface Config {
  url: string;
  app: { sdkAppId: number; secretKey: string };
  count: number;
  timeoutMs: number;
}

type Command = { type: 'subscribe' | 'unsubscribe'; rooms: string[] } | { type: 'count' } | { type: 'close' };

const scoreEventPrefix = Buffer.from('{"Event":"BattleScoreChanged"');
const config = JSON.parse(process.env.LIVE_SUBSCRIBERS_CONFIG ?? '') as Config;
const sockets: WebSocket[] = [];
let events = 0;
/** Connections still to answer the current Subscribe/Unsubscribe, and who to tell when none are left. */
let awaiting = 0;
let onAllAnswered: (() => void) | undefined;

function report(message: Record<string, unknown>): void {
  process.send!(message);
}

function fail(message: string): never {
  report({ type: 'failed', message });
  process.exit(1);
}

/** Resolves with the socket once it has said Ready. */
function connect(identifier: string): Promise<WebSocket> {
  const { url, app } = config;
  const sig = officialUserSig(app, identifier, 86_400);
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/v4/live_events?sdkappid=${app.sdkAppId}&identifier=${identifier}&usersig=${sig}`,
  );
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`${identifier}: closed (${code}) before Ready`)));
    socket.on('message', (data: Buffer) => {
      // Events are most of the traffic, and this process shares the CPU with the server: count
      // them without parsing.
      if (data.subarray(0, scoreEventPrefix.length).equals(scoreEventPrefix)) return void (events += 1);
      const message = JSON.parse(data.toString()) as { Event: string; ErrorInfo?: string };
      switch (message.Event) {
        case 'Ready':
          socket.removeAllListeners('close');
          socket.on('close', () => fail(`${identifier}: the server closed the connection`));
          return resolve(socket);
        case 'Subscribed':
          if (--awaiting === 0) onAllAnswered?.();
          return;
        case 'Error':
          return fail(`${identifier}: ${message.ErrorInfo}`);
      }
    });
  });
}

/** Sends the action on every connection and resolves once all have answered. */
function everyone(action: 'Subscribe' | 'Unsubscribe', rooms: string[]): Promise<void> {
  awaiting = sockets.length;
  const answered = new Promise<void>((resolve) => (onAllAnswered = resolve));
  const text = JSON.stringify({ Action: action, RoomIdList: rooms });
  for (const socket of sockets) socket.send(text);
  return answered;
}

async function main(): Promise<void> {
  const timer = setTimeout(() => fail(`not done within ${config.timeoutMs} ms`), config.timeoutMs);
  // 50 at a time: a burst of 1,000 handshakes would overflow the server's accept backlog.
  for (let i = 0; i < config.count; i += 50) {
    const batch = Array.from({ length: Math.min(50, config.count - i) }, (_, j) => connect(`viewer_${i + j}`));
    sockets.push(...(await Promise.all(batch)));
  }
  clearTimeout(timer);
  report({ type: 'ready', connected: sockets.length });
}

process.on('disconnect', () => process.exit(0));
process.on('message', (command: Command) => {
  switch (command.type) {
    case 'subscribe':
    case 'unsubscribe': {
      const timer = setTimeout(() => fail(`${command.type} not answered in time`), config.timeoutMs);
      void everyone(command.type === 'subscribe' ? 'Subscribe' : 'Unsubscribe', command.rooms).then(() => {
        clearTimeout(timer);
        report({ type: `${command.type}d` });
      });
      return;
    }
    case 'count':
      report({ type: 'count', events });
      events = 0;
      return;
    case 'close':
      for (const socket of sockets) {
        socket.removeAllListeners('close');
        socket.terminate();
      }
      process.exit(0);
  }
});
main().catch((error: unknown) => fail(String(error)));
