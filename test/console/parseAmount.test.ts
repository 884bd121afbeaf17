import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MINOR_UNITS, parseAmount } from '../../web/console/src/parseAmount.js';

const minor = (text: string, currency: string) => {
  const parsed = parseAmount(text, currency);
  assert.ok(parsed.ok, `${text} ${currency}: ${parsed.ok ? '' : parsed.message}`);
  return parsed.minor;
};
const refusal = (text: string, currency: string) => {
  const parsed = parseAmount(text, currency);
  assert.ok(!parsed.ok, `${text} ${currency} was taken as ${parsed.ok ? parsed.minor : ''}`);
  return parsed.message;
};

// The deposit and withdrawal forms' amount, run in Node (the module has no DOM): exact, never a float.
describe('console amount parsing', () => {
  it("turns a decimal amount in the currency's units into integer minor units", () => {
    assert.equal(minor('12.50', 'USD'), 1250n);
    assert.equal(minor('12.5', 'USD'), 1250n);
    assert.equal(minor('12', 'USD'), 1200n);
    assert.equal(minor(' 0.01 ', 'USD'), 1n);
    assert.equal(minor('.5', 'USD'), 50n);
    assert.equal(minor('7.', 'USD'), 700n);
    assert.equal(minor('12,34', 'EUR'), 1234n, 'a comma as the decimal separator');
    assert.equal(minor('1.230', 'USD'), 123n, 'trailing zeros beyond the minor digits are fine');
    assert.equal(minor('1234', 'JPY'), 1234n);
    assert.equal(minor('1.234', 'BHD'), 1234n);
    assert.equal(minor('1500', 'COINS'), 1500n);
    assert.equal(minor('007.10', 'USD'), 710n);
  });

  it('stays exact where a float would not', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    assert.equal(minor('0.29', 'USD'), 29n);
    assert.equal(minor('1.15', 'USD'), 115n);
    assert.equal(minor('90071992547409.91', 'USD'), MAX_MINOR_UNITS);
    assert.equal(minor('9007199254740991', 'COINS'), MAX_MINOR_UNITS);
  });

  it('refuses what is not a positive amount, in words', () => {
    assert.equal(refusal('', 'USD'), 'Enter an amount.');
    assert.equal(refusal('   ', 'USD'), 'Enter an amount.');
    assert.equal(refusal('0', 'USD'), 'The amount must be more than zero.');
    assert.equal(refusal('0.00', 'USD'), 'The amount must be more than zero.');
    assert.equal(refusal('-5', 'USD'), 'The amount must be more than zero.');
    assert.equal(refusal('12.345', 'USD'), 'USD amounts have at most 2 decimals.');
    assert.equal(refusal('1.5', 'JPY'), 'JPY amounts are whole numbers: no decimals.');
    assert.equal(refusal('1.5', 'COINS'), 'COINS amounts are whole numbers: no decimals.');
    assert.equal(refusal('90071992547409.92', 'USD'), 'The amount is too large: at most 9007199254740991 minor units.');
    for (const bad of ['1,234.50', '1e3', '12 50', 'abc', '.', '1..2', '+5', '0x10', 'Infinity', '１２']) {
      assert.match(
        refusal(bad, 'USD'),
        /^Write the amount in USD with digits and at most one decimal point, e\.g\. 12\.50\.$/,
        bad,
      );
    }
  });
});
