import { utf8Length } from '../../platform/bytes.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import { validateCurrency, validateUserId } from '../ledger/ledger.js';
import type { GameReport, Match, NewMatch, SyncResult } from './match.js';
import { matchLimits } from './match.js';

export function validateNewMatch(input: NewMatch): void {
  if (input.mode !== 'sync' && input.mode !== 'async') throw invalidParameter('mode must be sync or async', 'mode');
  if (!Number.isSafeInteger(input.entryFee) || input.entryFee < 0) {
    throw invalidParameter('entryFee must be a non-negative integer of minor units', 'entryFee');
  }
  validateCurrency(input.currency);
  const { minTeams, maxTeams, maxParticipants, maxSubmissions } = matchLimits;
  if (input.teams.length < minTeams || input.teams.length > maxTeams) {
    throw invalidParameter(`a match has ${minTeams} to ${maxTeams} teams`, 'teams');
  }
  const userIds = input.teams.flatMap((t) => t.userIds);
  if (userIds.length > maxParticipants)
    throw invalidParameter(`a match has at most ${maxParticipants} participants`, 'teams');
  input.teams.forEach((team, i) => {
    checkId(team.teamId, `teams[${i}].id`);
    if (team.userIds.length === 0)
      throw invalidParameter(`teams[${i}] has no participants`, `teams[${i}].participants`);
    team.userIds.forEach((userId, j) => validateUserId(userId, `teams[${i}].participants[${j}].id`));
  });
  assertDistinct(
    input.teams.map((t) => t.teamId),
    'team',
    'teams',
  );
  assertDistinct(userIds, 'participant', 'teams');
  const submissions = input.maxSubmissions ?? 1;
  if (!Number.isInteger(submissions) || submissions < 1 || submissions > maxSubmissions) {
    throw invalidParameter(`maxSubmissions must be an integer from 1 to ${maxSubmissions}`, 'maxSubmissions');
  }
  if (input.mode === 'sync' && submissions !== 1) {
    throw invalidParameter(
      'maxSubmissions is for asynchronous matches; a synchronous match has one result',
      'maxSubmissions',
    );
  }
}

/** Checks what can be checked of a report without its match. */
export function validateReport(report: GameReport): void {
  if (report.kind === 'abort') {
    if (utf8Length(report.reason) > matchLimits.maxReasonBytes) {
      throw invalidParameter(`error.reason must be at most ${matchLimits.maxReasonBytes} bytes`, 'error.reason');
    }
    return;
  }
  if (report.participants.length === 0) throw invalidParameter('participants must not be empty', 'participants');
  report.participants.forEach(({ score }, i) => checkScore(score, `participants[${i}].score`));
  report.teams?.forEach(({ score, ranking }, i) => {
    if (score !== undefined) checkScore(score, `teams[${i}].score`);
    if (ranking !== undefined && (!Number.isSafeInteger(ranking) || ranking < 1)) {
      throw invalidParameter(`teams[${i}].ranking must be a positive integer`, `teams[${i}].ranking`);
    }
  });
}

/**
 * A synchronous result checked against its match (every participant and team exactly once,
 * a ranking for every team that did not forfeit), in the match's order: the form in which an
 * accepted result is kept and a retry compared with it.
 */
export function canonicalSyncResult(match: Match, report: Extract<GameReport, { kind: 'result' }>): SyncResult {
  if (report.teams === undefined) {
    throw invalidParameter(
      'a result of a synchronous match lists every participant and team; teams is missing',
      'teams',
    );
  }
  const participants = inMatchOrder(
    report.participants,
    (p) => p.userId,
    match.participants.map((p) => p.userId),
    'participant',
    match.matchId,
  );
  const teams = inMatchOrder(
    report.teams,
    (t) => t.teamId,
    match.teams.map((t) => t.teamId),
    'team',
    match.matchId,
  );
  for (const team of teams) {
    if (!team.forfeit && team.ranking === undefined) {
      throw invalidParameter(`team ${team.teamId} needs a ranking (or forfeit?: true)`, 'teams');
    }
  }
  return {
    participants: participants.map(({ userId, score }) => ({ userId, score })),
    teams: teams.map(({ teamId, score, ranking, forfeit }) => ({ teamId, score, ranking, forfeit })),
  };
}

function inMatchOrder<T>(
  items: T[],
  idOf: (item: T) => string,
  matchIds: string[],
  what: string,
  matchId: string,
): T[] {
  const byId = new Map<string, T>();
  for (const item of items) {
    const id = idOf(item);
    if (!matchIds.includes(id)) {
      throw new DomainError('not_in_match', `${what} ${id} does not play in match ${matchId}`, { field: `${what}s` });
    }
    if (byId.has(id)) throw invalidParameter(`${what} ${id} appears more than once`, `${what}s`);
    byId.set(id, item);
  }
  const missing = matchIds.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw invalidParameter(
      `the result must list every ${what} of the match; missing: ${missing.join(', ')}`,
      `${what}s`,
    );
  }
  return matchIds.map((id) => byId.get(id)!);
}

function checkScore(score: number, field: string): void {
  if (!Number.isSafeInteger(score) || score < 0)
    throw invalidParameter(`${field} must be a non-negative integer`, field);
}

function checkId(id: string, field: string): void {
  if (id.length === 0 || utf8Length(id) > matchLimits.maxIdBytes) {
    throw invalidParameter(`${field} must be 1–${matchLimits.maxIdBytes} bytes`, field);
  }
}

function assertDistinct(ids: string[], what: string, field: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw invalidParameter(`${what} ${id} appears more than once`, field);
    seen.add(id);
  }
}
