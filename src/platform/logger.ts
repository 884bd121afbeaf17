import type { FastifyServerOptions } from 'fastify';

/**
 * pino options. Request URLs carry credentials (Tencent's usersig), so requests are never
 * logged whole; anything that looks like a secret is redacted as a second line of defence.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.url', 'req.headers.authorization', '*.secretKey', '*.key', '*.iv', '*.clientSecret', '*.token'],
      censor: '[redacted]',
    },
  };
}
