import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { adminTokens } from './config/adminTokens.js';
import type { Config } from './config/schema.js';
import { DeliveryService } from './delivery/deliveries.js';
import { type Deliverer, Dispatcher, route } from './delivery/dispatcher.js';
import { measured } from './delivery/measured.js';
import { type EventBus, type LiveEventBus, LocalEventBus, PostgresEventBus } from './delivery/liveEventBus.js';
import type { AdminEvent, OutboundEvent } from './domain/events.js';
import { BattleService } from './domain/battles/battleService.js';
import { CallbackConfigService } from './domain/callbacks/callbackConfigService.js';
import { CALLBACK_SETTINGS_REFRESH_MS, CallbackSettingsView } from './domain/callbacks/callbackSettingsView.js';
import { GiftCatalogService } from './domain/gifts/giftCatalogService.js';
import { GiftSendService } from './domain/gifts/giftSendService.js';
import type { GiftSettings } from './domain/gifts/giftSettings.js';
import { FreeSpinBrowser } from './domain/freespins/browseService.js';
import { FreeSpinCatalog } from './domain/freespins/catalog.js';
import { FreeSpinEventService } from './domain/freespins/eventService.js';
import { FreeSpinPlayerService } from './domain/freespins/playerService.js';
import { FreeSpinReportService } from './domain/freespins/reportService.js';
import { CashoutSettlement } from './domain/freespins/cashoutSettlement.js';
import { SpinService } from './domain/freespins/spinService.js';
import { LedgerService } from './domain/ledger/ledgerService.js';
import { MatchService } from './domain/matches/matchService.js';
import { RoomService } from './domain/rooms/roomService.js';
import { type Clock, systemClock } from './platform/clock.js';
import { fetchHttpClient, type HttpClient } from './platform/httpClient.js';
import { Jobs } from './platform/jobs.js';
import { loggerOptions } from './platform/logger.js';
import { Metrics } from './platform/metrics.js';
import { RateLimiter } from './platform/rateLimiter.js';
import { Signal } from './platform/signal.js';
import { loadSigningKey } from './platform/signingKey.js';
import { type Database, openDatabase } from './store/database.js';
import { ReadingsRepository } from './store/readings.js';
import { Store } from './store/store.js';
import { allOf, uncounted } from './domain/activity.js';
import { ActivityCounter, overviewCounters } from './domain/admin/activity.js';
import { AdminSessions } from './domain/admin/adminSessions.js';
import { Overview } from './domain/admin/overview.js';
import { AdminAuth } from './surfaces/admin/auth.js';
import { adminSurface } from './surfaces/admin/plugin.js';
import { auditRoutes } from './surfaces/admin/routes/audit.js';
import { sessionRoutes } from './surfaces/admin/routes/session.js';
import { eventRoutes } from './surfaces/admin/routes/events.js';
import { overviewRoutes } from './surfaces/admin/routes/overview.js';
import { AdminEventStream } from './surfaces/admin/eventStream.js';
import { loadConsoleAssets } from './surfaces/console/assets.js';
import { consoleSurface } from './surfaces/console/plugin.js';
import { callbackTestRoutes } from './surfaces/admin/routes/callbackTest.js';
import { deliveryRoutes } from './surfaces/admin/routes/deliveries.js';
import { jdbPayoutRoutes } from './surfaces/admin/routes/jdbPayouts.js';
import { freeSpinEventRoutes, freeSpinListingRoutes, freeSpinRoutes } from './surfaces/admin/routes/freespins.js';
import { JdbPayoutDeliverer, JdbSpinRecordDeliverer, JdbWallet } from './surfaces/jdb/callbacks.js';
import { jdbSurface } from './surfaces/jdb/plugin.js';
import { JdbAgents } from './surfaces/jdb/transport.js';
import { ledgerRoutes } from './surfaces/admin/routes/ledger.js';
import { matchRoutes } from './surfaces/admin/routes/matches.js';
import { giftRoutes } from './surfaces/admin/routes/gifts.js';
import { roomRoutes } from './surfaces/admin/routes/rooms.js';
import { tenantRoutes } from './surfaces/admin/routes/tenants.js';
import { MatchPushDeliverer } from './surfaces/oklp/matchPush.js';
import { oklpSurface } from './surfaces/oklp/plugin.js';
import { PlatformTokens } from './surfaces/oklp/tokens.js';
import { registerDatabaseGauges } from './surfaces/ops/databaseGauges.js';
import { metricsListener, metricsRoute } from './surfaces/ops/metrics.js';
import { opsSurface } from './surfaces/ops/plugin.js';
import { SurfaceDirectory } from './surfaces/kit/surface.js';
import { TencentCallbackDeliverer } from './surfaces/tencent/callbacks.js';
import { TencentCallbackTargets } from './surfaces/tencent/callbackTargets.js';
import { TencentGiftApprover } from './surfaces/tencent/giftApprover.js';
import { tencentSurface } from './surfaces/tencent/plugin.js';

export interface Ringside {
  http: FastifyInstance;
  database: Database;
  /** Live events of this process (the WebSocket endpoint is one of its listeners). */
  liveEvents: LiveEventBus;
  /** `http://host:port/metrics` when `metrics.listen` gives `/metrics` a listener of its own (already listening). */
  metricsUrl: string | undefined;
  /** Stops background jobs, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  httpClient?: HttpClient;
}

/** How often each process looks for battles to end and outbox messages to send. */
const BATTLE_EXPIRY_INTERVAL_MS = 250;
const OUTBOX_POLL_INTERVAL_MS = 250;
/** How often each process looks for ended free-spin events whose cashouts are not all fixed. */
const FREESPIN_SETTLEMENT_INTERVAL_MS = 250;
/** How often each process adds its activity counts (score updates, gifts) to the database. */
const ACTIVITY_FLUSH_INTERVAL_MS = 5000;
/** Activity counts older than this are deleted (the overview shows the last hour). */
const ACTIVITY_KEPT_MS = 2 * 3600 * 1000;
/** How often each process settles asynchronous matches past their deadline. */
const MATCH_DEADLINE_INTERVAL_MS = 1000;

/** Builds the whole server from config: database (migrated), services, surfaces and jobs. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Ringside> {
  const clock = options.clock ?? systemClock;
  const surfaces = new SurfaceDirectory();
  const { server: serverConfig } = config;
  const http = Fastify({
    // HTTP-level refusals (bad URLs, oversized headers, malformed bodies, timeouts) in the
    // format of the surface the path belongs to.
    ...surfaces.fastifyOptions(),
    // Slow or idle clients are closed: headers must arrive within `headersTimeoutMs`, the
    // whole request within `requestTimeoutMs` (Node checks both every second here, instead
    // of every 30 s), idle keep-alive connections after `keepAliveTimeoutMs`.
    requestTimeout: serverConfig.requestTimeoutMs,
    keepAliveTimeout: serverConfig.keepAliveTimeoutMs,
    maxRequestsPerSocket: serverConfig.maxRequestsPerSocket,
    http: {
      headersTimeout: serverConfig.headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, serverConfig.headersTimeoutMs),
    },
    logger: loggerOptions(config.server.logLevel),
    // Request URLs carry credentials and per-request lines cost throughput: log errors only.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // A path parameter may be as long as the longest id a route accepts: a user id is up to 128
    // UTF-8 bytes, up to 384 characters percent-encoded (the router counts the decoded value
    // today; 384 holds either way, and each route's schema applies the real limit).
    routerOptions: { maxParamLength: 384 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  http.server.maxConnections = serverConfig.maxConnections;
  surfaces.attach(http);
  const metrics = config.metrics.enabled ? new Metrics(config.delivery.instanceId) : undefined;
  // Before any surface is installed: each one's requests are measured from then on.
  if (metrics) http.decorate('requestRecorder', metrics.requests);
  const log = http.log;
  const database = await openDatabase(config.storage, (error) =>
    log.error({ err: error }, 'database background error'),
  );
  // Made before both: the store notifies it after commits that add outbox messages, and the
  // dispatcher, built later from the store, runs when it is notified.
  const outboxCommitted = new Signal();
  const store = Store.over(database, { outboxCommitted });

  const liveEvents: LiveEventBus = database.notifications
    ? new PostgresEventBus(database.notifications, (error) => log.warn({ err: error }, 'live event channel'))
    : new LocalEventBus((error) => log.warn({ err: error }, 'live event listener'));
  await liveEvents.start();
  // Deliveries and ledger movements for the admin event stream: a bus of their own (a channel
  // of its own on PostgreSQL), so the Tencent live-event endpoint never sees them.
  const adminNotifications = database.notifications?.sibling('admin');
  const adminEvents: EventBus<AdminEvent> = adminNotifications
    ? new PostgresEventBus<AdminEvent>(adminNotifications, (error) => log.warn({ err: error }, 'admin event channel'))
    : new LocalEventBus<AdminEvent>((error) => log.warn({ err: error }, 'admin event listener'));
  await adminEvents.start();

  const tencentApps = new Map(config.tencent.apps.map((app) => [app.sdkAppId, app]));
  // Callback receivers: the configuration made over REST (read before serving, then kept
  // fresh by the job below), else the config file's.
  const callbackSettings = new CallbackSettingsView(store);
  await callbackSettings.refresh();
  const callbackConfig = new CallbackConfigService(store, clock, callbackSettings);
  const callbackTargets = new TencentCallbackTargets(config.tencent.apps, callbackSettings);
  const callbacksWanted = { wants: callbackTargets.wants.bind(callbackTargets) };
  const rateLimiter = new RateLimiter(store.rateLimits, clock);
  const activity = new ActivityCounter(store.activity);
  const counted = allOf(overviewCounters(activity, clock), metrics?.activity ?? uncounted);
  const battles = new BattleService(store, clock, liveEvents, callbacksWanted, counted);
  const rooms = new RoomService(store, clock, battles, liveEvents, callbacksWanted);

  const catalog = freeSpinCatalog(config);
  const cashouts = new CashoutSettlement(store, clock);
  const freeSpins = {
    catalog,
    events: new FreeSpinEventService(store, clock, catalog),
    reports: new FreeSpinReportService(store, clock, catalog),
    players: new FreeSpinPlayerService(store, clock, catalog),
    spins: new SpinService(store, clock, catalog, cashouts),
  };
  const freeSpinBrowser = new FreeSpinBrowser(store, clock, catalog);
  const ledger = new LedgerService(store, clock, adminEvents);
  const oklpClients = new Map(config.oklp.clients.map((client) => [client.clientId, client]));
  const matches = new MatchService(
    store,
    clock,
    ledger,
    { exists: (id) => oklpClients.has(id), wantsPush: (id) => oklpClients.get(id)?.flow === 'push' },
    {
      feeBasisPoints: config.oklp.feeBasisPoints,
      asyncDeadlineMs: config.oklp.asyncDeadlineMs,
      matchTokenLifetimeMs: config.oklp.matchTokenLifetimeSeconds * 1000,
    },
  );
  const realmKey = await loadSigningKey(store.signingKeys, `oklp:${config.oklp.realm}`, clock);
  const platformTokens = new PlatformTokens(realmKey, config.oklp, clock);

  const httpClient = options.httpClient ?? fetchHttpClient;
  const giftSettings = (appId: number): GiftSettings => {
    const app = tencentApps.get(appId);
    return {
      enabled: app?.gifting.enabled ?? false,
      giftLimit: app?.limits.gifts ?? 0,
      feedsBattleScores: app?.gifting.battleScores ?? false,
      approvesSends: callbackTargets.approvesGifts(appId),
    };
  };
  const giftCatalog = new GiftCatalogService(store, clock, giftSettings);
  const giftSends = new GiftSendService(
    store,
    clock,
    giftSettings,
    new TencentGiftApprover(callbackTargets, httpClient, clock),
    liveEvents,
    counted,
  );

  const tencentCallbacks = new TencentCallbackDeliverer(
    callbackTargets,
    httpClient,
    clock,
    config.tencent.callbackRetry,
  );
  const jdbAgents = new JdbAgents(config.jdb.agents);
  const jdbWallet = new JdbWallet(jdbAgents, httpClient);
  // Each delivery attempt timed and counted, when metrics are on.
  const timed = <E extends OutboundEvent>(deliverer: Deliverer<E>): Deliverer<E> =>
    metrics ? measured(deliverer, metrics.deliveries, clock) : deliverer;
  const dispatcher = new Dispatcher(
    store,
    clock,
    [
      route('room.', timed(tencentCallbacks)),
      route('battle.', timed(tencentCallbacks)),
      route('freespin.payout', timed(new JdbPayoutDeliverer(jdbWallet, clock, config.jdb.payoutRetry))),
      route('freespin.spin', timed(new JdbSpinRecordDeliverer(jdbWallet, clock, config.jdb.spinRecordRetry))),
      route(
        'match.',
        timed(new MatchPushDeliverer(config.oklp.clients, httpClient, platformTokens, matches, config.oklp.pushRetry)),
      ),
    ],
    {
      leaseMs: config.delivery.claimMs,
      instanceId: config.delivery.instanceId,
      wakeOn: outboxCommitted,
      events: adminEvents,
      onError: (error, message) =>
        log.error({ err: error, outboxId: message?.id }, message ? 'outbox delivery failed' : 'outbox run failed'),
    },
  );
  const deliveries = new DeliveryService(store, clock, () => dispatcher.wake(), adminEvents);

  const jobs = new Jobs((job, error) => log.error({ err: error, job }, 'background job failed'));
  jobs.every('rate-limit-prune', 60_000, () => rateLimiter.prune());
  jobs.every('battle-expiry', BATTLE_EXPIRY_INTERVAL_MS, async () => void (await battles.endDue()));
  jobs.every('outbox', OUTBOX_POLL_INTERVAL_MS, () => dispatcher.run());
  jobs.every('callback-settings', CALLBACK_SETTINGS_REFRESH_MS, () => callbackSettings.refresh());
  // Once this process listens, no live process has its address (nor, by the operator's word,
  // its instance id): the claims its id still holds are a dead predecessor's, sent again now.
  http.addHook('onListen', async () => {
    const released = await dispatcher.releaseOwnClaims();
    if (released > 0) log.info({ released }, 'released the outbox claims of a previous run of this instance');
  });
  jobs.every('freespin-settlement', FREESPIN_SETTLEMENT_INTERVAL_MS, async () => void (await cashouts.settleDue()));
  jobs.every('match-deadlines', MATCH_DEADLINE_INTERVAL_MS, async () => void (await matches.settleDue()));

  const adminSessions = new AdminSessions(store.adminSessions, clock, config.admin.sessionTtlMs);
  const adminAuth = new AdminAuth(adminTokens(config), adminSessions, config.admin.behindHttps);
  const adminStream = new AdminEventStream(liveEvents, adminEvents);
  jobs.every('activity-flush', ACTIVITY_FLUSH_INTERVAL_MS, () => activity.flush());
  jobs.every('activity-prune', 10 * 60_000, () => activity.prune(clock.now() - ACTIVITY_KEPT_MS));
  jobs.every('admin-session-prune', 60_000, async () => void (await adminSessions.prune()));

  await http.register(opsSurface, { ping: database.ping });
  let metricsHttp: FastifyInstance | undefined;
  if (metrics) {
    registerDatabaseGauges(
      metrics.shared,
      new ReadingsRepository(database.db),
      clock,
      config.metrics.databaseCacheMs,
      (error) => log.warn({ err: error }, 'metrics: reading the database figures failed'),
    );
    const { listen } = config.metrics;
    if (listen) {
      metricsHttp = await metricsListener(metrics);
      await metricsHttp.listen(listen);
    } else {
      await http.register(metricsRoute, { prefix: '/metrics', metrics, auth: adminAuth });
    }
  }
  await http.register(adminSurface, {
    prefix: '/admin/v1',
    auth: adminAuth,
    audit: store.adminAudit,
    clock,
    routes: [
      ...tenantRoutes({
        tencentApps: config.tencent.apps,
        jdbAgents: config.jdb.agents,
        jdbGames: config.jdb.games,
        oklpClients: config.oklp.clients,
        callbackTargets,
      }),
      ...roomRoutes(config.tencent.apps, rooms, battles),
      ...giftRoutes(config.tencent.apps, giftCatalog),
      ...auditRoutes(store.adminAudit),
      ...sessionRoutes(adminAuth),
      ...eventRoutes(adminStream),
      ...overviewRoutes(
        new Overview(store, clock, activity, new ReadingsRepository(database.db), {
          appIds: config.tencent.apps.map((app) => app.sdkAppId),
          agents: config.jdb.agents.map((agent) => agent.parent),
          clientIds: config.oklp.clients.map((client) => client.clientId),
        }),
      ),
      ...deliveryRoutes(deliveries, clock),
      ...jdbPayoutRoutes(deliveries, clock),
      ...callbackTestRoutes({ has: (appId) => tencentApps.has(appId), test: (appId) => tencentCallbacks.test(appId) }),
      ...freeSpinRoutes(freeSpins),
      ...freeSpinListingRoutes(freeSpinBrowser),
      ...freeSpinEventRoutes({ events: freeSpins.events, browser: freeSpinBrowser }),
      ...ledgerRoutes(ledger),
      ...matchRoutes(matches),
    ],
  });
  if (config.admin.console) {
    // The web console: a client of the admin API above, served from the build's files.
    const assets = loadConsoleAssets();
    if (!assets) log.warn('the web console has not been built (npm run build): /console answers 503');
    await http.register(consoleSurface, { assets });
  }
  await http.register(tencentSurface, {
    prefix: '/v4',
    apps: config.tencent.apps,
    services: { rooms, battles, giftCatalog, giftSends, callbackConfig },
    liveEvents,
    liveEventLimits: config.tencent.liveEvents,
    rateLimiter,
    clock,
  });
  await http.register(oklpSurface, {
    oklp: config.oklp,
    tokens: platformTokens,
    publicKeyDer: realmKey.publicKeyDer,
    matches,
  });

  await http.register(jdbSurface, {
    prefix: '/apiRequest.do',
    agents: jdbAgents,
    services: freeSpins,
    rateLimiter,
    clock,
  });

  let closing: Promise<void> | undefined;
  return {
    http,
    database,
    liveEvents,
    metricsUrl: metricsHttp && `${listeningUrl(metricsHttp)}/metrics`,
    close() {
      closing ??= (async () => {
        await jobs.stop();
        // Connections that are busy now close right after their reply instead of lingering for
        // the keep-alive timeout (idle ones are closed by Fastify's forceCloseConnections).
        http.server.keepAliveTimeout = 1;
        // Open event streams would keep the server from closing.
        adminStream.close();
        await http.close();
        await metricsHttp?.close();
        await dispatcher.run();
        await activity.flush().catch((error) => log.error({ err: error }, 'activity counts not saved'));
        await liveEvents.close();
        await adminEvents.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/** `http://host:port` of a listening server (IPv6 hosts in brackets). */
function listeningUrl(server: FastifyInstance): string {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on TCP');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** The free-spin catalog from the JDB config: agents by their parent account, games by mType. */
function freeSpinCatalog(config: Config): FreeSpinCatalog {
  return new FreeSpinCatalog(
    config.jdb.agents.map((agent) => ({ id: agent.parent, currency: agent.currency, spinRecords: agent.spinRecords })),
    config.jdb.games.map((game) => ({
      id: game.mType,
      typeId: game.gType,
      name: game.name,
      bets: game.betList,
      freeSpinTypes: game.freeSpinTypes.map((type) => (type === 'FEATURE' ? 'feature' : 'normal')),
      feature: game.feature,
    })),
  );
}
