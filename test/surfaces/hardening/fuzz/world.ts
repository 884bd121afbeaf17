import { ADMIN_TOKEN, AdminClient } from '../../../support/admin.js';
import type { Backend, TestDatabase } from '../../../support/backends.js';
import { eventParams, gameA, JdbClient, jdbAgent, jdbTime, otherJdbAgent, testGames } from '../../../support/jdb.js';
import { createMatch, GameClient, otherGame, pollGame, REALM } from '../../../support/oklp.js';
import { Receiver } from '../../../support/receiver.js';
import { startServer, type TestServer } from '../../../support/servers.js';
import { liveConfig, otherApp, pk, srv, TencentClient, testApp } from '../../../support/tencent.js';
import { waitUntil } from '../../../support/wait.js';
import type { Json } from './mutations.js';

/**
 * The fuzz test's world: one server with every surface on, and data seeded through the real
 * APIs. Ids are fixed (each backend gets a fresh database), so a seed makes the same requests
 * every time. "Spare" entities are the targets of the destructive requests (destroy, end,
 * delete, terminate, forfeit, abort), so those leave the main entities to the other requests.
 */

export const ids = {
  rooms: { a: 'fz-room-a', b: 'fz-room-b', c: 'fz-room-c', spare: 'fz-room-spare', pk1: 'fz-pk-1', pk2: 'fz-pk-2' },
  metadataKeys: ['k1', 'k2', 'k3'],
  gifts: { rose: 'fz-rose', spare: 'fz-gift-spare', tulip: 'fz-tulip', adminSpare: 'fz-gift-spare-2' },
  categories: { main: 'fz-cat', spare: 'fz-cat-spare', adminSpare: 'fz-cat-spare-2' },
  players: ['fzp1', 'fzp2', 'fzp3'],
  /** A player with two spent events: two spins, two cashouts, two payouts (to a wallet that never answers). */
  payoutPlayer: 'fzp-paid',
  users: ['fz-u1', 'fz-u2', 'fz-u3', 'fz-u4'],
  callbackToken: 'fz-callback-token',
} as const;

/** The callbacks the app asks for over `live_config` (to the world's own receiver). */
export const callbackCommands = ['Live.CallbackAfterCreateRoom', 'Live.CallbackAfterDestroyRoom'];

/** The admin API's listings the templates page through, each with a `nextCursor` of a page of one. */
export type Listing =
  | 'apps'
  | 'agents'
  | 'games'
  | 'clients'
  | 'rooms'
  | 'battles'
  | 'gifts'
  | 'categories'
  | 'events'
  | 'eventPlayers'
  | 'grants'
  | 'spins'
  | 'matches'
  | 'accounts'
  | 'transfers'
  | 'deliveries'
  | 'payouts'
  | 'audit';

export interface Seeded {
  battle: string;
  spareBattle: string;
  /** JDB events: bound to players, spare ones to terminate and unbind, one not started yet to update. */
  events: {
    main: string | number;
    terminate: string | number;
    /** Terminated through the admin API (POST …/events/{eventId}/terminate). */
    adminTerminate: string | number;
    unbind: string | number;
    future: string | number;
    /** Over for the payout player: one spin used, its cashout paid (pending: the wallet never answers). */
    paid: string | number;
  };
  /** The window Action 76 lists in, around every seeded event. */
  listWindow: { startTime: string; endTime: string };
  /** Live matches: ones to finish, one to forfeit in, one to abort. */
  matches: { finish: string[]; forfeit: string; abort: string };
  matchToken: string;
  /** When seeding began (epoch ms): the admin listings' time ranges start here. */
  startedAt: number;
  /** The ledger account of the first user (`ids.users[0]`), in USD. */
  accountId: string;
  /** The actor the admin token is recorded as in the audit log. */
  auditActor: string;
  /** Deliveries: a Tencent callback delivered to the receiver (to replay), and a payout still pending (to retry). */
  deliveries: { delivered: string; payout: string };
  cursors: Record<Listing, string>;
}

export interface World {
  server: TestServer;
  tencent: TencentClient;
  jdb: JdbClient;
  admin: AdminClient;
  game: GameClient;
  other: GameClient;
  /** Where the app's callbacks go (set over `live_config`), and admin test callbacks with them. */
  receiver: Receiver;
  seeded: Seeded;
  close(): Promise<void>;
}

export async function startWorld(backend: Backend): Promise<World> {
  const database: TestDatabase = await backend.create();
  const receiver = await Receiver.start();
  // Nothing listens on port 9: payouts stay pending, retried on their schedule.
  const agent = { ...jdbAgent, walletUrl: 'http://127.0.0.1:9/jdb' };
  const server = await startServer({
    storage: database.storage,
    admin: { tokens: [ADMIN_TOKEN] },
    // No rate limits (the test apps and agents turn them off): every refusal is about the request.
    // Room for the gifts the fuzz adds, so adding one is refused for the request, not the limit.
    // The second app's catalog is empty, for the admin API's default catalog.
    tencent: { apps: [{ ...testApp, limits: { ...testApp.limits, gifts: 500 } }, otherApp] },
    jdb: { agents: [agent, { ...otherJdbAgent, walletUrl: agent.walletUrl }], games: testGames },
    oklp: { realm: REALM, clients: [pollGame, otherGame] },
  });
  const world = {
    server,
    receiver,
    tencent: new TencentClient(server.url, testApp),
    jdb: new JdbClient(server.url, agent),
    admin: new AdminClient(server.url, ADMIN_TOKEN),
    game: new GameClient(server.url, pollGame),
    other: new GameClient(server.url, otherGame),
    async close() {
      await server.close();
      await receiver.close();
      await database.drop();
    },
  };
  try {
    return { ...world, seeded: await seed(world) };
  } catch (error) {
    await world.close();
    throw error;
  }
}

async function seed(world: Omit<World, 'seeded' | 'close'>): Promise<Seeded> {
  const { tencent, jdb, admin } = world;
  const { rooms, gifts, categories } = ids;
  const startedAt = Date.now();
  // Before the rooms, so their callbacks are deliveries to the receiver (delivered, to replay).
  await tencent.ok(liveConfig('set_callback'), {
    Url: `${world.receiver.url}/tencent`,
    CallbackCommandList: callbackCommands,
  });
  await tencent.ok(liveConfig('set_callback_token'), { Token: ids.callbackToken, IsTokenEnable: true });
  for (const [i, roomId] of Object.values(rooms).entries()) {
    await tencent.ok(srv('create_room'), {
      RoomInfo: { RoomId: roomId, RoomType: 'Live', Owner_Account: `owner-${i}`, RoomName: `Room ${i}` },
    });
  }
  await tencent.ok(srv('set_room_metadata'), {
    RoomId: rooms.a,
    Metadata: ids.metadataKeys.map((Key) => ({ Key, Value: `value of ${Key}` })),
  });
  const battle = await tencent.ok(pk('create_battle'), {
    FromRoomId: rooms.a,
    ToRoomIdList: [rooms.b],
    Duration: 3_600_000,
  });
  const spareBattle = await tencent.ok(pk('create_battle'), {
    FromRoomId: rooms.pk1,
    ToRoomIdList: [rooms.pk2],
    Duration: 3_600_000,
  });
  for (const [giftId, coins] of [
    [gifts.rose, 5],
    [gifts.spare, 1],
    [gifts.tulip, 2],
    [gifts.adminSpare, 1],
  ] as const) {
    await tencent.ok(srv('add_gift'), { GiftId: giftId, Coins: coins, DefaultName: giftId, ExtensionInfo: '{}' });
  }
  for (const categoryId of Object.values(categories)) {
    await tencent.ok(srv('add_gift_category'), { CategoryId: categoryId, DefaultName: categoryId });
  }
  await tencent.ok(srv('add_gift_category_relations'), { CategoryId: categories.main, GiftIdList: [gifts.rose] });
  await tencent.ok(srv('set_gift_language'), { GiftId: gifts.rose, Language: 'en', Name: 'Rose', Desc: 'A rose' });
  await tencent.ok(srv('set_gift_language'), { GiftId: gifts.spare, Language: 'en', Name: 'Spare' });
  await tencent.ok(srv('set_gift_language'), { GiftId: gifts.adminSpare, Language: 'en', Name: 'Spare 2' });
  await tencent.ok(srv('set_gift_category_language'), {
    CategoryId: categories.main,
    Language: 'en',
    CategoryName: 'Flowers',
  });
  await tencent.ok(srv('set_gift_category_language'), {
    CategoryId: categories.spare,
    Language: 'zh-Hans',
    CategoryName: 'Spare',
  });
  await tencent.ok(srv('send_gift'), { RoomId: rooms.a, GiftId: gifts.rose, Count: 3, From_Account: 'fan_1' });

  await admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: ids.players });
  await admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [ids.payoutPlayer] });
  const now = Date.now();
  const event = async (overrides: Record<string, unknown>) =>
    (await jdb.ok(72, eventParams(now, { players: ids.players.slice(0, 2), ...overrides }))).eventId as string | number;
  const seededEvents = {
    main: await event({ name: 'Main event' }),
    terminate: await event({ name: 'To terminate' }),
    adminTerminate: await event({ name: 'To terminate (admin)' }),
    unbind: await event({ name: 'To unbind' }),
    future: await event({
      name: 'Not started',
      startTime: jdbTime(now + 3_600_000),
      endTime: jdbTime(now + 7_200_000),
    }),
  };
  // One spin each of two one-spin events: each is the player's last, so each fixes a cashout paid by Action 16.
  const paid: Array<string | number> = [];
  for (const name of ['Paid 1', 'Paid 2']) {
    const eventId = await event({ name, players: [ids.payoutPlayer], times: 1 });
    await admin.ok('POST', '/jdb/spins', {
      parent: jdbAgent.parent,
      uid: ids.payoutPlayer,
      eventId,
      mType: gameA.mType,
      win: '2.5',
      spinId: `fz-paid-${paid.length}`,
    });
    paid.push(eventId);
  }
  const events = { ...seededEvents, paid: paid[0]! };

  for (const userId of ids.users) {
    await admin.ok('POST', '/ledger/deposits', {
      userId,
      amount: 10_000,
      currency: 'USD',
      idempotencyKey: `fz-seed-${userId}`,
    });
  }
  const [u1, u2, u3, u4] = ids.users;
  const match = (teams: string[][]) => createMatch(admin, { clientId: pollGame.clientId, teams, entryFee: 100 }, 0);
  const matches = {
    finish: [await match([[u1], [u2]]), await match([[u1], [u2]]), await match([[u3], [u4]])],
    forfeit: await match([
      [u1, u2],
      [u3, u4],
    ]),
    abort: await match([[u3], [u4]]),
  };
  const issued = await admin.ok('POST', `/oklp/matches/${matches.finish[0]}/tokens`, { userId: u1 });

  const delivered = await waitUntil(async () => {
    const listed = await admin.ok('GET', '/deliveries?status=delivered&topic=room.created&limit=1');
    return listed.deliveries[0]?.id as string | undefined;
  }, 'a room callback delivered to the receiver');
  const payout = (await admin.ok('GET', '/jdb/payouts?limit=1')).items[0]?.id;
  const account = (await admin.ok('GET', `/ledger/accounts?ownerId=${u1}&currency=USD`)).items[0]?.accountId;
  const auditActor = (await admin.ok('GET', '/audit?limit=1')).items[0]?.actor;
  if (!payout || !account || !auditActor) throw new Error('fuzz world: a payout, an account and an audit entry');
  const listingPaths: Record<Listing, string> = {
    apps: '/tencent/apps',
    agents: '/jdb/agents',
    games: '/jdb/games',
    clients: '/oklp/clients',
    rooms: `/tencent/apps/${testApp.sdkAppId}/rooms`,
    battles: '/tencent/battles',
    gifts: `/tencent/apps/${testApp.sdkAppId}/gifts`,
    categories: `/tencent/apps/${testApp.sdkAppId}/gift-categories`,
    events: `/jdb/agents/${jdbAgent.parent}/events`,
    eventPlayers: `/jdb/agents/${jdbAgent.parent}/events/${events.main}/players`,
    grants: `/jdb/agents/${jdbAgent.parent}/players/${ids.payoutPlayer}/grants`,
    spins: `/jdb/agents/${jdbAgent.parent}/players/${ids.payoutPlayer}/spins`,
    matches: '/oklp/matches',
    accounts: '/ledger/accounts',
    transfers: '/ledger/transfers',
    deliveries: '/deliveries',
    payouts: '/jdb/payouts',
    audit: '/audit',
  };
  const cursors = {} as Record<Listing, string>;
  for (const [listing, path] of Object.entries(listingPaths) as Array<[Listing, string]>) {
    const { nextCursor } = await admin.ok('GET', `${path}?limit=1`);
    if (typeof nextCursor !== 'string') throw new Error(`fuzz world: ${path} has one page only`);
    cursors[listing] = nextCursor;
  }
  return {
    battle: battle.Response.BattleId,
    spareBattle: spareBattle.Response.BattleId,
    events,
    listWindow: { startTime: jdbTime(now - 86_400_000), endTime: jdbTime(now + 86_400_000) },
    matches,
    matchToken: issued.token,
    startedAt,
    accountId: account,
    auditActor,
    deliveries: { delivered: String(delivered), payout: String(payout) },
    cursors,
  };
}

/**
 * Cursors shaped like the admin API's (base64url of `[at, id]`) with a key no listing makes: an
 * id no stored text can be, too long, a fractional time, the wrong length. Every listing must
 * refuse them with 400 (a swap puts them in any field, a cursor among them).
 */
export const foreignCursors = [[1, 'a\u0000b'], [1, '\ud800'], [1, 'x'.repeat(129)], [1.5, 'x'], [1], [null, 1]].map(
  (key) => Buffer.from(JSON.stringify(key)).toString('base64url'),
);

/** Valid words to swap into a request: every seeded id and a few valid values of enums and amounts. */
export function vocabularyOf(world: World): Json[] {
  const { seeded } = world;
  return [
    ...Object.values(ids.rooms),
    ...ids.metadataKeys,
    ...Object.values(ids.gifts),
    ...Object.values(ids.categories),
    ...ids.players,
    ids.payoutPlayer,
    ...ids.users,
    String(testApp.sdkAppId),
    String(otherApp.sdkAppId),
    jdbAgent.parent,
    seeded.battle,
    seeded.spareBattle,
    ...Object.values(seeded.events),
    ...seeded.matches.finish,
    seeded.matches.forfeit,
    seeded.matches.abort,
    seeded.matchToken,
    ...foreignCursors,
    'administrator',
    'en',
    'zh-Hans',
    'USD',
    'EUR',
    'NORMAL',
    'FEATURE',
    'team-1',
    'team-2',
    'otherag',
    '5',
    0,
    1,
    2,
    3,
    100,
    gameA.mType,
    true,
    false,
  ];
}

/** A reply without what differs on every call. */
function stable(reply: Record<string, unknown>): Record<string, unknown> {
  const { RequestId: _requestId, ...rest } = reply;
  return rest;
}

/** What the Tencent surface may change, read through its own read commands. */
export async function tencentState(world: World): Promise<unknown> {
  const read = async (command: string, body: unknown) => stable(await world.tencent.call(command, body));
  const [rooms, metadata, battles, catalog, giftCount] = await Promise.all([
    Promise.all(Object.values(ids.rooms).map((RoomId) => read(srv('get_room_info'), { RoomId }))),
    read(srv('get_room_metadata'), { RoomId: ids.rooms.a }),
    Promise.all(
      [world.seeded.battle, world.seeded.spareBattle].map((BattleId) => read(pk('get_battle_info'), { BattleId })),
    ),
    read(srv('get_gift_info_list'), {}),
    read(srv('get_gift_count'), { RoomId: ids.rooms.a }),
  ]);
  return { rooms, metadata, battles, catalog, giftCount };
}

/** What JDB actions and the admin API's free-spin routes may change, read through JDB's reports. */
export async function jdbState(world: World): Promise<unknown> {
  const { listWindow } = world.seeded;
  const [events, players] = await Promise.all([
    world.jdb.call(76, { ...listWindow }),
    Promise.all(ids.players.map((uid) => world.jdb.call(71, { uid }))),
  ]);
  return { events, players };
}

/** What the game API and the admin API's ledger and match routes may change. */
export async function moneyState(world: World): Promise<unknown> {
  const { matches } = world.seeded;
  const body = async (path: string) => (await world.admin.request('GET', path)).body;
  const [summary, accounts, matchList, active] = await Promise.all([
    body('/ledger/summary'),
    Promise.all(ids.users.map((userId) => body(`/ledger/accounts/${userId}`))),
    Promise.all([...matches.finish, matches.forfeit, matches.abort].map((matchId) => body(`/oklp/matches/${matchId}`))),
    world.game.call('GET', '/matches/active').then((reply) => reply.body),
  ]);
  return { summary, accounts, matches: matchList, active };
}

/** The app's callback configuration and token, as `live_config` reads them. */
export async function callbackConfigState(world: World): Promise<unknown> {
  const read = async (command: string) => stable(await world.tencent.call(liveConfig(command), {}));
  const [config, token] = await Promise.all([read('get_callback'), read('get_callback_token')]);
  return { config, token };
}

/** Both apps' gift catalogs, as the admin API lists them (the admin API's catalog routes change them). */
export async function catalogState(world: World): Promise<unknown> {
  const body = async (path: string) => (await world.admin.request('GET', path)).body;
  return Promise.all(
    [testApp, otherApp].flatMap(({ sdkAppId }) => [
      body(`/tencent/apps/${sdkAppId}/gifts?limit=500`),
      body(`/tencent/apps/${sdkAppId}/gift-categories?limit=500`),
    ]),
  );
}
