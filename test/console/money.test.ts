import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatDecimalMoney,
  formatMoney,
  formatNumber,
  minorDigits,
  minorToDecimal,
} from '../../web/console/src/money.js';

// The console's money formatting, run in Node (the module has no DOM): exact, never a float.
describe('console money formatting', () => {
  it('turns minor units into an exact decimal string', () => {
    assert.equal(minorToDecimal(12345, 2), '123.45');
    assert.equal(minorToDecimal(5, 2), '0.05');
    assert.equal(minorToDecimal(-5, 2), '-0.05');
    assert.equal(minorToDecimal(0, 2), '0.00');
    assert.equal(minorToDecimal(700, 0), '700');
    assert.equal(minorToDecimal('123456789012345678901', 2), '1234567890123456789.01');
    assert.equal(minorToDecimal(1234n, 3), '1.234');
  });

  it('formats money for the locale, past 2^53 exactly', () => {
    assert.equal(formatMoney(123456, 'USD', 'en-US'), '$1,234.56');
    assert.equal(formatMoney(-1, 'USD', 'en-US'), '-$0.01');
    assert.equal(formatMoney(1234, 'JPY', 'en-US'), '¥1,234');
    assert.equal(formatMoney(1234, 'BHD', 'en-US'), 'BHD\u00a01.234');
    // 2^53 + 1 cents: a float would print …992.
    assert.equal(formatMoney('9007199254740993', 'USD', 'en-US'), '$90,071,992,547,409.93');
    assert.equal(formatMoney(123456, 'EUR', 'de-DE'), '1.234,56\u00a0€');
    // A currency code Intl does not take (Ringside accepts 2–16 capitals): the number, then the code.
    assert.equal(formatMoney(1500, 'COINS', 'en-US'), '1,500 COINS');
    assert.equal(minorDigits('COINS'), 0);
  });

  it("formats JDB's decimal strings exactly, with their decimals", () => {
    assert.equal(formatDecimalMoney('12.500', 'USD', 'en-US'), '$12.500');
    assert.equal(formatDecimalMoney('90071992547409.931', 'USD', 'en-US'), '$90,071,992,547,409.931');
    assert.equal(formatDecimalMoney('7', 'USD', 'en-US'), '$7');
  });

  it('formats counts', () => {
    assert.equal(formatNumber(1234567, 'en-US'), '1,234,567');
    assert.equal(formatNumber(12345678901234567890n, 'en-US'), '12,345,678,901,234,567,890');
  });
});
