/**
 * A small table of rows already in hand (a match's teams, payouts, transfers): the same look as
 * `listTable`, rows as cards on a phone, with no paging.
 */
import type { Column } from '../components/listTable.js';
import { h } from '../dom.js';
import { emptyState } from '../components/states.js';

export function staticTable<T>(
  caption: string,
  columns: Column<T>[],
  items: T[],
  options: { empty: string; key?: (item: T) => string },
): HTMLElement {
  if (items.length === 0) return emptyState(options.empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'list' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((column) => h('th', { scope: 'col', class: column.className }, column.header)),
        ),
      ),
      h(
        'tbody',
        null,
        items.map((item) =>
          h(
            'tr',
            options.key ? { 'data-key': options.key(item) } : null,
            columns.map((column) =>
              h('td', { 'data-label': column.header, class: column.className }, column.cell(item)),
            ),
          ),
        ),
      ),
    ),
  );
}
