import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type GameReport, matchLimits } from '../../domain/matches/match.js';
import type { MatchService } from '../../domain/matches/matchService.js';
import { domainErrorToOklp, OklpError, surfaceErrors } from './errorCodes.js';
import { renderOutcome, renderStub, renderTokenInfo } from './render.js';
import { type PlatformTokens, TokenRefusal } from './tokens.js';
import { installSurface, lookup } from '../kit/surface.js';
import { type WireFieldNames, wireMessage } from '../kit/wireFields.js';

export interface GameApiOptions {
  tokens: PlatformTokens;
  matches: MatchService;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The game client the Bearer token was issued to. */
    oklpClientId: string;
  }
}

const GAME_BODY_LIMIT = 256 * 1024;

const id = Type.String({ minLength: 1, maxBytes: matchLimits.maxIdBytes });
/** `uint8_t` in the seed, whose own samples send 300: any non-negative integer up to 2^53 − 1. */
const score = Type.Integer({ minimum: 0, maximum: matchLimits.maxScore });
/** `uint8_t` in the seed: 0 to 255, the lowest ranks first. */
const ranking = Type.Integer({ minimum: 0, maximum: matchLimits.maxRanking });

/**
 * The seed's fields, and its spellings `match-id` (abort sample) and `forfeit?` (forfeit
 * sample). Where Ringside is stricter or looser than the seed is listed in docs/oklp.md.
 */
const FinishBody = Type.Object({
  match_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  'match-id': Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  participants: Type.Optional(
    Type.Array(Type.Object({ id, score }), { minItems: 1, maxItems: matchLimits.maxParticipants }),
  ),
  teams: Type.Optional(
    Type.Array(
      Type.Object({
        id,
        score: Type.Optional(score),
        ranking: Type.Optional(ranking),
        forfeit: Type.Optional(Type.Boolean()),
        'forfeit?': Type.Optional(Type.Boolean()),
      }),
      { minItems: 1, maxItems: matchLimits.maxTeams },
    ),
  ),
  error: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxBytes: matchLimits.maxReasonBytes })) })),
});

const TokenInfoBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) });

const ActiveQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

const MAX_PAGE = 1000;

/** The domain's field names as the game API spells them (`matchId` as the body spelt it). */
const wireFields: WireFieldNames = new Map([
  ['matchId', 'match_id'],
  ['participants[].userId', 'participants[].id'],
  ['teams[].teamId', 'teams[].id'],
  ['reason', 'error.reason'],
]);
const wireFieldsWithDashedMatchId: WireFieldNames = new Map([...wireFields, ['matchId', 'match-id']]);

/** The names a refusal of `request` uses: its body may spell the match id `match-id` (the seed's abort sample). */
function wireFieldsOf(request: FastifyRequest): WireFieldNames {
  const body = request.body as Record<string, unknown> | undefined;
  const dashed =
    typeof body === 'object' && body !== null && Object.hasOwn(body, 'match-id') && !Object.hasOwn(body, 'match_id');
  return dashed ? wireFieldsWithDashedMatchId : wireFields;
}

/**
 * `/api/game/v1/*`: the game API. Every call carries a Bearer access token from the realm's
 * token endpoint; JSON in, JSON out; errors are `{"error": {"code", "message"}}` with the
 * HTTP status.
 */
export const gameApiRoutes: FastifyPluginAsync<GameApiOptions> = async (app, { tokens, matches }) => {
  installSurface(app, {
    name: 'oklp game API',
    bodyLimit: GAME_BODY_LIMIT,
    isWireError: (error) => error instanceof OklpError,
    fromDomain: (error, request) => {
      const mapped = lookup(domainErrorToOklp, error.code);
      return mapped && new OklpError(mapped.status, mapped.code, wireMessage(error, wireFieldsOf(request)));
    },
    refusals: {
      bodyTooLarge: () => surfaceErrors.bodyTooLarge('request body is larger than 256 KiB'),
      invalidJson: (message) => surfaceErrors.invalidJson(message),
      invalidInput: (_part, message) => surfaceErrors.invalidRequest(`invalid request: ${message}`),
      badRequest: (message, status) => new OklpError(status, 'invalid_request', message),
      notFound: (method, path) => surfaceErrors.notFound(`no game API endpoint ${method} ${path}`),
      internal: () => surfaceErrors.internal(),
    },
    send: (reply, error) => {
      if (error.status === 401) reply.header('www-authenticate', 'Bearer');
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    },
    metrics: { code: (error) => error.code, ok: 'ok' },
  });
  app.decorateRequest('oklpClientId', '');

  app.addHook('onRequest', async (request) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!bearer) throw surfaceErrors.unauthorized('missing Bearer access token (Authorization: Bearer <token>)');
    try {
      request.oklpClientId = await tokens.verifyAccessToken(bearer[1]!);
    } catch (error) {
      if (error instanceof TokenRefusal) throw surfaceErrors.unauthorized(error.message);
      throw error;
    }
  });

  app.post<{ Body: Static<typeof TokenInfoBody> }>(
    '/token-info',
    { schema: { body: TokenInfoBody } },
    async (request) => renderTokenInfo(await matches.tokenInfo(request.oklpClientId, request.body.token)),
  );

  app.get<{ Querystring: Static<typeof ActiveQuery> }>(
    '/matches/active',
    { schema: { querystring: ActiveQuery } },
    async (request) => {
      const limit = Math.min(Number(request.query.limit ?? 100), MAX_PAGE);
      const live = await matches.listLive(request.oklpClientId, request.query.after, limit);
      return { matches: live.map(renderStub), next: live.length === limit ? live.at(-1)!.matchId : null };
    },
  );

  app.post<{ Body: Static<typeof FinishBody> }>('/finish', { schema: { body: FinishBody } }, async (request, reply) => {
    const outcome = await matches.report(request.oklpClientId, toReport(request.body));
    if (outcome.replayed) reply.header('idempotent-replayed', 'true');
    return renderOutcome(outcome);
  });
};

function toReport(body: Static<typeof FinishBody>): GameReport {
  if (body.match_id !== undefined && body['match-id'] !== undefined && body.match_id !== body['match-id']) {
    throw surfaceErrors.invalidRequest('match_id and match-id must be equal when both are given');
  }
  const matchId = body.match_id ?? body['match-id'];
  if (matchId === undefined) throw surfaceErrors.invalidRequest('match_id is required');
  if (body.error !== undefined) {
    if (body.participants !== undefined || body.teams !== undefined) {
      throw surfaceErrors.invalidRequest('participants and teams must be absent when error is given (an abort)');
    }
    return { kind: 'abort', matchId, reason: body.error.reason ?? '' };
  }
  if (body.participants === undefined) {
    throw surfaceErrors.invalidRequest('participants is required (or error, to abort the match)');
  }
  return {
    kind: 'result',
    matchId,
    participants: body.participants.map((p) => ({ userId: p.id, score: p.score })),
    teams: body.teams?.map((t) => ({
      teamId: t.id,
      score: t.score,
      ranking: t.ranking,
      forfeit: t.forfeit === true || t['forfeit?'] === true,
    })),
  };
}
