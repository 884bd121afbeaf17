import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Config } from './config/schema.js';
import { RoomService } from './domain/rooms/roomService.js';
import { type Clock, systemClock } from './platform/clock.js';
import { Jobs } from './platform/jobs.js';
import { loggerOptions } from './platform/logger.js';
import { RateLimiter } from './platform/rateLimiter.js';
import { type Database, openDatabase } from './store/database.js';
import { Store } from './store/store.js';
import { opsSurface } from './surfaces/ops/plugin.js';
import { tencentSurface } from './surfaces/tencent/plugin.js';

export interface Ringside {
  http: FastifyInstance;
  database: Database;
  /** Stops background jobs, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
}

/** Builds the whole server from config: database (migrated), services, surfaces and jobs. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Ringside> {
  const clock = options.clock ?? systemClock;
  const http = Fastify({
    logger: loggerOptions(config.server.logLevel),
    // Request URLs carry credentials and per-request lines cost throughput: log errors only.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const database = await openDatabase(config.storage, (error) => http.log.error({ err: error }, 'database pool error'));
  const store = Store.over(database);
  const rateLimiter = new RateLimiter(store.rateLimits, clock);
  const rooms = new RoomService(store, clock);

  const jobs = new Jobs((job, error) => http.log.error({ err: error, job }, 'background job failed'));
  jobs.every('rate-limit-prune', 60_000, () => rateLimiter.prune());

  await http.register(opsSurface, { ping: database.ping });
  await http.register(tencentSurface, {
    prefix: '/v4',
    apps: config.tencent.apps,
    services: { rooms },
    rateLimiter,
    clock,
  });

  // While shutting down, replies ask keep-alive clients to go, so in-flight requests finish
  // and their connections close instead of lingering until the keep-alive timeout.
  let closing: Promise<void> | undefined;
  http.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  return {
    http,
    database,
    close() {
      closing ??= (async () => {
        await jobs.stop();
        await http.close();
        await database.close();
      })();
      return closing;
    },
  };
}
