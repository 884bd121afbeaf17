import { Type } from '@sinclair/typebox';
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
import { page, pageQuery, pageRequest } from '../pagination.js';
import { defineAdminRoute } from '../route.js';
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
      async handle({ params }) {
        await catalog.installDefaultCatalog(appId(params.sdkAppId));
        return { installed: true };
      },
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: `${base}/gifts/:giftId`,
      summary: 'Change the given fields of a gift',
      params: GiftParams,
      body: GiftChangesBody,
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
      async handle({ params, body }) {
        const app = appId(params.sdkAppId);
        const { invalidGiftIds } = await catalog.addToCategory(app, params.categoryId, body.giftIds);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)), invalidGiftIds };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: `${base}/gift-categories/:categoryId/gifts/:giftId`,
      summary: 'Take a gift out of a category (the gift stays)',
      params: Type.Object({ ...AppParams, categoryId: itemId, giftId: itemId }),
      async handle({ params }) {
        const app = appId(params.sdkAppId);
        await catalog.removeFromCategory(app, params.categoryId, [params.giftId]);
        return { category: renderCategory(await catalog.categoryEntry(app, params.categoryId)) };
      },
    }),
  ];
}

function renderLanguage(translation: Translation) {
  return { language: translation.language, name: translation.name, description: translation.description };
}

function renderGift({ item, translations, categoryIds }: CatalogGift) {
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

function renderCategory({ item, translations, giftIds }: CatalogCategory) {
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
