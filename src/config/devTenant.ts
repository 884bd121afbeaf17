import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../platform/ids.js';
import type { DevTenant } from './schema.js';

export const DEV_SDK_APP_ID = 1400000000;
export const DEV_ADMIN_IDENTIFIER = 'administrator';
export const DEV_JDB_DC = 'dev';
export const DEV_JDB_PARENT = 'devagent';
/** Where the development JDB agent's wallet (Action 16 payouts) is expected. */
export const DEV_JDB_WALLET_URL = 'http://127.0.0.1:9000/jdb';
export const DEV_JDB_CURRENCY = 'USD';
export const DEV_OKLP_CLIENT_ID = 'ringside-dev-game';

/** The development tenant's game catalog (config-file form), so free spins work out of the box. */
export const devJdbGames = [
  {
    mType: 14077,
    gType: 0,
    name: 'Demo Slot A',
    betList: ['1', '5', '15', '20', '30'],
    freeSpinTypes: ['NORMAL', 'FEATURE'] as Array<'NORMAL' | 'FEATURE'>,
    feature: { multiple: 50, maxTotalBet: '1000' },
  },
  {
    mType: 14085,
    gType: 0,
    name: 'Demo Slot B',
    betList: ['1', '5', '20', '25', '30'],
    freeSpinTypes: ['NORMAL'] as Array<'NORMAL' | 'FEATURE'>,
  },
];

/**
 * The development tenant used when no config file is given. Its secrets are made once and
 * kept in the data directory, so UserSigs, tokens and JDB keys stay valid across restarts.
 */
export function loadOrCreateDevTenant(dataDir: string): DevTenant {
  const file = devTenantFile(dataDir);
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevTenant>) : undefined;
  if (stored?.tencent?.secretKey && stored.adminToken && stored.jdb?.key && stored.oklp?.clientSecret) {
    return stored as DevTenant;
  }
  // Secrets already handed out stay; the ones missing (a file from an older version) are added.
  const tenant: DevTenant = {
    tencent: stored?.tencent?.secretKey
      ? stored.tencent
      : { sdkAppId: DEV_SDK_APP_ID, secretKey: randomToken(32), admin: DEV_ADMIN_IDENTIFIER },
    adminToken: stored?.adminToken || randomToken(24),
    // AES-128 key and iv as JDB issues them: 16 characters (12 random bytes in base64url).
    jdb: stored?.jdb?.key
      ? stored.jdb
      : { dc: DEV_JDB_DC, parent: DEV_JDB_PARENT, key: randomToken(12), iv: randomToken(12) },
    oklp: stored?.oklp?.clientSecret ? stored.oklp : { clientId: DEV_OKLP_CLIENT_ID, clientSecret: randomToken(24) },
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(tenant, null, 2)}\n`, { mode: 0o600 });
  return tenant;
}

export function devTenantFile(dataDir: string): string {
  return join(dataDir, 'dev-tenant.json');
}

export function readDevTenant(dataDir: string): DevTenant | undefined {
  const file = devTenantFile(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DevTenant;
}
