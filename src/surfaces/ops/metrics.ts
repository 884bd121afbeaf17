import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../platform/metrics.js';
import type { AdminAuth } from '../admin/auth.js';
import { adminSurfaceSpec } from '../admin/plugin.js';
import { installSurface } from '../kit/surface.js';

export interface MetricsRouteOptions {
  metrics: Metrics;
  /** Checks the admin token a scrape must bear; undefined on the metrics listener of its own. */
  auth: AdminAuth | undefined;
}

/**
 * `GET /metrics` (register with the prefix `/metrics`): the Prometheus text format. On the main
 * port it is behind the admin token (`Authorization: Bearer …`, as Prometheus's `authorization`
 * setting sends it) and refuses in the admin API's format.
 */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, { metrics, auth }) => {
  if (auth) {
    installSurface(app, { ...adminSurfaceSpec, name: 'metrics' });
    app.addHook('onRequest', async (request) => {
      auth.bearer(request.headers.authorization);
    });
  }
  app.get('/', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
};

/** The listener of `metrics.listen`: `/metrics` only, without a token. Not listening yet. */
export async function metricsListener(metrics: Metrics): Promise<FastifyInstance> {
  const listener = Fastify({ logger: false, forceCloseConnections: true });
  await listener.register(metricsRoute, { prefix: '/metrics', metrics, auth: undefined });
  return listener;
}
