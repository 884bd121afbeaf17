/**
 * Gifts: an app's gift catalog (`/admin/v1/tencent/apps/{sdkAppId}/gifts`, `…/gift-categories`):
 * its gifts and categories with their languages, and forms to add either. Each gift and category
 * has its own page (giftPages.ts) to edit it, name it in languages, change which gifts are in
 * which category, and delete it. The admin routes apply the Tencent commands' rules and words.
 */
import { get, type Page, post } from '../api.js';
import { form } from '../components/form.js';
import { listTable } from '../components/listTable.js';
import { emptyState } from '../components/states.js';
import { h, replaceChildren } from '../dom.js';
import { timeElement } from '../format.js';
import { formatNumber } from '../money.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import {
  type Category,
  catalogCodeFields,
  catalogPath,
  categoryFields,
  type Gift,
  giftBody,
  giftFields,
  type LanguageEntry,
} from './giftTypes.js';
import { appPicker, chosenApp, tencentApps } from './tencentApps.js';

export const giftUrl = (app: string, giftId: string) => consoleUrl(`/gifts/${app}/gift/${encodeURIComponent(giftId)}`);
export const categoryUrl = (app: string, categoryId: string) =>
  consoleUrl(`/gifts/${app}/category/${encodeURIComponent(categoryId)}`);

export const giftsPage: PageDefinition = {
  path: '/gifts',
  title: 'Gifts',
  async render({ query, signal, navigate }) {
    const apps = await tencentApps(signal);
    const current = chosenApp(apps, query);
    if (!current) return emptyState('No Tencent app is configured: add one under tencent.apps in the config file.');
    const app = String(current.sdkAppId);
    const picker = appPicker(apps, current, (sdkAppId) => navigate(consoleUrl('/gifts', { app: sdkAppId })));
    if (!current.gifting.enabled) {
      return h(
        'div',
        null,
        picker,
        emptyState(`Gifting is switched off for app ${app} (gifting.enabled in the config).`),
      );
    }

    const giftList = h('div');
    const categoryList = h('div');
    const showGifts = () =>
      replaceChildren(
        giftList,
        listTable<Gift>({
          caption: `Gifts of app ${app}, newest first`,
          empty: 'No gifts yet: add one below.',
          signal,
          key: (gift) => gift.giftId,
          load: (cursor, signal) => get<Page<Gift>>(catalogPath.gifts(app), { cursor }, signal),
          columns: [
            {
              header: 'Gift',
              cell: (gift) => [
                h('a', { href: giftUrl(app, gift.giftId) }, h('code', null, gift.giftId)),
                h('div', null, gift.defaultName),
              ],
            },
            { header: 'Coins', className: 'num', cell: (gift) => formatNumber(gift.coins) },
            { header: 'Level', className: 'num', cell: (gift) => formatNumber(gift.level) },
            { header: 'Categories', cell: (gift) => idList(gift.categoryIds, (id) => categoryUrl(app, id)) },
            { header: 'Languages', cell: (gift) => languageList(gift.languages) },
            { header: 'Updated', cell: (gift) => timeElement(gift.updatedAt) },
          ],
        }),
      );
    const showCategories = () =>
      replaceChildren(
        categoryList,
        listTable<Category>({
          caption: `Gift categories of app ${app}, newest first`,
          empty: 'No categories yet.',
          signal,
          key: (category) => category.categoryId,
          load: (cursor, signal) => get<Page<Category>>(catalogPath.categories(app), { cursor }, signal),
          columns: [
            {
              header: 'Category',
              cell: (category) => [
                h('a', { href: categoryUrl(app, category.categoryId) }, h('code', null, category.categoryId)),
                h('div', null, category.defaultName),
              ],
            },
            { header: 'Gifts, in order', cell: (category) => idList(category.giftIds, (id) => giftUrl(app, id)) },
            { header: 'Languages', cell: (category) => languageList(category.languages) },
            { header: 'Added', cell: (category) => timeElement(category.createdAt) },
          ],
        }),
      );
    showGifts();
    showCategories();

    const newGift = form({
      id: 'gift-new',
      label: 'Add a gift',
      submitLabel: 'Add gift',
      resetOnSuccess: true,
      codeFields: catalogCodeFields,
      fields: [{ kind: 'text', name: 'giftId', label: 'Gift id', required: true }, ...giftFields()],
      async submit(values) {
        const { gift } = await post<{ gift: Gift }>(catalogPath.gifts(app), {
          giftId: values.giftId,
          ...withoutEmpty(giftBody(values)),
        });
        showGifts();
        return `Gift ${gift.giftId} added.`;
      },
    });
    const newCategory = form({
      id: 'category-new',
      label: 'Add a category',
      submitLabel: 'Add category',
      resetOnSuccess: true,
      codeFields: catalogCodeFields,
      fields: [{ kind: 'text', name: 'categoryId', label: 'Category id', required: true }, ...categoryFields()],
      async submit(values) {
        const { category } = await post<{ category: Category }>(catalogPath.categories(app), {
          categoryId: values.categoryId,
          ...withoutEmpty({
            defaultName: values.defaultName,
            defaultDesc: values.defaultDesc,
            extensionInfo: values.extensionInfo,
          }),
        });
        showCategories();
        return `Category ${category.categoryId} added.`;
      },
    });

    return h(
      'div',
      { class: 'gifts-page' },
      h(
        'p',
        { class: 'lead' },
        'The gift catalog the app reads with get_gift_info_list. Changes here follow the same rules as the Tencent gift commands.',
      ),
      picker,
      h('h2', null, 'Gifts'),
      giftList,
      h('details', { class: 'add-box', open: query.has('add') }, h('summary', null, 'Add a gift'), newGift.element),
      h('h2', null, 'Categories'),
      categoryList,
      h('details', { class: 'add-box' }, h('summary', null, 'Add a category'), newCategory.element),
    );
  },
};

/** Ids as links, or "none". */
export function idList(ids: string[], url: (id: string) => string): Node {
  if (ids.length === 0) return h('span', { class: 'muted' }, 'none');
  return h(
    'span',
    { class: 'id-list' },
    ids.map((id) => h('a', { href: url(id) }, h('code', null, id))),
  );
}

function languageList(languages: LanguageEntry[]): Node {
  if (languages.length === 0) return h('span', { class: 'muted' }, 'default only');
  return h(
    'span',
    { class: 'id-list' },
    languages.map((entry) => h('span', { class: 'badge', title: entry.name }, entry.language)),
  );
}

/** The body without its empty texts and missing numbers (the API's defaults apply). */
function withoutEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== '' && value !== undefined));
}
