import { utf8Length } from '../../platform/bytes.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError, invalidParameter } from '../../platform/errors.js';
import type { PageKey } from '../../store/keyset.js';
import type { Store } from '../../store/store.js';
import { defaultCategories, defaultGifts } from './defaultCatalog.js';
import { categoryNotFound, giftNotFound } from './errors.js';
import {
  type CatalogCategory,
  type CatalogGift,
  type CategoryFields,
  type Gift,
  type GiftCatalog,
  type GiftCategory,
  type GiftFields,
  type NewCategory,
  type NewGift,
  type Language,
  type TranslatedKind,
  type Translation,
  giftLimits,
} from './gift.js';
import { enabledGiftSettings, type GiftSettingsOf } from './giftSettings.js';

/** Gift catalogs of apps: gifts, categories, their members, languages, and the default catalog. */
export class GiftCatalogService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settingsOf: GiftSettingsOf,
  ) {}

  async addGift(appId: number, giftId: string, gift: NewGift): Promise<void> {
    const fields: GiftFields = {
      iconUrl: gift.iconUrl ?? '',
      resourceUrl: gift.resourceUrl ?? '',
      coins: gift.coins,
      level: gift.level ?? 0,
      extensionInfo: gift.extensionInfo ?? '',
      defaultName: gift.defaultName,
      defaultDesc: gift.defaultDesc ?? '',
    };
    const settings = enabledGiftSettings(this.settingsOf, appId);
    validateGiftFields(fields);
    await this.store.transaction(async (tx) => {
      if (settings.giftLimit <= 0 || !(await tx.giftCatalog.reserveGiftSlot(appId, settings.giftLimit))) {
        throw new DomainError('gift_limit_reached', `the app holds at most ${settings.giftLimit} gifts`);
      }
      if (!(await tx.giftCatalog.insertGift(appId, giftId, fields, this.clock.now()))) {
        throw new DomainError('gift_exists', `gift ${giftId} already exists; edit it with edit_gift`);
      }
    });
  }

  async editGift(appId: number, giftId: string, changes: Partial<GiftFields>): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    validateGiftFields(changes);
    if (!(await this.store.giftCatalog.updateGift(appId, giftId, changes, this.clock.now()))) {
      throw giftNotFound(giftId);
    }
  }

  async getGift(appId: number, giftId: string): Promise<Gift> {
    enabledGiftSettings(this.settingsOf, appId);
    const gift = await this.store.giftCatalog.findGift(appId, giftId);
    if (!gift) throw giftNotFound(giftId);
    return gift;
  }

  /** Deletes the gift, its languages and its category memberships. */
  async deleteGift(appId: number, giftId: string): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.giftCatalog.deleteGift(appId, giftId))) throw giftNotFound(giftId);
      await tx.giftCatalog.releaseGiftSlots(appId, 1);
    });
  }

  async getCatalog(appId: number): Promise<GiftCatalog> {
    enabledGiftSettings(this.settingsOf, appId);
    const [gifts, categories, giftTranslations, categoryTranslations, members] = await Promise.all([
      this.store.giftCatalog.listGifts(appId),
      this.store.giftCatalog.listCategories(appId),
      this.store.giftCatalog.translations(appId, 'gift'),
      this.store.giftCatalog.translations(appId, 'category'),
      this.store.giftCatalog.categoryGifts(appId),
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

  /** Gifts newest first, each with its languages and categories: `limit + 1` after `after`. */
  async browseGifts(appId: number, after: PageKey | undefined, limit: number): Promise<CatalogGift[]> {
    enabledGiftSettings(this.settingsOf, appId);
    return this.giftsWithDetails(appId, await this.store.giftCatalog.pageGifts(appId, after, limit));
  }

  /** A gift with its languages and categories. */
  async giftEntry(appId: number, giftId: string): Promise<CatalogGift> {
    return (await this.giftsWithDetails(appId, [await this.getGift(appId, giftId)]))[0]!;
  }

  /** Categories newest first, each with its languages and gifts: `limit + 1` after `after`. */
  async browseCategories(appId: number, after: PageKey | undefined, limit: number): Promise<CatalogCategory[]> {
    enabledGiftSettings(this.settingsOf, appId);
    return this.categoriesWithDetails(appId, await this.store.giftCatalog.pageCategories(appId, after, limit));
  }

  /** A category with its languages and gifts. */
  async categoryEntry(appId: number, categoryId: string): Promise<CatalogCategory> {
    return (await this.categoriesWithDetails(appId, [await this.getCategory(appId, categoryId)]))[0]!;
  }

  private async giftsWithDetails(appId: number, gifts: Gift[]): Promise<CatalogGift[]> {
    const [translations, members] = await Promise.all([
      this.store.giftCatalog.translations(appId, 'gift'),
      this.store.giftCatalog.categoryGifts(appId),
    ]);
    return gifts.map((item) => ({
      item,
      translations: translations.get(item.giftId) ?? [],
      categoryIds: [...members].filter(([, giftIds]) => giftIds.includes(item.giftId)).map(([id]) => id),
    }));
  }

  private async categoriesWithDetails(appId: number, categories: GiftCategory[]): Promise<CatalogCategory[]> {
    const [translations, members] = await Promise.all([
      this.store.giftCatalog.translations(appId, 'category'),
      this.store.giftCatalog.categoryGifts(appId),
    ]);
    return categories.map((item) => ({
      item,
      translations: translations.get(item.categoryId) ?? [],
      giftIds: members.get(item.categoryId) ?? [],
    }));
  }

  async addCategory(appId: number, categoryId: string, category: NewCategory): Promise<void> {
    const fields: CategoryFields = {
      extensionInfo: category.extensionInfo ?? '',
      defaultName: category.defaultName,
      defaultDesc: category.defaultDesc ?? '',
    };
    enabledGiftSettings(this.settingsOf, appId);
    validateCategoryFields(fields);
    if (!(await this.store.giftCatalog.insertCategory(appId, categoryId, fields, this.clock.now()))) {
      throw new DomainError(
        'category_exists',
        `category ${categoryId} already exists; edit it with edit_gift_category`,
      );
    }
  }

  async editCategory(appId: number, categoryId: string, changes: Partial<CategoryFields>): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    validateCategoryFields(changes);
    if (!(await this.store.giftCatalog.updateCategory(appId, categoryId, changes))) {
      throw categoryNotFound(categoryId);
    }
  }

  async getCategory(appId: number, categoryId: string): Promise<GiftCategory> {
    enabledGiftSettings(this.settingsOf, appId);
    const category = await this.store.giftCatalog.findCategory(appId, categoryId);
    if (!category) throw categoryNotFound(categoryId);
    return category;
  }

  async deleteCategory(appId: number, categoryId: string): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.giftCatalog.deleteCategory(appId, categoryId))) throw categoryNotFound(categoryId);
    });
  }

  /**
   * Adds gifts to a category after those it has. Returns the ids that are not gifts of the
   * app (not added); when none of the ids is a gift, nothing changes and it is an error.
   */
  async addToCategory(appId: number, categoryId: string, giftIds: string[]): Promise<{ invalidGiftIds: string[] }> {
    enabledGiftSettings(this.settingsOf, appId);
    return this.store.transaction(async (tx) => {
      if (!(await tx.giftCatalog.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
      const unique = [...new Set(giftIds)];
      const existing = await tx.giftCatalog.existingGiftIds(appId, unique);
      const invalidGiftIds = unique.filter((id) => !existing.has(id));
      if (existing.size === 0) {
        throw new DomainError('gift_not_found', `none of the gifts exist: ${invalidGiftIds.join(', ')}`);
      }
      await tx.giftCatalog.addToCategory(
        appId,
        categoryId,
        unique.filter((id) => existing.has(id)),
        this.clock.now(),
      );
      return { invalidGiftIds };
    });
  }

  async removeFromCategory(appId: number, categoryId: string, giftIds: string[]): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    await this.store.transaction(async (tx) => {
      if (!(await tx.giftCatalog.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
      await tx.giftCatalog.removeFromCategory(appId, categoryId, giftIds);
    });
  }

  /**
   * Moves a gift of a category to `position` (0 is first; past the end is last); the others keep
   * their order.
   */
  async moveInCategory(appId: number, categoryId: string, giftId: string, position: number): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    if (!Number.isInteger(position) || position < 0) {
      throw invalidParameter('position must be an integer of at least 0', 'position');
    }
    await this.store.transaction(async (tx) => {
      if (!(await tx.giftCatalog.lockCategory(appId, categoryId))) throw categoryNotFound(categoryId);
      const order = (await tx.giftCatalog.categoryGifts(appId, categoryId)).get(categoryId) ?? [];
      if (!order.includes(giftId)) {
        throw new DomainError('gift_not_found', `gift ${giftId} is not in category ${categoryId}`);
      }
      const others = order.filter((id) => id !== giftId);
      others.splice(Math.min(position, others.length), 0, giftId);
      await tx.giftCatalog.reorderCategory(appId, categoryId, others);
    });
  }

  async categoryGifts(appId: number, categoryId: string): Promise<string[]> {
    enabledGiftSettings(this.settingsOf, appId);
    if (!(await this.store.giftCatalog.findCategory(appId, categoryId))) throw categoryNotFound(categoryId);
    return (await this.store.giftCatalog.categoryGifts(appId, categoryId)).get(categoryId) ?? [];
  }

  /** Sets a language's name and description of a gift or category; absent fields are unchanged. */
  async setTranslation(
    appId: number,
    kind: TranslatedKind,
    itemId: string,
    language: Language,
    fields: { name?: string; description?: string },
  ): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    checkBytes(fields.name, giftLimits.nameBytes, 'name');
    checkBytes(
      fields.description,
      kind === 'gift' ? giftLimits.descBytes : giftLimits.categoryDescBytes,
      'description',
    );
    await this.store.transaction(async (tx) => {
      await assertItem(tx, appId, kind, itemId);
      if (fields.name === undefined && !(await tx.giftCatalog.findTranslation(appId, kind, itemId, language))) {
        throw invalidParameter(`name is required when the ${language} language is first set`, 'name');
      }
      await tx.giftCatalog.upsertTranslation(appId, kind, itemId, language, fields);
    });
  }

  async getTranslation(appId: number, kind: TranslatedKind, itemId: string, language: Language): Promise<Translation> {
    enabledGiftSettings(this.settingsOf, appId);
    await assertItem(this.store, appId, kind, itemId);
    const translation = await this.store.giftCatalog.findTranslation(appId, kind, itemId, language);
    if (!translation)
      throw new DomainError('translation_not_found', `${kind} ${itemId} has no ${language} language set`);
    return translation;
  }

  async deleteTranslation(appId: number, kind: TranslatedKind, itemId: string, language: Language): Promise<void> {
    enabledGiftSettings(this.settingsOf, appId);
    await assertItem(this.store, appId, kind, itemId);
    if ((await this.store.giftCatalog.deleteTranslations(appId, kind, itemId, language)) === 0) {
      throw new DomainError('translation_not_found', `${kind} ${itemId} has no ${language} language set`);
    }
  }

  /** Installs the default catalog (3 categories, 15 gifts) into an app that has none. */
  async installDefaultCatalog(appId: number): Promise<void> {
    const settings = enabledGiftSettings(this.settingsOf, appId);
    await this.store.transaction(async (tx) => {
      const existing = await tx.giftCatalog.countCatalog(appId);
      if (existing.gifts > 0 || existing.categories > 0) {
        throw new DomainError(
          'catalog_not_empty',
          'the app already has gifts or categories; the defaults go only into an empty catalog',
        );
      }
      const now = this.clock.now();
      for (const { giftId, ...fields } of defaultGifts) {
        if (!(await tx.giftCatalog.reserveGiftSlot(appId, settings.giftLimit))) {
          throw new DomainError(
            'gift_limit_reached',
            `the default catalog has ${defaultGifts.length} gifts; the app holds at most ${settings.giftLimit}`,
          );
        }
        await tx.giftCatalog.insertGift(appId, giftId, fields, now);
      }
      for (const { categoryId, giftIds, ...fields } of defaultCategories) {
        await tx.giftCatalog.insertCategory(appId, categoryId, fields, now);
        await tx.giftCatalog.addToCategory(appId, categoryId, giftIds, now);
      }
    });
  }
}

async function assertItem(store: Store, appId: number, kind: TranslatedKind, itemId: string): Promise<void> {
  if (kind === 'gift') {
    if (!(await store.giftCatalog.findGift(appId, itemId))) throw giftNotFound(itemId);
  } else if (!(await store.giftCatalog.findCategory(appId, itemId))) {
    throw categoryNotFound(itemId);
  }
}

/** Errors name the field (`DomainError.field`) and start their message with it. */
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
    throw invalidParameter('extensionInfo must be a JSON text', 'extensionInfo');
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
