import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { TSchema } from '@sinclair/typebox';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  onResponseHookHandler,
  preValidationHookHandler,
} from 'fastify';
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
  /**
   * Writes a wire error as the reply, with `reply.code`, `reply.header` and `reply.send` only:
   * the kit also calls it with a stand-in reply to answer on a raw socket (see `SurfaceDirectory`).
   */
  send(reply: FastifyReply, error: WireError): FastifyReply;
  /** How the surface's requests are named and their answers coded in metrics (docs/metrics.md). */
  metrics?: SurfaceMetrics<WireError>;
}

/** A surface's words for the request metrics; every label value must come from a small, fixed set. */
export interface SurfaceMetrics<WireError> {
  /** The command, action or route a request asked for (default: `routeOperation`): never a raw URL or an id. */
  operation?(request: FastifyRequest): string;
  /** The code a wire error answers with (Tencent ErrorCode, JDB status, an HTTP surface's error code). */
  code(error: WireError): string;
  /** The code of an answer that is not an error. */
  ok: string;
}

/** Hears every answered request of every surface (the metrics, when they are on). */
export interface RequestRecorder {
  record(surface: string, operation: string, status: number, code: string, seconds: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's surfaces by path prefix (decorated on the root by `SurfaceDirectory.attach`). */
    surfaceDirectory?: SurfaceDirectory;
    /** Decorated on the root when metrics are on: every surface installed after it reports to it. */
    requestRecorder?: RequestRecorder;
  }
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

  const recorder = app.requestRecorder;
  const answer = (request: FastifyRequest, reply: FastifyReply, error: WireError) => {
    if (recorder) answeredCodes.set(request, spec.metrics ? spec.metrics.code(error) : '');
    return spec.send(reply, error);
  };
  app.setErrorHandler((error: FastifyError, request, reply) =>
    answer(request, reply, toWireError(error, request, spec)),
  );
  app.setNotFoundHandler((request, reply) =>
    answer(request, reply, spec.refusals.notFound(request.method, pathOf(request))),
  );
  app.surfaceDirectory?.add(app.prefix, spec as SurfaceSpec<unknown>);
  if (recorder) app.addHook('onResponse', measureRequests(spec, recorder));
}

/** The wire code of each request answered with an error (the kit answers them all). */
const answeredCodes = new WeakMap<FastifyRequest, string>();

/**
 * One hook per surface: the request's operation, status, wire code and time to the recorder.
 * Without `spec.metrics` the code is the HTTP status.
 */
function measureRequests<WireError>(spec: SurfaceSpec<WireError>, recorder: RequestRecorder): onResponseHookHandler {
  const operationOf = spec.metrics?.operation ?? routeOperation;
  const ok = spec.metrics?.ok;
  return (request, reply, done) => {
    const status = reply.statusCode;
    const code = answeredCodes.get(request) || (ok ?? String(status));
    recorder.record(spec.name, operationOf(request), status, code, reply.elapsedTime / 1000);
    done();
  };
}

/** A request as its method and route template (`GET /admin/v1/matches/:matchId`), or `unrouted`. */
export function routeOperation(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return url === undefined ? 'unrouted' : `${request.method} ${url}`;
}

/**
 * The surfaces of one server by path prefix, so that what the HTTP layer refuses before any
 * surface's plugin runs is answered in the format of the surface the path belongs to: a URL
 * Fastify cannot decode or route (`frameworkErrors`), a path no route matches (the root
 * not-found handler, e.g. `/apiRequest.do;jsessionid=…`), and what Node's HTTP parser refuses
 * (`clientErrorHandler`: headers over the limit, a malformed chunked body, a request that
 * timed out), found by the request line or the request in flight on the socket. A path that
 * belongs to no surface gets Fastify's plain JSON.
 *
 * Made before the server (`fastifyOptions()` goes into `Fastify(...)`), attached to it before
 * the surfaces are registered; each `installSurface` then adds its plugin's prefix.
 */
export class SurfaceDirectory {
  private readonly surfaces: Array<{ prefix: string; spec: SurfaceSpec<unknown> }> = [];
  /** Sockets answered after a client error, now closing. */
  private readonly closing = new WeakSet<Socket>();

  /** The options that route Fastify's own refusals here. */
  fastifyOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
    const directory = this;
    return {
      frameworkErrors: (error, request, reply) => this.answerFrameworkError(error, request, reply),
      clientErrorHandler(this: FastifyInstance, error: Error, socket: Socket) {
        directory.answerClientError(error, socket, this);
      },
    };
  }

  /** Lets `installSurface` find the directory, and answers unrouted paths. */
  attach(app: FastifyInstance): void {
    const directory: SurfaceDirectory = this;
    app.decorate('surfaceDirectory', directory);
    app.setNotFoundHandler((request, reply) => {
      const path = pathOf(request);
      const spec = this.find(path);
      if (spec) return spec.send(reply, spec.refusals.notFound(request.method, path));
      return reply
        .code(404)
        .send({ error: 'Not Found', message: `Route ${request.method}:${path} not found`, statusCode: 404 });
    });
    // Errors of requests that reached no surface's plugin (an unrouted path whose body is too
    // large, say): the surface's format when the path has one.
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const spec = this.find(pathOf(request));
      if (spec) return spec.send(reply, toWireError(error, request, spec));
      const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error, path: pathOf(request) }, 'request failed');
      const message = status >= 500 ? 'Internal Server Error' : error.message;
      return reply.code(status).send({ error: STATUS_CODES[status], code: error.code, message, statusCode: status });
    });
  }

  add(prefix: string, spec: SurfaceSpec<unknown>): void {
    this.surfaces.push({ prefix, spec });
    // The longest prefix wins (`/api/game/v1` before a shorter one that also matches).
    this.surfaces.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The surface whose prefix `path` starts with, up to a `/`, `;`, `?` or the end. */
  find(path: string): SurfaceSpec<unknown> | undefined {
    for (const { prefix, spec } of this.surfaces) {
      if (!path.startsWith(prefix)) continue;
      const next = path.charAt(prefix.length);
      if (next === '' || next === '/' || next === ';' || next === '?') return spec;
    }
    return undefined;
  }

  private answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const status = error.statusCode ?? 400;
    const message =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'bad HTTP request: a path segment is too long'
        : error.code === 'FST_ERR_BAD_URL'
          ? 'bad HTTP request: the URL is not valid (a percent-encoding is malformed or not UTF-8)'
          : `bad HTTP request: ${error.message}`;
    const spec = this.find(pathOf(request));
    if (spec) {
      spec.send(reply, spec.refusals.badRequest(message, status));
      return;
    }
    reply.code(status).send({ error: STATUS_CODES[status], message, statusCode: status });
  }

  private answerClientError(
    error: Error & { code?: string; rawPacket?: Buffer },
    socket: Socket,
    app: FastifyInstance,
  ): void {
    // A reset connection has nobody left to answer. A client that keeps sending after its
    // refusal makes the parser raise its error again for each chunk: the socket is already
    // answered and closing.
    if (error.code === 'ECONNRESET' || socket.destroyed || this.closing.has(socket)) return;
    this.closing.add(socket);
    const { status, message } = clientErrorOf(error.code);
    app.log.debug({ err: error }, 'HTTP client error');
    const inFlight = (socket as SocketInternals)._httpMessage;
    const path = inFlight?.req?.url ?? requestLinePath(error.rawPacket);
    // Once a reply has begun on this socket, nothing more can be said on it.
    if (socket.writable && !inFlight?.headersSent) {
      const spec = path === undefined ? undefined : this.find(path.split('?')[0] ?? path);
      const answer = spec
        ? renderRaw(spec, spec.refusals.badRequest(message, status))
        : { status, headers: {}, body: JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status }) };
      const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`];
      for (const [name, value] of Object.entries(answer.headers)) head.push(`${name}: ${value}`);
      head.push('content-type: application/json; charset=utf-8');
      head.push(`content-length: ${Buffer.byteLength(answer.body)}`, 'connection: close');
      socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
    }
    socket.destroySoon();
  }
}

interface SocketInternals {
  /** Node's response in progress on this socket, with its request. */
  _httpMessage?: { headersSent: boolean; req?: { url?: string } };
}

function clientErrorOf(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'bad HTTP request: the request headers are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'bad HTTP request: the request was not received in time' };
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_STRICT':
    case 'HPE_INVALID_CONSTANT':
      return { status: 400, message: 'bad HTTP request: the chunked body is malformed' };
    default:
      return { status: 400, message: `bad HTTP request: the request is malformed (${code ?? 'unreadable'})` };
  }
}

/**
 * The path of an HTTP/1 request line at the start of `raw` (`GET /path HTTP/1.1`). The line
 * may be cut short (a URL longer than the header limit, or than the 8 KiB read here): its
 * start still names the surface.
 */
function requestLinePath(raw: Buffer | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const line = raw.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
  return /^[A-Z]+ (\/\S*)/.exec(line)?.[1];
}

/** What `spec.send` would write for `error`, captured through a stand-in reply. */
function renderRaw(
  spec: SurfaceSpec<unknown>,
  error: unknown,
): { status: number; headers: Record<string, string>; body: string } {
  const answer = { status: 200, headers: {} as Record<string, string>, body: '' };
  const reply = {
    code(status: number) {
      answer.status = status;
      return reply;
    },
    header(name: string, value: unknown) {
      answer.headers[name.toLowerCase()] = String(value);
      return reply;
    },
    send(payload: unknown) {
      answer.body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      return reply;
    },
  };
  spec.send(reply as unknown as FastifyReply, error);
  return answer;
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
