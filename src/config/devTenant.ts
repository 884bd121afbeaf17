import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../platform/ids.js';
import type { DevTenant } from './schema.js';

export const DEV_SDK_APP_ID = 1400000000;
export const DEV_ADMIN_IDENTIFIER = 'administrator';
export const DEV_OKLP_CLIENT_ID = 'ringside-dev-game';

/**
 * The development tenant used when no config file is given. Its secrets are made once and
 * kept in the data directory, so UserSigs and tokens stay valid across restarts.
 */
export function loadOrCreateDevTenant(dataDir: string): DevTenant {
  const file = devTenantFile(dataDir);
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevTenant>) : undefined;
  if (stored?.tencent?.secretKey && stored.adminToken && stored.oklp?.clientSecret) return stored as DevTenant;
  // Secrets already handed out stay; the ones missing (a file from an older version) are added.
  const tenant: DevTenant = {
    tencent: stored?.tencent?.secretKey
      ? stored.tencent
      : { sdkAppId: DEV_SDK_APP_ID, secretKey: randomToken(32), admin: DEV_ADMIN_IDENTIFIER },
    adminToken: stored?.adminToken || randomToken(24),
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
