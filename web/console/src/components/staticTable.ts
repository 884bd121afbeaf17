/**
 * A small table of rows already in hand (a match's teams, payouts, transfers): the same look as
 * `listTable`, rows as cards on a phone, with no paging.
 */
import type { Column } from './listTable.js';
import { h } from '../dom.js';
import { emptyState } from './states.js';

export function staticTable<T>(
  caption: string,
  columns: Column<T>[],
  items: T[],
  options: {
    empty: string;
    key?: (item: T) => string;
    /** Classes for the table besides `list`. */
    className?: string;
    /** Data attributes of an item's row (`data-outcome`, …), for styling and tests. */
    rowData?: (item: T) => Record<string, string>;
  },
): HTMLElement {
  if (items.length === 0) return emptyState(options.empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: options.className ? `list ${options.className}` : 'list' },
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
            { ...(options.key && { 'data-key': options.key(item) }), ...options.rowData?.(item) },
            columns.map((column) =>
              h('td', { 'data-label': column.header, class: column.className }, column.cell(item)),
            ),
          ),
        ),
      ),
    ),
  );
}
