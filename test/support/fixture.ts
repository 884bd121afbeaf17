import type { Ringside } from '../../src/app.js';
import type { Backend, TestDatabase } from './backends.js';
import { type ChildServer, spawnServer, startServer, type TestServer } from './servers.js';
import { otherApp, TencentClient, type TestTencentApp, testApp } from './tencent.js';

export interface TencentFixture {
  server: TestServer & { ringside: Ringside };
  database: TestDatabase;
  /** Admin client of `testApp`. */
  client: TencentClient;
  /** Admin client of `otherApp`, a second tenant on the same server. */
  other: TencentClient;
  close(): Promise<void>;
}

/** A fresh database on `backend` and an in-process server with two Tencent apps on it. */
export async function tencentFixture(
  backend: Backend,
  options: { apps?: TestTencentApp[]; config?: Record<string, unknown> } = {},
): Promise<TencentFixture> {
  const apps = options.apps ?? [testApp, otherApp];
  const database = await backend.create();
  const tencent = { ...(options.config?.tencent as object | undefined), apps };
  const server = await startServer({ ...options.config, storage: database.storage, tencent });
  return {
    server,
    database,
    client: new TencentClient(server.url, apps[0]!),
    other: new TencentClient(server.url, apps[1] ?? otherApp),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

let counter = 0;
/** A room id unique within this test process. */
export function uniqueRoomId(prefix = 'room'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** Two server processes (`ringside serve`) on one fresh database, with a Tencent client each. */
export interface TwoProcessFixture {
  database: TestDatabase;
  servers: ChildServer[];
  a: TencentClient;
  b: TencentClient;
  close(): Promise<void>;
}

/** Starts both processes at once (so they also migrate the new database at once). */
export async function twoProcessFixture(backend: Backend, app: TestTencentApp): Promise<TwoProcessFixture> {
  const database = await backend.create();
  const fileConfig = { storage: database.storage, tencent: { apps: [app] } };
  const servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
  return {
    database,
    servers,
    a: new TencentClient(servers[0]!.url, app),
    b: new TencentClient(servers[1]!.url, app),
    async close() {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    },
  };
}
