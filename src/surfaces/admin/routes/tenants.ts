import { Type } from '@sinclair/typebox';
import type { JdbAgent, JdbGame, OklpClient, TencentApp } from '../../../config/schema.js';
import { formatThousandths } from '../../../platform/decimal.js';
import type { CallbackTarget } from '../../tencent/callbackTargets.js';
import { adminRefusals } from '../errorCodes.js';
import { pageOfList, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';

export interface Tenants {
  tencentApps: TencentApp[];
  jdbAgents: JdbAgent[];
  jdbGames: JdbGame[];
  oklpClients: OklpClient[];
  /** Where each app's callbacks go now (its `live_config` configuration, or the file's). */
  callbackTargets: { of(appId: number): CallbackTarget | undefined };
}

export const sdkAppIdParam = Type.String({ pattern: '^[1-9][0-9]{0,9}$', description: 'a Tencent SDKAppID' });

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
      async handle({ query }) {
        return pageOfList(tenants.tencentApps, pageRequest(query, 'number'), (a) => a.sdkAppId, renderApp);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/tencent/apps/:sdkAppId',
      summary: 'A configured Tencent app (no secret key, no callback token)',
      params: Type.Object({ sdkAppId: sdkAppIdParam }),
      async handle({ params }) {
        return { app: renderApp(app(params.sdkAppId)) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents',
      summary: 'The configured JDB agents, by parent (no key, no IV)',
      query: Type.Object(pageQuery),
      async handle({ query }) {
        return pageOfList(tenants.jdbAgents, pageRequest(query), (a) => a.parent, renderJdbAgent);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/jdb/agents/:parent',
      summary: 'A configured JDB agent (no key, no IV)',
      params: Type.Object({ parent: Type.String({ minLength: 1, maxLength: 50 }) }),
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
      async handle({ query }) {
        return pageOfList(tenants.jdbGames, pageRequest(query, 'number'), (g) => g.mType, renderJdbGame);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/clients',
      summary: 'The configured OkLetsPlay game clients, by clientId (no client secret)',
      query: Type.Object(pageQuery),
      async handle({ query }) {
        return pageOfList(tenants.oklpClients, pageRequest(query), (c) => c.clientId, renderOklpClient);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/clients/:clientId',
      summary: 'A configured OkLetsPlay game client (no client secret)',
      params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 128 }) }),
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

function renderTencentApp(app: TencentApp, target: CallbackTarget | undefined) {
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

function renderJdbAgent(agent: JdbAgent) {
  return {
    parent: agent.parent,
    dc: agent.dc,
    currency: agent.currency,
    walletUrl: withoutCredentials(agent.walletUrl),
    rateLimitPerSecond: agent.rateLimitPerSecond,
    spinRecords: agent.spinRecords,
  };
}

function renderJdbGame(game: JdbGame) {
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

function renderOklpClient(client: OklpClient) {
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
