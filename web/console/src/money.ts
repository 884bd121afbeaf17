/**
 * Numbers and money for the viewer's locale (`locale` undefined) or a given one. Money is
 * integer minor units turned into an exact decimal string with BigInt and string arithmetic and
 * handed to Intl as a string, which Intl formats exactly: never through a float, so amounts
 * beyond 2^53 stay exact. No DOM here: test/console/money.test.ts runs this module in Node.
 */

type Amount = number | bigint | string;

const formats = new Map<string, Intl.NumberFormat>();

/** A cached NumberFormat; `currency` that Intl refuses (Ringside takes codes like `COINS`) gives a plain number format. */
function numberFormat(locale: string | undefined, currency: string | undefined, digits: number | undefined) {
  const key = `${locale ?? ''}/${currency ?? ''}/${digits ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    const fraction = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    format =
      currency !== undefined && intlCurrency(currency)
        ? new Intl.NumberFormat(locale, { style: 'currency', currency, ...fraction })
        : new Intl.NumberFormat(locale, fraction);
    formats.set(key, format);
  }
  return format;
}

/** Whether Intl takes `currency` as a currency code (three letters). */
function intlCurrency(currency: string): boolean {
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return true;
  } catch {
    return false;
  }
}

/** An integer or count for the locale (`12,345`); a bigint or a decimal string exactly. */
export function formatNumber(value: Amount, locale?: string): string {
  return numberFormat(locale, undefined, undefined).format(value as number | bigint | Intl.StringNumericLiteral);
}

/** How many minor-unit digits a currency has: 2 for USD, 0 for JPY, 3 for BHD, 0 for a code Intl does not take. */
export function minorDigits(currency: string): number {
  if (!intlCurrency(currency)) return 0;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 0;
}

/** `12345` minor units with 2 digits → `"123.45"`, exactly. */
export function minorToDecimal(minor: Amount, digits: number): string {
  let units = BigInt(minor);
  const negative = units < 0n;
  if (negative) units = -units;
  const text = units.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Money in integer minor units (the ledger's and OkLetsPlay's amounts): `formatMoney(123456,
 * 'USD', 'en-US')` → `$1,234.56`. A code Intl does not take is written after the number.
 */
export function formatMoney(minor: Amount, currency: string, locale?: string): string {
  const digits = minorDigits(currency);
  return withCode(
    numberFormat(locale, currency, digits).format(minorToDecimal(minor, digits) as Intl.StringNumericLiteral),
    currency,
  );
}

/**
 * Money as a decimal string (JDB's amounts, e.g. `"12.500"`), exactly, with as many decimals
 * as the string has.
 */
export function formatDecimalMoney(decimal: string, currency: string, locale?: string): string {
  const digits = decimal.includes('.') ? decimal.length - decimal.indexOf('.') - 1 : 0;
  return withCode(numberFormat(locale, currency, digits).format(decimal as Intl.StringNumericLiteral), currency);
}

function withCode(text: string, currency: string): string {
  return intlCurrency(currency) ? text : `${text} ${currency}`;
}
