import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  Decision,
  Match,
  MatchFilter,
  MatchMode,
  MatchStatus,
  Participant,
  Settlement,
  StoredMatch,
  StoredParticipant,
  SyncResult,
} from '../domain/matches/match.js';
import type { DialectName } from './database.js';
import { newestFirst, type PageKey } from './keyset.js';
import { type QueryRunner, slot } from './query.js';
import type { MatchParticipantRow, MatchRow, Tables } from './tables.js';

/** Matches, their participants and their match tokens. */
export class MatchRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: DialectName,
    private readonly hot: QueryRunner,
  ) {}

  /** Inserts a new match (and its participants) unless its idempotency key is taken. */
  async insert(match: Match, idempotency?: { key: string; fingerprint: string }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('matches')
      .values({
        match_id: match.matchId,
        client_id: match.clientId,
        mode: match.mode,
        status: match.status,
        entry_fee: match.entryFee,
        currency: match.currency,
        max_submissions: match.maxSubmissions,
        deadline_at: match.deadlineAt ?? null,
        revision: 0,
        team_ids: JSON.stringify(match.teams.map((t) => t.teamId)),
        forfeited_team_ids: '[]',
        created_at: match.createdAt,
        decided_at: null,
        abort_reason: null,
        result: null,
        settlement: null,
        idempotency_key: idempotency?.key ?? null,
        request_fingerprint: idempotency?.fingerprint ?? null,
      })
      .onConflict((c) => c.column('idempotency_key').doNothing())
      .returning('match_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await this.db
      .insertInto('match_participants')
      .values(
        match.participants.map((p, position) => ({
          match_id: match.matchId,
          user_id: p.userId,
          team_id: p.teamId,
          position,
          submissions: 0,
          best_score: null,
          last_score: null,
          last_outcome: null,
        })),
      )
      .execute();
    return true;
  }

  async find(matchId: string): Promise<StoredMatch | undefined> {
    // One statement: the match joined with its participants (every match has some), in their order.
    const withParticipants = () =>
      this.db
        .selectFrom('matches')
        .innerJoin('match_participants as p', 'p.match_id', 'matches.match_id')
        .selectAll('matches')
        .select([
          'p.user_id as p_user_id',
          'p.team_id as p_team_id',
          'p.submissions as p_submissions',
          'p.best_score as p_best_score',
          'p.last_score as p_last_score',
          'p.last_outcome as p_last_outcome',
        ])
        .orderBy('p.position');
    const rows = await this.hot.rowsById(
      'matches.find',
      (idIn) => withParticipants().where(idIn('matches.match_id')),
      {},
      matchId,
      (row) => row.match_id,
    );
    if (rows.length === 0) return undefined;
    const participants = rows.map((row) =>
      toStoredParticipant({
        match_id: row.match_id,
        user_id: row.p_user_id,
        team_id: row.p_team_id,
        position: 0,
        submissions: row.p_submissions,
        best_score: row.p_best_score,
        last_score: row.p_last_score,
        last_outcome: row.p_last_outcome,
      }),
    );
    return toMatch(rows[0]!, participants);
  }

  async findByIdempotencyKey(key: string): Promise<{ matchId: string; fingerprint: string } | undefined> {
    const row = await this.db
      .selectFrom('matches')
      .select(['match_id', 'request_fingerprint'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row && { matchId: row.match_id, fingerprint: row.request_fingerprint ?? '' };
  }

  /**
   * Takes the row lock of a live match for the rest of the transaction (by bumping its
   * revision) and returns it; undefined when the match is not live.
   */
  async lockLive(matchId: string): Promise<StoredMatch | undefined> {
    const [row] = await this.hot.rows(
      'matches.lockLive',
      () =>
        this.db
          .updateTable('matches')
          .set((eb) => ({ revision: eb('revision', '+', 1) }))
          .where('match_id', '=', slot('matchId'))
          .where('status', '=', 'live')
          .returningAll(),
      { matchId },
    );
    return row && toMatch(row, await this.participants(matchId));
  }

  /**
   * Decides a live match. With `revision`, only if the match has not changed since it was read
   * at that revision. Returns whether this call decided it (one caller ever does).
   */
  async decide(matchId: string, decision: Decision, revision?: number): Promise<boolean> {
    const values = {
      matchId,
      status: decision.status,
      decidedAt: decision.decidedAt,
      settlement: JSON.stringify(decision.settlement),
      result: decision.result ? JSON.stringify(decision.result) : null,
      abortReason: decision.abortReason ?? null,
    };
    const set = {
      status: slot('status'),
      decided_at: slot('decidedAt'),
      settlement: slot('settlement'),
      result: slot('result'),
      abort_reason: slot('abortReason'),
    };
    const base = () =>
      this.db.updateTable('matches').set(set).where('match_id', '=', slot('matchId')).where('status', '=', 'live');
    const { changes } =
      revision === undefined
        ? await this.hot.run('matches.decide', base, values)
        : await this.hot.run('matches.decideAt', () => base().where('revision', '=', slot('revision')), {
            ...values,
            revision,
          });
    return changes > 0;
  }

  /**
   * Decides several live matches, each only if it has not changed since it was read at its
   * revision (one match once in the list). Returns the ids of those this call decided. On
   * PostgreSQL one statement, which takes the matches' row locks in match-id order, so two
   * processes deciding overlapping sets wait for each other instead of deadlocking; elsewhere
   * one statement per match.
   */
  async decideMany(decisions: Array<{ matchId: string; revision: number; decision: Decision }>): Promise<Set<string>> {
    const decided = new Set<string>();
    if (this.dialect !== 'postgres') {
      for (const { matchId, revision, decision } of decisions) {
        if (await this.decide(matchId, decision, revision)) decided.add(matchId);
      }
      return decided;
    }
    const rows = await this.hot.rows<{ match_id: string }>(
      'matches.decideMany',
      () => ({
        compile: () =>
          sql`with d as (
              select * from json_to_recordset(cast(${slot('decisions')} as json)) as d(
                match_id text, revision bigint, status text, decided_at bigint, settlement text, result text, abort_reason text)
            ), locked as materialized (
              select match_id from matches
              where match_id = any(array(select match_id from d)) and status = 'live'
              order by match_id
              for update
            )
            update matches set status = d.status, decided_at = d.decided_at, settlement = d.settlement,
              result = d.result, abort_reason = d.abort_reason
            from d
            where matches.match_id = d.match_id and matches.match_id in (select match_id from locked)
              and matches.status = 'live' and matches.revision = d.revision
            returning matches.match_id`.compile(this.db),
      }),
      {
        decisions: JSON.stringify(
          decisions.map(({ matchId, revision, decision }) => ({
            match_id: matchId,
            revision,
            status: decision.status,
            decided_at: decision.decidedAt,
            settlement: JSON.stringify(decision.settlement),
            result: decision.result ? JSON.stringify(decision.result) : null,
            abort_reason: decision.abortReason ?? null,
          })),
        ),
      },
    );
    for (const row of rows) decided.add(row.match_id);
    return decided;
  }

  async setForfeitedTeams(matchId: string, teamIds: string[]): Promise<void> {
    await this.db
      .updateTable('matches')
      .set({ forfeited_team_ids: JSON.stringify(teamIds) })
      .where('match_id', '=', matchId)
      .execute();
  }

  async recordSubmission(
    matchId: string,
    userId: string,
    submission: { submissions: number; bestScore: number; lastScore: number; lastOutcome: string },
  ): Promise<void> {
    await this.db
      .updateTable('match_participants')
      .set({
        submissions: submission.submissions,
        best_score: submission.bestScore,
        last_score: submission.lastScore,
        last_outcome: submission.lastOutcome,
      })
      .where('match_id', '=', matchId)
      .where('user_id', '=', userId)
      .execute();
  }

  /** A client's live matches in id order (creation order to the second), after `after`. */
  async liveOfClient(clientId: string, after: string | undefined, limit: number): Promise<Match[]> {
    let query = this.db
      .selectFrom('matches')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('status', '=', 'live');
    if (after !== undefined) query = query.where('match_id', '>', after);
    const rows = await query.orderBy('match_id').limit(limit).execute();
    return this.withParticipants(rows);
  }

  /** Matches newest first by (creation time, id), `limit + 1` of them after `after`. */
  async list(filter: MatchFilter, after: PageKey | undefined, limit: number): Promise<StoredMatch[]> {
    let query = this.db.selectFrom('matches').selectAll();
    if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.mode !== undefined) query = query.where('mode', '=', filter.mode);
    if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
    const rows = await newestFirst(query, { at: 'created_at', id: 'match_id' }, after, limit).execute();
    return this.withParticipants(rows);
  }

  /** The matches of these rows with their participants, read in one query. */
  private async withParticipants(rows: Array<Selectable<MatchRow>>): Promise<StoredMatch[]> {
    if (rows.length === 0) return [];
    const participants = await this.db
      .selectFrom('match_participants')
      .selectAll()
      .where(
        'match_id',
        'in',
        rows.map((r) => r.match_id),
      )
      .orderBy('match_id')
      .orderBy('position')
      .execute();
    const byMatch = new Map<string, StoredParticipant[]>();
    for (const p of participants) {
      const list = byMatch.get(p.match_id) ?? [];
      list.push(toStoredParticipant(p));
      byMatch.set(p.match_id, list);
    }
    return rows.map((row) => toMatch(row, byMatch.get(row.match_id) ?? []));
  }

  /** Live matches whose deadline has passed, earliest first. */
  async pastDeadline(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('matches')
      .select('match_id')
      .where('status', '=', 'live')
      .where('deadline_at', '<=', now)
      .orderBy('deadline_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.match_id);
  }

  async insertToken(token: { token: string; matchId: string; userId: string; createdAt: number; expiresAt: number }) {
    await this.db
      .insertInto('match_tokens')
      .values({
        token: token.token,
        match_id: token.matchId,
        user_id: token.userId,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async findToken(token: string): Promise<{ matchId: string; userId: string; expiresAt: number } | undefined> {
    const row = await this.db.selectFrom('match_tokens').selectAll().where('token', '=', token).executeTakeFirst();
    return row && { matchId: row.match_id, userId: row.user_id, expiresAt: row.expires_at };
  }

  private async participants(matchId: string): Promise<StoredParticipant[]> {
    const rows = await this.hot.rows(
      'matches.participants',
      () =>
        this.db
          .selectFrom('match_participants')
          .selectAll()
          .where('match_id', '=', slot('matchId'))
          .orderBy('position'),
      { matchId },
    );
    return rows.map(toStoredParticipant);
  }
}

function toStoredParticipant(row: Selectable<MatchParticipantRow>): StoredParticipant {
  return {
    userId: row.user_id,
    teamId: row.team_id,
    submissions: row.submissions,
    bestScore: row.best_score ?? undefined,
    lastScore: row.last_score ?? undefined,
    lastOutcome: row.last_outcome ?? undefined,
  };
}

function toMatch(row: Selectable<MatchRow>, participants: StoredParticipant[]): StoredMatch {
  const forfeited = new Set(JSON.parse(row.forfeited_team_ids) as string[]);
  return {
    matchId: row.match_id,
    clientId: row.client_id,
    mode: row.mode as MatchMode,
    status: row.status as MatchStatus,
    entryFee: row.entry_fee,
    currency: row.currency,
    maxSubmissions: row.max_submissions,
    deadlineAt: row.deadline_at ?? undefined,
    createdAt: row.created_at,
    decidedAt: row.decided_at ?? undefined,
    teams: (JSON.parse(row.team_ids) as string[]).map((teamId) => ({ teamId, forfeited: forfeited.has(teamId) })),
    participants,
    abortReason: row.abort_reason ?? undefined,
    result: row.result ? (JSON.parse(row.result) as SyncResult) : undefined,
    settlement: row.settlement ? (JSON.parse(row.settlement) as Settlement) : undefined,
    revision: Number(row.revision),
  };
}
