import { ADMIN_TOKEN } from '../../../support/admin.js';
import { gameA, jdbAgent } from '../../../support/jdb.js';
import { pollGame } from '../../../support/oklp.js';
import { otherApp, testApp } from '../../../support/tencent.js';
import { type HttpTemplate, httpTemplate } from './templates.js';
import { catalogState, ids, jdbState, moneyState, type World } from './world.js';

/**
 * Valid requests to every admin API route (fuzz.test.ts fails naming a route that has none).
 * Path parameters, query and body are all mutated; every listing pages from a real
 * `nextCursor`, so a mutated cursor starts from a valid one. Destructive requests go to
 * spares; a route that deletes what a route before it adds is listed after it, so both are
 * accepted in the check of valid requests.
 */

const app = String(testApp.sdkAppId);
const DAY = 86_400_000;
/** A listing's page: two items, after the seeded cursor. */
const pageOf = (world: World, listing: keyof World['seeded']['cursors']) => ({
  limit: '2',
  cursor: world.seeded.cursors[listing],
});
/** A time range around everything seeded. */
const around = (world: World) => ({
  from: String(world.seeded.startedAt - 1000),
  to: String(world.seeded.startedAt + DAY),
});

const ledgerAndMatches: HttpTemplate[] = [
  httpTemplate(
    'POST',
    '/ledger/deposits',
    () => ({ body: { userId: ids.users[0], amount: 50, currency: 'USD', idempotencyKey: 'fz-deposit' } }),
    { state: moneyState },
  ),
  httpTemplate(
    'POST',
    '/ledger/withdrawals',
    () => ({ body: { userId: ids.users[1], amount: 5, currency: 'USD', idempotencyKey: 'fz-withdrawal' } }),
    { state: moneyState },
  ),
  httpTemplate('GET', '/ledger/accounts/:userId', () => ({
    params: { userId: ids.users[0] },
    query: { limit: '5' },
  })),
  httpTemplate('GET', '/ledger/summary', () => ({})),
  httpTemplate(
    'POST',
    '/oklp/matches',
    () => ({
      body: {
        clientId: pollGame.clientId,
        mode: 'async',
        entryFee: 10,
        currency: 'USD',
        teams: [
          { id: 'red', participants: [{ id: ids.users[0] }] },
          { id: 'blue', participants: [{ id: ids.users[1] }] },
        ],
        maxSubmissions: 2,
        idempotencyKey: 'fz-match',
      },
    }),
    { state: moneyState },
  ),
  httpTemplate('GET', '/oklp/matches/:id', (world) => ({ params: { id: world.seeded.matches.finish[0]! } })),
  httpTemplate('POST', '/oklp/matches/:id/tokens', (world) => ({
    params: { id: world.seeded.matches.finish[1]! },
    body: { userId: ids.users[1] },
  })),
  httpTemplate(
    'POST',
    '/oklp/matches/:id/forfeit',
    (world) => ({ params: { id: world.seeded.matches.forfeit }, body: { teamId: 'team-2' } }),
    { state: moneyState, once: true },
  ),
  httpTemplate(
    'POST',
    '/oklp/matches/:id/abort',
    (world) => ({ params: { id: world.seeded.matches.abort }, body: { reason: 'called off' } }),
    { state: moneyState, once: true },
  ),
  httpTemplate(
    'POST',
    '/jdb/players',
    (_, n) => ({ body: { parent: jdbAgent.parent, uids: [`fz-new-player-${n}`, ids.players[0]] } }),
    { state: jdbState },
  ),
  httpTemplate(
    'POST',
    '/jdb/spins',
    (world, n) => ({
      body: {
        parent: jdbAgent.parent,
        uid: ids.players[1],
        eventId: world.seeded.events.main,
        mType: gameA.mType,
        win: '1.5',
        spinId: `fz-spin-${n}`,
      },
    }),
    { state: jdbState },
  ),
  httpTemplate('GET', '/openapi.json', () => ({})),
  httpTemplate('GET', '/oklp/matches', (world) => ({
    query: { clientId: pollGame.clientId, status: 'live', mode: 'sync', ...around(world), ...pageOf(world, 'matches') },
  })),
  httpTemplate('GET', '/ledger/accounts', (world) => ({
    query: { kind: 'user', currency: 'USD', ...pageOf(world, 'accounts') },
  })),
  httpTemplate('GET', '/ledger/transfers', (world) => ({
    query: { accountId: world.seeded.accountId, kind: 'deposit', ...around(world), ...pageOf(world, 'transfers') },
  })),
];

const tenants: HttpTemplate[] = [
  httpTemplate('GET', '/tencent/apps', (world) => ({ query: pageOf(world, 'apps') })),
  httpTemplate('GET', '/tencent/apps/:sdkAppId', () => ({ params: { sdkAppId: app } })),
  httpTemplate('GET', '/jdb/agents', (world) => ({ query: pageOf(world, 'agents') })),
  httpTemplate('GET', '/jdb/agents/:parent', () => ({ params: { parent: jdbAgent.parent } })),
  httpTemplate('GET', '/jdb/games', (world) => ({ query: pageOf(world, 'games') })),
  httpTemplate('GET', '/oklp/clients', (world) => ({ query: pageOf(world, 'clients') })),
  httpTemplate('GET', '/oklp/clients/:clientId', () => ({ params: { clientId: pollGame.clientId } })),
];

const roomsAndBattles: HttpTemplate[] = [
  httpTemplate('GET', '/tencent/apps/:sdkAppId/rooms', (world) => ({
    params: { sdkAppId: app },
    query: { ownerId: 'owner-0', inBattle: 'true', ...pageOf(world, 'rooms') },
  })),
  httpTemplate('GET', '/tencent/apps/:sdkAppId/rooms/:roomId', () => ({
    params: { sdkAppId: app, roomId: ids.rooms.a },
  })),
  httpTemplate('GET', '/tencent/battles', (world) => ({
    query: {
      sdkAppId: app,
      roomId: ids.rooms.a,
      status: 'running',
      ...around(world),
      ...pageOf(world, 'battles'),
    },
  })),
  httpTemplate('GET', '/tencent/apps/:sdkAppId/battles/:battleId', (world) => ({
    params: { sdkAppId: app, battleId: world.seeded.battle },
  })),
];

const catalog = { state: catalogState };
const gift = (giftId: string) => ({ sdkAppId: app, giftId });
const category = (categoryId: string) => ({ sdkAppId: app, categoryId });

const giftCatalog: HttpTemplate[] = [
  httpTemplate('GET', '/tencent/apps/:sdkAppId/gifts', (world) => ({
    params: { sdkAppId: app },
    query: pageOf(world, 'gifts'),
  })),
  httpTemplate('GET', '/tencent/apps/:sdkAppId/gifts/:giftId', () => ({ params: gift(ids.gifts.rose) })),
  httpTemplate(
    'POST',
    '/tencent/apps/:sdkAppId/gifts',
    (_, n) => ({
      params: { sdkAppId: app },
      body: {
        giftId: `fz-ag-${n}`,
        coins: 3,
        defaultName: 'Admin gift',
        iconUrl: 'https://example.com/i.png',
        resourceUrl: 'https://example.com/r.svga',
        level: 1,
        extensionInfo: '{"a":1}',
        defaultDesc: 'desc',
      },
    }),
    catalog,
  ),
  httpTemplate(
    'PATCH',
    '/tencent/apps/:sdkAppId/gifts/:giftId',
    () => ({ params: gift(ids.gifts.rose), body: { coins: 7, defaultName: 'Rose', level: 3, defaultDesc: 'red' } }),
    catalog,
  ),
  httpTemplate('DELETE', '/tencent/apps/:sdkAppId/gifts/:giftId', () => ({ params: gift(ids.gifts.adminSpare) }), {
    ...catalog,
    once: true,
  }),
  httpTemplate(
    'PUT',
    '/tencent/apps/:sdkAppId/gifts/:giftId/languages/:language',
    () => ({ params: { ...gift(ids.gifts.rose), language: 'zh-Hans' }, body: { name: '玫瑰', description: '花' } }),
    catalog,
  ),
  httpTemplate(
    'DELETE',
    '/tencent/apps/:sdkAppId/gifts/:giftId/languages/:language',
    () => ({ params: { ...gift(ids.gifts.rose), language: 'zh-Hans' } }),
    catalog,
  ),
  // The second app's catalog is the empty one: installed once, refused (catalog_not_empty) after.
  httpTemplate(
    'POST',
    '/tencent/apps/:sdkAppId/gifts/default-catalog',
    () => ({ params: { sdkAppId: String(otherApp.sdkAppId) } }),
    { ...catalog, once: true },
  ),
  httpTemplate('GET', '/tencent/apps/:sdkAppId/gift-categories', (world) => ({
    params: { sdkAppId: app },
    query: pageOf(world, 'categories'),
  })),
  httpTemplate('GET', '/tencent/apps/:sdkAppId/gift-categories/:categoryId', () => ({
    params: category(ids.categories.main),
  })),
  httpTemplate(
    'POST',
    '/tencent/apps/:sdkAppId/gift-categories',
    (_, n) => ({
      params: { sdkAppId: app },
      body: { categoryId: `fz-ac-${n}`, defaultName: 'Admin category', extensionInfo: 'x', defaultDesc: 'd' },
    }),
    catalog,
  ),
  httpTemplate(
    'PATCH',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId',
    () => ({ params: category(ids.categories.main), body: { defaultName: 'Flowers', defaultDesc: 'all of them' } }),
    catalog,
  ),
  httpTemplate(
    'DELETE',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId',
    () => ({ params: category(ids.categories.adminSpare) }),
    { ...catalog, once: true },
  ),
  httpTemplate(
    'PUT',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId/languages/:language',
    () => ({
      params: { ...category(ids.categories.main), language: 'zh-Hant' },
      body: { name: '花', description: 'x' },
    }),
    catalog,
  ),
  httpTemplate(
    'DELETE',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId/languages/:language',
    () => ({ params: { ...category(ids.categories.main), language: 'zh-Hant' } }),
    catalog,
  ),
  httpTemplate(
    'POST',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId/gifts',
    () => ({ params: category(ids.categories.main), body: { giftIds: [ids.gifts.tulip, 'fz-no-such-gift'] } }),
    catalog,
  ),
  httpTemplate(
    'PUT',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId/gifts/:giftId/position',
    () => ({ params: { ...category(ids.categories.main), giftId: ids.gifts.rose }, body: { position: 0 } }),
    catalog,
  ),
  httpTemplate(
    'DELETE',
    '/tencent/apps/:sdkAppId/gift-categories/:categoryId/gifts/:giftId',
    () => ({ params: { ...category(ids.categories.main), giftId: ids.gifts.tulip } }),
    catalog,
  ),
];

const agent = { parent: jdbAgent.parent };

const freeSpins: HttpTemplate[] = [
  httpTemplate('GET', '/jdb/agents/:parent/events', (world) => ({
    params: agent,
    query: { status: 'active', mType: String(gameA.mType), ...around(world), ...pageOf(world, 'events') },
  })),
  httpTemplate('GET', '/jdb/agents/:parent/events/:eventId', (world) => ({
    params: { ...agent, eventId: String(world.seeded.events.main) },
  })),
  httpTemplate('GET', '/jdb/agents/:parent/events/:eventId/players', (world) => ({
    params: { ...agent, eventId: String(world.seeded.events.main) },
    query: pageOf(world, 'eventPlayers'),
  })),
  // A spare event: terminated once, refused (409 event_state) after.
  httpTemplate(
    'POST',
    '/jdb/agents/:parent/events/:eventId/terminate',
    (world) => ({ params: { ...agent, eventId: String(world.seeded.events.adminTerminate) } }),
    { state: jdbState, once: true },
  ),
  httpTemplate('GET', '/jdb/agents/:parent/players/:uid/grants', (world) => ({
    params: { ...agent, uid: ids.payoutPlayer },
    query: pageOf(world, 'grants'),
  })),
  httpTemplate('GET', '/jdb/agents/:parent/players/:uid/spins', (world) => ({
    params: { ...agent, uid: ids.payoutPlayer },
    query: { eventId: String(world.seeded.events.paid), ...around(world), ...pageOf(world, 'spins') },
  })),
];

const deliveries: HttpTemplate[] = [
  httpTemplate('GET', '/deliveries', (world) => ({
    query: {
      status: 'pending',
      topic: 'freespin.payout',
      agent: jdbAgent.parent,
      ...around(world),
      ...pageOf(world, 'deliveries'),
    },
  })),
  httpTemplate('GET', '/deliveries/:id', (world) => ({ params: { id: world.seeded.deliveries.delivered } })),
  // A payout to a wallet that never answers: pending, so a retry is accepted unless an attempt is
  // under way right then (409): not part of the check of valid requests.
  httpTemplate('POST', '/deliveries/:id/retry', (world) => ({ params: { id: world.seeded.deliveries.payout } }), {
    once: true,
  }),
  // A callback delivered to the world's receiver: sent again (refused while that is pending).
  httpTemplate('POST', '/deliveries/:id/replay', (world) => ({ params: { id: world.seeded.deliveries.delivered } })),
  httpTemplate('GET', '/jdb/payouts', (world) => ({
    query: { agent: jdbAgent.parent, status: 'pending', ...around(world), ...pageOf(world, 'payouts') },
  })),
  httpTemplate('GET', '/jdb/payouts/:id', (world) => ({ params: { id: world.seeded.deliveries.payout } })),
  // The app's callback URL is the world's receiver (set over live_config); without one, 404.
  httpTemplate('POST', '/tencent/apps/:sdkAppId/test-callback', () => ({ params: { sdkAppId: app } })),
  httpTemplate('GET', '/audit', (world) => ({
    query: {
      actor: world.seeded.auditActor,
      route: '/ledger/deposits',
      outcome: 'ok',
      ...around(world),
      ...pageOf(world, 'audit'),
    },
  })),
];

/** Browser sessions and the overview (the event stream never ends: see notFuzzed in fuzz.test.ts). */
const console_: HttpTemplate[] = [
  httpTemplate('POST', '/session', () => ({ body: { token: ADMIN_TOKEN } })),
  httpTemplate('GET', '/session', () => ({})),
  httpTemplate('DELETE', '/session', () => ({})),
  httpTemplate('GET', '/overview', () => ({})),
];

export const adminTemplates: HttpTemplate[] = [
  ...ledgerAndMatches,
  ...tenants,
  ...roomsAndBattles,
  ...giftCatalog,
  ...freeSpins,
  ...deliveries,
  ...console_,
];
