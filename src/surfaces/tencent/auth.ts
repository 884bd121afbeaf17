import type { TencentApp } from '../../config/schema.js';
import type { Clock } from '../../platform/clock.js';
import { describeBadText, isCleanId } from '../../platform/validation.js';
import { TencentCode, userSigFailureToTencent } from './errorCodes.js';
import { UserSigVerifier } from './userSig.js';

/** A refusal with a Tencent code, raised while checking a request. */
export class Refusal {
  constructor(
    readonly code: number,
    readonly info: string,
  ) {}
}

export type Query = Record<string, string | string[] | undefined>;

export interface Tenant {
  app: TencentApp;
  admins: Set<string>;
  verifier: UserSigVerifier;
}

const UINT32_MAX = 4294967295;

/** Tencent's URL authentication: `sdkappid`, `identifier` and a UserSig of that identifier. */
export class TencentAuth {
  private readonly tenants: Map<number, Tenant>;

  constructor(
    apps: TencentApp[],
    private readonly clock: Clock,
  ) {
    this.tenants = new Map(
      apps.map((app) => [
        app.sdkAppId,
        { app, admins: new Set(app.admins), verifier: new UserSigVerifier(app.sdkAppId, app.secretKey) },
      ]),
    );
  }

  /** The app and the identifier whose UserSig checked out; any identifier (not only admins). */
  authenticate(query: Query): { tenant: Tenant; identifier: string } {
    const sdkAppId = single(query, 'sdkappid');
    if (sdkAppId === undefined || sdkAppId === '') {
      throw new Refusal(TencentCode.sdkAppIdMissing, 'sdkappid is missing from the URL');
    }
    if (!/^\d{1,10}$/.test(sdkAppId)) throw new Refusal(TencentCode.badRequest, 'sdkappid must be a positive integer');
    const tenant = this.tenants.get(Number(sdkAppId));
    if (!tenant) throw new Refusal(TencentCode.unknownSdkAppId, `sdkappid ${sdkAppId} is not a valid app`);

    const random = single(query, 'random');
    if (random !== undefined && !(/^\d{1,10}$/.test(random) && Number(random) <= UINT32_MAX)) {
      throw new Refusal(TencentCode.badRequest, 'random must be an unsigned 32-bit integer');
    }
    const contentType = single(query, 'contenttype');
    if (contentType !== undefined && contentType.toLowerCase() !== 'json') {
      throw new Refusal(TencentCode.badRequest, 'contenttype must be json');
    }
    const identifier = single(query, 'identifier');
    if (identifier === undefined || identifier === '') {
      throw new Refusal(TencentCode.identifierMissing, 'identifier is missing from the URL');
    }
    // Stored as an owner or operator: the id rule of every surface (platform/validation.ts).
    if (!isCleanId(identifier)) {
      throw new Refusal(TencentCode.identifierMissing, describeBadText(identifier, 'identifier in the URL', true));
    }
    const userSig = single(query, 'usersig');
    if (userSig === undefined) throw new Refusal(TencentCode.userSigMissing, 'usersig is missing from the URL');
    if (userSig === '') throw new Refusal(TencentCode.userSigEmpty, 'usersig is empty');

    const failure = tenant.verifier.verify(userSig, identifier, Math.floor(this.clock.now() / 1000));
    if (failure) {
      const { code, info } = userSigFailureToTencent[failure];
      throw new Refusal(code, info);
    }
    return { tenant, identifier };
  }

  /** Refuses (with `code`, 60010 by default) an identifier that is not one of the app's admins. */
  requireAdmin(caller: { tenant: Tenant; identifier: string }, code: number = TencentCode.notAdmin): void {
    if (!caller.tenant.admins.has(caller.identifier)) {
      throw new Refusal(code, `identifier ${caller.identifier} is not an app administrator`);
    }
  }
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new Refusal(TencentCode.badRequest, `${name} appears more than once in the URL`);
  return value;
}
