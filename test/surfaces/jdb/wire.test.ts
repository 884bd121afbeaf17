import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JdbRefusal } from '../../../src/surfaces/jdb/errorCodes.js';
import {
  amountParam,
  eventIdParam,
  formatAmount,
  formatLimit,
  formatTime,
  limitParam,
  optionalTimeParam,
  renderEventId,
  timeParam,
} from '../../../src/surfaces/jdb/wire.js';

/** JDB's field formats on their own: what each parser reads, refuses (8000) and writes. */

/** Asserts that `parse` refuses with 8000 naming `field`. */
function refused(parse: () => unknown, field: string): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof JdbRefusal, `a JdbRefusal, not ${String(error)}`);
    assert.equal(error.status, '8000');
    assert.match(error.text, new RegExp(`parameter:${field} `));
    return true;
  });
}

/** `yyyy-MM-ddTHH:mm:ss.sss±hh:mm` of `ms` seen at `offsetMinutes` from UTC, built by hand. */
function jdbTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  return (
    `${String(local.getUTCFullYear()).padStart(4, '0')}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `.${String(local.getUTCMilliseconds()).padStart(3, '0')}${sign}${two(Math.floor(offset / 60))}:${two(offset % 60)}`
  );
}

describe('JDB times', () => {
  const instant = Date.UTC(2024, 0, 2, 3, 4, 5, 6);

  it('reads a time with its offset as the instant it names', () => {
    assert.equal(timeParam('startTime', '2024-01-02T03:04:05.006+00:00'), instant);
    assert.equal(timeParam('startTime', '2024-01-02T11:04:05.006+08:00'), instant);
    assert.equal(timeParam('startTime', '2024-01-01T21:34:05.006-05:30'), instant);
    assert.equal(timeParam('startTime', '2024-01-02T17:04:05.006+14:00'), instant, 'the largest offset in use');
    assert.equal(timeParam('startTime', '2024-01-02T03:04:05.006-00:00'), instant);
  });

  it('reads every instant written at any offset (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9998, 11, 31) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offset) => {
          assert.equal(timeParam('endTime', jdbTime(ms, offset)), ms);
        },
      ),
    );
  });

  it('writes UTC with +00:00, which it reads back', () => {
    assert.equal(formatTime(instant), '2024-01-02T03:04:05.006+00:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        assert.equal(timeParam('t', formatTime(ms)), ms);
      }),
    );
  });

  it('refuses what is not exactly that format, or not a real time', () => {
    const refusedTimes = [
      '',
      '2024-01-02T03:04:05.006Z',
      '2024-01-02T03:04:05.006',
      '2024-01-02T03:04:05+08:00',
      '2024-01-02T03:04:05.06+08:00',
      '2024-01-02T03:04:05.0060+08:00',
      '2024-01-02 03:04:05.006+08:00',
      '2024-1-02T03:04:05.006+08:00',
      '2024-01-02T03:04:05.006+0800',
      '2024-01-02T03:04:05.006+08',
      ' 2024-01-02T03:04:05.006+08:00',
      '2024-01-02T03:04:05.006+08:00 ',
      '2024-01-02T03:04:05.006+08:00\n',
      '2024-13-01T00:00:00.000+00:00',
      '2024-00-01T00:00:00.000+00:00',
      '2024-01-00T00:00:00.000+00:00',
      '2024-02-30T00:00:00.000+00:00',
      '2023-02-29T00:00:00.000+00:00',
      '2024-04-31T00:00:00.000+00:00',
      '2024-01-02T24:00:00.000+00:00',
      '2024-01-02T23:60:00.000+00:00',
      '2024-01-02T23:59:60.000+00:00',
      '2024-01-02T03:04:05.006+15:00',
      '2024-01-02T03:04:05.006+08:60',
      '１２３４-01-02T03:04:05.006+08:00',
    ];
    for (const text of refusedTimes) refused(() => timeParam('startTime', text), 'startTime');
    assert.equal(timeParam('startTime', '2024-02-29T00:00:00.000+00:00'), Date.UTC(2024, 1, 29), 'a leap day');
  });

  it('takes an absent optional time as absent', () => {
    assert.equal(optionalTimeParam('endTime', undefined), undefined);
    assert.equal(optionalTimeParam('endTime', '2024-01-02T03:04:05.006+00:00'), instant);
    refused(() => optionalTimeParam('endTime', ''), 'endTime');
  });
});

describe('JDB amounts', () => {
  it('reads amounts of up to 9 digits and 3 decimals as thousandths', () => {
    assert.equal(amountParam('bet', '5'), 5000);
    assert.equal(amountParam('bet', '0.25'), 250);
    assert.equal(amountParam('bet', '1.5'), 1500);
    assert.equal(amountParam('bet', '0.001'), 1);
    assert.equal(amountParam('bet', '999999999.999'), 999_999_999_999);
    assert.equal(amountParam('bet', '0'), 0);
  });

  it('refuses negative amounts, a fourth decimal, a tenth digit and anything not a decimal (8000)', () => {
    for (const text of ['-1', '-0.001', '1.0001', '1000000000', '1e3', '', ' 1', '1,5', '.5', '+5']) {
      refused(() => amountParam('bet', text), 'bet');
    }
  });

  it('reads -1 as "no limit", in any way it is written, and other limits as amounts', () => {
    for (const text of ['-1', '-1.0', '-1.000', '-01'])
      assert.equal(limitParam('maxWithdrawal', text), undefined, text);
    assert.equal(limitParam('maxWithdrawal', '0'), 0);
    assert.equal(limitParam('maxWithdrawal', '100.5'), 100_500);
    for (const text of ['-2', '-1.001', '-0.999', 'unlimited', '']) {
      refused(() => limitParam('minWithdrawal', text), 'minWithdrawal');
    }
  });

  it('writes amounts with three decimals and no limit as -1, which read back the same', () => {
    assert.equal(formatAmount(5000), '5.000');
    assert.equal(formatAmount(250), '0.250');
    assert.equal(formatLimit(undefined), '-1');
    assert.equal(formatLimit(100_500), '100.500');
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 999_999_999_999 }), { nil: undefined }), (limit) => {
        assert.equal(limitParam('maxWithdrawal', formatLimit(limit)), limit);
      }),
    );
  });
});

describe('JDB event ids', () => {
  it('takes a whole number or a string of 1 to 50 characters', () => {
    assert.equal(eventIdParam(0), '0');
    assert.equal(eventIdParam(123), '123');
    assert.equal(eventIdParam(Number.MAX_SAFE_INTEGER), '9007199254740991');
    assert.equal(eventIdParam('promo-2024'), 'promo-2024');
    assert.equal(eventIdParam('e'.repeat(50)), 'e'.repeat(50));
    for (const value of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Infinity, '', 'e'.repeat(51)]) {
      refused(() => eventIdParam(value), 'eventId');
    }
  });

  it('renders number-like ids of up to 15 digits as numbers, anything else as the string', () => {
    assert.equal(renderEventId('123'), 123);
    assert.equal(renderEventId('999999999999999'), 999_999_999_999_999);
    assert.equal(renderEventId('1000000000000000'), '1000000000000000', '16 digits may not survive a double');
    assert.equal(renderEventId('0123'), '0123', 'a leading zero is part of the string');
    assert.equal(renderEventId('0'), '0');
    assert.equal(renderEventId('-5'), '-5');
    assert.equal(renderEventId('promo-2024'), 'promo-2024');
  });

  it('renders a numeric id back as the number it was sent as (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999_999 }), (id) => {
        assert.equal(renderEventId(eventIdParam(id)), id);
      }),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), (id) => {
        const rendered = renderEventId(eventIdParam(id));
        assert.equal(String(rendered), id, 'the same text either way');
      }),
    );
  });
});
