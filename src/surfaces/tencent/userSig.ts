import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Tencent UserSig (TLSSigAPIv2): JSON document, zlib-deflated, base64 with `+/=` replaced by
 * `*-_`. Verified by decoding and recomputing the HMAC-SHA256, never by string comparison.
 */
export interface UserSigDocument {
  identifier: string;
  sdkAppId: number;
  /** Issue time, Unix seconds. */
  time: number;
  /** Validity, seconds after `time`. */
  expire: number;
  signature: string;
  userBuf: string | undefined;
}

export type UserSigFailure =
  'undecodable' | 'sdkappid_mismatch' | 'identifier_mismatch' | 'signature_mismatch' | 'expired';

const MAX_SIG_CHARS = 4096;
const MAX_DOCUMENT_BYTES = 4096;

export function generateUserSig(options: {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  expireSeconds: number;
  nowSeconds?: number;
}): string {
  const time = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': options.identifier,
    'TLS.sdkappid': options.sdkAppId,
    'TLS.expire': options.expireSeconds,
    'TLS.time': time,
    'TLS.sig': sign(options.secretKey, {
      identifier: options.identifier,
      sdkAppId: options.sdkAppId,
      time,
      expire: options.expireSeconds,
      userBuf: undefined,
    }),
  };
  const packed = deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64');
  return packed.replaceAll('+', '*').replaceAll('/', '-').replaceAll('=', '_');
}

/** Decodes a UserSig without checking it; undefined when it is not a well-formed UserSig. */
export function decodeUserSig(userSig: string): UserSigDocument | undefined {
  if (userSig.length === 0 || userSig.length > MAX_SIG_CHARS || !/^[A-Za-z0-9*\-_]+$/.test(userSig)) return undefined;
  const base64 = userSig.replaceAll('*', '+').replaceAll('-', '/').replaceAll('_', '=');
  let doc: Record<string, unknown>;
  try {
    const json = inflateSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_DOCUMENT_BYTES }).toString('utf8');
    doc = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const identifier = doc['TLS.identifier'];
  const sdkAppId = Number(doc['TLS.sdkappid']);
  const time = Number(doc['TLS.time']);
  const expire = Number(doc['TLS.expire']);
  const signature = doc['TLS.sig'];
  const userBuf = doc['TLS.userbuf'];
  if (typeof identifier !== 'string' || typeof signature !== 'string') return undefined;
  if (![sdkAppId, time, expire].every(Number.isSafeInteger)) return undefined;
  if (userBuf !== undefined && typeof userBuf !== 'string') return undefined;
  return { identifier, sdkAppId, time, expire, signature, userBuf };
}

/** Whether the document's signature was made with `secretKey`. */
export function hasValidSignature(doc: UserSigDocument, secretKey: string): boolean {
  const expected = Buffer.from(sign(secretKey, doc), 'base64');
  const actual = Buffer.from(doc.signature, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function isExpired(doc: UserSigDocument, nowSeconds: number): boolean {
  return nowSeconds > doc.time + doc.expire;
}

function sign(secretKey: string, doc: Omit<UserSigDocument, 'signature'>): string {
  let content =
    `TLS.identifier:${doc.identifier}\n` +
    `TLS.sdkappid:${doc.sdkAppId}\n` +
    `TLS.time:${doc.time}\n` +
    `TLS.expire:${doc.expire}\n`;
  if (doc.userBuf !== undefined) content += `TLS.userbuf:${doc.userBuf}\n`;
  return createHmac('sha256', secretKey).update(content).digest('base64');
}

/**
 * Verifies UserSigs for one app, remembering the ones whose signature checked out so the
 * hot path does not inflate and HMAC the same token on every call. Identity and expiry are
 * checked on every call.
 */
export class UserSigVerifier {
  private readonly verified = new Map<string, UserSigDocument>();

  constructor(
    private readonly sdkAppId: number,
    private readonly secretKey: string,
    private readonly cacheSize = 10_000,
  ) {}

  verify(userSig: string, identifier: string, nowSeconds: number): UserSigFailure | undefined {
    let doc = this.verified.get(userSig);
    if (!doc) {
      doc = decodeUserSig(userSig);
      if (!doc) return 'undecodable';
      if (doc.sdkAppId !== this.sdkAppId) return 'sdkappid_mismatch';
      if (!hasValidSignature(doc, this.secretKey)) return 'signature_mismatch';
      if (this.verified.size >= this.cacheSize) this.verified.clear();
      this.verified.set(userSig, doc);
    }
    if (doc.identifier !== identifier) return 'identifier_mismatch';
    if (isExpired(doc, nowSeconds)) return 'expired';
    return undefined;
  }
}
