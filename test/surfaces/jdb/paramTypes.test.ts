import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_X_DEPTH, tooDeepMember } from '../../../src/surfaces/jdb/transport.js';
import { limitText } from '../../../src/surfaces/jdb/envelope.js';
import { backends } from '../../support/backends.js';
import { eventParams, type JdbFixture, jdbAgent, jdbFixture, jdbTime, PARAMETER } from '../../support/jdb.js';

/**
 * Issue 11, item 12: a field of the wrong JSON type inside `x` (an object with its own
 * `toString`, an array nested 10,000 deep, …) answered 9999 "Failed" and logged a stack. Every
 * field's type is checked before it is used, and the answer is JDB's parameter error: 8000,
 * "The parameter of input error, … parameter:<field> …", naming the field as the client sent it.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** What a field takes. */
type Kind = 'string' | 'integer' | 'array' | 'boolean' | 'eventId';

/** Stands for the deep array: JSON.stringify writes it, the raw text replaces it. */
const DEEP = '\u0001deep\u0001';
const DEEP_JSON = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

/** Values of every JSON type, each named. */
const values: Array<[string, unknown]> = [
  ['an object', { a: 1 }],
  ['an object with its own toString', { toString: 'x', valueOf: {} }],
  ['an array', ['x']],
  ['an array nested 10,000 deep', DEEP],
  ['a string', '7'],
  ['a whole number', 7],
  ['a fraction', 1.5],
  ['a boolean', true],
  ['null', null],
];

/** The values of a type `kind` does not take. */
function wrongFor(kind: Kind): Array<[string, unknown]> {
  const right: Record<Kind, string[]> = {
    string: ['a string'],
    integer: ['a whole number'],
    array: ['an array'],
    boolean: ['a boolean'],
    eventId: ['a string', 'a whole number'],
  };
  return values.filter(([name]) => !right[kind].includes(name));
}

/** Each action's valid parameters (as far as types go) and the kind of each of its fields. */
function actions(now: number): Array<{ action: number; valid: Record<string, unknown>; fields: Record<string, Kind> }> {
  const to = Math.floor(now / MINUTE) * MINUTE;
  const range = { startTime: jdbTime(now - DAY), endTime: jdbTime(now + DAY) };
  const create = eventParams(now);
  const { times: _times, type: _type, transactionId: _tx, ...terms } = create;
  void [_times, _type, _tx];
  const termKinds: Record<string, Kind> = {
    name: 'string',
    startTime: 'string',
    endTime: 'string',
    machineTypes: 'array',
    bet: 'string',
    minWithdrawal: 'string',
    maxWithdrawal: 'string',
  };
  return [
    { action: 49, valid: {}, fields: { lang: 'string' } },
    {
      action: 70,
      valid: { startTime: jdbTime(to - 5 * MINUTE), endTime: jdbTime(to), gTypes: [0] },
      fields: { startTime: 'string', endTime: 'string', gTypes: 'array', uid: 'string' },
    },
    {
      action: 71,
      valid: { uid: 'someone' },
      fields: { uid: 'string', startTime: 'string', endTime: 'string', status: 'integer', types: 'array' },
    },
    {
      action: 72,
      valid: create,
      fields: {
        ...termKinds,
        times: 'integer',
        type: 'string',
        transactionId: 'string',
        players: 'array',
        autoCreatePlayerEnabled: 'boolean',
        eventId: 'string',
      },
    },
    { action: 73, valid: { eventId: 1 }, fields: { eventId: 'eventId' } },
    { action: 74, valid: { eventId: 1, players: ['a'] }, fields: { eventId: 'eventId', players: 'array' } },
    { action: 75, valid: { eventId: 1, players: ['a'] }, fields: { eventId: 'eventId', players: 'array' } },
    {
      action: 76,
      valid: range,
      fields: {
        startTime: 'string',
        endTime: 'string',
        eventId: 'eventId',
        name: 'string',
        status: 'integer',
        machineTypes: 'array',
        types: 'array',
      },
    },
    {
      action: 77,
      valid: { ...terms, eventId: 1 },
      fields: { eventId: 'eventId', ...termKinds, times: 'integer', type: 'string' },
    },
    { action: 78, valid: { date: reportDate(now - 2 * DAY) }, fields: { date: 'string' } },
  ];
}

/** Action 78's `dd-MM-yyyy`. */
function reportDate(ms: number): string {
  const [year, month, day] = new Date(ms).toISOString().slice(0, 10).split('-');
  return `${day}-${month}-${year}`;
}

/** The plaintext of `x`, with the deep array written in raw. */
function plaintextOf(fields: Record<string, unknown>): string {
  return JSON.stringify(fields).replace(JSON.stringify(DEEP), DEEP_JSON);
}

for (const backend of backends) {
  describe(`JDB fields of the wrong JSON type answer 8000 naming the field [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());

    async function expectParameterError(fields: Record<string, unknown>, field: string, what: string) {
      const reply = await f.jdb.call(0, {}, { plaintext: plaintextOf(fields), transport: 'form' });
      assert.equal(reply.status, '8000', `${what}: ${reply.status} ${reply.err_text}`);
      assert.ok(
        reply.err_text!.startsWith(`${PARAMETER}${field} `),
        `${what}: the answer names ${field}: ${reply.err_text}`,
      );
    }

    it('ts, action and parent', async () => {
      const kinds: Record<string, Kind> = { ts: 'integer', action: 'integer', parent: 'string' };
      for (const [field, kind] of Object.entries(kinds)) {
        for (const [name, value] of wrongFor(kind)) {
          const fields = { action: 49, ts: Date.now(), parent: jdbAgent.parent, [field]: value };
          await expectParameterError(fields, field, `${field} as ${name}`);
        }
      }
    });

    it('every parameter of Actions 49 and 70-78, and the items of their arrays', async () => {
      let cases = 0;
      for (const { action, valid, fields } of actions(Date.now())) {
        const base = { action, ts: Date.now(), parent: jdbAgent.parent, ...valid };
        const ok = await f.jdb.call(0, {}, { plaintext: plaintextOf(base), transport: 'form' });
        assert.notEqual(ok.status, '8000', `action ${action}'s valid parameters pass: ${ok.err_text}`);
        assert.notEqual(ok.status, '9999', `action ${action}: ${ok.err_text}`);
        for (const [field, kind] of Object.entries(fields)) {
          for (const [name, value] of wrongFor(kind)) {
            await expectParameterError({ ...base, [field]: value }, field, `action ${action} ${field} as ${name}`);
            cases += 1;
          }
          if (kind === 'array') {
            const itemKind: Kind = field === 'players' || field === 'types' ? 'string' : 'integer';
            for (const [name, value] of wrongFor(itemKind)) {
              const what = `action ${action} ${field}[0] as ${name}`;
              // Too deep is found before parsing, for the member as a whole.
              const named = value === DEEP ? field : `${field}[0]`;
              await expectParameterError({ ...base, [field]: [value] }, named, what);
              cases += 1;
            }
          }
        }
      }
      assert.ok(cases > 300, `${cases} cases`);
    });

    it('a field nested deeper than the limit is refused before parsing, even one the action ignores', async () => {
      const base = { action: 49, ts: Date.now(), parent: jdbAgent.parent };
      const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
      // `x` itself is one level: its members may nest MAX_X_DEPTH - 1 more.
      const fine = await f.jdb.call(
        0,
        {},
        { plaintext: plaintextOf({ ...base, extra: nested(MAX_X_DEPTH - 1) }), transport: 'form' },
      );
      assert.equal(fine.status, '0000', fine.err_text);
      await expectParameterError({ ...base, extra: nested(MAX_X_DEPTH) }, 'extra', 'an unknown member too deep');
      const inString = await f.jdb.call(
        0,
        {},
        { plaintext: plaintextOf({ ...base, lang: '[[[[[[[[[[[[[[[[' }), transport: 'form' },
      );
      assert.equal(inString.status, '8000', 'brackets inside a string do not count');
      assert.equal(inString.err_text, `${PARAMETER}lang must be at most 10 characters`);
      const topLevel = await f.jdb.call(0, {}, { plaintext: DEEP_JSON, transport: 'form' });
      assert.equal(topLevel.status, '9006', 'x that is not an object, however deep');
    });
  });
}

describe('JDB depth scan and err_text limit (no database)', () => {
  it('names the top-level member that nests too deep, unescaped', () => {
    const deep = '['.repeat(MAX_X_DEPTH) + ']'.repeat(MAX_X_DEPTH);
    assert.equal(tooDeepMember(`{"a":"[[[[[[[[[[","b\\u0022":${deep}}`)?.member, 'b"');
    assert.equal(tooDeepMember(`{"a":"x","b":1,"c":{"d":${deep}}}`)?.member, 'c');
    assert.equal(tooDeepMember(`{"a":[${'['.repeat(MAX_X_DEPTH - 2)}${']'.repeat(MAX_X_DEPTH - 2)}]}`), undefined);
    assert.deepEqual(tooDeepMember(`[${deep}]`), { member: undefined });
    assert.equal(tooDeepMember('{"a":"\\\\","b":[]}'), undefined, 'an escaped backslash ends before the quote');
  });

  it('cuts err_text to 255 characters (code points), never inside a surrogate pair', () => {
    assert.equal(limitText('x'.repeat(255)), 'x'.repeat(255));
    assert.equal(limitText('😀'.repeat(255)), '😀'.repeat(255), '255 characters, 510 code units: whole');
    assert.equal(limitText('x'.repeat(256)), `${'x'.repeat(252)}...`);
    assert.equal(limitText('😀'.repeat(256)), `${'😀'.repeat(252)}...`);
    assert.equal(limitText(`x${'😀'.repeat(300)}`), `x${'😀'.repeat(251)}...`);
  });
});
