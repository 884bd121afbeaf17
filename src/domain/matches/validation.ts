import { utf8Length } from '../../platform/bytes.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import { validateCurrency, validateUserId } from '../ledger/ledger.js';
import type { GameReport, Match, NewMatch, SyncResult } from './match.js';
import { matchLimits } from './match.js';

export function validateNewMatch(input: NewMatch): void {
  if (input.mode !== 'sync' && input.mode !== 'async') throw badField('mode', 'must be sync or async');
  if (!Number.isSafeInteger(input.entryFee) || input.entryFee < 0) {
    throw badField('entryFee', 'must be a non-negative integer of minor units');
  }
  validateCurrency(input.currency);
  const { minTeams, maxTeams, maxParticipants, maxSubmissions } = matchLimits;
  if (input.teams.length < minTeams || input.teams.length > maxTeams) {
    throw badField('teams', `must list ${minTeams} to ${maxTeams} teams`);
  }
  const userIds = input.teams.flatMap((t) => t.userIds);
  if (userIds.length > maxParticipants) {
    throw badField('teams', `must hold at most ${maxParticipants} participants in all`);
  }
  const teamIds = new Set<string>();
  const players = new Set<string>();
  input.teams.forEach((team, i) => {
    const teamField = `teams[${i}].teamId`;
    checkId(team.teamId, teamField);
    if (teamIds.has(team.teamId)) throw badField(teamField, `${quoted(team.teamId)} appears more than once`);
    teamIds.add(team.teamId);
    if (team.userIds.length === 0) throw badField(`teams[${i}].userIds`, 'must not be empty');
    team.userIds.forEach((userId, j) => {
      const userField = `teams[${i}].userIds[${j}]`;
      validateUserId(userId, userField);
      if (players.has(userId)) {
        throw badField(userField, `${quoted(userId)} appears more than once (a player plays in one team)`);
      }
      players.add(userId);
    });
  });
  const submissions = input.maxSubmissions ?? 1;
  if (!Number.isInteger(submissions) || submissions < 1 || submissions > maxSubmissions) {
    throw badField('maxSubmissions', `must be an integer from 1 to ${maxSubmissions}`);
  }
  if (input.mode === 'sync' && submissions !== 1) {
    throw badField('maxSubmissions', 'is for asynchronous matches; a synchronous match has one result');
  }
}

/** Checks what can be checked of a report without its match. */
export function validateReport(report: GameReport): void {
  if (report.kind === 'abort') {
    if (utf8Length(report.reason) > matchLimits.maxReasonBytes) {
      throw badField('reason', `must be at most ${matchLimits.maxReasonBytes} bytes`);
    }
    return;
  }
  if (report.participants.length === 0) throw badField('participants', 'must not be empty');
  report.participants.forEach(({ score }, i) => checkScore(score, `participants[${i}].score`));
  report.teams?.forEach(({ score, ranking }, i) => {
    if (score !== undefined) checkScore(score, `teams[${i}].score`);
    if (ranking !== undefined && !(Number.isInteger(ranking) && ranking >= 0 && ranking <= matchLimits.maxRanking)) {
      throw badField(`teams[${i}].ranking`, `must be an integer from 0 to ${matchLimits.maxRanking}`);
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
    throw badField('teams', 'is required: a result of a synchronous match lists every participant and team');
  }
  const participants = inMatchOrder(
    report.participants.map((p, i) => ({ item: p, id: p.userId, field: `participants[${i}].userId` })),
    match.participants.map((p) => p.userId),
    { list: 'participants', what: 'participant', matchId: match.matchId },
  );
  report.teams.forEach((team, i) => {
    if (!team.forfeit && team.ranking === undefined) {
      throw badField(`teams[${i}].ranking`, 'is required for a team that does not forfeit');
    }
  });
  const teams = inMatchOrder(
    report.teams.map((t, i) => ({ item: t, id: t.teamId, field: `teams[${i}].teamId` })),
    match.teams.map((t) => t.teamId),
    { list: 'teams', what: 'team', matchId: match.matchId },
  );
  return {
    participants: participants.map(({ userId, score }) => ({ userId, score })),
    teams: teams.map(({ teamId, score, ranking, forfeit }) => ({ teamId, score, ranking, forfeit })),
  };
}

/** The reported items in the order of the match's ids; refuses strangers, repeats and gaps. */
function inMatchOrder<T>(
  reported: Array<{ item: T; id: string; field: string }>,
  matchIds: string[],
  names: { list: string; what: string; matchId: string },
): T[] {
  const byId = new Map<string, T>();
  for (const { item, id, field } of reported) {
    if (!matchIds.includes(id)) {
      throw new DomainError('not_in_match', `${field} ${quoted(id)} does not play in match ${names.matchId}`, {
        field,
      });
    }
    if (byId.has(id)) throw badField(field, `${quoted(id)} appears more than once`);
    byId.set(id, item);
  }
  const missing = matchIds.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw badField(
      names.list,
      `must list every ${names.what} of the match; missing: ${missing.map(quoted).join(', ')}`,
    );
  }
  return matchIds.map((id) => byId.get(id)!);
}

/** A refusal of one field: its message starts with the field's name (in the domain's words). */
export function badField(field: string, problem: string): DomainError {
  return invalidParameter(`${field} ${problem}`, field);
}

/** An id as a message shows it: in quotes, so that spaces and empty ids stay visible. */
export function quoted(id: string): string {
  return JSON.stringify(id);
}

function checkScore(score: number, field: string): void {
  if (!Number.isSafeInteger(score) || score < 0) throw badField(field, 'must be a non-negative integer');
}

function checkId(id: string, field: string): void {
  if (id.length === 0 || utf8Length(id) > matchLimits.maxIdBytes) {
    throw badField(field, `must be 1–${matchLimits.maxIdBytes} bytes`);
  }
}
