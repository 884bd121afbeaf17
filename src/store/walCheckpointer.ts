import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code: a connection of its own that copies the WAL back into the database file
 * every `intervalMs`. PASSIVE never waits for the serving connection (and gives up at once
 * when another checkpoint is running: busy_timeout 0); it reports any other failure.
 * CommonJS, run with `eval`, so it needs no loader or build step of its own.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    if (error.code !== 'SQLITE_BUSY') parentPort.postMessage(String(error.message));
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints an SQLite database in WAL mode from a worker thread, so that the event loop never
 * waits for one: a checkpoint copies pages and syncs two files, and run by the serving
 * connection (SQLite's automatic checkpoint, every 1,000 pages) it took a tenth of a busy
 * server's time and stalled every request for milliseconds at a time. The serving connection
 * keeps its automatic checkpoint at a larger size as a backstop: the WAL only starts over when
 * a checkpoint has caught up with every write, which under constant writes the worker may not.
 */
export class WalCheckpointer {
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  static start(path: string, intervalMs: number, onError: (error: Error) => void): WalCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(workerSource, { eval: true, workerData: { driver, path, intervalMs } });
    worker.on('message', (message: string) => onError(new Error(`WAL checkpoint failed: ${message}`)));
    worker.on('error', onError);
    worker.unref(); // never what keeps the process alive
    return new WalCheckpointer(worker);
  }

  async stop(): Promise<void> {
    this.worker.ref(); // now the process waits for it to close its connection
    this.worker.postMessage('stop');
    await this.exited;
  }
}
