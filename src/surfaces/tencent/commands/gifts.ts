import { Type } from '@sinclair/typebox';
import { giftLimits, type Language, languages } from '../../../domain/gifts/gift.js';
import { type CommandRate, defineCommand, perSecond } from '../command.js';
import {
  localized,
  renderCategory,
  renderCategoryLanguage,
  renderGift,
  renderGiftLanguage,
  seconds,
} from '../render.js';
import { TencentCode } from '../errorCodes.js';
import { roomId } from '../fields.js';

/** Gifts: the catalog APIs and sending (`v4/live_engine_http_srv/*`). */

const SERVICE = 'live_engine_http_srv';

// The gift-configuration APIs: 1 call a second per app (100012), admins only (100006).
const CONFIG = { rate: perSecond(1, TencentCode.keyRateLimited), notAdminCode: TencentCode.giftConfigNotAdmin };
const COPY_DEFAULTS_RATE: CommandRate = { limit: 1, perMs: 10_000, code: TencentCode.keyRateLimited };

const bytes = (max: number) => Type.String({ maxBytes: max });
const id = Type.String({ minLength: 1, maxBytes: giftLimits.idBytes });
const account = Type.String({ minLength: 1, maxBytes: 32 });
const language = Type.Unsafe<Language>({ type: 'string', enum: [...languages] });
const extensionInfo = Type.String({ maxBytes: giftLimits.extensionInfoBytes, format: 'json' });

const giftFields = {
  IconUrl: Type.Optional(bytes(giftLimits.urlBytes)),
  ResourceUrl: Type.Optional(bytes(giftLimits.urlBytes)),
  Level: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  ExtensionInfo: Type.Optional(extensionInfo),
  DefaultDesc: Type.Optional(bytes(giftLimits.descBytes)),
};
const coins = Type.Integer({ minimum: 0, maximum: giftLimits.maxCoins });
const AddGiftBody = Type.Object({ GiftId: id, Coins: coins, DefaultName: bytes(giftLimits.nameBytes), ...giftFields });
const EditGiftBody = Type.Object({
  GiftId: id,
  Coins: Type.Optional(coins),
  DefaultName: Type.Optional(bytes(giftLimits.nameBytes)),
  ...giftFields,
});
const GiftIdBody = Type.Object({ GiftId: id });

const categoryFields = {
  ExtensionInfo: Type.Optional(bytes(giftLimits.extensionInfoBytes)),
  DefaultDesc: Type.Optional(bytes(giftLimits.categoryDescBytes)),
};
const AddCategoryBody = Type.Object({ CategoryId: id, DefaultName: bytes(giftLimits.nameBytes), ...categoryFields });
const EditCategoryBody = Type.Object({
  CategoryId: id,
  DefaultName: Type.Optional(bytes(giftLimits.nameBytes)),
  ...categoryFields,
});
const CategoryIdBody = Type.Object({ CategoryId: id });
const RelationsBody = Type.Object({ CategoryId: id, GiftIdList: Type.Array(id, { minItems: 1, maxItems: 100 }) });

const SetGiftLanguageBody = Type.Object({
  GiftId: id,
  Language: language,
  Name: Type.Optional(bytes(giftLimits.nameBytes)),
  Desc: Type.Optional(bytes(giftLimits.descBytes)),
});
const GiftLanguageBody = Type.Object({ GiftId: id, Language: language });
const SetCategoryLanguageBody = Type.Object({
  CategoryId: id,
  Language: language,
  CategoryName: Type.Optional(bytes(giftLimits.nameBytes)),
  CategoryDesc: Type.Optional(bytes(giftLimits.categoryDescBytes)),
});
const CategoryLanguageBody = Type.Object({ CategoryId: id, Language: language });

const SendGiftBody = Type.Object({
  RoomId: roomId,
  GiftId: id,
  Count: Type.Integer({ minimum: 1, maximum: giftLimits.maxCount }),
  From_Account: account,
  ReceiverList_Account: Type.Optional(Type.Array(account, { maxItems: giftLimits.maxReceivers })),
});
const GiftCountBody = Type.Object({
  RoomId: roomId,
  From_Account: Type.Optional(account),
});

export const giftCommands = [
  defineCommand({
    path: `${SERVICE}/add_gift`,
    ...CONFIG,
    body: AddGiftBody,
    async run({ app, services }, body) {
      await services.giftCatalog.addGift(app.sdkAppId, body.GiftId, {
        iconUrl: body.IconUrl,
        resourceUrl: body.ResourceUrl,
        coins: body.Coins,
        level: body.Level,
        extensionInfo: body.ExtensionInfo,
        defaultName: body.DefaultName,
        defaultDesc: body.DefaultDesc,
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/edit_gift`,
    ...CONFIG,
    body: EditGiftBody,
    async run({ app, services }, body) {
      await services.giftCatalog.editGift(app.sdkAppId, body.GiftId, {
        ...(body.IconUrl !== undefined && { iconUrl: body.IconUrl }),
        ...(body.ResourceUrl !== undefined && { resourceUrl: body.ResourceUrl }),
        ...(body.Coins !== undefined && { coins: body.Coins }),
        ...(body.Level !== undefined && { level: body.Level }),
        ...(body.ExtensionInfo !== undefined && { extensionInfo: body.ExtensionInfo }),
        ...(body.DefaultName !== undefined && { defaultName: body.DefaultName }),
        ...(body.DefaultDesc !== undefined && { defaultDesc: body.DefaultDesc }),
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift`,
    ...CONFIG,
    body: GiftIdBody,
    async run({ app, services }, body) {
      const GiftInfo = renderGift(await services.giftCatalog.getGift(app.sdkAppId, body.GiftId));
      // The doc puts it at the top level; Tencent's console reads it under Response.
      return { GiftInfo, Response: { GiftInfo } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_gift`,
    ...CONFIG,
    body: GiftIdBody,
    async run({ app, services }, body) {
      await services.giftCatalog.deleteGift(app.sdkAppId, body.GiftId);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_info_list`,
    ...CONFIG,
    body: Type.Object({ Language: Type.Optional(language) }),
    async run({ app, services }, body) {
      const catalog = await services.giftCatalog.getCatalog(app.sdkAppId);
      const categoriesOf = (giftId: string) =>
        catalog.categories.filter((c) => c.giftIds.includes(giftId)).map((c) => c.item.categoryId);
      const GiftList = catalog.gifts.map((entry) => {
        const { name, desc } = localized(entry, body.Language);
        return {
          ...renderGift(entry.item),
          Name: name,
          Desc: desc,
          CreateTime: seconds(entry.item.createdAt),
          CategoryIdList: categoriesOf(entry.item.giftId),
          LanguageList: entry.translations.map(renderGiftLanguage),
        };
      });
      const CategoryList = catalog.categories.map((entry) => {
        const { name, desc } = localized(entry, body.Language);
        return {
          ...renderCategory(entry.item),
          CategoryName: name,
          CategoryDesc: desc,
          GiftIdList: entry.giftIds,
          LanguageList: entry.translations.map(renderCategoryLanguage),
        };
      });
      return { Response: { GiftList, CategoryList, TotalCount: GiftList.length } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/add_gift_category`,
    ...CONFIG,
    body: AddCategoryBody,
    async run({ app, services }, body) {
      await services.giftCatalog.addCategory(app.sdkAppId, body.CategoryId, {
        extensionInfo: body.ExtensionInfo,
        defaultName: body.DefaultName,
        defaultDesc: body.DefaultDesc,
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/edit_gift_category`,
    ...CONFIG,
    body: EditCategoryBody,
    async run({ app, services }, body) {
      await services.giftCatalog.editCategory(app.sdkAppId, body.CategoryId, {
        ...(body.ExtensionInfo !== undefined && { extensionInfo: body.ExtensionInfo }),
        ...(body.DefaultName !== undefined && { defaultName: body.DefaultName }),
        ...(body.DefaultDesc !== undefined && { defaultDesc: body.DefaultDesc }),
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_category`,
    ...CONFIG,
    body: CategoryIdBody,
    async run({ app, services }, body) {
      const GiftCategoryInfo = renderCategory(await services.giftCatalog.getCategory(app.sdkAppId, body.CategoryId));
      return { GiftCategoryInfo, Response: { GiftCategoryInfo, Category: GiftCategoryInfo } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_gift_category`,
    ...CONFIG,
    body: CategoryIdBody,
    async run({ app, services }, body) {
      await services.giftCatalog.deleteCategory(app.sdkAppId, body.CategoryId);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/add_gift_category_relations`,
    ...CONFIG,
    body: RelationsBody,
    async run({ app, services }, body) {
      const { invalidGiftIds } = await services.giftCatalog.addToCategory(
        app.sdkAppId,
        body.CategoryId,
        body.GiftIdList,
      );
      return { InvalidGiftIdList: invalidGiftIds, Response: { InvalidGiftIdList: invalidGiftIds } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_gift_category_relations`,
    ...CONFIG,
    body: RelationsBody,
    async run({ app, services }, body) {
      await services.giftCatalog.removeFromCategory(app.sdkAppId, body.CategoryId, body.GiftIdList);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_category_relations`,
    ...CONFIG,
    body: CategoryIdBody,
    async run({ app, services }, body) {
      const Relation = {
        CategoryId: body.CategoryId,
        GiftIdList: await services.giftCatalog.categoryGifts(app.sdkAppId, body.CategoryId),
      };
      return { Relation, Response: { Relation } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/set_gift_language`,
    ...CONFIG,
    body: SetGiftLanguageBody,
    async run({ app, services }, body) {
      await services.giftCatalog.setTranslation(app.sdkAppId, 'gift', body.GiftId, body.Language, {
        ...(body.Name !== undefined && { name: body.Name }),
        ...(body.Desc !== undefined && { description: body.Desc }),
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_language`,
    ...CONFIG,
    body: GiftLanguageBody,
    async run({ app, services }, body) {
      const translation = await services.giftCatalog.getTranslation(app.sdkAppId, 'gift', body.GiftId, body.Language);
      return {
        GiftInfo: { Name: translation.name, Desc: translation.description },
        Response: { Language: renderGiftLanguage(translation) },
      };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_gift_language`,
    ...CONFIG,
    body: GiftLanguageBody,
    async run({ app, services }, body) {
      await services.giftCatalog.deleteTranslation(app.sdkAppId, 'gift', body.GiftId, body.Language);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/set_gift_category_language`,
    ...CONFIG,
    fieldNames: { name: 'CategoryName', description: 'CategoryDesc' },
    body: SetCategoryLanguageBody,
    async run({ app, services }, body) {
      await services.giftCatalog.setTranslation(app.sdkAppId, 'category', body.CategoryId, body.Language, {
        ...(body.CategoryName !== undefined && { name: body.CategoryName }),
        ...(body.CategoryDesc !== undefined && { description: body.CategoryDesc }),
      });
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_category_language`,
    ...CONFIG,
    body: CategoryLanguageBody,
    async run({ app, services }, body) {
      const translation = await services.giftCatalog.getTranslation(
        app.sdkAppId,
        'category',
        body.CategoryId,
        body.Language,
      );
      return {
        CategoryInfo: { CategoryName: translation.name, CategoryDesc: translation.description },
        Response: { Language: renderCategoryLanguage(translation) },
      };
    },
  }),
  defineCommand({
    path: `${SERVICE}/del_gift_category_language`,
    ...CONFIG,
    body: CategoryLanguageBody,
    async run({ app, services }, body) {
      await services.giftCatalog.deleteTranslation(app.sdkAppId, 'category', body.CategoryId, body.Language);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/copy_default_gift_config`,
    rate: COPY_DEFAULTS_RATE,
    notAdminCode: CONFIG.notAdminCode,
    body: Type.Object({}),
    async run({ app, services }) {
      await services.giftCatalog.installDefaultCatalog(app.sdkAppId);
      return undefined;
    },
  }),
  defineCommand({
    path: `${SERVICE}/send_gift`,
    rate: perSecond(200),
    body: SendGiftBody,
    async run({ app, identifier, services }, body) {
      const totals = await services.giftSends.send(
        app.sdkAppId,
        {
          roomId: body.RoomId,
          giftId: body.GiftId,
          count: body.Count,
          senderId: body.From_Account,
          receiverIds: body.ReceiverList_Account ?? [],
        },
        identifier,
      );
      return { Response: { Sequence: totals.sequence } };
    },
  }),
  defineCommand({
    path: `${SERVICE}/get_gift_count`,
    rate: perSecond(200),
    body: GiftCountBody,
    async run({ app, services }, body) {
      const totals = await services.giftSends.totals(app.sdkAppId, body.RoomId, body.From_Account);
      return {
        Response: {
          Sequence: totals.sequence,
          TotalCount: totals.totalCount,
          TotalCoins: totals.totalCoins,
          GiftSenderCount: totals.senderCount,
        },
      };
    },
  }),
];
