/**
 * Matches & ledger, third tab (`/ledger/transfers`): every ledger transfer, newest first,
 * filtered by account, kind and time; and an account's page (`/ledger/accounts/:accountId`):
 * its balance, its transfers signed from its side, and for a user's account the deposit and
 * withdrawal forms.
 */
import { ApiError, get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { h, replaceChildren } from '../dom.js';
import { adminEvents } from '../events.js';
import { formatMoney, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { accountKindLabels } from './ledger.js';
import { fact } from './match.js';
import { type AccountView, type TransferView, transferKindLabels } from './matchTypes.js';
import { sectionTabs } from './matchesLedgerTabs.js';
import { movementForm } from './movementForm.js';
import { accountUrl, transferColumns } from './transferColumns.js';

const kindField: FilterField = {
  kind: 'select',
  name: 'kind',
  label: 'Kind',
  options: [
    { value: '', label: 'Any' },
    ...Object.entries(transferKindLabels).map(([value, label]) => ({ value, label })),
  ],
};
const timeFields: FilterField[] = [
  { kind: 'time', name: 'from', label: 'From' },
  { kind: 'time', name: 'to', label: 'Before' },
];

function transferList(
  accountId: string | undefined,
  filters: Record<string, string>,
  query: URLSearchParams,
  signal: AbortSignal,
): HTMLElement {
  return listTable<TransferView>({
    caption: accountId ? `Transfers of ${accountId}, newest first` : 'Ledger transfers, newest first',
    empty: Object.keys(filters).length > 0 ? 'No transfers match these filters.' : 'No transfers yet.',
    signal,
    key: (t) => String(t.id),
    load: (cursor, signal) =>
      get<Page<TransferView>>(
        '/ledger/transfers',
        { ...filters, ...(accountId && { accountId }), limit: query.get('limit'), cursor },
        signal,
      ),
    columns: transferColumns({ signed: accountId !== undefined }),
  });
}

export const transfersPage: PageDefinition = {
  path: '/ledger/transfers',
  section: '/matches',
  title: 'Matches & ledger',
  render({ query, signal, navigate }) {
    const fields: FilterField[] = [
      { kind: 'text', name: 'accountId', label: 'Account', placeholder: 'user:USD:alice' },
      kindField,
      ...timeFields,
    ];
    const filters = filterValues(fields, query);
    return h(
      'div',
      null,
      sectionTabs('transfers'),
      h(
        'p',
        { class: 'lead' },
        'Every movement of money: deposits and withdrawals, entry fees into a match escrow, prizes, refunds and platform fees.',
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/ledger/transfers', values))),
      transferList(undefined, filters, query, signal),
    );
  },
};

/** `user:USD:alice` → its parts (the owner may itself hold `:`). */
function parseAccountId(accountId: string): { kind: string; currency: string; ownerId: string } {
  const [kind = '', currency = '', ...owner] = accountId.split(':');
  return { kind, currency, ownerId: owner.join(':') };
}

async function findAccount(accountId: string, signal: AbortSignal): Promise<AccountView | undefined> {
  const { kind, currency, ownerId } = parseAccountId(accountId);
  if (!(kind in accountKindLabels) || currency === '') return undefined;
  try {
    const page = await get<Page<AccountView>>(
      '/ledger/accounts',
      { kind, currency, ownerId: ownerId || undefined, limit: 100 },
      signal,
    );
    return page.items.find((account) => account.accountId === accountId);
  } catch (error) {
    // A malformed id (a currency the ledger cannot hold): no such account.
    if (error instanceof ApiError && error.status === 400) return undefined;
    throw error;
  }
}

export const accountPage: PageDefinition = {
  path: '/ledger/accounts/:accountId',
  section: '/matches',
  title: 'Ledger account',
  async render({ params, query, signal, navigate }) {
    const accountId = params.accountId!;
    const { kind, currency, ownerId } = parseAccountId(accountId);
    const fields: FilterField[] = [kindField, ...timeFields];
    const filters = filterValues(fields, query);
    const account = await findAccount(accountId, signal);
    const balance = h('strong', { class: 'balance', 'data-balance': account?.balance ?? 0 });
    const setBalance = (minor: number) => {
      balance.textContent = formatMoney(minor, currency);
      balance.dataset.balance = String(minor);
    };
    if (account) setBalance(account.balance);

    const list = h('div');
    const showList = () => replaceChildren(list, transferList(accountId, filters, query, signal));
    if (account)
      followAccount(accountId, signal, (current) => {
        setBalance(current.balance);
        showList();
      });
    const isUser = kind === 'user';
    return h(
      'div',
      null,
      sectionTabs('accounts'),
      h('p', { class: 'back' }, h('a', { href: consoleUrl('/ledger') }, '← All accounts')),
      h(
        'section',
        { class: 'panel account-summary', 'aria-label': 'Account' },
        h('div', { class: 'match-title' }, h('code', { class: 'match-id' }, accountId)),
        account
          ? h(
              'dl',
              { class: 'facts' },
              fact('Balance', balance),
              fact('Kind', accountKindLabels[account.kind]),
              account.ownerId !== '' &&
                fact(
                  account.kind === 'escrow' ? 'Match' : 'Owner',
                  account.kind === 'escrow'
                    ? h('a', { href: consoleUrl(`/matches/${encodeURIComponent(account.ownerId)}`) }, account.ownerId)
                    : account.ownerId,
                ),
              fact('Currency', account.currency),
              fact('Opened', timeElement(account.createdAt)),
            )
          : h(
              'p',
              { class: 'state state-empty' },
              isUser
                ? `No ${currency} account for ${ownerId} yet: a deposit opens it.`
                : 'There is no such account in the ledger.',
            ),
      ),
      isUser && [
        h('h2', null, 'Move money'),
        h(
          'div',
          { class: 'movements' },
          (['deposit', 'withdrawal'] as const).map((movement) =>
            movementForm({
              kind: movement,
              userId: ownerId,
              currency,
              moved: (transfer) => {
                if (!account) return navigate(accountUrl(accountId), { replace: true });
                if (transfer.balanceAfter !== null) setBalance(transfer.balanceAfter);
                showList();
              },
            }),
          ),
        ),
      ],
      account && [
        h('h2', null, 'Transfers'),
        filterForm(fields, query, (values) =>
          navigate(consoleUrl(`/ledger/accounts/${encodeURIComponent(accountId)}`, values)),
        ),
        (showList(), list),
      ],
    );
  },
};

/**
 * Calls `changed` with the account read again after a transfer of it is reported on the event
 * stream (a movement by another operator, a match settling), or after the stream was down.
 */
function followAccount(accountId: string, signal: AbortSignal, changed: (account: AccountView) => void): void {
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    const current = await findAccount(accountId, signal).catch(() => undefined);
    if (current && !signal.aborted) changed(current);
  };
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => void refresh(), 150);
  };
  const off = adminEvents.on('ledger.transfer', (event) => {
    const transfer = event.transfer as TransferView | undefined;
    if (transfer && (transfer.from === accountId || transfer.to === accountId)) soon();
  });
  const offReconnect = adminEvents.onReconnect(soon);
  signal.addEventListener('abort', () => {
    off();
    offReconnect();
    clearTimeout(pending);
  });
}
