import { randomBytes, randomUUID } from 'node:crypto';

/** A random lowercase hex string of `bytes` bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A URL-safe random token of `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** 32 hex characters, unique per call (a UUID v4 without dashes). */
export function uniqueHex32(): string {
  return randomUUID().replaceAll('-', '');
}
