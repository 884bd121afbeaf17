/**
 * An amount typed by an operator ("12.50" in the currency's units) into integer minor units
 * (1250), with string arithmetic only: never through a float, so every digit typed is the digit
 * moved. No DOM here: test/console/parseAmount.test.ts runs this module in Node.
 */
import { minorDigits } from './money.js';

/** The ledger's largest amount (2^53 − 1 minor units, where JSON numbers are exact). */
export const MAX_MINOR_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

export type ParsedAmount = { ok: true; minor: bigint } | { ok: false; message: string };

/**
 * `parseAmount('12.5', 'USD')` → `{ok: true, minor: 1250n}`. A point or a comma is the decimal
 * separator (one of them, once); no sign, no grouping, at most as many decimals as the currency
 * has (2 for USD, 0 for JPY and for codes Intl does not know, such as `COINS`). Refusals are
 * sentences for the operator.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const digits = minorDigits(currency);
  const input = text.trim();
  if (input === '') return { ok: false, message: 'Enter an amount.' };
  if (/^[-−]/.test(input)) return { ok: false, message: 'The amount must be more than zero.' };
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(input);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    return {
      ok: false,
      message: `Write the amount in ${currency} with digits and at most one decimal point, e.g. ${example(digits)}.`,
    };
  }
  const whole = match[1] ?? '';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency} amounts are whole numbers: no decimals.`
          : `${currency} amounts have at most ${digits} decimal${digits === 1 ? '' : 's'}.`,
    };
  }
  const minor = BigInt(`${whole}${fraction.padEnd(digits, '0')}` || '0');
  if (minor === 0n) return { ok: false, message: 'The amount must be more than zero.' };
  if (minor > MAX_MINOR_UNITS) {
    return { ok: false, message: `The amount is too large: at most ${MAX_MINOR_UNITS} minor units.` };
  }
  return { ok: true, minor };
}

function example(digits: number): string {
  return digits === 0 ? '1500' : `12.${'5'.padEnd(digits, '0')}`;
}
