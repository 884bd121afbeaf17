import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WireFieldNames } from '../kit/wireFields.js';

/** An admin API route: its schemas describe it in OpenAPI and validate its input (as Fastify route schemas). */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path under /admin/v1, e.g. `/jdb/players` or `/deliveries/:id/retry`. */
  url: string;
  summary: string;
  /** Success status (default 200). */
  status: number;
  schemas: { body?: TSchema; query?: TObject; params?: TObject };
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

type Input<B, Q, P> = {
  body: B extends TSchema ? Static<B> : undefined;
  query: Q extends TSchema ? Static<Q> : undefined;
  params: P extends TSchema ? Static<P> : undefined;
  http: HttpExchange;
};

export function defineAdminRoute<
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
  /** Domain field name → the route's, e.g. `matchId` → `id` for a `:id` path parameter. */
  wireFields?: Record<string, string>;
  public?: boolean;
  handle(input: Input<B, Q, P>): Promise<unknown>;
}): AdminRoute {
  const { body, query, params } = definition;
  return {
    method: definition.method,
    url: definition.url,
    summary: definition.summary,
    status: definition.status ?? 200,
    schemas: { body, query, params },
    wireFields: new Map(Object.entries(definition.wireFields ?? {})),
    public: definition.public ?? false,
    handle: definition.handle as AdminRoute['handle'],
  };
}

/** The most items a listing returns, whatever `limit` asks for. */
const MAX_PAGE_LIMIT = 500;

/** A listing's optional `limit` query parameter: 1 to 999 (answered with at most 500). */
export const pageLimitQuery = Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' }));

/** The page size `limit` (validated by `pageLimitQuery`) asks for: `fallback` when absent, at most 500. */
export function pageLimit(limit: string | undefined, fallback: number): number {
  return Math.min(Number(limit ?? fallback), MAX_PAGE_LIMIT);
}
