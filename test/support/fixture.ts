import type { Backend, TestDatabase } from './backends.js';
import { startServer, type TestServer } from './servers.js';
import { otherApp, TencentClient, type TestTencentApp, testApp } from './tencent.js';

export interface TencentFixture {
  server: TestServer;
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
