import type { Request } from 'autocannon';
import type { AdminClient } from '../test/support/admin.js';
import { eventParams, gameA, type JdbClient, jdbAgent } from '../test/support/jdb.js';
import type { GameClient } from '../test/support/oklp.js';
import type { Receiver } from '../test/support/receiver.js';
import { pk, srv, type TencentClient } from '../test/support/tencent.js';
import type { PacedRequest } from './paced.js';
import { startLiveSubscribers } from './subscriberProcess.js';

/** What a scenario prepares its data with and drives: a client per surface, and the JDB wallet. */
export interface BenchClients {
  tencent: TencentClient;
  admin: AdminClient;
  game: GameClient;
  jdb: JdbClient;
  wallet: Receiver;
}

/** How many requests a counted run makes: its warm-up, then the measured part. */
export interface RequestCounts {
  warmup: number;
  measured: number;
}

/** A load scenario: prepares its data over HTTP, then names the request(s) autocannon sends. */
export interface LoadScenario {
  kind: 'load';
  name: string;
  /** What the figure means, for the report. */
  description: string;
  /**
   * For scenarios whose every request uses up prepared data (a match settles once): the run
   * makes this many requests instead of running for a time, and its figure is 2xx replies per
   * second.
   */
  counts?(timing: { warmupSeconds: number; durationSeconds: number }): RequestCounts;
  prepare(clients: BenchClients, counts: RequestCounts | undefined): Promise<Request[]>;
}

/** A timed scenario: one piece of work (a big request, a flow), timed end to end, a few runs. */
export interface TimedScenario {
  kind: 'timed';
  name: string;
  description: string;
  /** The target, for the report. */
  target: string;
  /** Untimed set-up, once. */
  prepare(clients: BenchClients): Promise<void>;
  /** The timed work; resolves when it is done (and checked). */
  run(clients: BenchClients, round: number): Promise<void>;
}

/**
 * A paced scenario: one request at a fixed rate, measured in turns without and with a
 * condition under test (say, live subscribers of what the request changes).
 */
export interface PacedScenario {
  kind: 'paced';
  name: string;
  description: string;
  /** Requests per second. */
  rate: number;
  /** The condition, for the report ("1000 live subscribers"). */
  condition: string;
  prepare(clients: BenchClients): Promise<PacedSetup>;
}

export interface PacedSetup {
  request: PacedRequest;
  /** Turns the condition on and off between slices. */
  on(): Promise<void>;
  off(): Promise<void>;
  /** Live events the subscribers received since the last call. */
  takeEventCount(): Promise<number>;
  close(): Promise<void>;
}

export type Scenario = LoadScenario | TimedScenario | PacedScenario;

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

/** Creates rooms `<prefix>-0` … `<prefix>-<count − 1>`, 64 at a time, and returns their ids. */
async function createBenchRooms(client: TencentClient, prefix: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await inBatches(ids, (id) => client.ok(srv('create_room'), { RoomInfo: { RoomId: id, RoomType: 'Live' } }));
  return ids;
}

export const bare: LoadScenario = {
  kind: 'load',
  name: 'bare route',
  description: 'GET /healthz: routing and JSON, no auth, no database (the baseline)',
  prepare: async () => [{ method: 'GET', path: '/healthz' }],
};

/** The bench's OkLetsPlay game (poll flow: no webhook to wait for). */
export const benchGame = {
  clientId: 'bench-game',
  clientSecret: 'bench-game-secret-0123456789',
  flow: 'poll' as const,
};

/**
 * Matches per second the `/finish` scenario prepares for (BENCH_FINISH_RATE). Its runs are
 * counted (this × the seconds), and the figure is settled matches over the run's wall time, so
 * it does not cap the figure: at 2,500/s the default's 9,000 measured settlements last 3.6 s.
 * Preparing them is most of the scenario's time (about 3 minutes on PostgreSQL on the loaded VM).
 */
const finishRate = Number(process.env.BENCH_FINISH_RATE ?? 1500);
const FINISH_PLAYERS = 512;
const FINISH_ENTRY_FEE = 100;

interface FundedMatch {
  matchId: string;
  home: string;
  away: string;
}

/** Creates `count` funded 1-v-1 matches over a pool of players. */
async function createFundedMatches(admin: AdminClient, count: number): Promise<FundedMatch[]> {
  const players = Array.from({ length: FINISH_PLAYERS }, (_, i) => `bench-player-${i}`);
  const matchesPerPlayer = Math.ceil((2 * count) / FINISH_PLAYERS);
  await inBatches(players, (userId) =>
    admin.ok('POST', '/ledger/deposits', {
      userId,
      amount: matchesPerPlayer * FINISH_ENTRY_FEE,
      currency: 'USD',
      idempotencyKey: `bench-${userId}-${Date.now()}`,
    }),
  );
  const matches: FundedMatch[] = [];
  await inBatches(
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      const home = players[(2 * i) % FINISH_PLAYERS]!;
      const away = players[(2 * i + 1) % FINISH_PLAYERS]!;
      const { match } = await admin.ok('POST', '/oklp/matches', {
        clientId: benchGame.clientId,
        mode: 'sync',
        entryFee: FINISH_ENTRY_FEE,
        currency: 'USD',
        teams: [
          { id: 'home', participants: [{ id: home }] },
          { id: 'away', participants: [{ id: away }] },
        ],
      });
      matches.push({ matchId: match.matchId, home, away });
    },
  );
  return matches;
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<unknown>, size = 64): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

export const scenarios: Scenario[] = [
  {
    kind: 'load',
    name: 'set_battle_score',
    description: 'OpType 1, two rooms: one conditional UPDATE … RETURNING of the battle rows',
    async prepare({ tencent: client }) {
      const [from, to] = await createBenchRooms(client, 'score', 2);
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
    async prepare({ tencent: client }) {
      const [from, to] = await createBenchRooms(client, 'info', 2);
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
      'two rooms, 1 s battles over a pool of 15,000 room pairs, each with a battle from the preparation (each create also ends the expired battle of its pair)',
    async prepare({ tencent: client }) {
      // Enough pairs that none comes round again within its 1 s battle at 5,000 creates/s and more.
      const pairs = 15_000;
      const rooms = await createBenchRooms(client, 'create', pairs * 2);
      // One battle per pair first, so that every measured create ends one (the steady state),
      // and the tables hold what they hold in it when the bench analyzes them.
      const firstPairs = Array.from({ length: pairs }, (_, pair) => pair);
      await inBatches(firstPairs, (pair) =>
        client.ok(pk('create_battle'), {
          FromRoomId: rooms[2 * pair],
          ToRoomIdList: [rooms[2 * pair + 1]],
          Duration: 1000,
        }),
      );
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
    async prepare({ tencent: client }) {
      const [from, to] = await createBenchRooms(client, 'gift', 2);
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
    async prepare({ tencent: client }) {
      const [room] = await createBenchRooms(client, 'read', 1);
      return [tencentRequest(client, srv('get_room_info'), { RoomId: room })];
    },
  },
  {
    kind: 'load',
    name: 'finish',
    description:
      'OkLetsPlay POST /api/game/v1/finish on pre-created, funded 1-v-1 sync matches: each request settles one match (prize and fee out of escrow); the figure is settled matches/s',
    counts: ({ warmupSeconds, durationSeconds }) => ({
      warmup: Math.ceil(finishRate * warmupSeconds),
      measured: Math.ceil(finishRate * durationSeconds),
    }),
    async prepare({ admin, game }, counts) {
      const matches = await createFundedMatches(admin, (counts?.warmup ?? 0) + (counts?.measured ?? 0));
      const headers = { ...json, authorization: `Bearer ${await game.accessToken()}` };
      let next = 0;
      const request: Request = {
        method: 'POST',
        path: '/api/game/v1/finish',
        headers,
        setupRequest: (req) => {
          const { matchId, home, away } = matches[next++ % matches.length]!;
          const body = {
            match_id: matchId,
            participants: [
              { id: home, score: 300 },
              { id: away, score: 100 },
            ],
            teams: [
              { id: 'home', score: 300, ranking: 1 },
              { id: 'away', score: 100, ranking: 2 },
            ],
          };
          return { ...req, body: JSON.stringify(body) };
        },
      };
      return [request];
    },
  },
  ...jdbScenarios(),
  liveFanOut(),
];

/** set_battle_score at a fixed rate, with and without live subscribers of the battle's rooms. */
function liveFanOut(): PacedScenario {
  const rate = Number(process.env.BENCH_LIVE_RATE ?? 200);
  const subscribers = Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 1000);
  return {
    kind: 'paced',
    name: 'live fan-out',
    description: `set_battle_score (OpType 1, two rooms) on one battle at ${rate} req/s, with ${subscribers} live subscribers of both rooms (WebSockets held by a child process) and without`,
    rate,
    condition: `${subscribers} live subscribers`,
    async prepare({ tencent: client }) {
      const rooms = await createBenchRooms(client, 'live', 2);
      const battle = await client.ok(pk('create_battle'), {
        FromRoomId: rooms[0],
        ToRoomIdList: [rooms[1]],
        Duration: 86_400_000,
      });
      const live = await startLiveSubscribers(client.baseUrl, client.app, subscribers);
      return {
        request: {
          path: `/v4/${pk('set_battle_score')}?${client.queryFor()}`,
          body: JSON.stringify({
            BattleId: battle.Response.BattleId,
            OpType: 1,
            ScoreList: rooms.map((RoomId) => ({ RoomId, Score: 1 })),
          }),
          isOk: (reply) => reply.includes('"ErrorCode":0,'),
        },
        on: () => live.subscribe(rooms),
        off: () => live.unsubscribe(rooms),
        takeEventCount: () => live.takeEventCount(),
        close: () => live.close(),
      };
    },
  };
}

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
