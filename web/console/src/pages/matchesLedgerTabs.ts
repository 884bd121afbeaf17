/**
 * The tabs above every page of "Matches & ledger" (matches, a match, accounts, an account,
 * transfers): where the operator is within the section, and a way to the other parts.
 */
import { h } from '../dom.js';
import { consoleUrl } from '../router.js';

export type SectionTab = 'matches' | 'accounts' | 'transfers';

const tabs: Array<{ tab: SectionTab; path: string; label: string }> = [
  { tab: 'matches', path: '/matches', label: 'Matches' },
  { tab: 'accounts', path: '/ledger', label: 'Accounts & balances' },
  { tab: 'transfers', path: '/ledger/transfers', label: 'Transfers' },
];

export function sectionTabs(current: SectionTab): HTMLElement {
  // Not a <nav>: the shell's navigation is the page's one navigation landmark.
  return h(
    'div',
    { class: 'section-tabs' },
    tabs.map(({ tab, path, label }) =>
      h('a', { href: consoleUrl(path), 'aria-current': tab === current ? 'page' : null }, label),
    ),
  );
}

/** A match or account id cut for a table cell (the whole id in the title and the link). */
export function shortId(id: string, keep = 10): string {
  return id.length > keep + 1 ? `${id.slice(0, keep)}…` : id;
}
