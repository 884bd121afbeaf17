/** A gift of an app's catalog, in Ringside's own words. */
export interface Gift {
  giftId: string;
  iconUrl: string;
  resourceUrl: string;
  /** Price in the app's virtual currency. */
  coins: number;
  level: number;
  /** A JSON text, or empty. */
  extensionInfo: string;
  defaultName: string;
  defaultDesc: string;
  createdAt: number;
  updatedAt: number;
}

export type GiftFields = Omit<Gift, 'giftId' | 'createdAt' | 'updatedAt'>;

/** A gift as added: coins and a default name; the rest may be left out (empty text, level 0). */
export type NewGift = Pick<GiftFields, 'coins' | 'defaultName'> & Partial<GiftFields>;

export interface GiftCategory {
  categoryId: string;
  extensionInfo: string;
  defaultName: string;
  defaultDesc: string;
  createdAt: number;
}

export type CategoryFields = Omit<GiftCategory, 'categoryId' | 'createdAt'>;

/** A category as added: a default name; the rest may be left out (empty text). */
export type NewCategory = Pick<CategoryFields, 'defaultName'> & Partial<CategoryFields>;

export const languages = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type Language = (typeof languages)[number];

export interface Translation {
  language: Language;
  name: string;
  description: string;
}

/** Gift or category translations kept apart by kind. */
export type TranslatedKind = 'gift' | 'category';

/** A gift or a category with its translations. */
export interface CatalogEntry<T> {
  item: T;
  translations: Translation[];
}

/** An app's whole catalog: its gifts, and its categories with the ids of their gifts. */
export interface GiftCatalog {
  gifts: Array<CatalogEntry<Gift>>;
  categories: Array<CatalogEntry<GiftCategory> & { giftIds: string[] }>;
}

/** A gift with its languages and the categories it is in. */
export type CatalogGift = CatalogEntry<Gift> & { categoryIds: string[] };
/** A category with its languages and its gifts, in the order they were added. */
export type CatalogCategory = CatalogEntry<GiftCategory> & { giftIds: string[] };

/** A gift sent into a room. */
export interface GiftSend {
  roomId: string;
  giftId: string;
  count: number;
  senderId: string;
  receiverIds: string[];
}

export interface GiftTotals {
  /** Sends into the room so far. */
  sequence: number;
  totalCount: number;
  totalCoins: number;
  senderCount: number;
}

/** One sender's gifts into a room since the room was created. */
export interface SenderTotals {
  senderId: string;
  totalCount: number;
  totalCoins: number;
}

export const giftLimits = {
  idBytes: 20,
  urlBytes: 200,
  nameBytes: 20,
  descBytes: 20,
  categoryDescBytes: 60,
  extensionInfoBytes: 100,
  maxCoins: 1_000_000_000,
  maxCount: 99_999,
  maxReceivers: 100,
};

/** What a send into a room is checked against: the room's switch and the gift's value. */
export interface SendTarget {
  /** Undefined when there is no such room. */
  roomGiftsEnabled: boolean | undefined;
  /** Undefined when there is no such gift. */
  coins: number | undefined;
}
