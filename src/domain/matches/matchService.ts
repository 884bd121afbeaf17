import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { randomHex, randomToken } from '../../platform/ids.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import { escrowAccount, type Transfer } from '../ledger/ledger.js';
import type { LedgerService } from '../ledger/ledgerService.js';
import { clientScope, recordOutbound } from '../outbound.js';
import {
  type Decision,
  type GameReport,
  type Match,
  type MatchFilter,
  type MatchTokenInfo,
  type NewMatch,
  type ReportOutcome,
  type Settlement,
  type StoredMatch,
  type SyncResult,
  matchLimits,
  submissionsLeft,
} from './match.js';
import { firstPlace, rankByScore, settle } from './settlement.js';
import { SettlementBatcher } from './settlementBatcher.js';
import { entryFees, payouts } from './transfers.js';
import { badField, canonicalSyncResult, quoted, validateNewMatch, validateReport } from './validation.js';

export interface MatchPolicy {
  feeBasisPoints: number;
  asyncDeadlineMs: number;
  matchTokenLifetimeMs: number;
}

/** The games that may play matches, and which of them are told of matches (push). */
export interface MatchClients {
  exists(clientId: string): boolean;
  wantsPush(clientId: string): boolean;
}

/** Entry fees in, then prizes or refunds and the fee out: two per participant, and one. */
const MAX_TRANSFERS_PER_MATCH = 2 * matchLimits.maxParticipants + 1;

/**
 * Competitive matches with entry fees: creation (fees into escrow), match tokens, results and
 * aborts from the game, platform forfeits and aborts, and settlement, exactly once: a live
 * match is decided by one conditional update, in the transaction that moves its money.
 */
export class MatchService {
  private readonly syncSettlements: SettlementBatcher;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly clients: MatchClients,
    private readonly policy: MatchPolicy,
  ) {
    this.syncSettlements = new SettlementBatcher(store, clock, ledger);
  }

  /**
   * Creates a live match, every participant's entry fee moved into its escrow, all or nothing
   * (`insufficient_funds` when one is short). A retry with the same idempotency key returns
   * the first match.
   */
  async create(input: NewMatch): Promise<{ match: Match; replayed: boolean }> {
    validateNewMatch(input);
    if (!this.clients.exists(input.clientId)) {
      throw clientNotFound(input.clientId);
    }
    const key = input.idempotencyKey;
    const fingerprint = fingerprintOf(input);
    if (key !== undefined) {
      const earlier = await this.replayCreation(key, fingerprint);
      if (earlier) return earlier;
    }
    const now = this.clock.now();
    const match: Match = {
      matchId: newMatchId(now),
      clientId: input.clientId,
      mode: input.mode,
      status: 'live',
      entryFee: input.entryFee,
      currency: input.currency,
      maxSubmissions: input.maxSubmissions ?? 1,
      deadlineAt: input.mode === 'async' ? now + this.policy.asyncDeadlineMs : undefined,
      createdAt: now,
      decidedAt: undefined,
      teams: input.teams.map(({ teamId }) => ({ teamId, forfeited: false })),
      participants: input.teams.flatMap(({ teamId, userIds }) =>
        userIds.map((userId) => ({ userId, teamId, submissions: 0, bestScore: undefined })),
      ),
      abortReason: undefined,
      result: undefined,
      settlement: undefined,
    };
    const created = await this.store.transaction(async (tx) => {
      if (!(await tx.matches.insert(match, key === undefined ? undefined : { key, fingerprint }))) return false;
      await this.ledger.move(tx, entryFees(match), now);
      if (this.clients.wantsPush(match.clientId)) {
        const event = { topic: 'match.created' as const, at: now, clientId: match.clientId, matchId: match.matchId };
        await recordOutbound(tx, clientScope(match.clientId), event);
      }
      return true;
    });
    if (created) return { match, replayed: false };
    // The same key in two requests at once: the other one created it.
    const earlier = await this.replayCreation(key!, fingerprint);
    if (!earlier) throw new DomainError('internal', `match creation with key ${key} neither created nor found`);
    return earlier;
  }

  async get(matchId: string): Promise<Match> {
    const match = await this.store.matches.find(matchId);
    if (!match) throw matchNotFound(matchId);
    return match;
  }

  /** Matches for operators, newest first: `limit + 1` after `after` (the extra one says there are more). */
  async browse(filter: MatchFilter, after: PageKey | undefined, limit: number): Promise<Match[]> {
    if (filter.clientId !== undefined && !this.clients.exists(filter.clientId)) {
      throw clientNotFound(filter.clientId);
    }
    return this.store.matches.list(filter, after, limit);
  }

  /** A match with every ledger transfer it made: those into and out of its escrow. */
  async withTransfers(matchId: string): Promise<{ match: Match; transfers: Transfer[] }> {
    const match = await this.get(matchId);
    const escrow = escrowAccount(matchId, match.currency);
    return { match, transfers: await this.ledger.transfersOf(escrow, MAX_TRANSFERS_PER_MATCH) };
  }

  /** The live match the game should be told about, if it is still live. */
  async live(matchId: string): Promise<Match | undefined> {
    const match = await this.store.matches.find(matchId);
    return match?.status === 'live' ? match : undefined;
  }

  /** A game's live matches, in id order, after the match id `after`. */
  listLive(clientId: string, after: string | undefined, limit: number): Promise<Match[]> {
    return this.store.matches.liveOfClient(clientId, after, limit);
  }

  /** A token that lets one player into a live match (the game checks it with `tokenInfo`). */
  async issueToken(matchId: string, userId: string): Promise<{ token: string; expiresAt: number }> {
    const match = await this.get(matchId);
    if (!match.participants.some((p) => p.userId === userId)) {
      throw new DomainError('not_in_match', `userId ${quoted(userId)} does not play in match ${matchId}`, {
        field: 'userId',
      });
    }
    if (match.status !== 'live') throw notLive(match);
    const now = this.clock.now();
    const token = {
      token: randomToken(24),
      matchId,
      userId,
      createdAt: now,
      expiresAt: now + this.policy.matchTokenLifetimeMs,
    };
    await this.store.matches.insertToken(token);
    return { token: token.token, expiresAt: token.expiresAt };
  }

  async tokenInfo(clientId: string, token: string): Promise<MatchTokenInfo> {
    const found = await this.store.matches.findToken(token);
    if (!found) {
      throw new DomainError('token_not_found', 'token is not a match token issued by this platform', {
        field: 'token',
      });
    }
    if (found.expiresAt <= this.clock.now()) {
      throw new DomainError('token_expired', 'token has expired: ask the platform for a new match token', {
        field: 'token',
      });
    }
    const match = await this.ownMatch(clientId, found.matchId);
    const used = match.participants.find((p) => p.userId === found.userId)?.submissions ?? 0;
    return {
      matchId: match.matchId,
      userId: found.userId,
      status: match.status,
      submissionsTotal: match.mode === 'sync' ? 1 : match.maxSubmissions,
      submissionsLeft: submissionsLeft(match, used),
    };
  }

  /**
   * A game's report through `finish`: a synchronous result, one player's asynchronous result,
   * or an abort. An identical replay of an accepted report returns its first outcome; a
   * different report for a decided match or player is refused with `result_conflict`.
   */
  async report(clientId: string, report: GameReport): Promise<ReportOutcome> {
    validateReport(report);
    const match = await this.ownMatch(clientId, report.matchId);
    if (report.kind === 'abort') return this.abortByGame(match, report.reason);
    if (match.mode === 'sync') return this.finishSync(match, canonicalSyncResult(match, report));
    return this.reportAsync(match, report);
  }

  /** Forfeits a team on the platform: it ranks last whatever the game reports; the game is told. */
  async forfeit(matchId: string, teamId: string): Promise<Match> {
    const now = this.clock.now();
    const forfeited = await this.store.transaction(async (tx) => {
      const match = await tx.matches.lockLive(matchId);
      if (!match) return undefined;
      const team = match.teams.find((t) => t.teamId === teamId);
      if (!team) {
        throw new DomainError('not_in_match', `teamId ${quoted(teamId)} does not play in match ${matchId}`, {
          field: 'teamId',
        });
      }
      if (team.forfeited) return match;
      team.forfeited = true;
      await tx.matches.setForfeitedTeams(
        matchId,
        match.teams.filter((t) => t.forfeited).map((t) => t.teamId),
      );
      if (this.clients.wantsPush(match.clientId)) {
        const event = { topic: 'match.forfeited' as const, at: now, clientId: match.clientId, matchId, teamId };
        await recordOutbound(tx, clientScope(match.clientId), event);
      }
      return match;
    });
    if (!forfeited) throw notLive(await this.get(matchId));
    return forfeited;
  }

  /** Calls a live match off on the platform: every entry fee goes back. */
  async abort(matchId: string, reason: string): Promise<Match> {
    validateReport({ kind: 'abort', matchId, reason });
    const aborted = await this.abortLive(matchId, reason);
    if (!aborted) throw notLive(await this.get(matchId));
    return aborted;
  }

  /** Aborts a match the game could not be told about (its match-info endpoint refused it). */
  async abortUndelivered(matchId: string, reason: string): Promise<void> {
    await this.abortLive(matchId, reason);
  }

  /** Settles the asynchronous matches past their deadline; missing players forfeit. */
  async settleDue(): Promise<number> {
    let settled = 0;
    for (const matchId of await this.store.matches.pastDeadline(this.clock.now(), 100)) {
      const now = this.clock.now();
      const done = await this.store.transaction(async (tx) => {
        const match = await tx.matches.lockLive(matchId);
        if (!match) return false;
        await this.decide(tx, match, { status: 'settled', decidedAt: now, settlement: this.settleAsync(match) });
        return true;
      });
      if (done) settled += 1;
    }
    return settled;
  }

  private async finishSync(match: StoredMatch, result: SyncResult): Promise<ReportOutcome> {
    let current = match;
    // Only platform forfeits change a live synchronous match, so this ends within a few rounds.
    for (;;) {
      if (current.status !== 'live') return replayOrConflict(current, result);
      const standings = current.teams.map((team) => {
        const reported = result.teams.find((t) => t.teamId === team.teamId)!;
        return { teamId: team.teamId, ranking: reported.ranking, forfeited: team.forfeited || reported.forfeit };
      });
      const settlement = settle(current, firstPlace(standings), this.policy.feeBasisPoints);
      const decision = await this.syncSettlements.decide(current, settlement, result);
      if (decision) return outcomeOf({ ...current, ...decision }, undefined, false);
      current = (await this.store.matches.find(current.matchId))!;
    }
  }

  private async reportAsync(
    match: StoredMatch,
    report: Extract<GameReport, { kind: 'result' }>,
  ): Promise<ReportOutcome> {
    if (report.teams !== undefined) {
      throw badField('teams', 'must be absent: a result of an asynchronous match carries one participant only');
    }
    if (report.participants.length !== 1) {
      throw badField('participants', 'must hold exactly one participant in a result of an asynchronous match');
    }
    const { userId, score } = report.participants[0]!;
    if (!match.participants.some((p) => p.userId === userId)) throw notInMatch(userId, match.matchId);
    const now = this.clock.now();
    const accepted = await this.store.transaction(async (tx) => {
      const live = await tx.matches.lockLive(match.matchId);
      if (!live) return undefined;
      const player = live.participants.find((p) => p.userId === userId)!;
      if (player.submissions > 0 && player.lastScore === score) return replayOf(player.lastOutcome);
      if (player.submissions >= live.maxSubmissions) {
        throw new DomainError(
          'result_conflict',
          `player ${userId} has no submissions left in match ${match.matchId}; the first accepted result stands`,
        );
      }
      player.submissions += 1;
      player.bestScore = Math.max(player.bestScore ?? score, score);
      let settlement: Settlement | undefined;
      if (live.participants.every((p) => p.submissions >= live.maxSubmissions)) {
        settlement = this.settleAsync(live);
        await this.decide(tx, live, { status: 'settled', decidedAt: now, settlement });
      }
      const outcome = outcomeOf(
        { ...live, status: settlement ? 'settled' : 'live', settlement },
        {
          userId,
          score,
          bestScore: player.bestScore,
          submissionsLeft: settlement ? 0 : live.maxSubmissions - player.submissions,
        },
        false,
      );
      await tx.matches.recordSubmission(match.matchId, userId, {
        submissions: player.submissions,
        bestScore: player.bestScore,
        lastScore: score,
        lastOutcome: JSON.stringify(outcome),
      });
      return outcome;
    });
    if (accepted) return accepted;
    const decided = (await this.store.matches.find(match.matchId))!;
    const player = decided.participants.find((p) => p.userId === userId)!;
    if (player.submissions > 0 && player.lastScore === score) return replayOf(player.lastOutcome);
    throw conflict(decided);
  }

  private async abortByGame(match: StoredMatch, reason: string): Promise<ReportOutcome> {
    const aborted = await this.abortLive(match.matchId, reason);
    if (aborted) return outcomeOf(aborted, undefined, false);
    const decided = (await this.store.matches.find(match.matchId))!;
    // Any abort of an aborted match gets the first abort's answer: the match stays aborted.
    if (decided.status === 'aborted') return outcomeOf(decided, undefined, true);
    throw conflict(decided);
  }

  private async abortLive(matchId: string, reason: string): Promise<Match | undefined> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const match = await tx.matches.lockLive(matchId);
      if (!match) return undefined;
      const decision: Decision = {
        status: 'aborted',
        decidedAt: now,
        abortReason: reason,
        settlement: settle(match, { outcome: 'aborted' }, this.policy.feeBasisPoints),
      };
      await this.decide(tx, match, decision);
      return { ...match, ...decision };
    });
  }

  /** Scores of an asynchronous match: team score = its players' best scores; a team with a missing player forfeits. */
  private settleAsync(match: StoredMatch): Settlement {
    const standings = rankByScore(
      match.teams.map(({ teamId, forfeited }) => {
        const players = match.participants.filter((p) => p.teamId === teamId);
        return {
          teamId,
          score: players.reduce((sum, p) => sum + (p.bestScore ?? 0), 0),
          forfeited: forfeited || players.some((p) => p.submissions === 0),
        };
      }),
    );
    return settle(match, firstPlace(standings), this.policy.feeBasisPoints);
  }

  /** Decides a live match and pays its escrow out, in `tx`; returns whether this call decided it. */
  private async decide(tx: Store, match: StoredMatch, decision: Decision): Promise<boolean> {
    if (!(await tx.matches.decide(match.matchId, decision))) return false;
    await this.ledger.move(tx, payouts(match, decision.settlement), decision.decidedAt);
    return true;
  }

  private async ownMatch(clientId: string, matchId: string): Promise<StoredMatch> {
    const match = await this.store.matches.find(matchId);
    if (!match) throw matchNotFound(matchId);
    if (match.clientId !== clientId) {
      throw new DomainError('match_of_another_client', `match ${matchId} is played by another game client`);
    }
    return match;
  }

  private async replayCreation(key: string, fingerprint: string) {
    const earlier = await this.store.matches.findByIdempotencyKey(key);
    if (!earlier) return undefined;
    if (earlier.fingerprint !== fingerprint) {
      throw new DomainError(
        'idempotency_conflict',
        `idempotencyKey ${key} was already used for a different match (${earlier.matchId})`,
        { field: 'idempotencyKey' },
      );
    }
    return { match: await this.get(earlier.matchId), replayed: true };
  }
}

/** 24 hex characters, like the wire's ids: seconds since the epoch, then 8 random bytes. */
function newMatchId(now: number): string {
  return (
    Math.floor(now / 1000)
      .toString(16)
      .padStart(8, '0') + randomHex(8)
  );
}

function fingerprintOf(input: NewMatch): string {
  const { clientId, mode, entryFee, currency, teams } = input;
  const canonical = JSON.stringify([clientId, mode, entryFee, currency, teams, input.maxSubmissions ?? 1]);
  return createHash('sha256').update(canonical).digest('hex');
}

function outcomeOf(
  match: Pick<Match, 'matchId' | 'status' | 'currency' | 'abortReason' | 'settlement'>,
  player: ReportOutcome['player'],
  replayed: boolean,
): ReportOutcome {
  return {
    matchId: match.matchId,
    status: match.status,
    currency: match.currency,
    abortReason: match.abortReason,
    settlement: match.settlement,
    player,
    replayed,
  };
}

function replayOf(storedOutcome: string | undefined): ReportOutcome {
  return { ...(JSON.parse(storedOutcome!) as ReportOutcome), replayed: true };
}

function replayOrConflict(match: StoredMatch, result: SyncResult): ReportOutcome {
  if (match.status === 'settled' && JSON.stringify(match.result) === JSON.stringify(result)) {
    return outcomeOf(match, undefined, true);
  }
  throw conflict(match);
}

function conflict(match: Match): DomainError {
  const why =
    match.status === 'aborted'
      ? `was aborted (${match.abortReason ?? 'no reason given'})`
      : 'was already settled with a different result';
  return new DomainError('result_conflict', `match ${match.matchId} ${why}; the first result stands`);
}

function notLive(match: Match): DomainError {
  return new DomainError('match_not_live', `match ${match.matchId} is ${match.status}, no longer live`);
}

function matchNotFound(matchId: string): DomainError {
  return new DomainError('match_not_found', `matchId ${quoted(matchId)} does not exist`, { field: 'matchId' });
}

/** The one participant of an asynchronous result does not play in the match. */
function notInMatch(userId: string, matchId: string): DomainError {
  const field = 'participants[0].userId';
  return new DomainError('not_in_match', `${field} ${quoted(userId)} does not play in match ${matchId}`, { field });
}

function clientNotFound(clientId: string): DomainError {
  return new DomainError('client_not_found', `clientId ${quoted(clientId)} is not a configured game client`, {
    field: 'clientId',
  });
}
