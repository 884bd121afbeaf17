import { Type } from '@sinclair/typebox';
import { adminRefusals } from './errorCodes.js';

const epochMs = Type.String({ pattern: '^[0-9]{1,15}$', description: 'Unix epoch milliseconds' });

/** A listing's time range: `from` (inclusive) and `to` (exclusive), Unix epoch milliseconds. */
export const timeRangeQuery = { from: Type.Optional(epochMs), to: Type.Optional(epochMs) };

export function timeRange(query: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = query.from === undefined ? undefined : Number(query.from);
  const to = query.to === undefined ? undefined : Number(query.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw adminRefusals.invalidParameter(`from (${from}) must be before to (${to})`);
  }
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

/** A yes/no query parameter. */
export const booleanQuery = Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')]));

export function booleanOf(value: 'true' | 'false' | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}
