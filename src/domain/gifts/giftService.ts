import { utf8Length } from '../../platform/bytes.js';
import type { Clock } from '../../platform/clock.js';
import { KeyedBatcher, type Outcome } from '../../platform/keyedBatcher.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { Store } from '../../store/store.js';
import type { LiveEventPublisher } from '../events.js';
import { defaultCategories, defaultGifts } from './defaultCatalog.js';
import {
  type CategoryFields,
  type Gift,
  type GiftCategory,
  type GiftFields,
  type GiftSend,
  type GiftTotals,
  type Language,
  type SendTarget,
  type TranslatedKind,
  type Translation,
  giftLimits,
} from './gift.js';

/** How gifting is set up for an app. */
export interface GiftSettings {
  enabled: boolean;
  /** Most gifts the app's catalog holds. */
  giftLimit: number;
  /** Whether a gift's value (Coins × Count) adds to the receiving room's battle score. */
  feedsBattleScores: boolean;
  /** Whether each send must be approved by the app first. */
  approvesSends: boolean;
}

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

export interface CatalogEntry<T> {
  item: T;
  translations: Translation[];
}

export interface Catalog {
  gifts: Array<CatalogEntry<Gift>>;
  categories: Array<CatalogEntry<GiftCategory> & { giftIds: string[] }>;
}

interface PendingSend {
  appId: number;
  send: GiftSend;
  feedsBattle: boolean;
}

/** Gift catalogs of apps, and gifts sent into rooms. */
export class GiftService {
  private readonly sends = new KeyedBatcher<PendingSend, GiftTotals>((_room, batch) => this.sendBatch(batch));
  /** Where batches of sends are written. */
  private readonly batchStore: Store;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settingsOf: (appId: number) => GiftSettings,
    private readonly approver: GiftApprover,
    private readonly live: LiveEventPublisher,
  ) {
    this.batchStore = store.committingPromptly();
  }

  async addGift(appId: number, giftId: string, fields: GiftFields): Promise<void> {
    const settings = this.enabledSettings(appId);
    validateGiftFields(fields);
    await this.store.transaction(async (tx) => {
      if (settings.giftLimit <= 0 || !(await tx.gifts.reserveGiftSlot(appId, settings.giftLimit))) {
        throw new DomainError('gift_limit_reached', `the app holds at most ${settings.giftLimit} gifts`);
      }
      if (!(await tx.gifts.insertGift(appId, giftId, fields, this.clock.now()))) {
        throw new DomainError('gift_exists', `gift ${giftId} already exists; edit it with edit_gift`);
      }
    });
  }

  async editGift(appId: number, giftId: string, changes: Partial<GiftFields>): Promise<void> {
    this.enabledSettings(appId);
    validateGiftFields(changes);
    if (!(await this.store.gifts.updateGift(appId, giftId, changes, this.clock.now()))) throw giftNotFound(giftId);
  }

  async getGift(appId: number, giftId: string): Promise<Gift> {
    this.enabledSettings(appId);
    const gift = await this.store.gifts.findGift(appId, giftId);
    if (!gift) throw giftNotFound(giftId);
    return gift;
  }

  /** Deletes the gift, its languages and its category memberships. */
  async deleteGift(appId: number, giftId: string): Promise<void> {
    this.enabledSettings(appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.gifts.deleteGift(appId, giftId))) throw giftNotFound(giftId);
      await tx.gifts.releaseGiftSlots(appId, 1);
    });
  }

  async catalog(appId: number): Promise<Catalog> {
    this.enabledSettings(appId);
    const [gifts, categories, giftTranslations, categoryTranslations, members] = await Promise.all([
      this.store.gifts.listGifts(appId),
      this.store.gifts.listCategories(appId),
      this.store.gifts.translations(appId, 'gift'),
      this.store.gifts.translations(appId, 'category'),
      this.store.gifts.categoryGifts(appId),
    ]);
    return {
      gifts: gifts.map((item) => ({ item, translations: giftTranslations.get(item.giftId) ?? [] })),
      categories: categories.map((item) => ({
        item,
        translations: categoryTranslations.get(item.categoryId) ?? [],
        giftIds: members.get(item.categoryId) ?? [],
      })),
    };
  }

  async addCategory(appId: number, categoryId: string, fields: CategoryFields): Promise<void> {
    this.enabledSettings(appId);
    validateCategoryFields(fields);
    if (!(await this.store.gifts.insertCategory(appId, categoryId, fields, this.clock.now()))) {
      throw new DomainError(
        'category_exists',
        `category ${categoryId} already exists; edit it with edit_gift_category`,
      );
    }
  }

  async editCategory(appId: number, categoryId: string, changes: Partial<CategoryFields>): Promise<void> {
    this.enabledSettings(appId);
    validateCategoryFields(changes);
    if (!(await this.store.gifts.updateCategory(appId, categoryId, changes))) throw categoryNotFound(categoryId);
  }

  async getCategory(appId: number, categoryId: string): Promise<GiftCategory> {
    this.enabledSettings(appId);
    const category = await this.store.gifts.findCategory(appId, categoryId);
    if (!category) throw categoryNotFound(categoryId);
    return category;
  }

  async deleteCategory(appId: number, categoryId: string): Promise<void> {
    this.enabledSettings(appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.gifts.deleteCategory(appId, categoryId))) throw categoryNotFound(categoryId);
    });
  }

  /**
   * Adds gifts to a category after those it has. Returns the ids that are not gifts of the
   * app (not added); when none of the ids is a gift, nothing changes and it is an error.
   */
  async addToCategory(appId: number, categoryId: string, giftIds: string[]): Promise<{ invalidGiftIds: string[] }> {
    this.enabledSettings(appId);
    return this.store.transaction(async (tx) => {
      if (!(await tx.gifts.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
      const unique = [...new Set(giftIds)];
      const existing = await tx.gifts.existingGiftIds(appId, unique);
      const invalidGiftIds = unique.filter((id) => !existing.has(id));
      if (existing.size === 0) {
        throw new DomainError('gift_not_found', `none of the gifts exist: ${invalidGiftIds.join(', ')}`);
      }
      await tx.gifts.addToCategory(
        appId,
        categoryId,
        unique.filter((id) => existing.has(id)),
        this.clock.now(),
      );
      return { invalidGiftIds };
    });
  }

  async removeFromCategory(appId: number, categoryId: string, giftIds: string[]): Promise<void> {
    this.enabledSettings(appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.gifts.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
      await tx.gifts.removeFromCategory(appId, categoryId, giftIds);
    });
  }

  async categoryGifts(appId: number, categoryId: string): Promise<string[]> {
    this.enabledSettings(appId);
    if (!(await this.store.gifts.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
    return (await this.store.gifts.categoryGifts(appId, categoryId)).get(categoryId) ?? [];
  }

  /** Sets a language's name and description of a gift or category; absent fields are unchanged. */
  async setTranslation(
    appId: number,
    kind: TranslatedKind,
    itemId: string,
    language: Language,
    fields: { name?: string; description?: string },
  ): Promise<void> {
    this.enabledSettings(appId);
    checkBytes(fields.name, giftLimits.nameBytes, 'name');
    checkBytes(
      fields.description,
      kind === 'gift' ? giftLimits.descBytes : giftLimits.categoryDescBytes,
      'description',
    );
    await this.store.transaction(async (tx) => {
      await this.assertItem(tx, appId, kind, itemId);
      if (fields.name === undefined && !(await tx.gifts.findTranslation(appId, kind, itemId, language))) {
        throw invalidParameter(`the name is required when the ${language} language is first set`, 'name');
      }
      await tx.gifts.upsertTranslation(appId, kind, itemId, language, fields);
    });
  }

  async getTranslation(appId: number, kind: TranslatedKind, itemId: string, language: Language): Promise<Translation> {
    this.enabledSettings(appId);
    await this.assertItem(this.store, appId, kind, itemId);
    const translation = await this.store.gifts.findTranslation(appId, kind, itemId, language);
    if (!translation)
      throw new DomainError('translation_not_found', `${kind} ${itemId} has no ${language} language set`);
    return translation;
  }

  async deleteTranslation(appId: number, kind: TranslatedKind, itemId: string, language: Language): Promise<void> {
    this.enabledSettings(appId);
    await this.assertItem(this.store, appId, kind, itemId);
    if ((await this.store.gifts.deleteTranslations(appId, kind, itemId, language)) === 0) {
      throw new DomainError('translation_not_found', `${kind} ${itemId} has no ${language} language set`);
    }
  }

  /** Installs the default catalog (3 categories, 15 gifts) into an app that has none. */
  async installDefaultCatalog(appId: number): Promise<void> {
    const settings = this.enabledSettings(appId);
    await this.store.transaction(async (tx) => {
      const existing = await tx.gifts.countCatalog(appId);
      if (existing.gifts > 0 || existing.categories > 0) {
        throw new DomainError(
          'catalog_not_empty',
          'the app already has gifts or categories; the defaults go only into an empty catalog',
        );
      }
      const now = this.clock.now();
      for (const { giftId, ...fields } of defaultGifts) {
        if (!(await tx.gifts.reserveGiftSlot(appId, settings.giftLimit))) {
          throw new DomainError(
            'gift_limit_reached',
            `the default catalog has ${defaultGifts.length} gifts; the app holds at most ${settings.giftLimit}`,
          );
        }
        await tx.gifts.insertGift(appId, giftId, fields, now);
      }
      for (const { categoryId, giftIds, ...fields } of defaultCategories) {
        await tx.gifts.insertCategory(appId, categoryId, fields, now);
        await tx.gifts.addToCategory(appId, categoryId, giftIds, now);
      }
    });
  }

  /**
   * Sends a gift into a room: after the app's approval (when it asks for it), records it in
   * the room's totals and, while the room is in a running battle, adds its value (Coins ×
   * Count) to the room's score, all in one transaction. Sends into one room that arrive while
   * its last batch is being written go together in the next (see sendBatch).
   */
  async send(appId: number, send: GiftSend, operatorId: string): Promise<GiftTotals> {
    const settings = this.enabledSettings(appId);
    validateSend(send);
    if (settings.approvesSends) {
      // Asked before the transaction, never during it: the app has 2 s to answer.
      const gift = await this.store.gifts.findGift(appId, send.giftId);
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
    const { outcomes, battle } = await this.batchStore.transaction(async (tx) => {
      const outcomes: Array<Outcome<GiftTotals>> = new Array(batch.length);
      const targets = new Map<string, SendTarget>();
      for (const { send } of batch) {
        if (!targets.has(send.giftId)) targets.set(send.giftId, await tx.gifts.findForSend(appId, roomId, send.giftId));
      }
      const valid: number[] = [];
      batch.forEach(({ send }, i) => {
        if (targets.get(send.giftId)!.coins === undefined) outcomes[i] = { ok: false, error: giftNotFound(send.giftId) };
        else valid.push(i);
      });
      if (valid.length === 0) return { outcomes, battle: undefined };
      // Every target was read in this transaction from the same room row: any one tells its switch.
      const giftsEnabled = targets.values().next().value!.roomGiftsEnabled;
      if (!giftsEnabled) {
        const error =
          giftsEnabled === undefined
            ? new DomainError('room_not_found', `room ${roomId} does not exist`)
            : new DomainError('room_gifts_disabled', `gifting is switched off in room ${roomId}`);
        for (const i of valid) outcomes[i] = { ok: false, error };
        return { outcomes, battle: undefined };
      }
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
      const newSenders = await tx.gifts.addToSenders(
        appId,
        roomId,
        [...bySender].map(([senderId, sums]) => ({ senderId, ...sums })),
      );
      const totals = await tx.gifts.addToRoom(appId, roomId, { sends: valid.length, count, coins, newSenders });
      valid.forEach((i, n) => {
        outcomes[i] = { ok: true, value: { ...totals, sequence: totals.sequence - valid.length + 1 + n } };
      });
      const battle =
        feedsBattle && coins > 0 ? await tx.battles.addToRoomInRunningBattle(appId, roomId, coins, now) : undefined;
      return { outcomes, battle };
    });
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

  /** The room's gift totals, or one sender's in the room. */
  async totals(appId: number, roomId: string, senderId?: string): Promise<GiftTotals> {
    this.enabledSettings(appId);
    if (!(await this.store.rooms.find(appId, roomId)))
      throw new DomainError('room_not_found', `room ${roomId} does not exist`);
    const room = (await this.store.gifts.roomTotals(appId, roomId)) ?? {
      sequence: 0,
      totalCount: 0,
      totalCoins: 0,
      senderCount: 0,
    };
    if (senderId === undefined) return room;
    const sender = await this.store.gifts.senderTotals(appId, roomId, senderId);
    return {
      sequence: room.sequence,
      totalCount: sender?.totalCount ?? 0,
      totalCoins: sender?.totalCoins ?? 0,
      senderCount: sender ? 1 : 0,
    };
  }

  private enabledSettings(appId: number): GiftSettings {
    const settings = this.settingsOf(appId);
    if (!settings.enabled) throw new DomainError('gifting_disabled', 'gifting is not enabled for this app');
    return settings;
  }

  private async assertItem(store: Store, appId: number, kind: TranslatedKind, itemId: string): Promise<void> {
    if (kind === 'gift') {
      if (!(await store.gifts.findGift(appId, itemId))) throw giftNotFound(itemId);
    } else if (!(await store.gifts.findCategory(appId, itemId))) {
      throw categoryNotFound(itemId);
    }
  }
}

function giftNotFound(giftId: string): DomainError {
  return new DomainError('gift_not_found', `gift ${giftId} does not exist`);
}

function categoryNotFound(categoryId: string): DomainError {
  return new DomainError('category_not_found', `category ${categoryId} does not exist`);
}

function checkBytes(value: string | undefined, max: number, field: string): void {
  if (value !== undefined && utf8Length(value) > max)
    throw invalidParameter(`${field} must be at most ${max} bytes in UTF-8`, field);
}

function validateExtensionInfo(value: string | undefined): void {
  if (value === undefined || value === '') return;
  checkBytes(value, giftLimits.extensionInfoBytes, 'extensionInfo');
  try {
    JSON.parse(value);
  } catch {
    throw invalidParameter('extension info must be a JSON text', 'extensionInfo');
  }
}

function validateGiftFields(fields: Partial<GiftFields>): void {
  checkBytes(fields.iconUrl, giftLimits.urlBytes, 'iconUrl');
  checkBytes(fields.resourceUrl, giftLimits.urlBytes, 'resourceUrl');
  checkBytes(fields.defaultName, giftLimits.nameBytes, 'defaultName');
  checkBytes(fields.defaultDesc, giftLimits.descBytes, 'defaultDesc');
  if (
    fields.coins !== undefined &&
    (!Number.isInteger(fields.coins) || fields.coins < 0 || fields.coins > giftLimits.maxCoins)
  ) {
    throw invalidParameter(`coins must be an integer from 0 to ${giftLimits.maxCoins}`, 'coins');
  }
  validateExtensionInfo(fields.extensionInfo);
}

function validateCategoryFields(fields: Partial<CategoryFields>): void {
  checkBytes(fields.defaultName, giftLimits.nameBytes, 'defaultName');
  checkBytes(fields.defaultDesc, giftLimits.categoryDescBytes, 'defaultDesc');
  checkBytes(fields.extensionInfo, giftLimits.extensionInfoBytes, 'extensionInfo');
}

function validateSend(send: GiftSend): void {
  if (!Number.isInteger(send.count) || send.count < 1 || send.count > giftLimits.maxCount) {
    throw invalidParameter(`count must be an integer from 1 to ${giftLimits.maxCount}`, 'count');
  }
  if (send.receiverIds.length > giftLimits.maxReceivers) {
    throw invalidParameter(`a gift goes to at most ${giftLimits.maxReceivers} receivers`, 'receivers');
  }
}
