import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatThousandths, parseThousandths } from '../../src/platform/decimal.js';

/** The largest amount the text form holds: nine integer digits and three decimals. */
const MAX = 999_999_999_999;

describe('decimal amounts as integer thousandths', () => {
  it('reads decimals with up to three places, without a float in between', () => {
    assert.equal(parseThousandths('0'), 0);
    assert.equal(parseThousandths('2.5'), 2500);
    assert.equal(parseThousandths('10.000'), 10_000);
    assert.equal(parseThousandths('0.001'), 1);
    assert.equal(parseThousandths('0.1'), 100);
    assert.equal(parseThousandths('0.29'), 290, '0.29 * 1000 is 290.00000000000006 as a float');
    assert.equal(parseThousandths('1.005'), 1005, '1.005 * 1000 is 1004.9999999999999 as a float');
    assert.equal(parseThousandths('999999999.999'), MAX);
  });

  it('reads negative amounts, and minus zero as zero', () => {
    assert.equal(parseThousandths('-1'), -1000);
    assert.equal(parseThousandths('-0.001'), -1);
    assert.equal(parseThousandths('-999999999.999'), -MAX);
    assert.ok(Object.is(parseThousandths('-0'), 0), 'not -0');
    assert.ok(Object.is(parseThousandths('-0.000'), 0), 'not -0');
  });

  it('reads leading zeros as the same number, up to nine integer digits', () => {
    assert.equal(parseThousandths('007.5'), 7500);
    assert.equal(parseThousandths('000000001'), 1000);
    assert.equal(parseThousandths('-05'), -5000);
    assert.equal(parseThousandths('0000000001'), undefined, 'ten integer digits, even if most are zeros');
  });

  it('refuses more than three decimals instead of rounding them', () => {
    for (const text of ['1.2345', '0.0001', '0.0000', '2.5000', '-1.9999']) {
      assert.equal(parseThousandths(text), undefined, text);
    }
  });

  it('refuses more than nine integer digits, so sums of amounts stay exact', () => {
    assert.equal(parseThousandths('1000000000'), undefined);
    assert.equal(parseThousandths('-1000000000'), undefined);
    assert.equal(parseThousandths('99999999999999999999'), undefined);
  });

  it('refuses anything but a plain decimal', () => {
    const refused = [
      '',
      '-',
      '.',
      '.5',
      '5.',
      '+5',
      '--5',
      ' 5',
      '5 ',
      '5\n',
      '1e3',
      '1E3',
      '0x10',
      '1,5',
      '1_000',
      'NaN',
      'Infinity',
      '١',
      '５',
      '1.2.3',
    ];
    for (const text of refused) assert.equal(parseThousandths(text), undefined, JSON.stringify(text));
  });

  it('writes three decimals, with a sign for negative amounts', () => {
    assert.equal(formatThousandths(0), '0.000');
    assert.equal(formatThousandths(1), '0.001');
    assert.equal(formatThousandths(2500), '2.500');
    assert.equal(formatThousandths(10_000), '10.000');
    assert.equal(formatThousandths(-1), '-0.001');
    assert.equal(formatThousandths(-1000), '-1.000');
    assert.equal(formatThousandths(-0), '0.000');
    assert.equal(formatThousandths(MAX), '999999999.999');
    assert.equal(formatThousandths(Number.MAX_SAFE_INTEGER), '9007199254740.991', 'sums beyond one amount');
    assert.equal(formatThousandths(-Number.MAX_SAFE_INTEGER), '-9007199254740.991');
  });

  it('reads back what it writes, for every amount the text form holds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX, max: MAX }), (value) => {
        assert.equal(parseThousandths(formatThousandths(value)), value);
      }),
    );
  });

  it('writes what it reads as the same number, in canonical form (property)', () => {
    const decimalText = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,9}$/),
        fc.option(fc.stringMatching(/^\d{1,3}$/), { nil: undefined }),
      )
      .map(
        ([negative, whole, fraction]) =>
          `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(decimalText, (text) => {
        const value = parseThousandths(text);
        assert.ok(value !== undefined && Number.isSafeInteger(value), text);
        const written = formatThousandths(value);
        assert.match(written, /^-?(0|[1-9]\d{0,8})\.\d{3}$/, 'no leading zeros, three decimals');
        assert.equal(parseThousandths(written), value);
        // The same number, by exact integer arithmetic on the digits (BigInt, never a float).
        const [whole, fraction = ''] = text.replace('-', '').split('.');
        const expected = BigInt(whole!) * 1000n + BigInt(fraction.padEnd(3, '0'));
        assert.equal(BigInt(value), text.startsWith('-') ? -expected : expected);
      }),
    );
  });

  it('refuses every text with a fourth decimal (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,9}\.\d{4,8}$/), (text) => {
        assert.equal(parseThousandths(text), undefined, text);
      }),
    );
  });
});
