/** The columns of a ledger transfer, shared by a match's transfers, an account's and the full listing. */
import type { Column } from '../components/listTable.js';
import { h } from '../dom.js';
import { formatMoney, timeElement } from '../format.js';
import { consoleUrl } from '../router.js';
import { type TransferView, transferKindLabels } from './matchTypes.js';
import { shortId } from './matchesLedgerTabs.js';

export function accountUrl(accountId: string): string {
  return consoleUrl(`/ledger/accounts/${encodeURIComponent(accountId)}`);
}

/** An account id as a link to its page: `user:USD:alice` reads "alice (user)". */
export function accountLink(accountId: string): HTMLElement {
  const [kind = '', , ...owner] = accountId.split(':');
  const ownerId = owner.join(':');
  const label = kind === 'user' ? ownerId : kind === 'escrow' ? `escrow ${shortId(ownerId, 8)}` : kind;
  return h('a', { href: accountUrl(accountId), title: accountId, class: `account account-${kind}` }, label);
}

/** A signed change of a balance: `+$12.50` or `−$5.00`. */
export function signedMoney(change: number, currency: string): HTMLElement {
  const text = change < 0 ? `−${formatMoney(-change, currency)}` : `+${formatMoney(change, currency)}`;
  return h('span', { class: change < 0 ? 'money-out' : 'money-in' }, text);
}

/** `signed`: the listing is one account's, and each transfer carries its `change` to that balance. */
export function transferColumns(options: { signed?: boolean; match?: boolean } = {}): Column<TransferView>[] {
  const columns: Column<TransferView>[] = [
    { header: 'Time', cell: (t) => timeElement(t.createdAt) },
    { header: 'Transfer', cell: (t) => h('span', { title: `idempotency key: ${t.idempotencyKey}` }, `#${t.id}`) },
    { header: 'Kind', cell: (t) => h('span', { class: `kind kind-${t.kind}` }, transferKindLabels[t.kind]) },
    {
      header: 'From → to',
      cell: (t) => [accountLink(t.from), h('span', { class: 'muted', 'aria-label': 'to' }, ' → '), accountLink(t.to)],
    },
    {
      header: options.signed ? 'Change' : 'Amount',
      className: 'num',
      cell: (t) =>
        options.signed && t.change !== undefined
          ? signedMoney(t.change, t.currency)
          : formatMoney(t.amount, t.currency),
    },
    {
      header: 'Balance after',
      className: 'num',
      cell: (t) =>
        t.balanceAfter === null ? h('span', { class: 'muted' }, '—') : formatMoney(t.balanceAfter, t.currency),
    },
  ];
  if (options.match !== false) {
    columns.push({
      header: 'Match',
      cell: (t) =>
        t.matchId === null
          ? h('span', { class: 'muted' }, '—')
          : h(
              'a',
              { href: consoleUrl(`/matches/${encodeURIComponent(t.matchId)}`), title: t.matchId },
              h('code', null, shortId(t.matchId, 8)),
            ),
    });
  }
  return columns;
}
