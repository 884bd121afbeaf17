/**
 * A listing of the admin API as a table: the first page, then "Load more" following `nextCursor`,
 * with loading, empty and error states. On a narrow screen each row becomes a card (CSS: every
 * cell carries its column's name in `data-label`).
 */
import { type Page, isAbort } from '../api.js';
import { type Child, h, replaceChildren } from '../dom.js';
import { emptyState, errorState, loadingState } from './states.js';

export interface Column<T> {
  header: string;
  cell(item: T): Child;
  /** A class for the column's cells (`num` right-aligns numbers). */
  className?: string;
}

export interface ListTableOptions<T> {
  /** Names the table for screen readers. */
  caption: string;
  columns: Column<T>[];
  /** One page: the first with `cursor` null, then each `nextCursor` in turn. */
  load(cursor: string | null, signal: AbortSignal): Promise<Page<T>>;
  /** Shown when the first page is empty, e.g. "No audit entries match these filters." */
  empty: string;
  /** Aborted when the page is left. */
  signal: AbortSignal;
  /** A key per row, set as `data-key` (tests and live updates find rows by it). */
  key?(item: T): string;
}

export function listTable<T>(options: ListTableOptions<T>): HTMLElement {
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'list' },
    h('caption', { class: 'visually-hidden' }, options.caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        options.columns.map((column) => h('th', { scope: 'col', class: column.className }, column.header)),
      ),
    ),
    body,
  );
  const footer = h('div', { class: 'list-footer' });
  const root = h(
    'section',
    { class: 'list-table', 'aria-busy': 'true' },
    h('div', { class: 'table-wrap' }, table),
    footer,
  );
  let rows = 0;

  const loadPage = async (cursor: string | null) => {
    root.setAttribute('aria-busy', 'true');
    replaceChildren(footer, loadingState(cursor === null ? 'Loading…' : 'Loading more…'));
    try {
      const page = await options.load(cursor, options.signal);
      if (options.signal.aborted) return;
      for (const item of page.items) {
        const row = h(
          'tr',
          options.key ? { 'data-key': options.key(item) } : null,
          options.columns.map((column) =>
            h('td', { 'data-label': column.header, class: column.className }, column.cell(item)),
          ),
        );
        body.appendChild(row);
      }
      rows += page.items.length;
      table.hidden = rows === 0;
      const next = page.nextCursor;
      replaceChildren(
        footer,
        rows === 0 && emptyState(options.empty),
        next !== null &&
          h('button', { type: 'button', class: 'button', onclick: () => void loadPage(next) }, 'Load more'),
        rows > 0 && next === null && h('p', { class: 'muted list-end' }, `${rows} shown, no more.`),
      );
    } catch (error) {
      if (isAbort(error) || options.signal.aborted) return;
      replaceChildren(
        footer,
        errorState(error, () => void loadPage(cursor)),
      );
    } finally {
      root.setAttribute('aria-busy', 'false');
    }
  };
  table.hidden = true;
  void loadPage(null);
  return root;
}
