import type { Generated } from 'kysely';

/**
 * Row types of every table, as Kysely sees them. Booleans are stored as 0/1 integers and
 * times as UTC epoch milliseconds, so SQLite and PostgreSQL hold the same values.
 */
export interface Tables {
  ringside_migrations: { name: string; applied_at: number };
  rate_limits: RateLimitRow;
  rooms: RoomRow;
  room_metadata: RoomMetadataRow;
  battles: BattleRow;
  battle_rooms: BattleRoomRow;
  outbox: OutboxRow;
  delivery_attempts: DeliveryAttemptRow;
  gift_catalogs: { app_id: number; gift_count: number };
  gifts: GiftRow;
  gift_categories: GiftCategoryRow;
  gift_translations: GiftTranslationRow;
  gift_category_gifts: { app_id: number; category_id: string; gift_id: string; added_at: number; position: number };
  room_gift_totals: RoomGiftTotalsRow;
  room_gift_senders: { app_id: number; room_id: string; sender_id: string; total_count: number; total_coins: number };
  freespin_players: FreeSpinPlayerRow;
  freespin_events: FreeSpinEventRow;
  freespin_grants: FreeSpinGrantRow;
  freespin_spins: FreeSpinSpinRow;
  ledger_accounts: LedgerAccountRow;
  ledger_transfers: LedgerTransferRow;
  matches: MatchRow;
  match_participants: MatchParticipantRow;
  match_tokens: MatchTokenRow;
  signing_keys: SigningKeyRow;
  callback_configs: CallbackConfigRow;
  callback_tokens: CallbackTokenRow;
  admin_audit: AdminAuditRow;
  admin_sessions: AdminSessionRow;
  activity_minutes: { minute: number; metric: string; count: number };
}

export interface RateLimitRow {
  scope: string;
  /** GCRA "theoretical arrival time", epoch ms. */
  tat: number;
}

export interface RoomRow {
  app_id: number;
  room_id: string;
  room_type: string;
  name: string;
  owner_id: string;
  max_members: number;
  cover_url: string;
  background_url: string;
  messages_disabled: number;
  public_visible: number;
  seat_enabled: number;
  seat_mode: string;
  max_seats: number;
  seat_template: string;
  keep_owner_on_seat: number;
  unlimited_members: number;
  /** JSON array of integers. */
  categories: string;
  activity_status: number;
  notice: string;
  custom_info: string;
  view_count: number;
  gifts_enabled: number;
  /** Bumped by every change to the room or its metadata; the row lock for metadata writes. */
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface RoomMetadataRow {
  app_id: number;
  room_id: string;
  key: string;
  value: string;
}

export interface BattleRow {
  app_id: number;
  battle_id: string;
  from_room_id: string;
  operator_id: string;
  duration_ms: number;
  extension_info: string;
  /** 'running' | 'ended' */
  status: string;
  created_at: number;
  started_at: number;
  ends_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

export interface BattleRoomRow {
  app_id: number;
  battle_id: string;
  room_id: string;
  /** 0 for the caller's room, then the callees in request order. */
  position: number;
  owner_id: string;
  score: number;
  active: number;
  ends_at: number;
}

export interface OutboxRow {
  id: Generated<number>;
  event_id: string;
  topic: string;
  scope: string;
  payload: string;
  /** 'pending' | 'delivered' | 'dead' | 'cancelled' */
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  /** The instance id of the dispatcher whose claim `locked_until` is (migration 006). */
  claimed_by: Generated<string | null>;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  /** When it was put in line: written, or put back by an operator (migration 008). */
  queued_at: number;
  /** 'retry' | 'replay' while an operator's request waits for its attempt (migration 008). */
  requeued_by: Generated<string | null>;
  /** The URL of the latest attempt, secrets redacted (migration 008). */
  target_url: Generated<string | null>;
}

/** One attempt to deliver an outbox message (migration 008). */
export interface DeliveryAttemptRow {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: number;
  /** 'schedule' | 'retry' | 'replay' */
  requested_by: string;
  /** 'delivered' | 'failed' | 'not_sent' */
  outcome: string;
  url: string | null;
  http_status: number | null;
  latency_ms: number | null;
  answer_head: string | null;
  detail: string | null;
}

export interface GiftRow {
  app_id: number;
  gift_id: string;
  icon_url: string;
  resource_url: string;
  coins: number;
  level: number;
  extension_info: string;
  default_name: string;
  default_desc: string;
  created_at: number;
  updated_at: number;
}

export interface GiftCategoryRow {
  app_id: number;
  category_id: string;
  extension_info: string;
  default_name: string;
  default_desc: string;
  created_at: number;
}

export interface GiftTranslationRow {
  app_id: number;
  /** 'gift' | 'category' */
  kind: string;
  item_id: string;
  language: string;
  name: string;
  description: string;
}

export interface RoomGiftTotalsRow {
  app_id: number;
  room_id: string;
  /** Number of gift sends into the room: clients compare it to see whether totals moved. */
  sequence: number;
  total_count: number;
  total_coins: number;
  sender_count: number;
}

/** Amounts (bet, win, turnover, cashout, withdrawals) are integer thousandths. */
export interface FreeSpinPlayerRow {
  agent: string;
  uid: string;
  created_at: number;
}

export interface FreeSpinEventRow {
  agent: string;
  event_id: string;
  transaction_id: string;
  name: string;
  /** 'normal' | 'feature' */
  type: string;
  times: number;
  bet: number;
  /** JSON array of {gameId, bet}: the bet each game plays. */
  games: string;
  /** null: no limit. */
  min_withdrawal: number | null;
  max_withdrawal: number | null;
  currency: string;
  start_at: number;
  end_at: number;
  terminated_at: number | null;
  /** Set once every grant with spins used has its cashout fixed, after the event ended. */
  settled_at: number | null;
  /** JSON {failed, notExisted}: the creation's binding outcome, replayed for its transactionId. */
  bind_report: string;
  /** Bumped by every update; updates are conditional on it. */
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface FreeSpinGrantRow {
  id: Generated<number>;
  agent: string;
  event_id: string;
  uid: string;
  times: number;
  remaining: number;
  turnover: number;
  win: number;
  /** Fixed once: null until then. */
  cashout: number | null;
  cashout_at: number | null;
  bound_at: number;
  updated_at: number;
}

export interface FreeSpinSpinRow {
  id: Generated<number>;
  agent: string;
  spin_id: string;
  event_id: string;
  uid: string;
  game_id: number;
  game_type: number;
  bet: number;
  win: number;
  /** The grant right after this spin, so a replay answers as the first call did. */
  remaining_after: number;
  turnover_after: number;
  win_after: number;
  played_at: number;
}

export interface LedgerAccountRow {
  /** `{kind}:{currency}:{owner}`; also the order in which a transaction locks accounts. */
  account_id: string;
  /** 'user' | 'escrow' | 'fee' | 'external' */
  kind: string;
  /** The user id, the match id (escrow), or '' (fee, external). */
  owner_id: string;
  currency: string;
  /** Integer minor units. Never negative but for the external account (money outside). */
  balance: number;
  created_at: number;
}

export interface LedgerTransferRow {
  id: Generated<number>;
  idempotency_key: string;
  /** 'deposit' | 'withdrawal' | 'entry_fee' | 'prize' | 'platform_fee' | 'refund' */
  kind: string;
  from_account: string;
  to_account: string;
  currency: string;
  amount: number;
  match_id: string | null;
  /** The balance of the user account this transfer touched, right after it. */
  user_balance_after: number | null;
  created_at: number;
}

export interface MatchRow {
  match_id: string;
  client_id: string;
  /** 'sync' | 'async' */
  mode: string;
  /** 'live' | 'settled' | 'aborted' */
  status: string;
  entry_fee: number;
  currency: string;
  max_submissions: number;
  deadline_at: number | null;
  revision: number;
  /** JSON array of team ids, in creation order. */
  team_ids: string;
  /** JSON array of the team ids forfeited on the platform. */
  forfeited_team_ids: string;
  created_at: number;
  decided_at: number | null;
  abort_reason: string | null;
  /** JSON: the accepted synchronous result, in canonical form (for replay comparison). */
  result: string | null;
  /** JSON: how the match was settled (outcome, winners, payouts, refunds, fee). */
  settlement: string | null;
  idempotency_key: string | null;
  request_fingerprint: string | null;
}

export interface MatchParticipantRow {
  match_id: string;
  user_id: string;
  team_id: string;
  /** Order in the creation request: decides who gets a payout's remainder units. */
  position: number;
  /** Asynchronous results accepted for this player. */
  submissions: number;
  best_score: number | null;
  last_score: number | null;
  /** JSON: the outcome of the player's last accepted result, replayed to identical retries. */
  last_outcome: string | null;
}

export interface MatchTokenRow {
  token: string;
  match_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface SigningKeyRow {
  name: string;
  /** PKCS#8 PEM. */
  private_key: string;
  /** SubjectPublicKeyInfo DER, base64. */
  public_key: string;
  created_at: number;
}

export interface CallbackConfigRow {
  app_id: number;
  url: string;
  /** JSON array of callback command names. */
  commands: string;
  updated_at: number;
}

export interface CallbackTokenRow {
  app_id: number;
  token: string;
  /** 0/1. */
  enabled: number;
  updated_at: number;
}

export interface AdminAuditRow {
  id: Generated<number>;
  at: number;
  actor: string;
  method: string;
  route: string;
  /** JSON object of the path parameters. */
  target: string;
  body: string | null;
  body_truncated: number;
  status: number;
  error_code: string | null;
}

export interface AdminSessionRow {
  /** sha256 of the session id, hex: the cookie's value is never stored. */
  id_hash: string;
  /** The admin token's name (who acts through the session). */
  token_name: string;
  created_at: number;
  expires_at: number;
}
