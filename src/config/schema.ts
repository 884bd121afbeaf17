import { Type, type Static } from '@sinclair/typebox';
import type { AdminTokenEntry } from './adminTokens.js';

/** The config file's shape (DESIGN.md, "Configuration contract"). Unknown fields are refused. */
const strict = { additionalProperties: false } as const;

const nonEmpty = Type.String({ minLength: 1 });
const httpUrl = Type.String({ minLength: 1, pattern: '^https?://' });

export const ServerConfigSchema = Type.Object(
  {
    host: Type.Optional(nonEmpty),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    logLevel: Type.Optional(
      Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    ),
    /** A request's headers must have arrived this long after its connection is ready for it. */
    headersTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The whole request (headers and body) must have arrived this long after it began. */
    requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** An idle keep-alive connection is closed after this long. */
    keepAliveTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Connections held at once; further ones are refused. */
    maxConnections: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Requests served on one keep-alive connection before it is closed; 0: no limit. */
    maxRequestsPerSocket: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

/** The outbox dispatcher (`delivery/dispatcher.ts`). */
export const DeliveryConfigSchema = Type.Object(
  {
    /**
     * How long a process holds a delivery it is sending before another process may send it
     * again; longer than the longest delivery timeout (`LONGEST_DELIVERY_TIMEOUT_MS`).
     */
    claimMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Names this process's claims; a process restarted under the same id releases them at once. */
    instanceId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);

/** Prometheus metrics (`GET /metrics`, docs/metrics.md). */
export const MetricsConfigSchema = Type.Object(
  {
    /** Off: no `/metrics`, and requests are not measured. */
    enabled: Type.Optional(Type.Boolean()),
    /**
     * Serve `/metrics` on a listener of its own (no admin token there: bind it to an address
     * only Prometheus reaches) instead of on the main port behind the admin token.
     */
    listen: Type.Optional(
      Type.Object({ host: Type.Optional(nonEmpty), port: Type.Integer({ minimum: 0, maximum: 65535 }) }, strict),
    ),
    /** Figures read from the database are read at most this often; scrapes in between reuse them. */
    databaseCacheMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  },
  strict,
);

/** The longest timeout of any outbound delivery (OkLetsPlay match pushes: 5 s). */
export const LONGEST_DELIVERY_TIMEOUT_MS = 5000;

/** Exactly one of `sqlite` or `postgres` (checked by the loader, which can name the field). */
export const StorageConfigSchema = Type.Object(
  {
    sqlite: Type.Optional(Type.Object({ path: nonEmpty }, strict)),
    postgres: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^postgres(ql)?://' }),
          /** Optional schema to keep Ringside's tables in (created when missing). */
          schema: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
          poolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** Exponential backoff for outbound deliveries: first wait, longest wait, and for how long to try. */
export const RetrySchema = Type.Object(
  {
    initialMs: Type.Optional(Type.Integer({ minimum: 1 })),
    maxMs: Type.Optional(Type.Integer({ minimum: 1 })),
    forMs: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

export const TencentAppSchema = Type.Object(
  {
    sdkAppId: Type.Integer({ minimum: 1, maximum: 4294967295 }),
    secretKey: nonEmpty,
    admins: Type.Array(nonEmpty, { minItems: 1 }),
    callback: Type.Optional(Type.Object({ url: httpUrl, token: Type.Optional(Type.String()) }, strict)),
    limits: Type.Optional(
      Type.Object(
        {
          gifts: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
          rateLimits: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    gifting: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          battleScores: Type.Optional(Type.Boolean()),
          beforeSendCallback: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
  },
  strict,
);

/**
 * The live-events WebSocket (`surfaces/tencent/liveEventSocket.ts`): everything a client
 * controls is bounded. Counts are per process: each process holds its own sockets.
 */
export const LiveEventsConfigSchema = Type.Object(
  {
    /** A client message (one WebSocket message, all its frames) larger than this closes the socket with 1009. */
    maxMessageBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 * 1024 })),
    /** Rooms one connection may subscribe to; a Subscribe beyond it gets an Error event. */
    maxRoomsPerConnection: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Connections one user (app and identifier) may hold at once; a further one is refused. */
    maxConnectionsPerUser: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Connections the process holds at once, every user of every app together. */
    maxConnections: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Client messages per second on one connection; one more closes the socket with 1008. */
    maxMessagesPerSecond: Type.Optional(Type.Integer({ minimum: 1 })),
    /**
     * Bytes the server may hold unsent for one connection (what the kernel has not taken);
     * a connection over it when the server next sends to it is dropped.
     */
    maxBufferedBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);

const decimal = Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,3})?$' });

/** A JDB agent ("parent" account): its transport credentials and its wallet. */
export const JdbAgentSchema = Type.Object(
  {
    dc: Type.String({ minLength: 2, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' }),
    /** JDB's `parent` is String(50): 50 characters. */
    parent: Type.String({ minLength: 1, maxLength: 50 }),
    /** 16 ASCII characters each, used as the raw AES-128 key and IV (checked by the loader). */
    key: Type.String(),
    iv: Type.String(),
    currency: Type.String({ minLength: 1, maxLength: 10 }),
    walletUrl: httpUrl,
    /** Calls per second per action; 0 switches the limit off. */
    rateLimitPerSecond: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    /** Sends Action 17 (one record per free spin) to the wallet. */
    spinRecords: Type.Optional(Type.Boolean()),
  },
  strict,
);

const freeSpinType = Type.Union([Type.Literal('NORMAL'), Type.Literal('FEATURE')]);

/** A game of the JDB catalog (Action 49) that free-spin events can use. */
export const JdbGameSchema = Type.Object(
  {
    mType: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    gType: Type.Integer({ minimum: 0, maximum: 2147483647 }),
    name: nonEmpty,
    betList: Type.Array(decimal, { minItems: 1, maxItems: 100 }),
    freeSpinTypes: Type.Array(freeSpinType, { minItems: 1, uniqueItems: true }),
    feature: Type.Optional(
      Type.Object({ multiple: Type.Integer({ minimum: 1, maximum: 10000 }), maxTotalBet: decimal }, strict),
    ),
  },
  strict,
);

export const JdbConfigSchema = Type.Object(
  {
    agents: Type.Optional(Type.Array(JdbAgentSchema)),
    games: Type.Optional(Type.Array(JdbGameSchema)),
    /** Action 16 payouts: tried every `intervalMs` until `forMs` after the cashout. */
    payoutRetry: Type.Optional(
      Type.Object(
        { intervalMs: Type.Optional(Type.Integer({ minimum: 1 })), forMs: Type.Optional(Type.Integer({ minimum: 1 })) },
        strict,
      ),
    ),
    /** Action 17 spin records: exponential backoff. */
    spinRecordRetry: Type.Optional(RetrySchema),
  },
  strict,
);

export const OklpClientSchema = Type.Object(
  {
    clientId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' }),
    clientSecret: Type.String({ minLength: 16 }),
    flow: Type.Union([Type.Literal('push'), Type.Literal('poll')]),
    /** Where new-match stubs are PUT (push flow; required there). */
    matchInfoUrl: Type.Optional(httpUrl),
  },
  strict,
);

export const OklpConfigSchema = Type.Object(
  {
    realm: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    /** The base URL games reach Ringside at; the JWT issuer is `{publicUrl}/auth/realms/{realm}`. */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^/]+(/.*[^/])?$' })),
    clients: Type.Array(OklpClientSchema),
    /** Platform fee, percent of the pot, up to two decimals. */
    feePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    asyncDeadlineMs: Type.Optional(Type.Integer({ minimum: 1000 })),
    tokenLifetimeSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    matchTokenLifetimeSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    pushRetry: Type.Optional(RetrySchema),
  },
  strict,
);

/**
 * An admin token: a plain string, or `{name, token}` (the name is who the audit log says made a
 * request). One schema for both forms rather than a union, so that a refusal names the rule
 * broken (a short token, a missing name) instead of "matches no form".
 */
const AdminTokenSchema = Type.Unsafe<AdminTokenEntry>({
  type: ['string', 'object'],
  minLength: 16,
  properties: {
    // No ':': `token:<fingerprint>` names the plain tokens.
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^:]+$' }),
    token: Type.String({ minLength: 16 }),
  },
  required: ['name', 'token'],
  additionalProperties: false,
});

export const ConfigFileSchema = Type.Object(
  {
    server: Type.Optional(ServerConfigSchema),
    delivery: Type.Optional(DeliveryConfigSchema),
    metrics: Type.Optional(MetricsConfigSchema),
    storage: Type.Optional(StorageConfigSchema),
    admin: Type.Optional(
      Type.Object(
        {
          tokens: Type.Array(AdminTokenSchema),
          /** How long a browser session (`POST /admin/v1/session`) lasts. */
          sessionTtlMs: Type.Optional(Type.Integer({ minimum: 1000 })),
          /** The server is reached over HTTPS (a proxy ends TLS): session cookies are `Secure`. */
          behindHttps: Type.Optional(Type.Boolean()),
          /** Serve the web console at `/console` (default true). */
          console: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    tencent: Type.Optional(
      Type.Object(
        {
          apps: Type.Array(TencentAppSchema),
          callbackRetry: Type.Optional(RetrySchema),
          liveEvents: Type.Optional(LiveEventsConfigSchema),
        },
        strict,
      ),
    ),
    jdb: Type.Optional(JdbConfigSchema),
    oklp: Type.Optional(OklpConfigSchema),
  },
  strict,
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type TencentAppConfig = Static<typeof TencentAppSchema>;

/** The resolved configuration the server runs with: every default filled in. */
export interface Config {
  server: ServerConfig;
  delivery: DeliveryConfig;
  metrics: MetricsConfig;
  storage: StorageConfig;
  dataDir: string;
  /** The tokens as configured (plus the development tenant's); `adminTokens(config)` names them. */
  /** `tokens` as configured (plus the development tenant's); `adminTokens(config)` names them. */
  admin: AdminConfig;
  tencent: { apps: TencentApp[]; callbackRetry: RetryPolicy; liveEvents: LiveEventsConfig };
  jdb: JdbConfig;
  oklp: OklpConfig;
  /** Set when Ringside made up a development tenant because no config file was given. */
  devTenant: DevTenant | undefined;
}

export interface AdminConfig {
  tokens: AdminTokenEntry[];
  sessionTtlMs: number;
  behindHttps: boolean;
  /** The web console is served at `/console`. */
  console: boolean;
}

export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxRequestsPerSocket: number;
}

export interface DeliveryConfig {
  claimMs: number;
  /** Unset: claims carry no id a later process could recognise, and lapse after `claimMs`. */
  instanceId: string | undefined;
}

export interface MetricsConfig {
  enabled: boolean;
  /** Set: `/metrics` is served there (without a token), not on the main port. */
  listen: { host: string; port: number } | undefined;
  databaseCacheMs: number;
}

export type StorageConfig =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string | undefined; poolSize: number };

export interface TencentApp {
  sdkAppId: number;
  secretKey: string;
  admins: string[];
  callback: { url: string; token: string | undefined } | undefined;
  limits: { gifts: number; rateLimits: boolean };
  /** Gift APIs on/off (102001 when off); gift value into battle scores; before-send-gift approval. */
  gifting: { enabled: boolean; battleScores: boolean; beforeSendCallback: boolean };
}

/** The live-events socket's limits, every default filled in (see `LiveEventsConfigSchema`). */
export interface LiveEventsConfig {
  maxMessageBytes: number;
  maxRoomsPerConnection: number;
  maxConnectionsPerUser: number;
  maxConnections: number;
  maxMessagesPerSecond: number;
  maxBufferedBytes: number;
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  forMs: number;
}

export interface JdbConfig {
  agents: JdbAgent[];
  games: JdbGame[];
  payoutRetry: { intervalMs: number; forMs: number };
  spinRecordRetry: RetryPolicy;
}

export interface JdbAgent {
  dc: string;
  parent: string;
  key: string;
  iv: string;
  currency: string;
  walletUrl: string;
  rateLimitPerSecond: number;
  spinRecords: boolean;
}

/** A catalog game, its amounts in thousandths (bets ascending). */
export interface JdbGame {
  mType: number;
  gType: number;
  name: string;
  betList: number[];
  freeSpinTypes: Array<'NORMAL' | 'FEATURE'>;
  feature: { multiple: number; maxTotalBet: number } | undefined;
}

export interface OklpClient {
  clientId: string;
  clientSecret: string;
  flow: 'push' | 'poll';
  /** Set for the push flow. */
  matchInfoUrl: string | undefined;
}

export interface OklpConfig {
  realm: string;
  /** `{publicUrl}/auth/realms/{realm}`: the `iss` of every token Ringside signs. */
  issuer: string;
  publicUrl: string;
  clients: OklpClient[];
  /** The platform fee in basis points (hundredths of a percent) of a match's pot. */
  feeBasisPoints: number;
  asyncDeadlineMs: number;
  tokenLifetimeSeconds: number;
  matchTokenLifetimeSeconds: number;
  /** Backoff for match-info pushes that fail to connect (any HTTP answer but 200 is final). */
  pushRetry: RetryPolicy;
}

export interface DevTenant {
  tencent: { sdkAppId: number; secretKey: string; admin: string };
  adminToken: string;
  jdb: { dc: string; parent: string; key: string; iv: string };
  oklp: { clientId: string; clientSecret: string };
}
