/** A PK battle between live rooms, in Ringside's own words. */
export interface Battle {
  appId: number;
  battleId: string;
  fromRoomId: string;
  /** The admin who created it. */
  operatorId: string;
  durationMs: number;
  extensionInfo: string;
  status: BattleStatus;
  /** Epoch ms. Battles start as they are created, so startedAt = createdAt. */
  createdAt: number;
  startedAt: number;
  /** When the battle ends (or ended) by time. */
  endsAt: number;
  endedAt: number | undefined;
  endReason: BattleEndReason | undefined;
  /** The caller's room first, then the callees that joined, in request order. */
  rooms: BattleRoom[];
}

export type BattleStatus = 'running' | 'ended';

/** What a listing of battles may be narrowed to; `from` (inclusive) and `to` (exclusive) bound the creation time. */
export interface BattleFilter {
  appId?: number;
  roomId?: string;
  status?: BattleStatus;
  from?: number;
  to?: number;
}

export type BattleEndReason = 'time_up' | 'ended_by_admin' | 'room_destroyed';

export interface BattleRoom {
  roomId: string;
  /** The room's owner when the battle was created. */
  ownerId: string;
  score: number;
}

export interface CalleeResult {
  roomId: string;
  outcome: 'joined' | 'in_another_battle' | 'room_not_found';
}

export interface ScoreChange {
  roomId: string;
  score: number;
}

export type ScoreMode = 'add' | 'set';

export const battleLimits = {
  minDurationMs: 1000,
  maxDurationMs: 24 * 3600 * 1000,
  /** Rooms a caller may battle at once (TUILiveKit's co-host layouts hold up to ten rooms). */
  maxCallees: 9,
  maxExtensionInfoBytes: 1024,
  /** Scores saturate at ±(2^53 − 1) instead of losing precision. */
  maxScore: Number.MAX_SAFE_INTEGER,
};

/** Whether the battle still takes scores at `now`. */
export function isRunning(battle: Battle, now: number): boolean {
  return battle.status === 'running' && battle.endsAt > now;
}

/**
 * What happened to a battle, oldest first. Ringside keeps no log per battle: the history is
 * read from the battle itself (created and started at once, then ended with its reason and
 * final scores). Score changes are not recorded one by one (only the running totals), so that
 * a score update stays one write.
 */
export type BattleHistoryEntry =
  | { type: 'created'; at: number; operatorId: string; rooms: string[]; endsAt: number }
  | { type: 'started'; at: number }
  | { type: 'ended'; at: number; reason: BattleEndReason; scores: BattleRoom[] };

export function battleHistory(battle: Battle): BattleHistoryEntry[] {
  const history: BattleHistoryEntry[] = [
    {
      type: 'created',
      at: battle.createdAt,
      operatorId: battle.operatorId,
      rooms: battle.rooms.map((r) => r.roomId),
      endsAt: battle.endsAt,
    },
    { type: 'started', at: battle.startedAt },
  ];
  if (battle.status === 'ended' && battle.endedAt !== undefined && battle.endReason !== undefined) {
    history.push({ type: 'ended', at: battle.endedAt, reason: battle.endReason, scores: battle.rooms });
  }
  return history;
}
