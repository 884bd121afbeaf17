import { parseArgs } from 'node:util';
import { DEV_JDB_WALLET_URL, readDevTenant } from './config/devTenant.js';
import { ConfigError, dataDirFrom, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { generateUserSig } from './surfaces/tencent/userSig.js';
import { isOperatorGroup, operatorUsage, runOperatorCommand } from './cli/admin.js';

const usage = `Usage:
  ringside serve [--config FILE]
      Runs the server. Without a config file (or RINGSIDE_CONFIG) it serves a development
      tenant on the embedded SQLite database. Env overrides: HOST, PORT, DATABASE_URL,
      RINGSIDE_DATA_DIR.
  ringside usersig --sdkappid N --key K --identifier ID [--expire SECONDS]
      Prints a Tencent UserSig. Without --sdkappid and --key it signs for the development
      tenant kept in the data directory.
  ringside help
      Prints this.

${operatorUsage()}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'usersig':
      return printUserSig(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return command === undefined ? 1 : 0;
    default:
      if (isOperatorGroup(command)) return runOperatorCommand(argv);
      process.stderr.write(`unknown command: ${command}\n\n${usage}`);
      return 1;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' } } });
  let config: Config;
  try {
    config = loadConfig({ file: values.config });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ringside: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  // Loaded here, not at the top: the other commands start without the whole server.
  const { buildApp } = await import('./app.js');
  const ringside = await buildApp(config);
  const address = await ringside.http.listen({ host: config.server.host, port: config.server.port });
  const url = address.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
  // The listening line comes last: scripts and tests wait for it.
  if (config.devTenant) process.stdout.write(devTenantBanner(config, url));
  if (ringside.metricsUrl) process.stdout.write(`Ringside metrics on ${ringside.metricsUrl} (no token)\n`);
  process.stdout.write(`Ringside listening on ${url} (storage: ${describeStorage(config)})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`ringside: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    ringside.http.log.info({ signal }, 'shutting down');
    ringside.close().then(
      () => process.exit(0),
      (error: unknown) => {
        ringside.http.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}

function describeStorage(config: Config): string {
  const { storage } = config;
  if (storage.kind === 'sqlite') return `sqlite ${storage.path}`;
  return `postgres${storage.schema ? `, schema ${storage.schema}` : ''}`;
}

function devTenantBanner(config: Config, url: string): string {
  const tenant = config.devTenant!;
  const { sdkAppId, secretKey, admin } = tenant.tencent;
  const userSig = generateUserSig({ sdkAppId, secretKey, identifier: admin, expireSeconds: 7 * 24 * 3600 });
  const target = `${url}/v4/live_engine_http_srv/create_room?sdkappid=${sdkAppId}&identifier=${admin}&usersig=${userSig}&random=1&contenttype=json`;
  const { clientId, clientSecret } = tenant.oklp;
  const tokenUrl = `${url}/auth/realms/${config.oklp.realm}/protocol/openid-connect/token`;
  return [
    '',
    `Development tenant (no config file given; its secrets are kept in ${config.dataDir}/dev-tenant.json):`,
    `  Tencent app: sdkAppId ${sdkAppId}, admin "${admin}", secret key ${secretKey}`,
    `  OkLetsPlay game client (poll flow, realm "${config.oklp.realm}"): client_id ${clientId}, client_secret ${clientSecret}`,
    `  Admin API token: ${tenant.adminToken}`,
    ...(config.admin.console ? [`  Web console: ${url}/console (sign in with the admin API token)`] : []),
    `  JDB agent (${url}/apiRequest.do): dc "${tenant.jdb.dc}", parent "${tenant.jdb.parent}", key ${tenant.jdb.key}, iv ${tenant.jdb.iv}`,
    `    games ${config.jdb.games.map((game) => game.mType).join(', ')}; Action 16 payouts go to ${DEV_JDB_WALLET_URL}`,
    'Try it (the UserSig below is valid for 7 days):',
    `  curl -s -X POST '${target}' -d '{"RoomInfo":{"RoomId":"room-1","RoomType":"Live"}}'`,
    `  curl -s ${tokenUrl} -d grant_type=client_credentials -d scope=olp-report-api -d client_id=${clientId} -d client_secret=${clientSecret}`,
    '',
  ].join('\n');
}

function printUserSig(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      sdkappid: { type: 'string' },
      key: { type: 'string' },
      identifier: { type: 'string' },
      expire: { type: 'string', default: String(7 * 24 * 3600) },
    },
  });
  let sdkAppId = values.sdkappid;
  let key = values.key;
  if (sdkAppId === undefined && key === undefined) {
    const dev = readDevTenant(dataDirFrom(process.env));
    if (dev) {
      sdkAppId = String(dev.tencent.sdkAppId);
      key = dev.tencent.secretKey;
    }
  }
  const identifier = values.identifier;
  const expire = Number(values.expire);
  const problems = [
    !sdkAppId || !/^\d+$/.test(sdkAppId) ? '--sdkappid must be a positive integer' : '',
    !key ? '--key is required (or run `ringside serve` once to create the development tenant)' : '',
    !identifier ? '--identifier is required' : '',
    !Number.isSafeInteger(expire) || expire <= 0 ? '--expire must be a positive number of seconds' : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    process.stderr.write(`ringside usersig: ${problems.join('; ')}\n\n${usage}`);
    return 1;
  }
  const sig = generateUserSig({
    sdkAppId: Number(sdkAppId),
    secretKey: key!,
    identifier: identifier!,
    expireSeconds: expire,
  });
  process.stdout.write(`${sig}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ringside: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
