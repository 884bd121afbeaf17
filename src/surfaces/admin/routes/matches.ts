import { Type } from '@sinclair/typebox';
import { ledgerLimits } from '../../../domain/ledger/ledger.js';
import { matchLimits } from '../../../domain/matches/match.js';
import type { MatchService } from '../../../domain/matches/matchService.js';
import { timeRange, timeRangeQuery } from '../filters.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { exampleEntryFee, exampleMatchId, exampleNames as ex } from '../examples.js';
import { MatchView, renderMatch, renderTransfer, TransferView } from '../render.js';
import { defineAdminRoute, json } from '../route.js';
import { EpochMs, Page } from '../schemas.js';

const id = Type.String({ minLength: 1, maxBytes: matchLimits.maxIdBytes });
/** Match ids are Ringside's own (24 hex characters); 64 leaves room and bounds the lookup. */
const MatchParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** The routes under `/oklp/matches/{id}` name the match `id`. */
const matchIdInPath = { matchId: 'id' };

const NewMatchBody = Type.Object({
  clientId: Type.String({ minLength: 1 }),
  mode: Type.Union([Type.Literal('sync'), Type.Literal('async')]),
  entryFee: Type.Integer({ minimum: 0, maximum: ledgerLimits.maxAmount, description: 'integer minor units' }),
  currency: Type.String({ pattern: ledgerLimits.currencyPattern.source }),
  teams: Type.Array(Type.Object({ id, participants: Type.Array(Type.Object({ id }), { minItems: 1 }) }), {
    minItems: matchLimits.minTeams,
    maxItems: matchLimits.maxTeams,
  }),
  maxSubmissions: Type.Optional(Type.Integer({ minimum: 1, maximum: matchLimits.maxSubmissions })),
  idempotencyKey: Type.Optional(Type.String({ pattern: ledgerLimits.idempotencyKeyPattern.source })),
});

const MatchAnswer = Type.Object({ match: MatchView });

const exampleMatch = {
  matchId: exampleMatchId,
  clientId: ex.clientId,
  mode: 'sync' as const,
  status: 'live' as const,
  entryFee: 500,
  currency: 'USD',
  maxSubmissions: 1,
  deadlineAt: null,
  createdAt: ex.at,
  decidedAt: null,
  teams: [
    { id: 'red', forfeited: false, participants: [{ id: ex.users[0], submissions: 0, bestScore: null }] },
    { id: 'blue', forfeited: false, participants: [{ id: ex.users[1], submissions: 0, bestScore: null }] },
  ],
  abortReason: null,
  result: null,
  settlement: null,
};

/** OkLetsPlay matches as the platform runs them: creation (fees into escrow), match tokens, forfeits, aborts. */
export function matchRoutes(matches: MatchService) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/oklp/matches',
      summary:
        'Create a live match; every entry fee moves into its escrow, all or nothing (409 when a balance is short)',
      status: 201,
      body: NewMatchBody,
      response: json(Type.Object({ match: MatchView, replayed: Type.Boolean() })),
      errors: ['client_not_found', 'insufficient_funds', 'idempotency_conflict'],
      example: {
        body: {
          clientId: ex.clientId,
          mode: 'sync',
          entryFee: 500,
          currency: 'USD',
          teams: [
            { id: 'red', participants: [{ id: ex.users[0] }] },
            { id: 'blue', participants: [{ id: ex.users[1] }] },
          ],
          idempotencyKey: 'create-66a1',
        },
        response: { match: exampleMatch, replayed: false },
      },
      wireFields: {
        'teams[].teamId': 'teams[].id',
        'teams[].userIds': 'teams[].participants',
        'teams[].userIds[]': 'teams[].participants[].id',
      },
      async handle({ body }) {
        const { match, replayed } = await matches.create({
          clientId: body.clientId,
          mode: body.mode,
          entryFee: body.entryFee,
          currency: body.currency,
          teams: body.teams.map((team) => ({ teamId: team.id, userIds: team.participants.map((p) => p.id) })),
          maxSubmissions: body.maxSubmissions,
          idempotencyKey: body.idempotencyKey,
        });
        return { match: renderMatch(match), replayed };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/matches',
      summary: 'Matches, newest first; filters: clientId, status, mode, from/to (creation time)',
      query: Type.Object({
        ...pageQuery,
        ...timeRangeQuery,
        clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        status: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('settled'), Type.Literal('aborted')])),
        mode: Type.Optional(Type.Union([Type.Literal('sync'), Type.Literal('async')])),
      }),
      response: json(Page(MatchView)),
      // An unknown clientId filter is refused by the domain (not an empty page).
      errors: ['client_not_found'],
      example: { query: { status: 'live', limit: '20' }, response: { items: [exampleMatch], nextCursor: null } },
      async handle({ query }) {
        const request = pageRequest(query);
        const filter = { clientId: query.clientId, status: query.status, mode: query.mode, ...timeRange(query) };
        const rows = await matches.browse(filter, request.after, request.limit);
        return page(rows, request, (m) => ({ at: m.createdAt, id: m.matchId }), renderMatch);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/oklp/matches/:id',
      summary: 'A match, its results and settlement, and every ledger transfer it made',
      params: MatchParams,
      response: json(Type.Object({ match: MatchView, transfers: Type.Array(TransferView) })),
      errors: ['match_not_found'],
      example: {
        params: { id: exampleMatch.matchId },
        response: { match: exampleMatch, transfers: [exampleEntryFee] },
      },
      wireFields: matchIdInPath,
      async handle({ params }) {
        const { match, transfers } = await matches.withTransfers(params.id);
        return { match: renderMatch(match), transfers: transfers.map(renderTransfer) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/oklp/matches/:id/tokens',
      summary: 'Issue a match token for a participant (the game checks it with /api/game/v1/token-info)',
      status: 201,
      params: MatchParams,
      wireFields: matchIdInPath,
      body: Type.Object({ userId: id }),
      response: json(
        Type.Object({ token: Type.String(), matchId: Type.String(), userId: Type.String(), expiresAt: EpochMs }),
      ),
      errors: ['match_not_found', 'not_in_match', 'match_not_live'],
      example: {
        params: { id: exampleMatch.matchId },
        body: { userId: ex.users[0] },
        response: {
          token: 'mt_3q2s9yXr7kVb1cHwZ0pLfA',
          matchId: exampleMatch.matchId,
          userId: ex.users[0],
          expiresAt: 1764550800000,
        },
      },
      async handle({ params, body }) {
        const { token, expiresAt } = await matches.issueToken(params.id, body.userId);
        return { token, matchId: params.id, userId: body.userId, expiresAt };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/oklp/matches/:id/forfeit',
      summary: 'Forfeit a team on the platform; the game is told (push, or the active-matches poll)',
      params: MatchParams,
      wireFields: matchIdInPath,
      body: Type.Object({ teamId: id }),
      response: json(MatchAnswer),
      errors: ['match_not_found', 'match_not_live', 'not_in_match'],
      example: {
        params: { id: exampleMatch.matchId },
        body: { teamId: 'blue' },
        response: {
          match: { ...exampleMatch, teams: [exampleMatch.teams[0]!, { ...exampleMatch.teams[1]!, forfeited: true }] },
        },
      },
      async handle({ params, body }) {
        return { match: renderMatch(await matches.forfeit(params.id, body.teamId)) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/oklp/matches/:id/abort',
      summary: 'Call a live match off on the platform; every entry fee is refunded',
      params: MatchParams,
      wireFields: matchIdInPath,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxBytes: matchLimits.maxReasonBytes }) }),
      response: json(MatchAnswer),
      errors: ['match_not_found', 'match_not_live'],
      example: {
        params: { id: exampleMatch.matchId },
        body: { reason: 'server outage' },
        response: {
          match: {
            ...exampleMatch,
            status: 'aborted',
            decidedAt: 1764547500000,
            abortReason: 'server outage',
            settlement: {
              outcome: 'aborted',
              payouts: [],
              refunds: [
                { userId: ex.users[0], amount: 500 },
                { userId: ex.users[1], amount: 500 },
              ],
              fee: 0,
            },
          },
        },
      },
      async handle({ params, body }) {
        return { match: renderMatch(await matches.abort(params.id, body.reason)) };
      },
    }),
  ];
}
