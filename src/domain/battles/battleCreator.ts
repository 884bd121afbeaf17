import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { DisjointBatcher } from '../../platform/disjointBatcher.js';
import { DomainError } from '../../platform/errors.js';
import type { Outcome } from '../../platform/keyedBatcher.js';
import type { Store } from '../../store/store.js';
import type { LiveEventPublisher, OutboundSubscriptions, RoomOutboundEvent } from '../events.js';
import { appScope, recordOutbounds } from '../outbound.js';
import type { Battle, CalleeResult } from './battle.js';

/**
 * Batches of one app's creations in flight at once on PostgreSQL (their rooms never overlap).
 * On the 2-core bench machine 1 and 3 measured alike in creations a second (1,842 and 1,632
 * against 1,510 and 1,796) and server CPU; 3 had the lower p99, and more cores can use them.
 */
const BATCHES_IN_FLIGHT = 3;

/** A validated request for a battle (see BattleService.create). */
export interface NewBattle {
  fromRoomId: string;
  toRoomIds: string[];
  durationMs: number;
  extensionInfo: string;
  operatorId: string;
}

export interface CreatedBattle {
  battle: Battle;
  callees: CalleeResult[];
}

/**
 * Creates battles, batching concurrent creations of one app into one transaction (see
 * DisjointBatcher): the batch's rooms are locked in one statement in key order, the expired
 * battles holding them ended in one, every battle and its rooms inserted in one, and each
 * creation's outcome decided from who joined; refused battles are deleted again before the
 * commit. No room appears twice in a batch, nor in two batches in flight (a creation sharing a
 * room with an earlier one goes in a later batch), so one creation's refusal never changes
 * another's outcome. Idle, a creation goes alone at the end of the event-loop turn. An expired
 * battle ended for a creation stays ended even when that creation is refused (its time was up).
 */
export class BattleCreator {
  private readonly batcher: DisjointBatcher<NewBattle, CreatedBattle>;
  private readonly batchStore: Store;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly live: LiveEventPublisher,
    private readonly outbound: OutboundSubscriptions,
  ) {
    this.batchStore = store.committingPromptly();
    // On PostgreSQL a batch's statements run on one backend, one core: batches in flight side
    // by side use the others. SQLite runs one write transaction at a time anyway.
    this.batcher = new DisjointBatcher((key, items) => this.createBatch(Number(key), items), {
      maxInFlight: store.dialect === 'postgres' ? BATCHES_IN_FLIGHT : 1,
    });
  }

  create(appId: number, input: NewBattle): Promise<CreatedBattle> {
    return this.batcher.run(String(appId), [input.fromRoomId, ...input.toRoomIds], input);
  }

  private async createBatch(appId: number, inputs: NewBattle[]): Promise<Array<Outcome<CreatedBattle>>> {
    const now = this.clock.now();
    const { outcomes, reaped } = await this.batchStore.transaction(async (tx) => {
      const allRoomIds = inputs.flatMap((input) => [input.fromRoomId, ...input.toRoomIds]);
      const locked = await tx.battles.lockRoomsInKeyOrder(appId, allRoomIds, now);
      // Battles past their time that the expiry job has not reached yet must not block.
      const expired = [...new Set(locked.flatMap((room) => room.expiredBattleId ?? []))].sort();
      const reaped = await tx.battles.endExpired(appId, expired, now);
      const owners = new Map(locked.map((room) => [room.roomId, room.ownerId]));

      const outcomes: Array<Outcome<CreatedBattle>> = new Array(inputs.length);
      const inserting: Array<{ index: number; battle: Battle; entering: EnteringRoom[] }> = [];
      inputs.forEach((input, index) => {
        if (!owners.has(input.fromRoomId)) {
          outcomes[index] = refused('room_not_found', `room ${input.fromRoomId} does not exist`);
          return;
        }
        const roomIds = [input.fromRoomId, ...input.toRoomIds];
        const entering = roomIds
          .flatMap((roomId, position) => {
            const ownerId = owners.get(roomId);
            return ownerId === undefined ? [] : [{ roomId, ownerId, position }];
          })
          .sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
        inserting.push({ index, battle: newBattle(appId, input, now), entering });
      });

      const joinedOf = inserting.length
        ? await tx.battles.insertManyWithRooms(inserting.map(({ battle, entering }) => ({ battle, rooms: entering })))
        : new Map<string, Set<string>>();
      const removing: string[] = [];
      const created: Battle[] = [];
      for (const { index, battle } of inserting) {
        const input = inputs[index]!;
        const joined = joinedOf.get(battle.battleId)!;
        if (!joined.has(input.fromRoomId)) {
          removing.push(battle.battleId);
          outcomes[index] = refused('room_in_battle', `room ${input.fromRoomId} is already in a battle`);
          continue;
        }
        if (joined.size === 1) {
          removing.push(battle.battleId);
          outcomes[index] = refused(
            'no_callee_joined',
            'no callee room could join: each is in another battle or does not exist',
          );
          continue;
        }
        const callees: CalleeResult[] = input.toRoomIds.map((roomId) => ({
          roomId,
          outcome: joined.has(roomId) ? 'joined' : owners.has(roomId) ? 'in_another_battle' : 'room_not_found',
        }));
        battle.rooms = [input.fromRoomId, ...input.toRoomIds]
          .filter((roomId) => joined.has(roomId))
          .map((roomId) => ({ roomId, ownerId: owners.get(roomId)!, score: 0 }));
        created.push(battle);
        outcomes[index] = { ok: true, value: { battle, callees } };
      }
      await tx.battles.removeUncommitted(appId, removing);
      await recordOutbounds(tx, appScope(appId), this.outboundEvents(appId, reaped, created, now), now);
      return { outcomes, reaped };
    });
    for (const battle of reaped) this.live.publish({ type: 'battle.ended', at: now, battle });
    for (const outcome of outcomes) {
      if (outcome.ok) this.live.publish({ type: 'battle.started', at: now, battle: outcome.value.battle });
    }
    return outcomes;
  }

  /** The outbox events of a batch, in the order the creations one at a time would have written them. */
  private outboundEvents(appId: number, reaped: Battle[], created: Battle[], now: number): RoomOutboundEvent[] {
    const events: RoomOutboundEvent[] = [];
    if (this.outbound.wants(appId, 'battle.ended')) {
      for (const battle of reaped) events.push({ topic: 'battle.ended', at: now, battle });
    }
    const wantsCreated = this.outbound.wants(appId, 'battle.created');
    const wantsStarted = this.outbound.wants(appId, 'battle.started');
    for (const battle of created) {
      if (wantsCreated) events.push({ topic: 'battle.created', at: now, battle });
      if (wantsStarted) events.push({ topic: 'battle.started', at: now, battle });
    }
    return events;
  }
}

interface EnteringRoom {
  roomId: string;
  ownerId: string;
  position: number;
}

function newBattle(appId: number, input: NewBattle, now: number): Battle {
  return {
    appId,
    battleId: randomBytes(32).toString('base64'),
    fromRoomId: input.fromRoomId,
    operatorId: input.operatorId,
    durationMs: input.durationMs,
    extensionInfo: input.extensionInfo,
    status: 'running',
    createdAt: now,
    startedAt: now,
    endsAt: now + input.durationMs,
    endedAt: undefined,
    endReason: undefined,
    rooms: [],
  };
}

function refused(code: 'room_not_found' | 'room_in_battle' | 'no_callee_joined', message: string) {
  return { ok: false as const, error: new DomainError(code, message) };
}
