import fc from 'fast-check';

/**
 * Mutations of valid requests for the fuzz test: a request is a JSON value, and each run
 * applies 1–3 mutations to it (drop a member, replace a value with a hostile one, add a
 * member, stretch a string past its limit, nest deeper), then maybe one to the serialized
 * bytes. A mutation names its target by an index into the value's paths (modulo their count),
 * so fast-check shrinks it and the same seed always makes the same request.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A string starting with this is written into the JSON text as is: numbers JSON.stringify
 * cannot write (1e400, 30 digits) and nesting too deep to build as a value.
 */
const RAW = '\u0001raw\u0001';
export const raw = (text: string) => `${RAW}${text}`;

export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'swap'; at: number; pick: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'stretch'; at: number; times: number }
  | { kind: 'nest'; at: number; depth: number; asObject: boolean };

export type ByteMutation =
  | { kind: 'truncate'; fraction: number }
  | { kind: 'insert'; fraction: number; bytes: number[] }
  | { kind: 'replaceAll'; text: string };

const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\udbff\udfff',
  '😀',
  'e\u0301',
  '\u202eevil',
  '\ufeff',
  '\t',
  '\r\n',
  '\u007f',
  '\u0085',
  '\u2028',
  '0',
  '-1',
  '1.5',
  '1e309',
  'NaN',
  'null',
  'true',
  '{}',
  '[]',
  '{"a":1}',
  '%00',
  '%ED%A0%80',
  '../../etc/passwd',
  "' OR '1'='1",
  '"; drop table rooms; --',
  '<script>alert(1)</script>',
  '\\',
  '\\u0000',
  '__proto__',
  'constructor',
  'ＲｏｏｍＩｄ',
  '١٢٣',
  '2024-02-30T25:61:61.000+08:00',
  '01-13-2024',
];

const hostileNumbers = [
  0, -0, -1, 1, 0.5, -0.5, 1.000001, 255, 256, 65535, 2147483647, 2147483648, -2147483648, -2147483649, 4294967296,
  9007199254740991, 9007199254740992, -9007199254740992, 1e21, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324,
];

const rawTokens = ['1e400', '-1e400', '123456789012345678901234567890', '0.1e1', '1E2', '-0.0'];

/** A short string of any UTF-16 code units, lone surrogates and controls included. */
const codeUnits = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 12,
});

const longString = fc
  .tuple(
    fc.constantFrom('a', 'é', '😀', '\u0000', '0'),
    fc.constantFrom(33, 49, 65, 71, 101, 129, 257, 1025, 2049, 65537, 300_000),
  )
  .map(([unit, times]) => unit.repeat(times));

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: codeUnits },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: longString },
);

const hostileNumber = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(...rawTokens).map(raw) },
);

const deepText = fc
  .tuple(fc.constantFrom(10, 100, 1000, 20_000), fc.boolean())
  .map(([depth, asObject]) =>
    raw(asObject ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth)),
  );

export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], [''], { '': null }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }).map((text) => JSON.parse(text) as Json) },
  { weight: 1, arbitrary: deepText },
  {
    weight: 1,
    arbitrary: fc.constantFrom(50, 101, 1001, 50_001).map((n) => Array.from({ length: n }, (_, i) => `v${i}`)),
  },
);

const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'a'.repeat(300),
    '\u0000',
    '\ud800',
  ),
  fc.string({ maxLength: 10 }),
);

const at = fc.nat();
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), at }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: hostileValue }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('swap' as const), at, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), at, key: extraKey, value: hostileValue }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stretch' as const),
      at,
      times: fc.constantFrom(2, 3, 10, 100, 5000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at,
      depth: fc.constantFrom(1, 2, 50),
      asObject: fc.boolean(),
    }),
  },
);

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      // A lone byte, an invalid UTF-8 lead, a CESU-8 surrogate, a BOM, JSON punctuation.
      bytes: fc.constantFrom<number[]>(
        [0xff],
        [0xc3],
        [0xed, 0xa0, 0x80],
        [0xef, 0xbb, 0xbf],
        [0x00],
        [0x22],
        [0x7b],
        [0x2c],
        [0x5c],
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replaceAll' as const),
      text: fc.constantFrom('', ' ', 'null', '[]', '"{}"', '0', '{', '{}', '{"":{}}', 'a=b&c=d'),
    }),
  },
);

/** 1–3 value mutations and, one time in four, a byte mutation of the serialized request. */
export const mutations = fc.record({
  steps: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  bytes: fc.option(byteMutation, { freq: 4, nil: undefined }),
});
export type Mutations = { steps: Mutation[]; bytes: ByteMutation | undefined };

type Path = Array<string | number>;

/** Every path in `value` except the root, parents before children. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).flatMap((key) => [[...prefix, key], ...pathsOf(value[key]!, [...prefix, key])]);
  }
  return [];
}

/** Every object and array in `value`, the root included (where `add` may put a member). */
function containersOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => containersOf(item, [...prefix, i]))
    : Object.keys(value).flatMap((key) => containersOf(value[key]!, [...prefix, key]));
  return [prefix, ...children];
}

function get(value: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, value);
}

/** Sets an own member even for `__proto__`, which an assignment would take as the prototype. */
function setMember(container: Json, key: string | number, member: Json): void {
  Object.defineProperty(container, key, { value: member, enumerable: true, writable: true, configurable: true });
}

/** The most a `stretch` makes of a value, in JSON characters: beyond every body limit, yet cheap to build. */
const STRETCH_BUDGET = 2_000_000;

function stretched(value: Json, times: number): Json {
  const size = Math.max(1, JSON.stringify(value).length);
  const n = Math.max(1, Math.min(times, Math.floor(STRETCH_BUDGET / size)));
  if (typeof value === 'string') return (value || 'x').repeat(n);
  if (typeof value === 'number') return value * times + (times % 2 === 0 ? 0.5 : 0);
  // Copies, not shared references: a later mutation of one item must not change them all.
  if (Array.isArray(value))
    return Array.from({ length: n }, (_, i) => structuredClone(value[i % (value.length || 1)] ?? i));
  return value;
}

function nested(value: Json, depth: number, asObject: boolean): Json {
  let result = value;
  for (let i = 0; i < depth; i++) result = asObject ? { v: result } : [result];
  return result;
}

/**
 * `value` with the mutations applied (a deep copy; `value` is not changed). A `swap` puts a
 * word of `vocabulary` in (another seeded id, a valid enum value), so the request stays
 * well-formed and the domain, not the schema, has to refuse it.
 */
export function mutate(value: Json, steps: Mutation[], vocabulary: Json[] = []): Json {
  let result = structuredClone(value);
  for (const step of steps) {
    if (step.kind === 'add') {
      const containers = containersOf(result);
      if (containers.length === 0) continue;
      const container = get(result, containers[step.at % containers.length]!);
      if (Array.isArray(container)) container.push(step.value);
      else setMember(container, step.key, step.value);
      continue;
    }
    const paths = pathsOf(result);
    if (paths.length === 0) {
      if (step.kind === 'replace') result = step.value;
      continue;
    }
    const path = paths[step.at % paths.length]!;
    const parent = get(result, path.slice(0, -1)) as Record<string, Json> | Json[];
    const key = path.at(-1)!;
    const current = (parent as Record<string, Json>)[key as string]!;
    switch (step.kind) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 'replace':
        setMember(parent, key, step.value);
        break;
      case 'swap':
        if (vocabulary.length > 0) setMember(parent, key, vocabulary[step.pick % vocabulary.length]!);
        break;
      case 'stretch':
        setMember(parent, key, stretched(current, step.times));
        break;
      case 'nest':
        setMember(parent, key, nested(current, step.depth, step.asObject));
        break;
    }
  }
  return result;
}

/** JSON text, with `raw(…)` strings written as they are. */
export function serialize(value: Json): string {
  const text = JSON.stringify(value);
  if (!text.includes('\\u0001raw\\u0001')) return text;
  return text.replace(/"\\u0001raw\\u0001((?:[^"\\]|\\.)*)"/g, (_, inner: string) => JSON.parse(`"${inner}"`));
}

/** A string a `raw(…)` value stands for, for places that take text rather than JSON (forms, paths). */
export function textOf(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.startsWith(RAW) ? value.slice(RAW.length) : value;
  if (typeof value === 'object') return serialize(value);
  return String(value);
}

export function mutateBytes(text: string, mutation: ByteMutation | undefined): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (!mutation) return bytes;
  switch (mutation.kind) {
    case 'truncate':
      return bytes.subarray(0, Math.floor(bytes.length * mutation.fraction));
    case 'insert': {
      const cut = Math.floor(bytes.length * mutation.fraction);
      return Buffer.concat([bytes.subarray(0, cut), Buffer.from(mutation.bytes), bytes.subarray(cut)]);
    }
    case 'replaceAll':
      return Buffer.from(mutation.text, 'utf8');
  }
}

/**
 * Percent-encodes a path segment or query value. Lone surrogates (which encodeURIComponent
 * refuses) become their generalized UTF-8 bytes (%ED%A0%80), as a careless client sends them.
 */
export function encodeSegment(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

/** A short description of a request for failure messages (long strings cut). */
export function describe(value: unknown): string {
  const text =
    typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text;
}
