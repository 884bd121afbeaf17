import { type Static, Type } from '@sinclair/typebox';
import type { TencentApp } from '../../../config/schema.js';
import {
  type CatalogCategory,
  type CatalogGift,
  giftLimits,
  type Language,
  languages,
  type Translation,
} from '../../../domain/gifts/gift.js';
import type { GiftCatalogService } from '../../../domain/gifts/giftCatalogService.js';
import { exampleNames as ex } from '../examples.js';
import { page, pageQuery, pageRequest } from '../pagination.js';
import { type AdminErrorCode, defineAdminRoute, json } from '../route.js';
import { EpochMs, Page } from '../schemas.js';
import { configuredApp, sdkAppIdParam } from './tenants.js';

// The same limits as the Tencent gift commands (commands/gifts.ts); the domain service checks them again.
const bytes = (max: number) => Type.String({ maxBytes: max });
const itemId = Type.String({ minLength: 1, maxBytes: giftLimits.idBytes });
const language = Type.Unsafe<Language>({ type: 'string', enum: [...languages] });
const coins = Type.Integer({ minimum: 0, maximum: giftLimits.maxCoins });
const giftFields = {
  iconUrl: Type.Optional(bytes(giftLimits.urlBytes)),
  resourceUrl: Type.Optional(bytes(giftLimits.urlBytes)),
  level: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  extensionInfo: Type.Optional(Type.String({ maxBytes: giftLimits.extensionInfoBytes, format: 'json' })),
  defaultDesc: Type.Optional(bytes(giftLimits.descBytes)),
};
const NewGiftBody = Type.Object({ giftId: itemId, coins, defaultName: bytes(giftLimits.nameBytes), ...giftFields });
const GiftChangesBody = Type.Object({
  coins: Type.Optional(coins),
  defaultName: Type.Optional(bytes(giftLimits.nameBytes)),
  ...giftFields,
});
const categoryFields = {
  extensionInfo: Type.Optional(bytes(giftLimits.extensionInfoBytes)),
  defaultDesc: Type.Optional(bytes(giftLimits.categoryDescBytes)),
};
const NewCategoryBody = Type.Object({
  categoryId: itemId,
  defaultName: bytes(giftLimits.nameBytes),
  ...categoryFields,
});
const CategoryChangesBody = Type.Object({ defaultName: Type.Optional(bytes(giftLimits.nameBytes)), ...categoryFields });
const GiftLanguageBody = Type.Object({
  name: Type.Optional(bytes(giftLimits.nameBytes)),
  description: Type.Optional(bytes(giftLimits.descBytes)),
});
const CategoryLanguageBody = Type.Object({
  name: Type.Optional(bytes(giftLimits.nameBytes)),
  description: Type.Optional(bytes(giftLimits.categoryDescBytes)),
});

const AppParams = { sdkAppId: sdkAppIdParam };
const GiftParams = Type.Object({ ...AppParams, giftId: itemId });
const CategoryParams = Type.Object({ ...AppParams, categoryId: itemId });

const LanguageView = Type.Object({ language, name: Type.String(), description: Type.String() });

function renderLanguage(translation: Translation): Static<typeof LanguageView> {
  return { language: translation.language, name: translation.name, description: translation.description };
}

const languagesField = Type.Array(LanguageView, { description: 'the name and description set in each language' });

const GiftView = Type.Object({
  giftId: Type.String(),
  coins: Type.Integer({ minimum: 0, description: "price in the app's virtual currency" }),
  level: Type.Integer(),
  iconUrl: Type.String({ description: 'empty when none is set' }),
  resourceUrl: Type.String({ description: 'the animation; empty when none is set' }),
  extensionInfo: Type.String({ description: 'a JSON text, or empty' }),
  defaultName: Type.String(),
  defaultDesc: Type.String(),
  languages: languagesField,
  categoryIds: Type.Array(Type.String(), { description: 'the categories the gift is in' }),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});

function renderGift({ item, translations, categoryIds }: CatalogGift): Static<typeof GiftView> {
  return {
    giftId: item.giftId,
    coins: item.coins,
    level: item.level,
    iconUrl: item.iconUrl,
    resourceUrl: item.resourceUrl,
    extensionInfo: item.extensionInfo,
    defaultName: item.defaultName,
    defaultDesc: item.defaultDesc,
    languages: translations.map(renderLanguage),
    categoryIds,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

const CategoryView = Type.Object({
  categoryId: Type.String(),
  extensionInfo: Type.String({ description: "the app's own text, or empty" }),
  defaultName: Type.String(),
  defaultDesc: Type.String(),
  languages: languagesField,
  giftIds: Type.Array(Type.String(), { description: 'its gifts, in order (as added, unless moved)' }),
  createdAt: EpochMs,
});

function renderCategory({ item, translations, giftIds }: CatalogCategory): Static<typeof CategoryView> {
  return {
    categoryId: item.categoryId,
    extensionInfo: item.extensionInfo,
    defaultName: item.defaultName,
    defaultDesc: item.defaultDesc,
    languages: translations.map(renderLanguage),
    giftIds,
    createdAt: item.createdAt,
  };
}

const GiftAnswer = Type.Object({ gift: GiftView });
const CategoryAnswer = Type.Object({ category: CategoryView });

/** Every catalog route names a configured app whose gifting is switched on. */
const appErrors = ['not_found', 'gifting_disabled'] as const satisfies readonly AdminErrorCode[];

/** A second gift of the example category. */
const TULIP = 'tulip';

const exampleGift: Static<typeof GiftView> = {
  giftId: ex.gift,
  coins: 5,
  level: 1,
  iconUrl: 'https://cdn.example.com/gifts/rose.png',
  resourceUrl: 'https://cdn.example.com/gifts/rose.svga',
  extensionInfo: '{"tier":1}',
  defaultName: 'Rose',
  defaultDesc: 'A red rose',
  languages: [{ language: 'zh-Hans', name: '玫瑰', description: '一朵红玫瑰' }],
  categoryIds: [ex.category],
  createdAt: ex.at,
  updatedAt: ex.at,
};

const exampleCategory: Static<typeof CategoryView> = {
  categoryId: ex.category,
  extensionInfo: '',
  defaultName: 'Flowers',
  defaultDesc: 'Flowers for the host',
  languages: [{ language: 'zh-Hans', name: '鲜花', description: '送给主播的鲜花' }],
  giftIds: [ex.gift, TULIP],
  createdAt: ex.at,
};

/**
 * An app's gift catalog: gifts, categories, their languages and relations. Every change goes
 * through GiftCatalogService, as the Tencent commands do: the same limits (the app's gift
 * limit, byte sizes, JSON extension info), the same domain errors.
 */
export function giftRoutes(apps: readonly TencentApp[], catalog: GiftCatalogService) {
  const appId = (sdkAppId: string) => configuredApp(apps, sdkAppId).sdkAppId;
  const base = '/tencent/apps/:sdkAppId';
  return [
    defineAdminRoute({
      method: 'GET',
      url: `${base}/gifts`,
      summary: "An app's gifts, newest first, each with its languages and categories",
      params: Type.Object(AppParams),
      query: Type.Object(pageQuery),
      response: json(Page(GiftView)),
      errors: appErrors,
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        query: { limit: '20' },
        response: { items: [exampleGift], nextCursor: null },
      },
      async handle({ params, query }) {
        const request = pageRequest(query);
        const rows = await catalog.browseGifts(appId(params.sdkAppId), request.after, request.limit);
        return page(rows, request, (g) => ({ at: g.item.createdAt, id: g.item.giftId }), renderGift);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: `${base}/gifts/:giftId`,
      summary: 'A gift with its languages and categories',
      params: GiftParams,
      response: json(GiftAnswer),
      errors: [...appErrors, 'gift_not_found'],
      example: { params: { sdkAppId: String(ex.sdkAppId), giftId: ex.gift }, response: { gift: exampleGift } },
      async handle({ params }) {
        return { gift: renderGift(await catalog.giftEntry(appId(params.sdkAppId), params.giftId)) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: `${base}/gifts`,
      summary: "Add a gift (409 gift_limit_reached at the app's gift limit, 409 gift_exists)",
      status: 201,
      params: Type.Object(AppParams),
      body: NewGiftBody,
      response: json(GiftAnswer),
      // gift_not_found: deleted by another request between the add and the read back.
      errors: [...appErrors, 'gift_limit_reached', 'gift_exists', 'gift_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        body: {
          giftId: ex.gift,
          coins: 5,
          defaultName: 'Rose',
          level: 1,
          iconUrl: exampleGift.iconUrl,
          resourceUrl: exampleGift.resourceUrl,
          extensionInfo: exampleGift.extensionInfo,
          defaultDesc: exampleGift.defaultDesc,
        },
        response: { gift: { ...exampleGift, languages: [], categoryIds: [] } },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        const { giftId, ...gift } = body;
        await catalog.addGift(app, giftId, gift);
        return { gift: renderGift(await catalog.giftEntry(app, body.giftId)) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: `${base}/gifts/default-catalog`,
      summary: 'Install the default catalog (3 categories, 15 gifts) into an empty catalog',
      status: 201,
      params: Type.Object(AppParams),
      response: json(Type.Object({ installed: Type.Literal(true) })),
      errors: [...appErrors, 'catalog_not_empty', 'gift_limit_reached'],
      example: { params: { sdkAppId: String(ex.sdkAppId) }, response: { installed: true } },
      async handle({ params }) {
        await catalog.installDefaultCatalog(appId(params.sdkAppId));
        return { installed: true as const };
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: `${base}/gifts/:giftId`,
      summary: 'Change the given fields of a gift',
      params: GiftParams,
      body: GiftChangesBody,
      response: json(GiftAnswer),
      errors: [...appErrors, 'gift_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), giftId: ex.gift },
        body: { coins: 10, level: 2 },
        response: { gift: { ...exampleGift, coins: 10, level: 2, updatedAt: ex.at + 3_600_000 } },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        await catalog.editGift(app, params.giftId, body);
        return { gift: renderGift(await catalog.giftEntry(app, params.giftId)) };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gifts/:giftId`,
      summary: 'Delete a gift with its languages and category memberships',
      params: GiftParams,
      response: json(Type.Object({ deleted: Type.String({ description: 'the id of the gift deleted' }) })),
      errors: [...appErrors, 'gift_not_found'],
      example: { params: { sdkAppId: String(ex.sdkAppId), giftId: ex.gift }, response: { deleted: ex.gift } },
      async handle({ params }) {
        await catalog.deleteGift(appId(params.sdkAppId), params.giftId);
        return { deleted: params.giftId };
      },
    }),
    defineAdminRoute({
      method: 'PUT',
      url: `${base}/gifts/:giftId/languages/:language`,
      summary: "Set a gift's name and description in a language (name required the first time)",
      params: Type.Object({ ...AppParams, giftId: itemId, language }),
      body: GiftLanguageBody,
      response: json(GiftAnswer),
      errors: [...appErrors, 'gift_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), giftId: ex.gift, language: 'zh-Hans' },
        body: { name: '玫瑰', description: '一朵红玫瑰' },
        response: { gift: exampleGift },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        await catalog.setTranslation(app, 'gift', params.giftId, params.language, body);
        return { gift: renderGift(await catalog.giftEntry(app, params.giftId)) };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gifts/:giftId/languages/:language`,
      summary: "Delete a gift's language",
      params: Type.Object({ ...AppParams, giftId: itemId, language }),
      response: json(GiftAnswer),
      errors: [...appErrors, 'gift_not_found', 'translation_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), giftId: ex.gift, language: 'zh-Hans' },
        response: { gift: { ...exampleGift, languages: [] } },
      },
      async handle({ params }) {
        const app = appId(params.sdkAppId);
        await catalog.deleteTranslation(app, 'gift', params.giftId, params.language);
        return { gift: renderGift(await catalog.giftEntry(app, params.giftId)) };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: `${base}/gift-categories`,
      summary: "An app's gift categories, newest first, each with its languages and gifts",
      params: Type.Object(AppParams),
      query: Type.Object(pageQuery),
      response: json(Page(CategoryView)),
      errors: appErrors,
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        query: { limit: '20' },
        response: { items: [exampleCategory], nextCursor: null },
      },
      async handle({ params, query }) {
        const request = pageRequest(query);
        const rows = await catalog.browseCategories(appId(params.sdkAppId), request.after, request.limit);
        return page(rows, request, (c) => ({ at: c.item.createdAt, id: c.item.categoryId }), renderCategory);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: `${base}/gift-categories/:categoryId`,
      summary: 'A gift category with its languages and gifts',
      params: CategoryParams,
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category },
        response: { category: exampleCategory },
      },
      async handle({ params }) {
        return { category: renderCategory(await catalog.categoryEntry(appId(params.sdkAppId), params.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: `${base}/gift-categories`,
      summary: 'Add a gift category (409 category_exists)',
      status: 201,
      params: Type.Object(AppParams),
      body: NewCategoryBody,
      response: json(CategoryAnswer),
      // category_not_found: deleted by another request between the add and the read back.
      errors: [...appErrors, 'category_exists', 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId) },
        body: { categoryId: ex.category, defaultName: 'Flowers', defaultDesc: exampleCategory.defaultDesc },
        response: { category: { ...exampleCategory, languages: [], giftIds: [] } },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        const { categoryId, ...category } = body;
        await catalog.addCategory(app, categoryId, category);
        return { category: renderCategory(await catalog.categoryEntry(app, body.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: `${base}/gift-categories/:categoryId`,
      summary: 'Change the given fields of a gift category',
      params: CategoryParams,
      body: CategoryChangesBody,
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category },
        body: { defaultName: 'Bouquets' },
        response: { category: { ...exampleCategory, defaultName: 'Bouquets' } },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        await catalog.editCategory(app, params.categoryId, body);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gift-categories/:categoryId`,
      summary: 'Delete a gift category (its gifts stay)',
      params: CategoryParams,
      response: json(Type.Object({ deleted: Type.String({ description: 'the id of the category deleted' }) })),
      errors: [...appErrors, 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category },
        response: { deleted: ex.category },
      },
      async handle({ params }) {
        await catalog.deleteCategory(appId(params.sdkAppId), params.categoryId);
        return { deleted: params.categoryId };
      },
    }),
    defineAdminRoute({
      method: 'PUT',
      url: `${base}/gift-categories/:categoryId/languages/:language`,
      summary: "Set a category's name and description in a language (name required the first time)",
      params: Type.Object({ ...AppParams, categoryId: itemId, language }),
      body: CategoryLanguageBody,
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category, language: 'zh-Hans' },
        body: { name: '鲜花', description: '送给主播的鲜花' },
        response: { category: exampleCategory },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        await catalog.setTranslation(app, 'category', params.categoryId, params.language, body);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gift-categories/:categoryId/languages/:language`,
      summary: "Delete a category's language",
      params: Type.Object({ ...AppParams, categoryId: itemId, language }),
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found', 'translation_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category, language: 'zh-Hans' },
        response: { category: { ...exampleCategory, languages: [] } },
      },
      async handle({ params }) {
        const app = appId(params.sdkAppId);
        await catalog.deleteTranslation(app, 'category', params.categoryId, params.language);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: `${base}/gift-categories/:categoryId/gifts`,
      summary: 'Add gifts to a category (1–100); ids that are not gifts come back in invalidGiftIds',
      params: CategoryParams,
      body: Type.Object({ giftIds: Type.Array(itemId, { minItems: 1, maxItems: 100 }) }),
      response: json(
        Type.Object({
          category: CategoryView,
          invalidGiftIds: Type.Array(Type.String(), {
            description: 'the ids asked for that are not gifts of the app (not added)',
          }),
        }),
      ),
      errors: [...appErrors, 'category_not_found', 'gift_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category },
        body: { giftIds: [ex.gift, TULIP, 'unicorn'] },
        response: { category: exampleCategory, invalidGiftIds: ['unicorn'] },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        const { invalidGiftIds } = await catalog.addToCategory(app, params.categoryId, body.giftIds);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)), invalidGiftIds };
      },
    }),
    defineAdminRoute({
      method: 'PUT',
      url: `${base}/gift-categories/:categoryId/gifts/:giftId/position`,
      summary: "Move a gift of a category to a position (0 is first; past the end is last): get_gift_info_list's order",
      params: Type.Object({ ...AppParams, categoryId: itemId, giftId: itemId }),
      body: Type.Object({
        position: Type.Integer({ minimum: 0, maximum: 2147483647, description: "the gift's index in the category" }),
      }),
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found', 'gift_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category, giftId: TULIP },
        body: { position: 0 },
        response: { category: { ...exampleCategory, giftIds: [TULIP, ex.gift] } },
      },
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        await catalog.moveInCategory(app, params.categoryId, params.giftId, body.position);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gift-categories/:categoryId/gifts/:giftId`,
      summary: 'Take a gift out of a category (the gift stays)',
      params: Type.Object({ ...AppParams, categoryId: itemId, giftId: itemId }),
      response: json(CategoryAnswer),
      errors: [...appErrors, 'category_not_found'],
      example: {
        params: { sdkAppId: String(ex.sdkAppId), categoryId: ex.category, giftId: TULIP },
        response: { category: { ...exampleCategory, giftIds: [ex.gift] } },
      },
      async handle({ params }) {
        const app = appId(params.sdkAppId);
        await catalog.removeFromCategory(app, params.categoryId, [params.giftId]);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
  ];
}
