/**
 * The gift catalog as the admin API renders it (docs/admin.md, "Gifts"), the routes' paths, and
 * the form fields shared by the Gifts pages.
 */
import type { FormField } from '../components/form.js';

/** The languages a gift or category may be named in (the Tencent commands' `Language`). */
export const catalogLanguages = ['en', 'zh-Hans', 'zh-Hant'] as const;

export interface LanguageEntry {
  language: string;
  name: string;
  description: string;
}

export interface Gift {
  giftId: string;
  coins: number;
  level: number;
  iconUrl: string;
  resourceUrl: string;
  extensionInfo: string;
  defaultName: string;
  defaultDesc: string;
  languages: LanguageEntry[];
  categoryIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface Category {
  categoryId: string;
  extensionInfo: string;
  defaultName: string;
  defaultDesc: string;
  languages: LanguageEntry[];
  giftIds: string[];
  createdAt: number;
}

/** Admin API paths of an app's catalog. */
export const catalogPath = {
  gifts: (app: string) => `/tencent/apps/${app}/gifts`,
  gift: (app: string, giftId: string) => `/tencent/apps/${app}/gifts/${encodeURIComponent(giftId)}`,
  categories: (app: string) => `/tencent/apps/${app}/gift-categories`,
  category: (app: string, categoryId: string) =>
    `/tencent/apps/${app}/gift-categories/${encodeURIComponent(categoryId)}`,
};

/** Refusals about one field whatever their message says. */
export const catalogCodeFields = { gift_exists: 'giftId', category_exists: 'categoryId' };

/** The gift's own fields (not its id), filled with `gift`'s values when editing. */
export function giftFields(gift?: Gift): FormField[] {
  return [
    { kind: 'text', name: 'defaultName', label: 'Name', value: gift?.defaultName, required: true },
    {
      kind: 'number',
      name: 'coins',
      label: 'Price (coins)',
      value: gift?.coins,
      min: 0,
      required: true,
    },
    { kind: 'number', name: 'level', label: 'Level', value: gift?.level ?? 0, min: 0 },
    { kind: 'text', name: 'defaultDesc', label: 'Description', value: gift?.defaultDesc },
    { kind: 'url', name: 'iconUrl', label: 'Icon URL', value: gift?.iconUrl },
    { kind: 'url', name: 'resourceUrl', label: 'Animation URL', value: gift?.resourceUrl },
    {
      kind: 'textarea',
      name: 'extensionInfo',
      label: 'Extension info',
      value: gift?.extensionInfo,
      hint: 'A JSON text for the app, or empty.',
    },
  ];
}

export function categoryFields(category?: Category): FormField[] {
  return [
    { kind: 'text', name: 'defaultName', label: 'Name', value: category?.defaultName, required: true },
    { kind: 'text', name: 'defaultDesc', label: 'Description', value: category?.defaultDesc },
    { kind: 'textarea', name: 'extensionInfo', label: 'Extension info', value: category?.extensionInfo },
  ];
}

/**
 * A form's number text as the request wants it: left out when empty (the API then says the
 * field is required, or keeps its value), otherwise the number, which the API checks.
 */
export function numberOrNothing(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  return Number(text);
}

/** The gift's fields of a form as a request body. */
export function giftBody(values: Record<string, string>): Record<string, unknown> {
  return {
    defaultName: values.defaultName,
    coins: numberOrNothing(values.coins),
    level: numberOrNothing(values.level),
    defaultDesc: values.defaultDesc,
    iconUrl: values.iconUrl,
    resourceUrl: values.resourceUrl,
    extensionInfo: values.extensionInfo,
  };
}
