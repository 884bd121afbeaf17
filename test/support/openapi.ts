import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The admin API's OpenAPI document as a test reads it: which answers each operation documents,
 * and whether a real answer is one of them. Schemas are checked with a JSON Schema 2020-12
 * validator of the test's own, stricter than the document: an object may hold no property the
 * schema does not name, so an answer or example with an undocumented field fails.
 */

export interface Operation {
  method: string;
  /** As documented, e.g. `/admin/v1/oklp/matches/{id}`. */
  path: string;
  operation: any;
}

export function operationsOf(document: any): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** Closes every object schema to undocumented properties (an `allOf` is closed as a whole). */
function closed(schema: any, inAllOf = false): any {
  if (Array.isArray(schema)) return schema.map((item) => closed(item, inAllOf));
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: any = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] =
      key === 'allOf'
        ? closed(value, true)
        : key === 'anyOf' || key === 'oneOf'
          ? closed(value, inAllOf)
          : closed(value, false);
  }
  const isObject = schema.type === 'object' && schema.properties !== undefined;
  if (isObject && !inAllOf && schema.additionalProperties === undefined && schema.patternProperties === undefined) {
    copy.additionalProperties = false;
  }
  if (schema.allOf && !inAllOf) copy.unevaluatedProperties = false;
  return copy;
}

export class DocumentedAnswers {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<object, ValidateFunction>();

  constructor() {
    this.ajv.addKeyword({
      keyword: 'maxBytes',
      type: 'string',
      schemaType: 'number',
      validate: (max: number, data: string) => Buffer.byteLength(data, 'utf8') <= max,
    });
  }

  /** Why `value` does not fit `schema` (closed to undocumented properties), or undefined if it does. */
  misfit(schema: object, value: unknown): string | undefined {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(closed(schema));
      this.validators.set(schema, validate);
    }
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors, { dataVar: 'answer' });
  }

  /**
   * Why an answer (`status`, JSON `body`) is not one the operation documents: a status it does
   * not list, a body that does not fit that status's schema, or an error code not in its list.
   */
  undocumented(operation: any, status: number, body: unknown): string | undefined {
    const response = operation.responses[String(status)];
    if (!response)
      return `HTTP ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return `HTTP ${status} documents no JSON body`;
    const misfit = this.misfit(schema, body);
    return misfit && `HTTP ${status}: ${misfit} (body: ${JSON.stringify(body).slice(0, 400)})`;
  }
}
