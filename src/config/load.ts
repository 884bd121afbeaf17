import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileValidator } from '../platform/validation.js';
import { type AdminTokenEntry, adminTokenOf } from './adminTokens.js';
import { parseThousandths } from '../platform/decimal.js';
import { DEV_JDB_CURRENCY, DEV_JDB_WALLET_URL, devJdbGames, loadOrCreateDevTenant } from './devTenant.js';
import {
  type Config,
  type ConfigFile,
  ConfigFileSchema,
  type DevTenant,
  type JdbAgent,
  type JdbConfig,
  type JdbGame,
  type LiveEventsConfig,
  LONGEST_DELIVERY_TIMEOUT_MS,
  type OklpClient,
  type OklpConfig,
  type RetryPolicy,
  type StorageConfig,
  type TencentApp,
} from './schema.js';

/** A configuration problem, with a message that names the bad field. Start-up stops on it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** `--config FILE`, or `RINGSIDE_CONFIG`. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

const validateFile = compileValidator(ConfigFileSchema, 'config');

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const file = sources.file ?? envValue(env.RINGSIDE_CONFIG);
  const parsed = file ? readConfigFile(file) : {};
  return resolveConfig(parsed, env, file === undefined);
}

/** Validates a parsed config file, applies env overrides and fills in defaults. */
export function resolveConfig(input: unknown, env: NodeJS.ProcessEnv = {}, useDevTenant = false): Config {
  const checked = validateFile(input);
  if (!checked.ok) throw new ConfigError(`invalid config: ${checked.message}`);
  const file: ConfigFile = checked.value;

  const dataDir = dataDirFrom(env);
  const server = {
    host: envValue(env.HOST) ?? file.server?.host ?? '127.0.0.1',
    port: env.PORT !== undefined && env.PORT !== '' ? parsePort(env.PORT) : (file.server?.port ?? 8080),
    logLevel: file.server?.logLevel ?? 'info',
    headersTimeoutMs: file.server?.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: file.server?.requestTimeoutMs ?? 30_000,
    keepAliveTimeoutMs: file.server?.keepAliveTimeoutMs ?? 5_000,
    maxConnections: file.server?.maxConnections ?? 10_000,
    maxRequestsPerSocket: file.server?.maxRequestsPerSocket ?? 0,
  };
  if (server.headersTimeoutMs > server.requestTimeoutMs) {
    throw new ConfigError('invalid config: server.headersTimeoutMs must not be longer than server.requestTimeoutMs');
  }
  const delivery = {
    claimMs: file.delivery?.claimMs ?? DEFAULT_CLAIM_MS,
    instanceId: file.delivery?.instanceId ?? envValue(env.RINGSIDE_INSTANCE_ID),
  };
  if (delivery.claimMs <= LONGEST_DELIVERY_TIMEOUT_MS) {
    throw new ConfigError(
      `invalid config: delivery.claimMs must be longer than the longest delivery timeout (${LONGEST_DELIVERY_TIMEOUT_MS} ms)`,
    );
  }
  const metrics = {
    enabled: file.metrics?.enabled ?? true,
    listen: file.metrics?.listen
      ? { host: file.metrics.listen.host ?? '127.0.0.1', port: file.metrics.listen.port }
      : undefined,
    databaseCacheMs: file.metrics?.databaseCacheMs ?? DEFAULT_METRICS_DATABASE_CACHE_MS,
  };
  const storage = resolveStorage(file, env, dataDir);
  const devTenant = useDevTenant ? loadOrCreateDevTenant(dataDir) : undefined;

  const apps = (file.tencent?.apps ?? []).map((app, index): TencentApp => {
    const beforeSendCallback = app.gifting?.beforeSendCallback ?? false;
    if (beforeSendCallback && !app.callback) {
      throw new ConfigError(`invalid config: tencent.apps[${index}].gifting.beforeSendCallback needs a callback.url`);
    }
    return {
      sdkAppId: app.sdkAppId,
      secretKey: app.secretKey,
      admins: app.admins,
      callback: app.callback ? { url: app.callback.url, token: app.callback.token || undefined } : undefined,
      limits: { gifts: app.limits?.gifts ?? 16, rateLimits: app.limits?.rateLimits ?? true },
      gifting: {
        enabled: app.gifting?.enabled ?? true,
        battleScores: app.gifting?.battleScores ?? true,
        beforeSendCallback,
      },
    };
  });
  if (devTenant) {
    const { sdkAppId, secretKey, admin } = devTenant.tencent;
    apps.push({
      sdkAppId,
      secretKey,
      admins: [admin],
      callback: undefined,
      limits: { gifts: 16, rateLimits: true },
      gifting: { enabled: true, battleScores: true, beforeSendCallback: false },
    });
  }
  assertUnique(
    apps.map((a) => a.sdkAppId),
    (i) => `tencent.apps[${i}].sdkAppId`,
  );

  const adminTokens = [...(file.admin?.tokens ?? []), ...(devTenant ? [devTenant.adminToken] : [])];
  assertDistinctAdminTokens(adminTokens);
  const callbackRetry = retryPolicy(file.tencent?.callbackRetry, { initialMs: 1000, maxMs: 60_000, forMs: DAY_MS });
  const jdb = resolveJdb(file.jdb, devTenant);
  const oklp = resolveOklp(file, server, devTenant);
  return {
    server,
    delivery,
    metrics,
    storage,
    dataDir,
    admin: {
      tokens: adminTokens,
      sessionTtlMs: file.admin?.sessionTtlMs ?? DEFAULT_ADMIN_SESSION_TTL_MS,
      behindHttps: file.admin?.behindHttps ?? false,
      console: file.admin?.console ?? true,
    },
    tencent: { apps, callbackRetry, liveEvents: { ...defaultLiveEvents, ...file.tencent?.liveEvents } },
    jdb,
    oklp,
    devTenant,
  };
}

const DAY_MS = 24 * 3600 * 1000;
/** The live-events socket's limits when `tencent.liveEvents` does not set them. */
const defaultLiveEvents: LiveEventsConfig = {
  maxMessageBytes: 16 * 1024,
  maxRoomsPerConnection: 100,
  maxConnectionsPerUser: 10,
  maxConnections: 10_000,
  maxMessagesPerSecond: 20,
  // Hundreds of scoreboards beyond what the kernel's send buffer already holds: seconds of a
  // busy battle for a client that stalls for a moment; at most maxConnections × this in all.
  maxBufferedBytes: 1024 * 1024,
};
/** How long an admin browser session lasts when `admin.sessionTtlMs` is not set: 12 hours. */
const DEFAULT_ADMIN_SESSION_TTL_MS = 12 * 3600 * 1000;
/** How long figures read from the database serve scrapes when `metrics.databaseCacheMs` is not set. */
const DEFAULT_METRICS_DATABASE_CACHE_MS = 5_000;
/** The outbox claim time when `delivery.claimMs` is not set. */
const DEFAULT_CLAIM_MS = 30_000;

function resolveOklp(file: ConfigFile, server: { host: string; port: number }, devTenant: DevTenant | undefined) {
  const section = file.oklp;
  const clients = (section?.clients ?? []).map((client, index): OklpClient => {
    if (client.flow === 'push' && !client.matchInfoUrl) {
      throw new ConfigError(`invalid config: oklp.clients[${index}].matchInfoUrl is required for the push flow`);
    }
    return { ...client, matchInfoUrl: client.matchInfoUrl };
  });
  if (devTenant) clients.push({ ...devTenant.oklp, flow: 'poll', matchInfoUrl: undefined });
  assertUnique(
    clients.map((c) => c.clientId),
    (i) => `oklp.clients[${i}].clientId`,
  );
  const feeBasisPoints = (section?.feePercent ?? 10) * 100;
  if (Math.abs(feeBasisPoints - Math.round(feeBasisPoints)) > 1e-6) {
    throw new ConfigError('invalid config: oklp.feePercent must have at most two decimals');
  }
  const realm = section?.realm ?? 'letsbet';
  const publicUrl = section?.publicUrl ?? `http://${reachableHost(server.host)}:${server.port}`;
  const oklp: OklpConfig = {
    realm,
    publicUrl,
    issuer: `${publicUrl}/auth/realms/${realm}`,
    clients,
    feeBasisPoints: Math.round(feeBasisPoints),
    asyncDeadlineMs: section?.asyncDeadlineMs ?? DAY_MS,
    tokenLifetimeSeconds: section?.tokenLifetimeSeconds ?? 300,
    matchTokenLifetimeSeconds: section?.matchTokenLifetimeSeconds ?? 86400,
    pushRetry: retryPolicy(section?.pushRetry, { initialMs: 1000, maxMs: 10_000, forMs: 60_000 }),
  };
  return oklp;
}

/** A host to reach a server listening on `host` at (wildcards mean this machine). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function retryPolicy(given: Partial<RetryPolicy> | undefined, defaults: RetryPolicy): RetryPolicy {
  return {
    initialMs: given?.initialMs ?? defaults.initialMs,
    maxMs: given?.maxMs ?? defaults.maxMs,
    forMs: given?.forMs ?? defaults.forMs,
  };
}

type JdbFile = NonNullable<ConfigFile['jdb']>;

function resolveJdb(file: JdbFile | undefined, devTenant: DevTenant | undefined): JdbConfig {
  const agents = (file?.agents ?? []).map((agent, i): JdbAgent => {
    for (const field of ['key', 'iv'] as const) {
      if (!/^[\x21-\x7e]{16}$/.test(agent[field])) {
        throw new ConfigError(`invalid config: jdb.agents[${i}].${field} must be exactly 16 ASCII characters`);
      }
    }
    return {
      ...agent,
      rateLimitPerSecond: agent.rateLimitPerSecond ?? 100,
      spinRecords: agent.spinRecords ?? false,
    };
  });
  const fileGames = file?.games ?? (devTenant ? devJdbGames : []);
  const games = fileGames.map((game, i): JdbGame => {
    const field = `jdb.games[${i}]`;
    const betList = game.betList.map((bet) => parseThousandths(bet)!).sort((a, b) => a - b);
    if (betList[0] === 0) throw new ConfigError(`invalid config: ${field}.betList must hold positive amounts`);
    if (game.freeSpinTypes.includes('FEATURE') && !game.feature) {
      throw new ConfigError(`invalid config: ${field}.feature is required when freeSpinTypes includes FEATURE`);
    }
    const feature = game.feature && {
      multiple: game.feature.multiple,
      maxTotalBet: parseThousandths(game.feature.maxTotalBet)!,
    };
    return {
      mType: game.mType,
      gType: game.gType,
      name: game.name,
      betList,
      freeSpinTypes: game.freeSpinTypes,
      feature,
    };
  });
  if (devTenant) {
    const { dc, parent, key, iv } = devTenant.jdb;
    agents.push({
      dc,
      parent,
      key,
      iv,
      currency: DEV_JDB_CURRENCY,
      walletUrl: DEV_JDB_WALLET_URL,
      rateLimitPerSecond: 100,
      spinRecords: false,
    });
  }
  assertUnique(
    agents.map((a) => a.parent),
    (i) => `jdb.agents[${i}].parent`,
  );
  assertUnique(
    games.map((g) => g.mType),
    (i) => `jdb.games[${i}].mType`,
  );
  return {
    agents,
    games,
    payoutRetry: {
      intervalMs: file?.payoutRetry?.intervalMs ?? 60_000,
      forMs: file?.payoutRetry?.forMs ?? 3_600_000,
    },
    spinRecordRetry: retryPolicy(file?.spinRecordRetry, { initialMs: 1000, maxMs: 3_600_000, forMs: 12 * 3_600_000 }),
  };
}

/** The data directory: RINGSIDE_DATA_DIR, or ./data. */
export function dataDirFrom(env: NodeJS.ProcessEnv): string {
  return resolve(envValue(env.RINGSIDE_DATA_DIR) ?? './data');
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function resolveStorage(file: ConfigFile, env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  const databaseUrl = envValue(env.DATABASE_URL);
  if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new ConfigError('invalid config: DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    const fromFile = file.storage?.postgres;
    return { kind: 'postgres', url: databaseUrl, schema: fromFile?.schema, poolSize: fromFile?.poolSize ?? 10 };
  }
  const storage = file.storage;
  if (storage?.sqlite && storage.postgres) {
    throw new ConfigError('invalid config: storage must have either sqlite or postgres, not both');
  }
  if (storage?.postgres) {
    const { url, schema, poolSize } = storage.postgres;
    return { kind: 'postgres', url, schema, poolSize: poolSize ?? 10 };
  }
  if (storage && !storage.sqlite) throw new ConfigError('invalid config: storage must have sqlite or postgres');
  return { kind: 'sqlite', path: resolve(storage?.sqlite?.path ?? `${dataDir}/ringside.db`) };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError('invalid config: PORT must be an integer between 0 and 65535');
  }
  return port;
}

/** Each name is one token's, each token has one name: the audit log's "who" is never ambiguous. */
function assertDistinctAdminTokens(entries: AdminTokenEntry[]): void {
  const names = new Set<string>();
  const tokens = new Set<string>();
  entries.forEach((entry, index) => {
    const { name, token } = adminTokenOf(entry);
    // The token itself is never in a message: the index says which entry.
    if (tokens.has(token)) throw new ConfigError(`invalid config: admin.tokens[${index}] repeats an earlier token`);
    if (names.has(name)) throw new ConfigError(`invalid config: admin.tokens[${index}].name ${name} appears twice`);
    tokens.add(token);
    names.add(name);
  });
}

function assertUnique<T>(values: T[], fieldAt: (index: number) => string): void {
  const seen = new Set<T>();
  values.forEach((value, index) => {
    if (seen.has(value)) throw new ConfigError(`invalid config: ${fieldAt(index)} ${String(value)} appears twice`);
    seen.add(value);
  });
}

/** An environment variable's value; an empty one counts as unset. */
function envValue(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
