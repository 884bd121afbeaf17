/**
 * Money as integer thousandths. Vendors send amounts as decimal strings with up to three
 * decimals ("2.5", "10.000"); they are read and written as text, never through a float.
 */

/** At most nine integer digits, so sums of many amounts stay exact integers (< 2^53). */
const DECIMAL = /^(-?)(\d{1,9})(?:\.(\d{1,3}))?$/;

/** "12.5" → 12500; undefined when the text is not a decimal with at most 3 decimals. */
export function parseThousandths(text: string): number | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const value = Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
  return sign === '-' && value !== 0 ? -value : value;
}

/** 12500 → "12.500": always three decimals. */
export function formatThousandths(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}
