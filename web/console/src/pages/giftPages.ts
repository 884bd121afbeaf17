/**
 * A gift's page and a category's page (from the Gifts page): edit the fields, set and delete its
 * languages, change which gifts are in which category, delete it. Every answer of the admin API
 * carries the whole gift or category, which the page shows again.
 */
import { del, describeError, get, patch, post, put } from '../api.js';
import { form } from '../components/form.js';
import { type Child, h, replaceChildren } from '../dom.js';
import { timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { categoryUrl, giftUrl, idList } from './gifts.js';
import {
  type Category,
  catalogLanguages,
  catalogPath,
  categoryFields,
  type Gift,
  giftBody,
  giftFields,
  type LanguageEntry,
} from './giftTypes.js';

const backToCatalog = (app: string) =>
  h('p', { class: 'back-link' }, h('a', { href: consoleUrl('/gifts', { app }) }, `← The gift catalog of app ${app}`));

export const giftPage: PageDefinition = {
  path: '/gifts/:app/gift/:giftId',
  title: 'Gift',
  async render({ params, signal, navigate }) {
    const { app, giftId } = params as { app: string; giftId: string };
    const path = catalogPath.gift(app, giftId);
    const [{ gift }, categories] = await Promise.all([
      get<{ gift: Gift }>(path, undefined, signal),
      get<{ items: Category[] }>(catalogPath.categories(app), { limit: 100 }, signal),
    ]);
    const facts = h('p', { class: 'muted' });
    const languages = h('section', { 'aria-labelledby': 'gift-languages' });
    const membership = h('section', { 'aria-labelledby': 'gift-categories' });
    const actionError = h('p', { class: 'form-error', role: 'alert' });

    const show = (current: Gift) => {
      replaceChildren(
        facts,
        'Added ',
        timeElement(current.createdAt),
        ', changed ',
        timeElement(current.updatedAt),
        '.',
      );
      replaceChildren(
        languages,
        h('h2', { id: 'gift-languages' }, 'Languages'),
        languageSection(`gift-lang`, path, current.languages, (answer) => show((answer as { gift: Gift }).gift)),
      );
      const outside = categories.items.filter((c) => !current.categoryIds.includes(c.categoryId));
      replaceChildren(
        membership,
        h('h2', { id: 'gift-categories' }, 'Categories'),
        current.categoryIds.length === 0
          ? h('p', { class: 'muted' }, 'In no category.')
          : h(
              'ul',
              { class: 'item-list' },
              current.categoryIds.map((categoryId) =>
                h(
                  'li',
                  null,
                  h('a', { href: categoryUrl(app, categoryId) }, h('code', null, categoryId)),
                  actionButton(`Take out of ${categoryId}`, 'Take out', actionError, async () => {
                    await del(`${catalogPath.category(app, categoryId)}/gifts/${encodeURIComponent(giftId)}`);
                    show((await get<{ gift: Gift }>(path)).gift);
                  }),
                ),
              ),
            ),
        outside.length > 0 &&
          addToCategory(outside, actionError, async (categoryId) => {
            await post(`${catalogPath.category(app, categoryId)}/gifts`, { giftIds: [giftId] });
            show((await get<{ gift: Gift }>(path)).gift);
          }),
      );
    };
    show(gift);

    const edit = form({
      id: 'gift-edit',
      label: `Edit gift ${giftId}`,
      submitLabel: 'Save changes',
      fields: giftFields(gift),
      async submit(values) {
        show((await patch<{ gift: Gift }>(path, giftBody(values))).gift);
        return 'Saved.';
      },
    });

    return h(
      'div',
      { class: 'gift-page' },
      backToCatalog(app),
      h('p', { class: 'lead' }, 'Gift ', h('code', null, giftId), ' of app ', app, '.'),
      facts,
      edit.element,
      languages,
      membership,
      actionError,
      h('h2', null, 'Delete'),
      actionButton(
        `Delete gift ${giftId}`,
        'Delete this gift',
        actionError,
        async () => {
          if (!window.confirm(`Delete gift ${giftId}? Its languages and category memberships go with it.`)) return;
          await del(path);
          navigate(consoleUrl('/gifts', { app }));
        },
        'danger',
      ),
    );
  },
};

export const categoryPage: PageDefinition = {
  path: '/gifts/:app/category/:categoryId',
  title: 'Gift category',
  async render({ params, signal, navigate }) {
    const { app, categoryId } = params as { app: string; categoryId: string };
    const path = catalogPath.category(app, categoryId);
    const { category } = await get<{ category: Category }>(path, undefined, signal);
    const languages = h('section', { 'aria-labelledby': 'category-languages' });
    const members = h('section', { 'aria-labelledby': 'category-gifts' });
    const actionError = h('p', { class: 'form-error', role: 'alert' });

    const show = (current: Category) => {
      replaceChildren(
        languages,
        h('h2', { id: 'category-languages' }, 'Languages'),
        languageSection('category-lang', path, current.languages, (answer) =>
          show((answer as { category: Category }).category),
        ),
      );
      replaceChildren(
        members,
        h('h2', { id: 'category-gifts' }, 'Gifts in this category'),
        h('p', { class: 'muted small' }, 'In the order get_gift_info_list gives them.'),
        current.giftIds.length === 0
          ? h('p', { class: 'muted' }, 'No gifts in it yet.')
          : h(
              'ol',
              { class: 'item-list' },
              current.giftIds.map((giftId, index) =>
                h(
                  'li',
                  { 'data-key': giftId },
                  h('a', { href: giftUrl(app, giftId) }, h('code', null, giftId)),
                  moveButton(giftId, index - 1, 'up', index === 0),
                  moveButton(giftId, index + 1, 'down', index === current.giftIds.length - 1),
                  actionButton(`Take ${giftId} out`, 'Take out', actionError, async () => {
                    show((await del<{ category: Category }>(`${path}/gifts/${encodeURIComponent(giftId)}`)).category);
                  }),
                ),
              ),
            ),
        addGifts.element,
      );
    };
    /** ↑ or ↓, disabled at the edge; the focus stays on the moved gift's buttons. */
    const moveButton = (giftId: string, position: number, direction: 'up' | 'down', atEdge: boolean) => {
      const button = actionButton(
        `Move ${giftId} ${direction}`,
        direction === 'up' ? '↑' : '↓',
        actionError,
        async () => {
          const moved = await put<{ category: Category }>(`${path}/gifts/${encodeURIComponent(giftId)}/position`, {
            position,
          });
          show(moved.category);
          const buttons = members.querySelectorAll<HTMLButtonElement>(`li[data-key="${CSS.escape(giftId)}"] button`);
          const same = direction === 'up' ? buttons[0] : buttons[1];
          (same && !same.disabled ? same : direction === 'up' ? buttons[1] : buttons[0])?.focus();
        },
      );
      button.disabled = atEdge;
      return button;
    };
    const addGifts = form({
      id: 'category-add-gifts',
      label: 'Add gifts to the category',
      submitLabel: 'Add',
      resetOnSuccess: true,
      fields: [
        {
          kind: 'text',
          name: 'giftIds',
          label: 'Gift ids to add',
          hint: 'Separated by commas or spaces; they go at the end, in this order.',
        },
      ],
      async submit(values) {
        const giftIds = values.giftIds!.split(/[\s,]+/).filter(Boolean);
        const answer = await post<{ category: Category; invalidGiftIds: string[] }>(`${path}/gifts`, { giftIds });
        show(answer.category);
        return answer.invalidGiftIds.length > 0
          ? `Added; not gifts of this app: ${answer.invalidGiftIds.join(', ')}.`
          : 'Added.';
      },
    });
    show(category);

    const edit = form({
      id: 'category-edit',
      label: `Edit category ${categoryId}`,
      submitLabel: 'Save changes',
      fields: categoryFields(category),
      async submit(values) {
        show(
          (
            await patch<{ category: Category }>(path, {
              defaultName: values.defaultName,
              defaultDesc: values.defaultDesc,
              extensionInfo: values.extensionInfo,
            })
          ).category,
        );
        return 'Saved.';
      },
    });

    return h(
      'div',
      { class: 'gift-page' },
      backToCatalog(app),
      h(
        'p',
        { class: 'lead' },
        'Category ',
        h('code', null, categoryId),
        ' of app ',
        app,
        '. Added ',
        timeElement(category.createdAt),
        '.',
      ),
      edit.element,
      languages,
      members,
      actionError,
      h('h2', null, 'Delete'),
      actionButton(
        `Delete category ${categoryId}`,
        'Delete this category',
        actionError,
        async () => {
          if (!window.confirm(`Delete category ${categoryId}? Its gifts stay.`)) return;
          await del(path);
          navigate(consoleUrl('/gifts', { app }));
        },
        'danger',
      ),
    );
  },
};

/** The languages set, each with a Remove button, and a form to set one (PUT …/languages/{language}). */
function languageSection(id: string, path: string, entries: LanguageEntry[], shown: (answer: unknown) => void): Child {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const setForm = form({
    id: `${id}-set`,
    label: 'Set a language',
    submitLabel: 'Set language',
    fields: [
      {
        kind: 'select',
        name: 'language',
        label: 'Language',
        options: catalogLanguages.map((language) => ({ value: language, label: language })),
      },
      { kind: 'text', name: 'name', label: 'Name in it' },
      { kind: 'text', name: 'description', label: 'Description in it' },
    ],
    async submit(values) {
      const body = {
        ...(values.name && { name: values.name }),
        ...(values.description && { description: values.description }),
      };
      shown(await put(`${path}/languages/${encodeURIComponent(values.language!)}`, body));
    },
  });
  return [
    entries.length === 0
      ? h('p', { class: 'muted' }, 'Only the default name and description.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'list compact' },
            h('caption', { class: 'visually-hidden' }, 'Languages set'),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Language', 'Name', 'Description', ''].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              null,
              entries.map((entry) =>
                h(
                  'tr',
                  { 'data-key': entry.language },
                  h('td', { 'data-label': 'Language' }, h('code', null, entry.language)),
                  h('td', { 'data-label': 'Name' }, entry.name),
                  h('td', { 'data-label': 'Description' }, entry.description),
                  h(
                    'td',
                    null,
                    actionButton(`Remove ${entry.language}`, 'Remove', error, async () => {
                      shown(await del(`${path}/languages/${encodeURIComponent(entry.language)}`));
                    }),
                  ),
                ),
              ),
            ),
          ),
        ),
    error,
    h('details', { class: 'add-box' }, h('summary', null, 'Set a language'), setForm.element),
  ];
}

function addToCategory(categories: Category[], error: HTMLElement, add: (categoryId: string) => Promise<void>): Node {
  const select = h(
    'select',
    { id: 'add-to-category', name: 'categoryId' },
    categories.map((c) => h('option', { value: c.categoryId }, `${c.categoryId} (${c.defaultName})`)),
  );
  return h(
    'div',
    { class: 'inline-action' },
    h('label', { for: 'add-to-category' }, 'Add to category'),
    select,
    actionButton('Add to the chosen category', 'Add', error, () => add(select.value)),
  );
}

/** A button that runs `action` once at a time, showing its failure in `error`. */
function actionButton(
  label: string,
  text: string,
  error: HTMLElement,
  action: () => Promise<void>,
  variant = '',
): HTMLButtonElement {
  const button = h('button', { type: 'button', class: `button ${variant}`, 'aria-label': label }, text);
  button.addEventListener('click', () => {
    if (button.disabled) return;
    button.disabled = true;
    error.textContent = '';
    action()
      .catch((failure) => {
        error.textContent = describeError(failure);
      })
      .finally(() => {
        if (button.isConnected) button.disabled = false;
      });
  });
  return button;
}
