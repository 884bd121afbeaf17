import { Ajv, type ErrorObject } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { utf8Length } from './bytes.js';

/**
 * JSON-Schema validation for request bodies and config. Schemas are written with TypeBox;
 * the extra keyword `maxBytes` limits a string's UTF-8 length, which is how every vendor
 * doc states its limits.
 */
const ajv = new Ajv({ allErrors: false, strict: false, verbose: true, coerceTypes: false, useDefaults: false });
ajv.addKeyword({
  keyword: 'maxBytes',
  type: 'string',
  schemaType: 'number',
  errors: false,
  validate: (max: number, data: string) => utf8Length(data) <= max,
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
  const check = ajv.compile(schema);
  return (data) => {
    if (check(data)) return { ok: true, value: data as Static<S> };
    const error = check.errors?.[0];
    if (!error) return { ok: false, message: `${rootName} is invalid`, path: '' };
    return { ok: false, message: describeError(error, rootName), path: errorPath(error) };
  };
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
