import type { EventStatus, FreeSpinType } from '../../domain/freespins/freeSpin.js';
import { formatThousandths, parseThousandths } from '../../platform/decimal.js';
import { parameterRefusal } from './errorCodes.js';

/** JDB's field formats: times, amounts, event ids, enumerations. */

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2}):(\d{2})$/;

/** `yyyy-MM-ddTHH:mm:ss.sss±hh:mm` → epoch ms; undefined when not exactly that or not a real time. */
function parseTime(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, ms, , offsetHours, offsetMinutes] = match
    .slice(1)
    .map(Number) as number[];
  const local = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, ms!);
  const date = new Date(local);
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
  if (!realDay || hour! > 23 || minute! > 59 || second! > 59 || offsetHours! > 14 || offsetMinutes! > 59) {
    return undefined;
  }
  const offsetMs = (offsetHours! * 60 + offsetMinutes!) * 60_000;
  return match[8] === '-' ? local + offsetMs : local - offsetMs;
}

/** Epoch ms → `yyyy-MM-ddTHH:mm:ss.sss+00:00` (Ringside answers in UTC). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function timeParam(field: string, text: string): number {
  const ms = parseTime(text);
  if (ms === undefined) throw parameterRefusal(field, 'must be a time as yyyy-MM-ddTHH:mm:ss.sss+hh:mm');
  return ms;
}

export function optionalTimeParam(field: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : timeParam(field, text);
}

/** A positive amount with at most 3 decimals, in thousandths. */
export function amountParam(field: string, text: string): number {
  const value = parseThousandths(text);
  if (value === undefined || value < 0) {
    throw parameterRefusal(field, 'must be a decimal number of at most 9 digits and 3 decimals');
  }
  return value;
}

/** A withdrawal limit: an amount, or -1 for "no limit" (undefined). */
export function limitParam(field: string, text: string): number | undefined {
  if (parseThousandths(text) === -1000) return undefined;
  return amountParam(field, text);
}

export const formatAmount = formatThousandths;

export function formatLimit(value: number | undefined): string {
  return value === undefined ? '-1' : formatThousandths(value);
}

/** Event ids are Long in JDB's docs but may be custom strings: numbers stay numbers. */
export function renderEventId(eventId: string): number | string {
  return /^[1-9]\d{0,14}$/.test(eventId) ? Number(eventId) : eventId;
}

/** The longest event id JDB takes as a string: 50 characters. */
const MAX_EVENT_ID_CHARACTERS = 50;

/** An event id as sent: a string of 1–50 characters (code points), or a whole number. */
export function eventIdParam(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw parameterRefusal('eventId', 'must be a whole number or a string');
    return String(value);
  }
  if (value === '' || !atMostCharacters(value, MAX_EVENT_ID_CHARACTERS)) {
    throw parameterRefusal('eventId', `must be 1 to ${MAX_EVENT_ID_CHARACTERS} characters`);
  }
  return value;
}

/** Action 72's own `eventId`: 1–50 of `A-Z a-z 0-9 _` (JDB's Transfer docs). */
export function customEventIdParam(value: string): string {
  if (!/^[A-Za-z0-9_]{1,50}$/.test(value)) {
    throw parameterRefusal('eventId', 'must be 1 to 50 of the characters A-Z a-z 0-9 _');
  }
  return value;
}

/** Whether `text` has at most `max` characters (code points); reads no further than it must. */
export function atMostCharacters(text: string, max: number): boolean {
  if (text.length <= max) return true;
  let points = 0;
  for (let index = 0; index < text.length; index += text.codePointAt(index)! > 0xffff ? 2 : 1) {
    if (++points > max) return false;
  }
  return true;
}

export const wireTypes = { NORMAL: 'normal', FEATURE: 'feature' } as const satisfies Record<string, FreeSpinType>;
export type WireType = keyof typeof wireTypes;

export function renderType(type: FreeSpinType): WireType {
  return type === 'feature' ? 'FEATURE' : 'NORMAL';
}

/** Action 76/71's `status` filter: 0 INACTIVE, 1 ACTIVE, 2 EXPIRED, 3 TERMINATED. */
const wireStatuses: EventStatus[] = ['inactive', 'active', 'expired', 'terminated'];

/** The `status` and `types` filters of Actions 76 and 71. */
export function statusFilter(status: number | undefined): EventStatus | undefined {
  return status === undefined ? undefined : wireStatuses[status];
}

export function typesFilter(types: WireType[] | undefined): FreeSpinType[] | undefined {
  return types?.map((type) => wireTypes[type]);
}

export function renderStatus(status: EventStatus): string {
  return status.toUpperCase();
}
