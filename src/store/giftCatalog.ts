import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  CategoryFields,
  Gift,
  GiftCategory,
  GiftFields,
  Language,
  TranslatedKind,
  Translation,
} from '../domain/gifts/gift.js';
import { newestFirst, type PageKey } from './keyset.js';
import { type QueryRunner, slot } from './query.js';
import type { GiftCategoryRow, GiftRow, Tables } from './tables.js';

/** Gift catalogs: gifts (and the count against the app's limit), categories, their members, translations. */
export class GiftCatalogRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly hot: QueryRunner,
  ) {}

  /** Counts one more gift against the app's limit; false when the limit is reached. */
  async reserveGiftSlot(appId: number, limit: number): Promise<boolean> {
    const row = await this.db
      .insertInto('gift_catalogs')
      .values({ app_id: appId, gift_count: 1 })
      .onConflict((c) =>
        c
          .column('app_id')
          .doUpdateSet((eb) => ({ gift_count: eb('gift_catalogs.gift_count', '+', 1) }))
          .where('gift_catalogs.gift_count', '<', limit),
      )
      .returning('gift_count')
      .executeTakeFirst();
    return row !== undefined;
  }

  async releaseGiftSlots(appId: number, count: number): Promise<void> {
    await this.db
      .updateTable('gift_catalogs')
      .set((eb) => ({ gift_count: eb('gift_count', '-', count) }))
      .where('app_id', '=', appId)
      .execute();
  }

  /** Inserts the gift unless its id is taken; returns whether it was inserted. */
  async insertGift(appId: number, giftId: string, fields: GiftFields, now: number): Promise<boolean> {
    const row = await this.db
      .insertInto('gifts')
      .values({
        app_id: appId,
        gift_id: giftId,
        ...(toGiftColumns(fields) as GiftColumns),
        created_at: now,
        updated_at: now,
      })
      .onConflict((c) => c.columns(['app_id', 'gift_id']).doNothing())
      .returning('gift_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async updateGift(appId: number, giftId: string, changes: Partial<GiftFields>, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('gifts')
      .set({ ...toGiftColumns(changes), updated_at: now })
      .where('app_id', '=', appId)
      .where('gift_id', '=', giftId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findGift(appId: number, giftId: string): Promise<Gift | undefined> {
    const [row] = await this.hot.rows(
      'giftCatalog.findGift',
      () =>
        this.db
          .selectFrom('gifts')
          .selectAll()
          .where('app_id', '=', slot('appId'))
          .where('gift_id', '=', slot('giftId')),
      { appId, giftId },
    );
    return row && toGift(row);
  }

  async listGifts(appId: number): Promise<Gift[]> {
    const rows = await this.db
      .selectFrom('gifts')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('created_at')
      .orderBy('gift_id')
      .execute();
    return rows.map(toGift);
  }

  /** An app's gifts newest first by (creation time, id), `limit + 1` of them after `after`. */
  async pageGifts(appId: number, after: PageKey | undefined, limit: number): Promise<Gift[]> {
    const query = this.db.selectFrom('gifts').selectAll().where('app_id', '=', appId);
    return (await newestFirst(query, { at: 'created_at', id: 'gift_id' }, after, limit).execute()).map(toGift);
  }

  /** Deletes the gift with its translations and category memberships; false when absent. */
  async deleteGift(appId: number, giftId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('gifts')
      .where('app_id', '=', appId)
      .where('gift_id', '=', giftId)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) return false;
    await this.deleteTranslations(appId, 'gift', giftId);
    await this.db.deleteFrom('gift_category_gifts').where('app_id', '=', appId).where('gift_id', '=', giftId).execute();
    return true;
  }

  async insertCategory(appId: number, categoryId: string, fields: CategoryFields, now: number): Promise<boolean> {
    const row = await this.db
      .insertInto('gift_categories')
      .values({
        app_id: appId,
        category_id: categoryId,
        ...(toCategoryColumns(fields) as CategoryColumns),
        created_at: now,
      })
      .onConflict((c) => c.columns(['app_id', 'category_id']).doNothing())
      .returning('category_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async updateCategory(appId: number, categoryId: string, changes: Partial<CategoryFields>): Promise<boolean> {
    const columns = toCategoryColumns(changes);
    if (Object.keys(columns).length === 0) return (await this.findCategory(appId, categoryId)) !== undefined;
    const result = await this.db
      .updateTable('gift_categories')
      .set(columns)
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findCategory(appId: number, categoryId: string): Promise<GiftCategory | undefined> {
    const row = await this.db
      .selectFrom('gift_categories')
      .selectAll()
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    return row && toCategory(row);
  }

  async listCategories(appId: number): Promise<GiftCategory[]> {
    const rows = await this.db
      .selectFrom('gift_categories')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('created_at')
      .orderBy('category_id')
      .execute();
    return rows.map(toCategory);
  }

  /** An app's categories newest first by (creation time, id), `limit + 1` of them after `after`. */
  async pageCategories(appId: number, after: PageKey | undefined, limit: number): Promise<GiftCategory[]> {
    const query = this.db.selectFrom('gift_categories').selectAll().where('app_id', '=', appId);
    return (await newestFirst(query, { at: 'created_at', id: 'category_id' }, after, limit).execute()).map(toCategory);
  }

  async deleteCategory(appId: number, categoryId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('gift_categories')
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) return false;
    await this.deleteTranslations(appId, 'category', categoryId);
    await this.db
      .deleteFrom('gift_category_gifts')
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .execute();
    return true;
  }

  /** The gifts of `giftIds` that exist in the app. */
  async existingGiftIds(appId: number, giftIds: string[]): Promise<Set<string>> {
    if (giftIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('gifts')
      .select('gift_id')
      .where('app_id', '=', appId)
      .where('gift_id', 'in', giftIds)
      .execute();
    return new Set(rows.map((r) => r.gift_id));
  }

  /** Adds gifts to a category after the ones it has (those already in it stay where they are). */
  async addToCategory(appId: number, categoryId: string, giftIds: string[], now: number): Promise<void> {
    if (giftIds.length === 0) return;
    await this.db
      .insertInto('gift_category_gifts')
      .values(
        giftIds.map((giftId, position) => ({
          app_id: appId,
          category_id: categoryId,
          gift_id: giftId,
          added_at: now,
          position,
        })),
      )
      .onConflict((c) => c.columns(['app_id', 'category_id', 'gift_id']).doNothing())
      .execute();
  }

  async removeFromCategory(appId: number, categoryId: string, giftIds: string[]): Promise<void> {
    if (giftIds.length === 0) return;
    await this.db
      .deleteFrom('gift_category_gifts')
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .where('gift_id', 'in', giftIds)
      .execute();
  }

  /**
   * Takes the category's row lock for the rest of the transaction (a no-op update: PostgreSQL
   * locks the row, SQLite has one writer), so that two reorders of one category do not
   * interleave. False when there is no such category.
   */
  async lockCategory(appId: number, categoryId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('gift_categories')
      .set({ category_id: sql`category_id` })
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Puts the category's gifts in the order of `giftIds` (the category's gifts, each once): they
   * keep the first one's time of adding, so gifts added later still come after them.
   */
  async reorderCategory(appId: number, categoryId: string, giftIds: string[]): Promise<void> {
    const first = await this.db
      .selectFrom('gift_category_gifts')
      .select((eb) => eb.fn.min('added_at').as('added_at'))
      .where('app_id', '=', appId)
      .where('category_id', '=', categoryId)
      .executeTakeFirst();
    const addedAt = Number(first?.added_at ?? 0);
    for (const [position, giftId] of giftIds.entries()) {
      await this.db
        .updateTable('gift_category_gifts')
        .set({ added_at: addedAt, position })
        .where('app_id', '=', appId)
        .where('category_id', '=', categoryId)
        .where('gift_id', '=', giftId)
        .execute();
    }
  }

  /** Gift ids per category, each in the order they were added. */
  async categoryGifts(appId: number, categoryId?: string): Promise<Map<string, string[]>> {
    let query = this.db
      .selectFrom('gift_category_gifts')
      .select(['category_id', 'gift_id'])
      .where('app_id', '=', appId);
    if (categoryId !== undefined) query = query.where('category_id', '=', categoryId);
    const rows = await query.orderBy('added_at').orderBy('position').orderBy('gift_id').execute();
    const byCategory = new Map<string, string[]>();
    for (const row of rows) byCategory.set(row.category_id, [...(byCategory.get(row.category_id) ?? []), row.gift_id]);
    return byCategory;
  }

  /** Sets a translation's given fields; a new translation takes `name` (required) and `description`. */
  async upsertTranslation(
    appId: number,
    kind: TranslatedKind,
    itemId: string,
    language: Language,
    fields: { name?: string; description?: string },
  ): Promise<void> {
    const changes: { name?: string; description?: string } = {};
    if (fields.name !== undefined) changes.name = fields.name;
    if (fields.description !== undefined) changes.description = fields.description;
    await this.db
      .insertInto('gift_translations')
      .values({
        app_id: appId,
        kind,
        item_id: itemId,
        language,
        name: fields.name ?? '',
        description: fields.description ?? '',
      })
      .onConflict((c) =>
        Object.keys(changes).length > 0
          ? c.columns(['app_id', 'kind', 'item_id', 'language']).doUpdateSet(changes)
          : c.columns(['app_id', 'kind', 'item_id', 'language']).doNothing(),
      )
      .execute();
  }

  async findTranslation(
    appId: number,
    kind: TranslatedKind,
    itemId: string,
    language: Language,
  ): Promise<Translation | undefined> {
    const row = await this.db
      .selectFrom('gift_translations')
      .select(['language', 'name', 'description'])
      .where('app_id', '=', appId)
      .where('kind', '=', kind)
      .where('item_id', '=', itemId)
      .where('language', '=', language)
      .executeTakeFirst();
    return row && { language: row.language as Language, name: row.name, description: row.description };
  }

  /** Deletes one language (or all) of an item; returns how many were deleted. */
  async deleteTranslations(appId: number, kind: TranslatedKind, itemId: string, language?: Language): Promise<number> {
    let query = this.db
      .deleteFrom('gift_translations')
      .where('app_id', '=', appId)
      .where('kind', '=', kind)
      .where('item_id', '=', itemId);
    if (language !== undefined) query = query.where('language', '=', language);
    return Number((await query.executeTakeFirst()).numDeletedRows);
  }

  /** Every translation of the app's items of `kind`, by item id. */
  async translations(appId: number, kind: TranslatedKind): Promise<Map<string, Translation[]>> {
    const rows = await this.db
      .selectFrom('gift_translations')
      .select(['item_id', 'language', 'name', 'description'])
      .where('app_id', '=', appId)
      .where('kind', '=', kind)
      .orderBy('item_id')
      .orderBy('language')
      .execute();
    const byItem = new Map<string, Translation[]>();
    for (const row of rows) {
      const translation = { language: row.language as Language, name: row.name, description: row.description };
      byItem.set(row.item_id, [...(byItem.get(row.item_id) ?? []), translation]);
    }
    return byItem;
  }

  async countCatalog(appId: number): Promise<{ gifts: number; categories: number }> {
    const gifts = await this.db
      .selectFrom('gifts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .executeTakeFirst();
    const categories = await this.db
      .selectFrom('gift_categories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return { gifts: Number(gifts?.n ?? 0), categories: Number(categories?.n ?? 0) };
  }
}

type GiftColumns = Omit<GiftRow, 'app_id' | 'gift_id' | 'created_at' | 'updated_at'>;
type CategoryColumns = Omit<GiftCategoryRow, 'app_id' | 'category_id' | 'created_at'>;

function toGiftColumns(fields: Partial<GiftFields>): Partial<GiftColumns> {
  const columns: Partial<GiftColumns> = {};
  if (fields.iconUrl !== undefined) columns.icon_url = fields.iconUrl;
  if (fields.resourceUrl !== undefined) columns.resource_url = fields.resourceUrl;
  if (fields.coins !== undefined) columns.coins = fields.coins;
  if (fields.level !== undefined) columns.level = fields.level;
  if (fields.extensionInfo !== undefined) columns.extension_info = fields.extensionInfo;
  if (fields.defaultName !== undefined) columns.default_name = fields.defaultName;
  if (fields.defaultDesc !== undefined) columns.default_desc = fields.defaultDesc;
  return columns;
}

function toCategoryColumns(fields: Partial<CategoryFields>): Partial<CategoryColumns> {
  const columns: Partial<CategoryColumns> = {};
  if (fields.extensionInfo !== undefined) columns.extension_info = fields.extensionInfo;
  if (fields.defaultName !== undefined) columns.default_name = fields.defaultName;
  if (fields.defaultDesc !== undefined) columns.default_desc = fields.defaultDesc;
  return columns;
}

function toGift(row: Selectable<GiftRow>): Gift {
  return {
    giftId: row.gift_id,
    iconUrl: row.icon_url,
    resourceUrl: row.resource_url,
    coins: row.coins,
    level: row.level,
    extensionInfo: row.extension_info,
    defaultName: row.default_name,
    defaultDesc: row.default_desc,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toCategory(row: Selectable<GiftCategoryRow>): GiftCategory {
  return {
    categoryId: row.category_id,
    extensionInfo: row.extension_info,
    defaultName: row.default_name,
    defaultDesc: row.default_desc,
    createdAt: row.created_at,
  };
}
