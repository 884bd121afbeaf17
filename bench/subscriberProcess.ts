import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../test/support/servers.js';

/** The live subscribers' process (bench/liveSubscribers.ts), seen from the bench. */
export interface LiveSubscribers {
  subscribe(rooms: string[]): Promise<void>;
  unsubscribe(rooms: string[]): Promise<void>;
  /** BattleScoreChanged events received over all connections since the last call. */
  takeEventCount(): Promise<number>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 60_000;

/** Forks the subscriber process and resolves once its `count` connections are Ready. */
export async function startLiveSubscribers(
  url: string,
  app: { sdkAppId: number; secretKey: string },
  count: number,
): Promise<LiveSubscribers> {
  const child = fork(join(repoRoot, 'bench/liveSubscribers.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LIVE_SUBSCRIBERS_CONFIG: JSON.stringify({ url, app, count, timeoutMs: TIMEOUT_MS }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await reply(child, 'ready');
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    async subscribe(rooms) {
      child.send({ type: 'subscribe', rooms });
      await reply(child, 'subscribed');
    },
    async unsubscribe(rooms) {
      child.send({ type: 'unsubscribe', rooms });
      await reply(child, 'unsubscribed');
    },
    async takeEventCount() {
      child.send({ type: 'count' });
      return ((await reply(child, 'count')) as { events: number }).events;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.send({ type: 'close' });
      await exited;
    },
  };
}

/** The child's next message, which must be of type `expected`. */
function reply(child: ChildProcess, expected: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => settle(new Error(`live subscribers: no '${expected}' within ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
    const onMessage = (message: Record<string, unknown>) =>
      settle(
        message.type === expected
          ? undefined
          : new Error(
              `live subscribers: ${String(message.message ?? `'${String(message.type)}' instead of '${expected}'`)}`,
            ),
        message,
      );
    const onExit = (code: number | null) => settle(new Error(`live subscribers exited (${code})`));
    function settle(error: Error | undefined, message?: Record<string, unknown>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
