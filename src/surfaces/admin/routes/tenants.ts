import { type Static, Type } from '@sinclair/typebox';
import type { JdbAgent, JdbGame, OklpClient, TencentApp } from '../../../config/schema.js';
import { formatThousandths } from '../../../platform/decimal.js';
import type { CallbackTarget } from '../../tencent/callbackTargets.js';
import { adminRefusals } from '../errorCodes.js';
import { exampleNames as ex } from '../examples.js';
import { pageOfList, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute, json } from '../route.js';
import { JdbAmount, Nullable, Page } from '../schemas.js';

export interface Tenants {
  tencentApps: TencentApp[];
  jdbAgents: JdbAgent[];
  jdbGames: JdbGame[];
  oklpClients: OklpClient[];
  /** Where each app's callbacks go now (its `live_config` configuration, or the file's). */
  callbackTargets: { of(appId: number): CallbackTarget | undefined };
}

export const sdkAppIdParam = Type.String({ pattern: '^[1-9][0-9]{0,9}$', description: 'a Tencent SDKAppID' });

const TencentAppView = Type.Object({
  sdkAppId: Type.Integer(),
  admins: Type.Array(Type.String(), { description: 'the UserIDs that may call the REST API as the app admin' }),
  callback: Nullable(
    Type.Object(
      {
        url: Type.String({ description: 'without user name and password' }),
        hasToken: Type.Boolean({ description: 'whether the config file gives a callback token (never shown)' }),
      },
      { description: "the config file's callback receiver" },
    ),
  ),
  effectiveCallback: Nullable(
    Type.Object(
      {
        url: Type.String({ description: 'without user name and password' }),
        signed: Type.Boolean({ description: 'whether callbacks carry a Sign now' }),
        source: Type.Union([Type.Literal('live_config'), Type.Literal('config file')]),
      },
      { description: "where the app's callbacks go now: its live_config configuration, or the config file's" },
    ),
  ),
  limits: Type.Object({
    gifts: Type.Integer({ description: 'the most gifts the catalog may hold' }),
    rateLimits: Type.Boolean({ description: "whether the Tencent APIs' rate limits apply" }),
  }),
  gifting: Type.Object({
    enabled: Type.Boolean(),
    battleScores: Type.Boolean({ description: "whether a gift's value adds to battle scores" }),
    beforeSendCallback: Type.Boolean({ description: 'whether a gift is sent only once the callback approves it' }),
  }),
});

const JdbAgentView = Type.Object({
  parent: Type.String(),
  dc: Type.String(),
  currency: Type.String(),
  walletUrl: Type.String({ description: 'where payouts (Action 16) go, without user name and password' }),
  rateLimitPerSecond: Type.Integer({ description: 'calls per second per action; 0: no limit' }),
  spinRecords: Type.Boolean({ description: 'whether each free spin is sent to the wallet (Action 17)' }),
});

const JdbGameView = Type.Object({
  mType: Type.Integer(),
  gType: Type.Integer(),
  name: Type.String(),
  betList: Type.Array(JdbAmount),
  freeSpinTypes: Type.Array(Type.Union([Type.Literal('NORMAL'), Type.Literal('FEATURE')])),
  feature: Nullable(
    Type.Object(
      { multiple: Type.Integer(), maxTotalBet: JdbAmount },
      { description: 'Feature Buy: it costs bet × multiple, at most maxTotalBet' },
    ),
  ),
});

const OklpClientView = Type.Object({
  clientId: Type.String(),
  flow: Type.Union([Type.Literal('push'), Type.Literal('poll')]),
  matchInfoUrl: Nullable(Type.String({ description: 'where new matches are pushed (push flow)' })),
});

const exampleApp: Static<typeof TencentAppView> = {
  sdkAppId: ex.sdkAppId,
  admins: ['administrator'],
  callback: { url: 'https://hooks.example.com/tencent', hasToken: true },
  effectiveCallback: { url: 'https://hooks.example.com/tencent', signed: true, source: 'config file' },
  limits: { gifts: 16, rateLimits: true },
  gifting: { enabled: true, battleScores: true, beforeSendCallback: false },
};

const exampleAgent: Static<typeof JdbAgentView> = {
  parent: ex.parent,
  dc: 'jb1',
  currency: 'USD',
  walletUrl: 'https://wallet.example.com/jdb',
  rateLimitPerSecond: 0,
  spinRecords: false,
};

const exampleGame: Static<typeof JdbGameView> = {
  mType: ex.mType,
  gType: 0,
  name: 'Demo Slot',
  betList: ['1.000', '5.000', '15.000', '20.000', '30.000'],
  freeSpinTypes: ['NORMAL', 'FEATURE'],
  feature: { multiple: 50, maxTotalBet: '1000.000' },
};

const exampleClient: Static<typeof OklpClientView> = {
  clientId: ex.clientId,
  flow: 'push',
  matchInfoUrl: 'https://game.example.com/match-info',
};

/**
 * The tenants as configured: Tencent apps, JDB agents (and the game catalog), OkLetsPlay clients.
 * Secrets never leave: no Tencent secretKey, no callback token (only whether one is set), no JDB
 * key or IV, no client secret, and no credentials written into a URL.
 */
export function tenantRoutes(tenants: Tenants) {
  const app = (sdkAppId: string) => configuredApp(tenants.tencentApps, sdkAppId);
  const renderApp = (tencentApp: TencentApp) =>
    renderTencentApp(tencentApp, tenants.callbackTargets.of(tencentApp.sdkAppId));
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps',
      summary: 'The configured Tencent apps, by SDKAppID (no secret key, no callback token)',
      query: Type.Object(pageQuery),
      response: json(Page(TencentAppView)),
      example: { query: { limit: '20' }, response: { items: [exampleApp], nextCursor: null } },
      async handle({ query }) {
        return pageOfList(tenants.tencentApps, pageRequest(query, 'number'), (a) => a.sdkAppId, renderApp);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps/:sdkAppId',
      summary: 'A configured Tencent app (no secret key, no callback token)',
      params: Type.Object({ sdkAppId: sdkAppIdParam }),
      response: json(Type.Object({ app: TencentAppView })),
      errors: ['not_found'],
      example: { params: { sdkAppId: String(ex.sdkAppId) }, response: { app: exampleApp } },
      async handle({ params }) {
        return { app: renderApp(app(params.sdkAppId)) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents',
      summary: 'The configured JDB agents, by parent (no key, no IV)',
      query: Type.Object(pageQuery),
      response: json(Page(JdbAgentView)),
      example: { query: { limit: '20' }, response: { items: [exampleAgent], nextCursor: null } },
      async handle({ query }) {
        return pageOfList(tenants.jdbAgents, pageRequest(query), (a) => a.parent, renderJdbAgent);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent',
      summary: 'A configured JDB agent (no key, no IV)',
      params: Type.Object({ parent: Type.String({ minLength: 1, maxLength: 50 }) }),
      response: json(Type.Object({ agent: JdbAgentView })),
      errors: ['not_found'],
      example: { params: { parent: ex.parent }, response: { agent: exampleAgent } },
      async handle({ params }) {
        const agent = tenants.jdbAgents.find((a) => a.parent === params.parent);
        if (!agent) throw adminRefusals.notFound(`parent ${params.parent} is not a configured JDB agent`);
        return { agent: renderJdbAgent(agent) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/games',
      summary: 'The configured JDB game catalog, by mType',
      query: Type.Object(pageQuery),
      response: json(Page(JdbGameView)),
      example: { query: { limit: '20' }, response: { items: [exampleGame], nextCursor: null } },
      async handle({ query }) {
        return pageOfList(tenants.jdbGames, pageRequest(query, 'number'), (g) => g.mType, renderJdbGame);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/clients',
      summary: 'The configured OkLetsPlay game clients, by clientId (no client secret)',
      query: Type.Object(pageQuery),
      response: json(Page(OklpClientView)),
      example: { query: { limit: '20' }, response: { items: [exampleClient], nextCursor: null } },
      async handle({ query }) {
        return pageOfList(tenants.oklpClients, pageRequest(query), (c) => c.clientId, renderOklpClient);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/clients/:clientId',
      summary: 'A configured OkLetsPlay game client (no client secret)',
      params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: json(Type.Object({ client: OklpClientView })),
      errors: ['not_found'],
      example: { params: { clientId: ex.clientId }, response: { client: exampleClient } },
      async handle({ params }) {
        const client = tenants.oklpClients.find((c) => c.clientId === params.clientId);
        if (!client) throw adminRefusals.notFound(`clientId ${params.clientId} is not a configured OkLetsPlay client`);
        return { client: renderOklpClient(client) };
      },
    }),
  ];
}

/** The configured app of a path's `sdkAppId`; 404 naming it when there is none. */
export function configuredApp(apps: readonly TencentApp[], sdkAppId: string | number): TencentApp {
  const found = apps.find((a) => a.sdkAppId === Number(sdkAppId));
  if (!found) throw adminRefusals.notFound(`sdkAppId ${sdkAppId} is not a configured Tencent app`);
  return found;
}

function renderTencentApp(app: TencentApp, target: CallbackTarget | undefined): Static<typeof TencentAppView> {
  return {
    sdkAppId: app.sdkAppId,
    admins: app.admins,
    callback: app.callback ? { url: withoutCredentials(app.callback.url), hasToken: !!app.callback.token } : null,
    effectiveCallback: target
      ? { url: withoutCredentials(target.url), signed: target.token !== undefined, source: target.source }
      : null,
    limits: app.limits,
    gifting: app.gifting,
  };
}

function renderJdbAgent(agent: JdbAgent): Static<typeof JdbAgentView> {
  return {
    parent: agent.parent,
    dc: agent.dc,
    currency: agent.currency,
    walletUrl: withoutCredentials(agent.walletUrl),
    rateLimitPerSecond: agent.rateLimitPerSecond,
    spinRecords: agent.spinRecords,
  };
}

function renderJdbGame(game: JdbGame): Static<typeof JdbGameView> {
  return {
    mType: game.mType,
    gType: game.gType,
    name: game.name,
    betList: game.betList.map(formatThousandths),
    freeSpinTypes: game.freeSpinTypes,
    feature: game.feature
      ? { multiple: game.feature.multiple, maxTotalBet: formatThousandths(game.feature.maxTotalBet) }
      : null,
  };
}

function renderOklpClient(client: OklpClient): Static<typeof OklpClientView> {
  return { clientId: client.clientId, flow: client.flow, matchInfoUrl: client.matchInfoUrl ?? null };
}

/** A URL without the user name and password it may carry (`https://user:pass@host/…`). */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
