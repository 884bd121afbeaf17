/**
 * Formatting for the viewer: times in their time zone (the UTC value on hover), numbers and
 * money in their locale. Money is integer minor units turned into an exact decimal string with
 * BigInt arithmetic and handed to Intl as a string: never a float.
 */
import { h } from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const numbers = new Intl.NumberFormat();

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

/** An integer or count for the locale (`12,345`). Accepts a decimal string or a bigint exactly. */
export function formatNumber(value: number | bigint | string): string {
  return numbers.format(value as number | bigint | Intl.StringNumericLiteral);
}

const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(currency: string, digits?: number): Intl.NumberFormat {
  const key = `${currency}/${digits ?? ''}`;
  let format = currencyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency,
        ...(digits !== undefined && { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      });
    } catch {
      // Not an ISO 4217 code (Ringside takes any 2–16 capitals, e.g. COINS): a plain number.
      format = new Intl.NumberFormat(undefined, {
        ...(digits !== undefined && { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      });
    }
    currencyFormats.set(key, format);
  }
  return format;
}

/** How many minor-unit digits a currency has (2 for USD, 0 for JPY, 0 for a code Intl does not know). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 0;
  } catch {
    return 0;
  }
}

/** `12345` minor units with 2 digits → `"123.45"`, exactly (BigInt and string arithmetic). */
export function minorToDecimal(minor: number | bigint | string, digits: number): string {
  let units = BigInt(minor);
  const negative = units < 0n;
  if (negative) units = -units;
  const text = units.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Money given in integer minor units (the ledger's and OkLetsPlay's amounts) for the locale:
 * `formatMoney(123456, 'USD')` → `$1,234.56`. `digits` overrides the currency's own.
 */
export function formatMoney(minor: number | bigint | string, currency: string, digits = minorDigits(currency)): string {
  const decimal = minorToDecimal(minor, digits);
  const text = currencyFormat(currency, digits).format(decimal as Intl.StringNumericLiteral);
  return isIsoCurrency(currency) ? text : `${text} ${currency}`;
}

/**
 * Money given as a decimal string (JDB's amounts, e.g. `"12.500"`) for the locale, exactly, with
 * as many decimals as the string has.
 */
export function formatDecimalMoney(decimal: string, currency: string): string {
  const digits = decimal.includes('.') ? decimal.length - decimal.indexOf('.') - 1 : 0;
  const text = currencyFormat(currency, digits).format(decimal as Intl.StringNumericLiteral);
  return isIsoCurrency(currency) ? text : `${text} ${currency}`;
}

function isIsoCurrency(currency: string): boolean {
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return true;
  } catch {
    return false;
  }
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
