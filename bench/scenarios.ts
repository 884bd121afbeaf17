import type { Request } from 'autocannon';
import { srv, TencentClient } from '../test/support/tencent.js';

/** One load scenario: prepares its data over HTTP, then names the request(s) autocannon sends. */
export interface Scenario {
  name: string;
  /** What the figure means, for the report. */
  description: string;
  prepare(client: TencentClient): Promise<Request[]>;
}

const json = { 'content-type': 'application/json' };

function tencentRequest(client: TencentClient, path: string, body: unknown | (() => unknown)): Request {
  const request: Request = { method: 'POST', path: `/v4/${path}?${client.queryFor()}`, headers: json };
  if (typeof body === 'function') {
    request.setupRequest = (req) => ({ ...req, body: JSON.stringify((body as () => unknown)()) });
  } else {
    request.body = JSON.stringify(body);
  }
  return request;
}

export const bare: Scenario = {
  name: 'bare route',
  description: 'GET /healthz: routing and JSON, no auth, no database (the baseline)',
  prepare: async () => [{ method: 'GET', path: '/healthz' }],
};

export const roomScenarios: Scenario[] = [
  {
    name: 'get_room_info',
    description: 'UserSig check + one indexed read',
    async prepare(client) {
      await client.ok(srv('create_room'), { RoomInfo: { RoomId: 'bench-read', RoomType: 'Live' } });
      return [tencentRequest(client, srv('get_room_info'), { RoomId: 'bench-read' })];
    },
  },
  {
    name: 'create_room',
    description: 'a new room per request (one insert)',
    async prepare(client) {
      let n = 0;
      const run = `${process.pid}-${Date.now()}`;
      return [
        tencentRequest(client, srv('create_room'), () => ({
          RoomInfo: { RoomId: `bench-${run}-${n++}`, RoomType: 'Live' },
        })),
      ];
    },
  },
  {
    name: 'set_room_metadata',
    description: 'upsert one key (transaction: room row lock, upsert, limit check)',
    async prepare(client) {
      await client.ok(srv('create_room'), { RoomInfo: { RoomId: 'bench-meta', RoomType: 'Live' } });
      let n = 0;
      return [
        tencentRequest(client, srv('set_room_metadata'), () => ({
          RoomId: 'bench-meta',
          Metadata: [{ Key: `k${n++ % 8}`, Value: String(n) }],
        })),
      ];
    },
  },
];
