import type { Request } from 'autocannon';
import type { AdminClient } from '../test/support/admin.js';
import { eventParams, gameA, type JdbClient, jdbAgent } from '../test/support/jdb.js';
import type { Receiver } from '../test/support/receiver.js';
import { pk, srv, TencentClient } from '../test/support/tencent.js';

/** A load scenario: prepares its data over HTTP, then names the request(s) autocannon sends. */
export interface LoadScenario {
  kind: 'load';
  name: string;
  /** What the figure means, for the report. */
  description: string;
  prepare(client: TencentClient): Promise<Request[]>;
}

/** What a timed scenario can reach: the server's APIs and the JDB agent's wallet. */
export interface BenchTarget {
  admin: AdminClient;
  jdb: JdbClient;
  wallet: Receiver;
}

/** A timed scenario: one piece of work (a big request, a flow), timed end to end, a few runs. */
export interface TimedScenario {
  kind: 'timed';
  name: string;
  description: string;
  /** The target, for the report. */
  target: string;
  /** Untimed set-up, once. */
  prepare(target: BenchTarget): Promise<void>;
  /** The timed work; resolves when it is done (and checked). */
  run(target: BenchTarget, round: number): Promise<void>;
}

export type Scenario = LoadScenario | TimedScenario;

const json = { 'content-type': 'application/json' };

/** Counts replies whose Tencent envelope says FAIL (they are HTTP 200, so autocannon cannot tell). */
export const envelopeFailures = { count: 0, sample: '' };

function tencentRequest(client: TencentClient, path: string, body: unknown | (() => unknown)): Request {
  const request: Request = {
    method: 'POST',
    path: `/v4/${path}?${client.queryFor()}`,
    headers: json,
    onResponse: (_status, reply) => {
      if (!reply.includes('"ErrorCode":0,')) {
        envelopeFailures.count += 1;
        envelopeFailures.sample ||= reply.slice(0, 200);
      }
    },
  };
  if (typeof body === 'function') {
    request.setupRequest = (req) => ({ ...req, body: JSON.stringify((body as () => unknown)()) });
  } else {
    request.body = JSON.stringify(body);
  }
  return request;
}

async function createRooms(client: TencentClient, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < ids.length; i += 64) {
    await Promise.all(
      ids.slice(i, i + 64).map((id) => client.ok(srv('create_room'), { RoomInfo: { RoomId: id, RoomType: 'Live' } })),
    );
  }
  return ids;
}

export const bare: LoadScenario = {
  kind: 'load',
  name: 'bare route',
  description: 'GET /healthz: routing and JSON, no auth, no database (the baseline)',
  prepare: async () => [{ method: 'GET', path: '/healthz' }],
};

export const scenarios: Scenario[] = [
  {
    kind: 'load',
    name: 'set_battle_score',
    description: 'OpType 1, two rooms: one conditional UPDATE … RETURNING of the battle rows',
    async prepare(client) {
      const [from, to] = await createRooms(client, 'score', 2);
      const battle = await client.ok(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [to],
        Duration: 86_400_000,
      });
      const body = {
        BattleId: battle.Response.BattleId,
        OpType: 1,
        ScoreList: [
          { RoomId: from, Score: 1 },
          { RoomId: to, Score: 2 },
        ],
      };
      return [tencentRequest(client, pk('set_battle_score'), body)];
    },
  },
  {
    kind: 'load',
    name: 'get_battle_info',
    description: 'by BattleId: two indexed reads',
    async prepare(client) {
      const [from, to] = await createRooms(client, 'info', 2);
      const battle = await client.ok(pk('create_battle'), {
        FromRoomId: from,
        ToRoomIdList: [to],
        Duration: 86_400_000,
      });
      return [tencentRequest(client, pk('get_battle_info'), { BattleId: battle.Response.BattleId })];
    },
  },
  {
    kind: 'load',
    name: 'create_battle',
    description:
      'two rooms, 1 s battles over a pool of 5000 room pairs (each create also ends the expired battle of its pair)',
    async prepare(client) {
      const pairs = 5000;
      const rooms = await createRooms(client, 'create', pairs * 2);
      let n = 0;
      return [
        tencentRequest(client, pk('create_battle'), () => {
          const pair = n++ % pairs;
          return { FromRoomId: rooms[2 * pair], ToRoomIdList: [rooms[2 * pair + 1]], Duration: 1000 };
        }),
      ];
    },
  },
  {
    kind: 'load',
    name: 'send_gift',
    description: 'a gift into a room in a running battle: totals, sender totals and battle score in one transaction',
    async prepare(client) {
      const [from, to] = await createRooms(client, 'gift', 2);
      await client.ok(pk('create_battle'), { FromRoomId: from, ToRoomIdList: [to], Duration: 86_400_000 });
      await client.ok(srv('add_gift'), { GiftId: 'bench-rose', Coins: 5, DefaultName: 'Rose' });
      let n = 0;
      return [
        tencentRequest(client, srv('send_gift'), () => ({
          RoomId: to,
          GiftId: 'bench-rose',
          Count: 1,
          From_Account: `fan_${n++ % 1000}`,
        })),
      ];
    },
  },
  {
    kind: 'load',
    name: 'get_room_info',
    description: 'one indexed read of a 24-column row',
    async prepare(client) {
      const [room] = await createRooms(client, 'read', 1);
      return [tencentRequest(client, srv('get_room_info'), { RoomId: room })];
    },
  },
  ...jdbScenarios(),
];

function jdbScenarios(): TimedScenario[] {
  const bulkPlayers = Array.from({ length: 50_000 }, (_, i) => `bench_player_${i}`);
  const flows = 200;
  return [
    {
      kind: 'timed',
      name: 'jdb 72 bind 50k',
      description: 'one Action 72 (form POST) creating an event and binding 50,000 existing players',
      target: 'under 1 s on SQLite, under 3 s on PostgreSQL',
      async prepare({ admin }) {
        await admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: bulkPlayers });
      },
      async run({ jdb }) {
        const data = await jdb.ok(72, eventParams(Date.now(), { players: bulkPlayers }), { transport: 'form' });
        if (data.notExistedPlayers.length > 0) throw new Error('players were missing');
      },
    },
    {
      kind: 'timed',
      name: 'jdb 72 + spin + payout',
      description: `${flows} flows, 8 at a time: Action 72 for one auto-created player (1 spin), the spin, and its Action 16 payout answered "0000"`,
      target: 'none (reported per flow)',
      async prepare() {},
      async run({ admin, jdb, wallet }, round) {
        const paidBefore = wallet.requests.length;
        let next = 0;
        const flow = async () => {
          while (next < flows) {
            const uid = `flow_${round}_${next++}`;
            const params = eventParams(Date.now(), { players: [uid], autoCreatePlayerEnabled: true, times: 1 });
            const { eventId } = await jdb.ok(72, params);
            const spin = await admin.request('POST', '/jdb/spins', {
              parent: jdbAgent.parent,
              uid,
              eventId,
              mType: gameA.mType,
              win: '5',
            });
            if (spin.status !== 200) throw new Error(`spin failed: ${JSON.stringify(spin.body)}`);
          }
        };
        await Promise.all(Array.from({ length: 8 }, flow));
        await wallet.waitFor((all) => all.length - paidBefore >= flows, 60_000);
      },
    },
  ];
}
