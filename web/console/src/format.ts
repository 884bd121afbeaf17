/**
 * Formatting for the viewer: times in their time zone (the UTC value on hover), numbers and
 * money in their locale (money.ts, re-exported here).
 */
import { h } from './dom.js';

export { formatDecimalMoney, formatMoney, formatNumber, minorDigits, minorToDecimal } from './money.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** `2026-12-01 05:17:14.123 UTC` */
export function utcText(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A time in the viewer's zone as a `<time>`, the UTC value in its title (shown on hover). */
export function timeElement(epochMs: number | null | undefined): HTMLElement {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return h('span', { class: 'muted' }, '—');
  const date = new Date(epochMs);
  return h('time', { datetime: date.toISOString(), title: utcText(epochMs) }, dateTime.format(date));
}

/** A duration for a countdown or a battle's length: `1:05:09`, `4:07`, `0:09`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** `datetime-local` input value (viewer's zone) ↔ epoch ms, for time-range filters. */
export function toLocalInput(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
export function fromLocalInput(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
