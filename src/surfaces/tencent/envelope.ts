import { uniqueHex32 } from '../../platform/ids.js';

/** The body of every Tencent REST reply (HTTP 200 always). */
export interface Envelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  RequestId: string;
  [field: string]: unknown;
}

let sequence = 0;

/** `Id-<32 hex>-O-Seq-<n>`, the shape of Tencent's own request ids. */
export function newRequestId(): string {
  sequence = (sequence + 1) % 1_000_000_000;
  return `Id-${uniqueHex32()}-O-Seq-${sequence}`;
}

export function okEnvelope(requestId: string, payload: Record<string, unknown> | undefined): Envelope {
  return { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', RequestId: requestId, ...payload };
}

export function failEnvelope(requestId: string, code: number, info: string): Envelope {
  return { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info, RequestId: requestId };
}
