import type { FastifyPluginAsync } from 'fastify';
import type { OklpConfig } from '../../config/schema.js';
import type { MatchService } from '../../domain/matches/matchService.js';
import { gameApiRoutes } from './gameApi.js';
import { realmRoutes } from './realm.js';
import type { PlatformTokens } from './tokens.js';

export interface OklpSurfaceOptions {
  oklp: OklpConfig;
  tokens: PlatformTokens;
  publicKeyDer: string;
  matches: MatchService;
}

/**
 * The OkLetsPlay-compatible surface: Ringside plays the platform. `/auth/realms/{realm}/…`
 * issues and publishes the keys of its tokens; `/api/game/v1/…` is the API games call.
 */
export const oklpSurface: FastifyPluginAsync<OklpSurfaceOptions> = async (app, options) => {
  await app.register(realmRoutes, {
    prefix: '/auth/realms',
    oklp: options.oklp,
    tokens: options.tokens,
    publicKeyDer: options.publicKeyDer,
  });
  await app.register(gameApiRoutes, { prefix: '/api/game/v1', tokens: options.tokens, matches: options.matches });
};
