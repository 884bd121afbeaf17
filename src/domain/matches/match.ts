/** A competitive match with entry fees, in Ringside's own words. */
export type MatchMode = 'sync' | 'async';

/** `live` until its result is in (`settled`) or it is called off (`aborted`); then final. */
export type MatchStatus = 'live' | 'settled' | 'aborted';

export interface Team {
  teamId: string;
  /** Forfeited on the platform (admin); the team ranks last whatever the game reports. */
  forfeited: boolean;
}

export interface Participant {
  userId: string;
  teamId: string;
  /** Asynchronous results accepted from this player. */
  submissions: number;
  /** The best of them. */
  bestScore: number | undefined;
}

export interface Match {
  matchId: string;
  /** The game (integration client) that plays it. */
  clientId: string;
  mode: MatchMode;
  status: MatchStatus;
  /** Paid by every participant into the match's escrow at creation, in minor units. */
  entryFee: number;
  currency: string;
  /** Results a player may submit in an asynchronous match. */
  maxSubmissions: number;
  /** Asynchronous matches settle by then at the latest; missing players forfeit. */
  deadlineAt: number | undefined;
  createdAt: number;
  decidedAt: number | undefined;
  /** In creation order. */
  teams: Team[];
  /** In creation order, which decides who gets the remainder units of a split prize. */
  participants: Participant[];
  abortReason: string | undefined;
  /** The accepted synchronous result. */
  result: SyncResult | undefined;
  settlement: Settlement | undefined;
}

/** What a listing of matches may be narrowed to; `from` (inclusive) and `to` (exclusive) bound the creation time. */
export interface MatchFilter {
  clientId?: string;
  status?: MatchStatus;
  mode?: MatchMode;
  from?: number;
  to?: number;
}

/** Refusals name its fields in these words (`teams[1].teamId`, `teams[1].userIds[0]`, …). */
export interface NewMatch {
  clientId: string;
  mode: MatchMode;
  entryFee: number;
  currency: string;
  teams: Array<{ teamId: string; userIds: string[] }>;
  maxSubmissions?: number;
  /** A retried creation with the same key returns the first match instead of another one. */
  idempotencyKey?: string;
}

export interface ParticipantScore {
  userId: string;
  score: number;
}

export interface TeamResult {
  teamId: string;
  score: number | undefined;
  /** 0 to 255; the lowest comes first. */
  ranking: number | undefined;
  forfeit: boolean;
}

/** Every participant's and team's result, at once (synchronous matches). */
export interface SyncResult {
  participants: ParticipantScore[];
  teams: TeamResult[];
}

/**
 * What a game reports through `finish`. Refusals name its fields in these words
 * (`matchId`, `participants[0].userId`, `participants[0].score`, `teams[1].teamId`,
 * `teams[1].ranking`, `reason`); each surface renames them to its own.
 */
export type GameReport =
  | { kind: 'result'; matchId: string; participants: ParticipantScore[]; teams: TeamResult[] | undefined }
  | { kind: 'abort'; matchId: string; reason: string };

/**
 * How a match ended. `won`: one team came first. `tied`: no single team did (a tie for first,
 * or every team forfeited). `aborted`: it was called off. The kind is a tag of its own and the
 * winner a field of its own, so no team id, whatever it is, can pass for an outcome.
 */
export type MatchOutcome = { outcome: 'won'; winner: string } | { outcome: 'tied' } | { outcome: 'aborted' };

/**
 * How a match's escrow was paid out, by its outcome. `won`: the fee went to the platform and
 * the rest to the winning team's players. `tied` and `aborted`: every entry fee went back,
 * fee-free. (Stored as JSON and shown by the admin API as it is.)
 */
export type Settlement = MatchOutcome & {
  payouts: Payment[];
  refunds: Payment[];
  fee: number;
};

export interface Payment {
  userId: string;
  amount: number;
}

/**
 * The answer to a game's report: the match as the report left it. A replay of an accepted
 * report gets the same answer, with `replayed` set.
 */
export interface ReportOutcome {
  matchId: string;
  status: MatchStatus;
  currency: string;
  abortReason: string | undefined;
  settlement: Settlement | undefined;
  /** For an asynchronous result: the reporting player's standing after it. */
  player: PlayerStanding | undefined;
  replayed: boolean;
}

export interface PlayerStanding {
  userId: string;
  score: number;
  bestScore: number;
  submissionsLeft: number;
}

export interface MatchTokenInfo {
  matchId: string;
  userId: string;
  status: MatchStatus;
  submissionsTotal: number;
  submissionsLeft: number;
}

export const matchLimits = {
  minTeams: 2,
  maxTeams: 64,
  maxParticipants: 256,
  maxIdBytes: 128,
  maxSubmissions: 100,
  maxReasonBytes: 1024,
  /** Scores are integers within 2^53 − 1 (the wire says uint8, its samples use 300). */
  maxScore: Number.MAX_SAFE_INTEGER,
  /** Rankings are the wire's uint8: 0 to 255, the lowest first. */
  maxRanking: 255,
};

/** Submissions a player has left: none once the match is decided. */
export function submissionsLeft(match: Pick<Match, 'status' | 'mode' | 'maxSubmissions'>, used: number): number {
  if (match.status !== 'live') return 0;
  return match.mode === 'sync' ? 1 : Math.max(0, match.maxSubmissions - used);
}

/** A match as stored, with the revision that changes with every change while it is live. */
export type StoredMatch = Omit<Match, 'participants'> & { revision: number; participants: StoredParticipant[] };

export interface StoredParticipant extends Participant {
  lastScore: number | undefined;
  /** JSON the domain wrote with the player's last accepted result. */
  lastOutcome: string | undefined;
}

export interface Decision {
  status: Exclude<MatchStatus, 'live'>;
  decidedAt: number;
  settlement: Settlement;
  result?: SyncResult;
  abortReason?: string;
}
