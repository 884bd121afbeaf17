import type { Clock } from '../../platform/clock.js';
import { KeyedBatcher, type Outcome } from '../../platform/keyedBatcher.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { ActivityCount } from '../admin/activity.js';
import type { RoomBattleScores } from '../../store/battles.js';
import type { Store } from '../../store/store.js';
import { type ActivityCounters, uncounted } from '../activity.js';
import type { LiveEventPublisher } from '../events.js';
import { giftNotFound } from './errors.js';
import { type GiftSend, type GiftTotals, type SendTarget, giftLimits } from './gift.js';
import { enabledGiftSettings, type GiftSettingsOf } from './giftSettings.js';

export interface GiftApprovalRequest {
  operatorId: string;
  send: GiftSend;
  coins: number;
  at: number;
}

export type GiftApproval = { approved: true } | { approved: false; reason: string; passThroughCode?: number };

/** Asks the app whether a gift may be sent (Tencent's before-send-gift callback). */
export interface GiftApprover {
  approve(appId: number, request: GiftApprovalRequest): Promise<GiftApproval>;
}

interface PendingSend {
  appId: number;
  send: GiftSend;
  feedsBattle: boolean;
}

/** Gifts sent into rooms: the batched send pipeline, and the room's and each sender's totals. */
export class GiftSendService {
  private readonly sends = new KeyedBatcher<PendingSend, GiftTotals>((_room, batch) => this.sendBatch(batch));
  /** Where batches of sends are written. */
  private readonly batchStore: Store;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settingsOf: GiftSettingsOf,
    private readonly approver: GiftApprover,
    private readonly live: LiveEventPublisher,
    private readonly activity: ActivityCounters = uncounted,
  ) {
    this.batchStore = store.committingPromptly();
  }

  /**
   * Sends a gift into a room: after the app's approval (when it asks for it), records it in
   * the room's totals and, while the room is in a running battle, adds its value (Coins ×
   * Count) to the room's score, all in one transaction. Sends into one room that arrive while
   * its last batch is being written go together in the next (see sendBatch).
   */
  async send(appId: number, send: GiftSend, operatorId: string): Promise<GiftTotals> {
    const settings = enabledGiftSettings(this.settingsOf, appId);
    validateSend(send);
    if (settings.approvesSends) {
      // Asked before the transaction, never during it: the app has 2 s to answer.
      const gift = await this.store.giftCatalog.findGift(appId, send.giftId);
      if (!gift) throw giftNotFound(send.giftId);
      const at = this.clock.now();
      const approval = await this.approver.approve(appId, { operatorId, send, coins: gift.coins, at });
      if (!approval.approved) {
        throw new DomainError('gift_rejected', approval.reason, { passThroughCode: approval.passThroughCode });
      }
    }
    return this.sends.run(`${appId}\u0000${send.roomId}`, { appId, send, feedsBattle: settings.feedsBattleScores });
  }

  /**
   * Records sends into one room in one transaction. Each send is checked on its own (an unknown
   * gift fails that send only); the totals and the battle score take the batch's sums, which is
   * exactly the same as adding each send (sums commute), and each send gets its own Sequence.
   */
  private async sendBatch(batch: PendingSend[]): Promise<Array<Outcome<GiftTotals>>> {
    const { appId, feedsBattle } = batch[0]!;
    const roomId = batch[0]!.send.roomId;
    const now = this.clock.now();
    const { outcomes, battle, sent } = this.batchStore.giftSends.recordsBatchInOneStatement
      ? await this.recordInOneStatement(appId, roomId, batch, feedsBattle ? now : undefined)
      : await this.batchStore.transaction((tx) => this.recordInTransaction(tx, appId, roomId, batch, feedsBattle, now));
    if (sent) this.activity.giftsSent(appId, sent.sends, sent.count, sent.coins);
    if (battle)
      this.live.publish({
        type: 'battle.scores',
        at: now,
        appId,
        battleId: battle.battleId,
        scores: battle.scoreboard,
      });
    return outcomes;
  }

  /** PostgreSQL: the batch's reads and writes in one statement, which refuses what `refusal` does. */
  private async recordInOneStatement(
    appId: number,
    roomId: string,
    batch: PendingSend[],
    battleNow: number | undefined,
  ): Promise<RecordedBatch> {
    const { roomGiftsEnabled, unknownGiftIds, recorded } = await this.batchStore.giftSends.recordSendsInOneStatement(
      appId,
      roomId,
      batch.map(({ send }) => send),
      battleNow,
    );
    const outcomes: Array<Outcome<GiftTotals>> = new Array(batch.length);
    let n = 0;
    batch.forEach(({ send }, i) => {
      const error = refusal(roomId, send.giftId, !unknownGiftIds.has(send.giftId), roomGiftsEnabled);
      if (error) outcomes[i] = { ok: false, error };
      else {
        const { totals } = recorded!;
        outcomes[i] = { ok: true, value: { ...totals, sequence: totals.sequence - recorded!.added.sends + 1 + n } };
        n += 1;
      }
    });
    return { outcomes, battle: recorded?.battle, sent: recorded?.added };
  }

  /** Elsewhere: each gift read once, then the batch's sums written, in the caller's transaction. */
  private async recordInTransaction(
    tx: Store,
    appId: number,
    roomId: string,
    batch: PendingSend[],
    feedsBattle: boolean,
    now: number,
  ): Promise<RecordedBatch> {
    const outcomes: Array<Outcome<GiftTotals>> = new Array(batch.length);
    const targets = new Map<string, SendTarget>();
    for (const { send } of batch) {
      if (!targets.has(send.giftId)) {
        targets.set(send.giftId, await tx.giftSends.findForSend(appId, roomId, send.giftId));
      }
    }
    const valid: number[] = [];
    batch.forEach(({ send }, i) => {
      const { coins, roomGiftsEnabled } = targets.get(send.giftId)!;
      const error = refusal(roomId, send.giftId, coins !== undefined, roomGiftsEnabled);
      if (error) outcomes[i] = { ok: false, error };
      else valid.push(i);
    });
    if (valid.length === 0) return { outcomes, battle: undefined, sent: undefined };
    const bySender = new Map<string, { count: number; coins: number }>();
    let count = 0;
    let coins = 0;
    for (const i of valid) {
      const { send } = batch[i]!;
      const value = targets.get(send.giftId)!.coins! * send.count;
      const sender = bySender.get(send.senderId) ?? { count: 0, coins: 0 };
      bySender.set(send.senderId, { count: sender.count + send.count, coins: sender.coins + value });
      count += send.count;
      coins += value;
    }
    const { totals, battle } = await tx.giftSends.recordBatch(
      appId,
      roomId,
      [...bySender].map(([senderId, sums]) => ({ senderId, ...sums })),
      { sends: valid.length, count, coins },
      feedsBattle && coins > 0 ? { battles: tx.battles, now } : undefined,
    );
    valid.forEach((i, n) => {
      outcomes[i] = { ok: true, value: { ...totals, sequence: totals.sequence - valid.length + 1 + n } };
    });
    return { outcomes, battle, sent: { sends: valid.length, count, coins } };
  }

  /** The room's gift totals, or one sender's in the room. */
  async totals(appId: number, roomId: string, senderId?: string): Promise<GiftTotals> {
    enabledGiftSettings(this.settingsOf, appId);
    if (!(await this.store.rooms.find(appId, roomId)))
      throw new DomainError('room_not_found', `room ${roomId} does not exist`);
    const room = (await this.store.giftSends.roomTotals(appId, roomId)) ?? {
      sequence: 0,
      totalCount: 0,
      totalCoins: 0,
      senderCount: 0,
    };
    if (senderId === undefined) return room;
    const sender = await this.store.giftSends.senderTotals(appId, roomId, senderId);
    return {
      sequence: room.sequence,
      totalCount: sender?.totalCount ?? 0,
      totalCoins: sender?.totalCoins ?? 0,
      senderCount: sender ? 1 : 0,
    };
  }
}

/** What a batch's record gives each send, the room's scores in its battle, and what was sent. */
interface RecordedBatch {
  outcomes: Array<Outcome<GiftTotals>>;
  battle: RoomBattleScores | undefined;
  sent: { sends: number; count: number; coins: number } | undefined;
}

/**
 * Why a send is refused, if it is: an unknown gift first, then the room (gone: `giftsEnabled`
 * undefined; gifting switched off).
 */
function refusal(
  roomId: string,
  giftId: string,
  giftExists: boolean,
  giftsEnabled: boolean | undefined,
): DomainError | undefined {
  if (!giftExists) return giftNotFound(giftId);
  if (giftsEnabled === undefined) return new DomainError('room_not_found', `room ${roomId} does not exist`);
  if (!giftsEnabled) return new DomainError('room_gifts_disabled', `gifting is switched off in room ${roomId}`);
  return undefined;
}

function validateSend(send: GiftSend): void {
  if (!Number.isInteger(send.count) || send.count < 1 || send.count > giftLimits.maxCount) {
    throw invalidParameter(`count must be an integer from 1 to ${giftLimits.maxCount}`, 'count');
  }
  if (send.receiverIds.length > giftLimits.maxReceivers) {
    throw invalidParameter(`receivers must hold at most ${giftLimits.maxReceivers} accounts`, 'receivers');
  }
}
