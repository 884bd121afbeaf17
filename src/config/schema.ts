import { Type, type Static } from '@sinclair/typebox';

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
  },
  strict,
);

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

export const ConfigFileSchema = Type.Object(
  {
    server: Type.Optional(ServerConfigSchema),
    storage: Type.Optional(StorageConfigSchema),
    admin: Type.Optional(Type.Object({ tokens: Type.Array(Type.String({ minLength: 16 })) }, strict)),
    tencent: Type.Optional(
      Type.Object({ apps: Type.Array(TencentAppSchema), callbackRetry: Type.Optional(RetrySchema) }, strict),
    ),
    // Validated by their own capabilities as they are built.
    jdb: Type.Optional(Type.Object({})),
    oklp: Type.Optional(Type.Object({})),
  },
  strict,
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type TencentAppConfig = Static<typeof TencentAppSchema>;

/** The resolved configuration the server runs with: every default filled in. */
export interface Config {
  server: { host: string; port: number; logLevel: string };
  storage: StorageConfig;
  dataDir: string;
  admin: { tokens: string[] };
  tencent: { apps: TencentApp[]; callbackRetry: { initialMs: number; maxMs: number; forMs: number } };
  /** Set when Ringside made up a development tenant because no config file was given. */
  devTenant: DevTenant | undefined;
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

export interface DevTenant {
  tencent: { sdkAppId: number; secretKey: string; admin: string };
  adminToken: string;
}
