import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAsset, ConsoleAssets } from './assets.js';
import { consoleSecurityHeaders } from './headers.js';

export interface ConsoleSurfaceOptions {
  /** The built console (`loadConsoleAssets()`), or undefined when it was not built. */
  assets: ConsoleAssets | undefined;
}

/** Hashed assets never change under their name; index.html is checked every time (ETag). */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * `/console`: the operator console, a client of the admin API. Its pages are routed in the
 * browser (History API), so every URL under `/console` but `/console/assets/…` answers
 * index.html, and a reload or a bookmark of any page works. Assets are served from memory,
 * brotli or gzip as the browser accepts, with an ETag.
 */
export const consoleSurface: FastifyPluginAsync<ConsoleSurfaceOptions> = async (app, { assets }) => {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(consoleSecurityHeaders);
    return payload;
  });

  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (!assets) return notBuilt(reply);
    return sendAsset(request, reply, assets.index);
  };
  app.get('/console', page);
  app.get('/console/*', (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    if (!rest.startsWith('assets/')) return page(request, reply);
    const asset = assets?.files.get(rest.slice('assets/'.length));
    if (!asset) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .header('cache-control', REVALIDATE)
        .send('no such console asset\n');
    }
    return sendAsset(request, reply, asset);
  });
};

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset) {
  reply
    .header('cache-control', asset.immutable ? IMMUTABLE : REVALIDATE)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .type(asset.contentType);
  if (matches(request.headers['if-none-match'], asset.etag)) return reply.code(304).send();
  const encoding = preferredEncoding(request.headers['accept-encoding'], asset);
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(asset.brotli);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

/** `If-None-Match` compared weakly (RFC 9110 §13.1.2), as a GET's is. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** brotli, else gzip, when the browser accepts it (`q=0` refuses) and the build made it. */
function preferredEncoding(header: string | undefined, asset: ConsoleAsset): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
    if (name !== '' && !refused) accepted.add(name);
  }
  if (asset.brotli && accepted.has('br')) return 'br';
  if (asset.gzip && (accepted.has('gzip') || accepted.has('*'))) return 'gzip';
  return undefined;
}

function notBuilt(reply: FastifyReply) {
  return reply
    .code(503)
    .type('text/html; charset=utf-8')
    .header('cache-control', REVALIDATE)
    .send(
      '<!doctype html><meta charset="utf-8"><title>Ringside console</title>' +
        '<p>The console has not been built. Build it with <code>npm run build</code> (<code>npm ci</code> does) and restart.</p>\n',
    );
}
