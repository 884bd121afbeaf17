import type { TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import { type DomainError, type DomainErrorCode, isDomainError } from '../../platform/errors.js';
import { compileValidator } from '../../platform/validation.js';

/** The part of a request a route schema refused, in the words a caller knows. */
export type RequestPart = 'body' | 'query' | 'path' | 'headers';

/**
 * What a surface tells the kit: how its errors look on the wire, how domain errors become
 * them, and the refusals the kit makes on its behalf. Everything else (body reading, size
 * limit, schema validation, the not-found and error branches, logging) is the kit's.
 */
export interface SurfaceSpec<WireError> {
  /** Names the surface in logs. */
  name: string;
  /** Largest request body in bytes. */
  bodyLimit: number;
  /** The surface's own refusals, thrown by its routes and hooks and sent as they are. */
  isWireError(error: unknown): error is WireError;
  /**
   * A domain error in the surface's terms, through its error table; `undefined` for a code
   * the surface cannot meet (a bug: logged and answered as `internal`).
   */
  fromDomain(error: DomainError, request: FastifyRequest): WireError | undefined;
  /** Refusals the kit makes itself. */
  refusals: {
    bodyTooLarge(): WireError;
    /** A body that a route with a body schema cannot read as JSON (empty, or not JSON). */
    invalidJson(message: string): WireError;
    /** A route schema refused the request; `message` names the field. */
    invalidInput(part: RequestPart, message: string): WireError;
    /** An HTTP-level mistake that Fastify refused, with the 4xx status it chose. */
    badRequest(message: string, status: number): WireError;
    notFound(method: string, path: string): WireError;
    internal(): WireError;
  };
  /** Writes a wire error as the reply. */
  send(reply: FastifyReply, error: WireError): FastifyReply;
}

/**
 * Makes `app` (an encapsulated Fastify plugin's instance) speak one surface: bodies are read
 * as text up to the limit (whatever `Content-Type` says), routes that declare a body schema
 * get it parsed as JSON and every route schema is checked with Ringside's validator, and
 * every error, thrown or Fastify's own, is answered in the surface's format.
 */
export function installSurface<WireError>(app: FastifyInstance, spec: SurfaceSpec<WireError>): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: spec.bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const part = requestPart(httpPart);
    const validate = compileValidator(schema as TSchema, part);
    return (data: unknown) => {
      const result = validate(data);
      return result.ok ? { value: result.value } : { error: new SchemaRefusal(part, result.message) };
    };
  });

  const parseJsonBody: preValidationHookHandler = async (request) => {
    request.body = readJson(request.body);
  };
  app.addHook('onRoute', (route) => {
    if (route.schema?.body === undefined) return;
    const existing = route.preValidation;
    route.preValidation = [parseJsonBody, ...(existing === undefined ? [] : [existing].flat())];
  });

  app.setErrorHandler((error: FastifyError, request, reply) => spec.send(reply, toWireError(error, request, spec)));
  app.setNotFoundHandler((request, reply) => spec.send(reply, spec.refusals.notFound(request.method, pathOf(request))));
}

/** The domain errors a surface can meet, each with its wire error: the compiler refuses a gap. */
export type ErrorTable<Code extends DomainErrorCode, Wire> = Record<Code, Wire>;

/** `table`'s entry for `code`, or `undefined` when the surface cannot meet that code. */
export function lookup<Code extends DomainErrorCode, Wire>(
  table: Partial<ErrorTable<Code, Wire>>,
  code: DomainErrorCode,
): Wire | undefined {
  return Object.hasOwn(table, code) ? table[code as Code] : undefined;
}

/** The request path, without the query string (which may carry credentials). */
export function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query < 0 ? request.url : request.url.slice(0, query);
}

class SchemaRefusal extends Error {
  constructor(
    readonly part: RequestPart,
    message: string,
  ) {
    super(message);
  }
}

class MalformedJson extends Error {}

function readJson(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') throw new MalformedJson('request body is empty');
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new MalformedJson(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

function toWireError<WireError>(error: unknown, request: FastifyRequest, spec: SurfaceSpec<WireError>): WireError {
  if (spec.isWireError(error)) return error;
  if (isDomainError(error)) {
    const mapped = spec.fromDomain(error, request);
    if (mapped !== undefined) return mapped;
  } else if (error instanceof SchemaRefusal) {
    return spec.refusals.invalidInput(error.part, error.message);
  } else if (error instanceof MalformedJson) {
    return spec.refusals.invalidJson(error.message);
  } else {
    const fastifyError = error as Partial<FastifyError>;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return spec.refusals.bodyTooLarge();
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
      return spec.refusals.badRequest(`bad HTTP request: ${fastifyError.message}`, fastifyError.statusCode);
    }
  }
  request.log.error({ err: error, surface: spec.name, path: pathOf(request) }, `${spec.name} request failed`);
  return spec.refusals.internal();
}

function requestPart(httpPart: string | undefined): RequestPart {
  switch (httpPart) {
    case 'querystring':
      return 'query';
    case 'params':
      return 'path';
    case 'headers':
      return 'headers';
    default:
      return 'body';
  }
}
