import type { FastifyPluginAsync } from 'fastify';

export interface OpsOptions {
  /** Resolves when the database answers. */
  ping(): Promise<void>;
}

/** `GET /healthz` (the process is up) and `GET /readyz` (the database is reachable). */
export const opsSurface: FastifyPluginAsync<OpsOptions> = async (app, options) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await options.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', error: 'database unreachable' });
    }
  });
};
