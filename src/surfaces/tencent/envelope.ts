import { randomHex } from '../../platform/ids.js';

/** The body of every Tencent REST reply (HTTP 200 always). */
export interface Envelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  RequestId: string;
  [field: string]: unknown;
}

/** 96 random bits per process: request ids of several processes never collide. */
const processPrefix = randomHex(12);
let sequence = 0;

/**
 * `Id-<32 hex>-O-Seq-<n>`, the shape of Tencent's own request ids: this process's random
 * prefix and a counter (cheaper than a random UUID per request, and as unique).
 */
export function newRequestId(): string {
  sequence = (sequence + 1) % 0x100000000;
  return `Id-${processPrefix}${sequence.toString(16).padStart(8, '0')}-O-Seq-${sequence}`;
}

export function okEnvelope(requestId: string, payload: Record<string, unknown> | undefined): Envelope {
  return { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', RequestId: requestId, ...payload };
}

export function failEnvelope(requestId: string, code: number, info: string): Envelope {
  return { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info, RequestId: requestId };
}
