import type { FastifyServerOptions } from 'fastify';

/**
 * pino options. Request URLs carry credentials (Tencent's usersig), so requests are never
 * logged whole: per-request logging is off and error logs name the route, not the URL.
 * (pino's `redact` would be the belt to these braces, but it costs a third of the
 * throughput: Fastify makes a child logger per request and redaction rebuilds for each.)
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level };
}
