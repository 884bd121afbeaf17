import { utf8Length } from '../../platform/bytes.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import { type ActivityCounters, uncounted } from '../activity.js';
import type { LiveEventPublisher, OutboundSubscriptions } from '../events.js';
import { appScope, recordOutbound, recordOutbounds } from '../outbound.js';
import { BattleCreator, type CreatedBattle, type NewBattle } from './battleCreator.js';
import { ScoreAdder, type Scoreboard } from './scoreAdder.js';
import {
  type Battle,
  type BattleEndReason,
  type BattleFilter,
  type ScoreChange,
  type ScoreMode,
  battleLimits,
  isRunning,
} from './battle.js';

export type { NewBattle } from './battleCreator.js';

/** PK battles between rooms of one app: creation, scores, and ending by time or on demand. */
export class BattleService {
  private readonly adder: ScoreAdder;
  private readonly creator: BattleCreator;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly live: LiveEventPublisher,
    private readonly outbound: OutboundSubscriptions,
    private readonly activity: ActivityCounters = uncounted,
  ) {
    this.creator = new BattleCreator(store, clock, live, outbound);
    const batchStore = store.committingPromptly();
    this.adder = new ScoreAdder(async (appId, battleId, additions) => {
      const now = this.clock.now();
      const scoreboard = await batchStore.battles.changeScores(appId, battleId, 'add', additions, now);
      this.publishScores(appId, battleId, additions, scoreboard, now);
      return scoreboard;
    });
  }

  /**
   * Creates a battle and starts it at once. The caller's room must exist and be free; each
   * callee joins unless it is missing or in another battle; at least one must join.
   */
  async create(appId: number, input: NewBattle): Promise<CreatedBattle> {
    validateNewBattle(input);
    return this.creator.create(appId, input);
  }

  /**
   * Adds to (`add`) or overwrites (`set`) room scores of a running battle. Returns, per room
   * asked, whether it was changed (false: the room is not in this battle).
   */
  async changeScores(
    appId: number,
    battleId: string,
    mode: ScoreMode,
    changes: ScoreChange[],
  ): Promise<Array<{ roomId: string; changed: boolean }>> {
    validateScoreChanges(changes);
    let scoreboard: Scoreboard;
    if (mode === 'add') {
      scoreboard = await this.adder.add(appId, battleId, changes);
    } else {
      const now = this.clock.now();
      scoreboard = await this.store.battles.changeScores(appId, battleId, mode, changes, now);
      this.publishScores(appId, battleId, changes, scoreboard, now);
    }
    if (scoreboard.length === 0) {
      const battle = await this.store.battles.find(appId, battleId);
      if (!battle) throw battleNotFound(battleId);
      if (!isRunning(battle, this.clock.now())) throw battleNotRunning(battleId);
    }
    const inBattle = new Set(scoreboard.map((row) => row.roomId));
    const results = changes.map(({ roomId }) => ({ roomId, changed: inBattle.has(roomId) }));
    this.activity.scoresChanged(appId, results.filter((result) => result.changed).length);
    return results;
  }

  private publishScores(
    appId: number,
    battleId: string,
    changes: ReadonlyArray<{ roomId: string }>,
    scoreboard: Scoreboard,
    now: number,
  ): void {
    if (!changes.some(({ roomId }) => scoreboard.some((row) => row.roomId === roomId))) return;
    this.live.publish({ type: 'battle.scores', at: now, appId, battleId, scores: scoreboard });
  }

  async get(appId: number, battleId: string): Promise<Battle> {
    const battle = await this.store.battles.find(appId, battleId);
    if (!battle) throw battleNotFound(battleId);
    return this.asOfNow(battle);
  }

  /** Battles for operators, newest first: `limit + 1` after `after` (the extra one says there are more). */
  async browse(filter: BattleFilter, after: PageKey | undefined, limit: number): Promise<Battle[]> {
    const battles = await this.store.battles.list(filter, this.clock.now(), after, limit);
    return battles.map((battle) => this.asOfNow(battle));
  }

  /** The battle the room is in right now. */
  async getRunningByRoom(appId: number, roomId: string): Promise<Battle> {
    const battle = await this.store.battles.findByActiveRoom(appId, roomId);
    if (!battle || battle.endsAt <= this.clock.now()) {
      throw new DomainError('battle_not_found', `room ${roomId} is not in a running battle`);
    }
    return battle;
  }

  /** Ends a running battle now (Ringside's `end_battle` extension); scores freeze. */
  async end(appId: number, battleId: string): Promise<Battle> {
    const now = this.clock.now();
    const ended = await this.store.transaction((tx) => this.finish(tx, appId, battleId, 'ended_by_admin', now));
    if (!ended) {
      if (!(await this.store.battles.find(appId, battleId))) throw battleNotFound(battleId);
      throw battleNotRunning(battleId);
    }
    this.live.publish({ type: 'battle.ended', at: now, battle: ended });
    if (ended.endReason === 'time_up') throw battleNotRunning(battleId);
    return ended;
  }

  /** Ends, inside the caller's transaction, the battle a room is in (the room is going away). */
  async endBattleOfRoom(tx: Store, appId: number, roomId: string, now: number): Promise<Battle | undefined> {
    const active = await tx.battles.activeBattleOf(appId, roomId);
    return active && this.finish(tx, appId, active.battleId, 'room_destroyed', now);
  }

  /**
   * Ends every battle whose time is up (run by every process; each battle ends once): up to 100
   * at a time, those of one app in one transaction (see BattleRepository.endExpired).
   */
  async endDue(): Promise<number> {
    const now = this.clock.now();
    const byApp = new Map<number, string[]>();
    for (const { appId, battleId } of await this.store.battles.dueToEnd(now, 100)) {
      byApp.set(appId, [...(byApp.get(appId) ?? []), battleId]);
    }
    let ended = 0;
    for (const [appId, battleIds] of byApp) {
      const battles = await this.store.transaction(async (tx) => {
        const battles = await tx.battles.endExpired(appId, battleIds.sort(), now);
        if (this.outbound.wants(appId, 'battle.ended')) {
          const events = battles.map((battle) => ({ topic: 'battle.ended' as const, at: now, battle }));
          await recordOutbounds(tx, appScope(appId), events, now);
        }
        return battles;
      });
      ended += battles.length;
      for (const battle of battles) this.live.publish({ type: 'battle.ended', at: now, battle });
    }
    return ended;
  }

  private async finish(tx: Store, appId: number, battleId: string, reason: BattleEndReason, now: number) {
    const battle = await tx.battles.end(appId, battleId, reason, now);
    if (battle && this.outbound.wants(appId, 'battle.ended')) {
      await recordOutbound(tx, appScope(appId), { topic: 'battle.ended', at: now, battle });
    }
    return battle;
  }

  /** A running battle past its end time reads as ended even before the expiry job ends it. */
  private asOfNow(battle: Battle): Battle {
    if (battle.status === 'running' && battle.endsAt <= this.clock.now()) {
      return { ...battle, status: 'ended', endedAt: battle.endsAt, endReason: 'time_up' };
    }
    return battle;
  }
}

function battleNotFound(battleId: string): DomainError {
  return new DomainError('battle_not_found', `battle ${battleId} does not exist`);
}

function battleNotRunning(battleId: string): DomainError {
  return new DomainError('battle_not_running', `battle ${battleId} has ended; its scores can no longer change`);
}

/**
 * Errors about a request field name it (`field`, in the domain's words) and start their
 * message with it, so a surface can put the field's wire name in its place.
 */
function validateNewBattle(input: NewBattle): void {
  const { toRoomIds } = input;
  if (toRoomIds.length === 0) throw invalidParameter('toRoomIds must not be empty', 'toRoomIds');
  if (toRoomIds.length > battleLimits.maxCallees) {
    throw new DomainError('too_many_rooms', `toRoomIds must hold at most ${battleLimits.maxCallees} callee rooms`, {
      field: 'toRoomIds',
    });
  }
  const seen = new Set<string>();
  toRoomIds.forEach((roomId, i) => {
    const field = `toRoomIds[${i}]`;
    if (seen.has(roomId)) {
      throw invalidParameter(`${field} must not repeat a room: ${roomId} appears more than once`, field);
    }
    if (roomId === input.fromRoomId) {
      throw invalidParameter(`${field} must not be the caller room ${roomId}: a room cannot battle itself`, field);
    }
    seen.add(roomId);
  });
  // Bounds the expiry job's horizon: a battle holds its rooms for at most a day.
  const { minDurationMs, maxDurationMs } = battleLimits;
  if (!Number.isInteger(input.durationMs) || input.durationMs < minDurationMs || input.durationMs > maxDurationMs) {
    throw invalidParameter(
      `durationMs must be an integer from ${minDurationMs} to ${maxDurationMs} (milliseconds: 1 s to 24 h)`,
      'durationMs',
    );
  }
  // Bounds what every battle keeps in memory, in live events and in callbacks.
  if (utf8Length(input.extensionInfo) > battleLimits.maxExtensionInfoBytes) {
    throw invalidParameter(
      `extensionInfo must be at most ${battleLimits.maxExtensionInfoBytes} bytes in UTF-8`,
      'extensionInfo',
    );
  }
}

function validateScoreChanges(changes: ScoreChange[]): void {
  if (changes.length === 0) throw invalidParameter('scores must not be empty', 'scores');
  const seen = new Set<string>();
  for (let i = 0; i < changes.length; i++) {
    const { roomId, score } = changes[i]!;
    if (seen.has(roomId)) {
      throw invalidParameter(
        `scores[${i}].roomId must not repeat a room: ${roomId} appears more than once`,
        `scores[${i}].roomId`,
      );
    }
    seen.add(roomId);
    if (!Number.isSafeInteger(score)) {
      throw invalidParameter(`scores[${i}].score must be an integer within ±(2^53 − 1)`, `scores[${i}].score`);
    }
  }
}
