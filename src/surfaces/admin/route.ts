import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainErrorCode } from '../../platform/errors.js';
import type { WireFieldNames } from '../kit/wireFields.js';
import type { AdminRefusalCode } from './errorCodes.js';

/** An error code the admin API answers: a domain error's, or one of its own refusals'. */
export type AdminErrorCode = DomainErrorCode | AdminRefusalCode;

/**
 * What a route answers on success: a JSON body (its schema), or a stream of another media type
 * that the route writes itself.
 */
export type AdminResponse = { json: TSchema } | { stream: { mediaType: string; description: string } };

/** A documented request and the answer it gets (path parameters, query, body as sent). */
export interface AdminExample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The answer's body, absent for a stream. */
  response?: unknown;
}

/**
 * An admin API route. Its TypeBox schemas are the one source of its input validation (Fastify
 * route schemas), its answer's serialization, its handler's types (through the TypeBox type
 * provider) and its OpenAPI description.
 */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path under /admin/v1, e.g. `/jdb/players` or `/deliveries/:id/retry`. */
  url: string;
  summary: string;
  /** Success status (default 200). */
  status: number;
  schemas: { body?: TSchema; query?: TObject; params?: TObject };
  response: AdminResponse;
  /** The refusals this route answers besides those every route can (see `openapi.ts`). */
  errors: readonly AdminErrorCode[];
  example: AdminExample;
  /** Where the route's fields are named otherwise than the domain's (its refusals use these names). */
  wireFields: WireFieldNames;
  /** Open without an admin token or session (signing in). */
  public: boolean;
  handle(input: { body: unknown; query: unknown; params: unknown; http: HttpExchange }): Promise<unknown>;
}

/**
 * The request and reply, for the few routes that need more than the parsed input (cookies, a
 * stream). A route that sends the reply itself (`reply.hijack()`) returns undefined.
 */
export interface HttpExchange {
  request: FastifyRequest;
  reply: FastifyReply;
}

/** A schema's type as the TypeBox type provider gives it to Fastify handlers (input, or answer). */
type Validated<S> = S extends TSchema ? (TypeBoxTypeProvider & { schema: S })['validator'] : undefined;
type Serialized<S> = S extends TSchema ? (TypeBoxTypeProvider & { schema: S })['serializer'] : undefined;

type Input<B, Q, P> = { body: Validated<B>; query: Validated<Q>; params: Validated<P>; http: HttpExchange };

type Answer<R> = R extends { json: infer S } ? Serialized<S> : undefined;

/** A route's example, typed by its schemas: the compiler refuses one that does not fit. */
type Example<B, Q, P, R> = {
  params?: P extends TSchema ? { [K in keyof Validated<P>]: string } : never;
  query?: Q extends TSchema ? Partial<{ [K in keyof Validated<Q>]: string }> : never;
  body?: Validated<B>;
} & (R extends { json: TSchema } ? { response: Answer<R> } : { response?: never });

export function defineAdminRoute<
  R extends AdminResponse,
  B extends TSchema | undefined = undefined,
  Q extends TObject | undefined = undefined,
  P extends TObject | undefined = undefined,
>(definition: {
  method: AdminRoute['method'];
  url: string;
  summary: string;
  status?: number;
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  errors?: readonly AdminErrorCode[];
  example: Example<B, Q, P, R>;
  /** Domain field name → the route's, e.g. `matchId` → `id` for a `:id` path parameter. */
  wireFields?: Record<string, string>;
  public?: boolean;
  handle(input: Input<B, Q, P>): Promise<Answer<R>>;
}): AdminRoute {
  const { body, query, params } = definition;
  return {
    method: definition.method,
    url: definition.url,
    summary: definition.summary,
    status: definition.status ?? 200,
    schemas: { body, query, params },
    response: definition.response,
    errors: definition.errors ?? [],
    example: definition.example as AdminExample,
    wireFields: new Map(Object.entries(definition.wireFields ?? {})),
    public: definition.public ?? false,
    handle: definition.handle as AdminRoute['handle'],
  };
}

/** A JSON answer of this schema. */
export function json<S extends TSchema>(schema: S): { json: S } {
  return { json: schema };
}

/** The most items a listing returns, whatever `limit` asks for. */
const MAX_PAGE_LIMIT = 500;

/** A listing's optional `limit` query parameter: 1 to 999 (answered with at most 500). */
export const pageLimitQuery = Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' }));

/** The page size `limit` (validated by `pageLimitQuery`) asks for: `fallback` when absent, at most 500. */
export function pageLimit(limit: string | undefined, fallback: number): number {
  return Math.min(Number(limit ?? fallback), MAX_PAGE_LIMIT);
}
