import { Ajv, type ErrorObject } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { utf8Length } from './bytes.js';

/**
 * JSON-Schema validation for request bodies and config. Schemas are written with TypeBox;
 * the extra keyword `maxBytes` limits a string's UTF-8 length, which is how every vendor
 * doc states its limits.
 *
 * Text hygiene, one rule for both backends (PostgreSQL text cannot hold U+0000, and SQLite
 * and PostgreSQL each mangle lone UTF-16 surrogates differently), applied to every string a
 * schema admits without the schema having to ask for it:
 * - every string must be well-formed Unicode and must not contain U+0000 (keyword `wellFormedText`);
 * - an id must also hold no other control character, C0, DEL or C1 (keyword `opaqueId`). A string
 *   is an id when its schema says `opaqueId: true`, or when it is the value (or an item of the
 *   value) of a property whose name reads as an id: `id`, `uid`, `…Id`, `…ID`, `…_id`, `…-id`, with
 *   an optional plural `s` or `List` (`RoomId`, `userId`, `match_id`, `RoomIdList`), and JDB's
 *   `players` and `parent`.
 */
const ajv = new Ajv({ allErrors: false, strict: false, verbose: true, coerceTypes: false, useDefaults: false });
ajv.addKeyword({
  keyword: 'maxBytes',
  type: 'string',
  schemaType: 'number',
  errors: false,
  validate: (max: number, data: string) => utf8Length(data) <= max,
});

/** No lone UTF-16 surrogate (`String.prototype.isWellFormed`, Node 20; not in the ES2023 lib's types). */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** The rule for every stored string: well-formed Unicode without U+0000. */
export function isCleanText(text: string): boolean {
  return !text.includes('\0') && isWellFormed(text);
}

/** The rule for ids: well-formed Unicode without any control character (C0, DEL, C1). */
export function isCleanId(text: string): boolean {
  return !CONTROL_CHARACTER.test(text) && isWellFormed(text);
}

// Untyped keywords (they pass anything but a string): a typed one would make ajv report a
// wrong-typed value's `enum` before its `type`, and "must be a string" is the clearer message.
ajv.addKeyword({
  keyword: 'wellFormedText',
  schemaType: 'boolean',
  errors: false,
  validate: (_on: boolean, data: unknown) => typeof data !== 'string' || isCleanText(data),
});
ajv.addKeyword({
  keyword: 'opaqueId',
  schemaType: 'boolean',
  errors: false,
  validate: (_on: boolean, data: unknown) => typeof data !== 'string' || isCleanId(data),
});

// `format: 'json'`: a string that is a JSON text (or empty, meaning none).
ajv.addFormat('json', (text: string) => {
  if (text === '') return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
});

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string; path: string };
export type Validator<T> = (data: unknown) => Validation<T>;

/** `rootName` names the whole value in messages about it ("body must be an object"). */
export function compileValidator<S extends TSchema>(schema: S, rootName = 'body'): Validator<Static<S>> {
  const check = ajv.compile(withTextRules(schema) as TSchema);
  return (data) => {
    if (check(data)) return { ok: true, value: data as Static<S> };
    const error = check.errors?.[0];
    if (!error) return { ok: false, message: `${rootName} is invalid`, path: '' };
    return { ok: false, message: describeError(error, rootName), path: errorPath(error) };
  };
}

/** Property names whose values are ids (see the module's comment). */
const ID_NAME = /^(id|ids|uid|uids|players|parent)$|[a-z0-9](Id|ID)(s|List)?$|[_-]id$/;

/**
 * A copy of `schema` in which every string schema carries `wellFormedText` (or `opaqueId`, for ids). The
 * walk follows the keywords TypeBox emits for nested values; the copy keeps the original's
 * other keys (and TypeBox's symbol keys) untouched.
 */
function withTextRules(schema: unknown, isId = false): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const source = schema as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...source };
  const types = [source.type].flat();
  if (types.includes('string')) {
    if (isId || source.opaqueId === true) copy.opaqueId = true;
    else copy.wellFormedText = true;
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = source[key];
    if (Array.isArray(branches)) copy[key] = branches.map((branch) => withTextRules(branch, isId));
  }
  if (source.items !== undefined) {
    copy.items = Array.isArray(source.items)
      ? source.items.map((item) => withTextRules(item, isId))
      : withTextRules(source.items, isId);
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    const properties = source[key] as Record<string, unknown> | undefined;
    if (properties === undefined || typeof properties !== 'object') continue;
    copy[key] = Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [
        name,
        withTextRules(value, key === 'properties' && ID_NAME.test(name)),
      ]),
    );
  }
  if (typeof source.additionalProperties === 'object')
    copy.additionalProperties = withTextRules(source.additionalProperties);
  return copy;
}

/** `/RoomInfo/Category/0` becomes `RoomInfo.Category[0]`. */
export function formatPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function errorPath(error: ErrorObject): string {
  const base = formatPath(error.instancePath);
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function describeError(error: ErrorObject, rootName: string): string {
  const path = errorPath(error) || rootName;
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path} is required`;
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => typeNames[t] ?? t)
        .join(' or ');
      return `${path} must be ${expected}`;
    }
    case 'maxBytes':
      return `${path} must be at most ${String(schema?.maxBytes)} bytes in UTF-8`;
    case 'minLength':
      return params.limit === 1
        ? `${path} must not be empty`
        : `${path} must be at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `${path} must be at most ${String(params.limit)} characters`;
    case 'minItems':
      return params.limit === 1
        ? `${path} must not be empty`
        : `${path} must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `${path} must have at most ${String(params.limit)} items`;
    case 'minimum':
      return `${path} must be at least ${String(params.limit)}`;
    case 'maximum':
      return `${path} must be at most ${String(params.limit)}`;
    case 'exclusiveMinimum':
      return `${path} must be greater than ${String(params.limit)}`;
    case 'enum':
    case 'const': {
      const allowed = (schema?.enum as unknown[] | undefined) ?? [schema?.const];
      return `${path} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'anyOf':
    case 'oneOf':
      return `${path} has an invalid value`;
    case 'pattern':
      return `${path} has an invalid format`;
    case 'wellFormedText':
      return describeBadText(error.data, path, false);
    case 'opaqueId':
      return describeBadText(error.data, path, true);
    case 'format':
      return params.format === 'json'
        ? `${path} must be a JSON text`
        : `${path} must be a valid ${String(params.format)}`;
    case 'additionalProperties':
      return `${path ? `${path}.` : ''}${String(params.additionalProperty)} is not a known field`;
    case 'uniqueItems':
      return `${path} must not contain duplicates`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/** Why `value` broke the `wellFormedText` or `opaqueId` rule, naming the first offending character. */
export function describeBadText(value: unknown, path: string, isId: boolean): string {
  const text = String(value);
  if (text.includes('\0')) return `${path} must not contain the zero byte U+0000`;
  if (!isWellFormed(text)) return `${path} must be well-formed Unicode (it holds a lone UTF-16 surrogate)`;
  const control = CONTROL_CHARACTER.exec(text)?.[0];
  const code = (control ?? '').codePointAt(0) ?? 0;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return isId ? `${path} is an id and must not contain control characters (it holds ${name})` : `${path} is invalid`;
}
