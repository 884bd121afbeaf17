/**
 * Matches & ledger, second tab (`/ledger`): the totals per currency (`GET /ledger/summary`), the
 * deposit and withdrawal forms, and every account with its balance (`GET /ledger/accounts`),
 * filtered by kind, currency and owner; each account links to its transfers.
 */
import { get, isAbort, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { errorState, loadingState } from '../components/states.js';
import { h, replaceChildren } from '../dom.js';
import { formatMoney, formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import type { AccountView } from './matchTypes.js';
import { sectionTabs } from './matchesLedgerTabs.js';
import { movementForm } from './movementForm.js';
import { staticTable } from '../components/staticTable.js';
import { accountLink } from './transferColumns.js';

interface Summary {
  currencies: Array<{
    currency: string;
    users: number;
    escrow: number;
    fees: number;
    external: number;
    deposited: number;
    withdrawn: number;
  }>;
  negativeAccounts: number;
}

const fields: FilterField[] = [
  {
    kind: 'select',
    name: 'kind',
    label: 'Kind',
    options: [
      { value: '', label: 'Any' },
      { value: 'user', label: 'User' },
      { value: 'escrow', label: 'Match escrow' },
      { value: 'fee', label: 'Platform fees' },
      { value: 'external', label: 'Outside (deposits/withdrawals)' },
    ],
  },
  { kind: 'text', name: 'currency', label: 'Currency', placeholder: 'USD' },
  { kind: 'text', name: 'ownerId', label: 'Owner', placeholder: 'user or match id' },
];

export const accountKindLabels: Record<AccountView['kind'], string> = {
  user: 'User',
  escrow: 'Match escrow',
  fee: 'Platform fees',
  external: 'Outside',
};

export const ledgerPage: PageDefinition = {
  path: '/ledger',
  section: '/matches',
  title: 'Matches & ledger',
  render({ query, signal, navigate }) {
    const filters = filterValues(fields, query);
    const summary = h('section', { class: 'ledger-summary', 'aria-label': 'Totals per currency' });
    const accounts = h('div');
    const showAccounts = () =>
      replaceChildren(
        accounts,
        listTable<AccountView>({
          caption: 'Ledger accounts, newest first',
          empty:
            Object.keys(filters).length > 0 ? 'No accounts match these filters.' : 'No accounts yet: make a deposit.',
          signal,
          key: (account) => account.accountId,
          load: (cursor, signal) =>
            get<Page<AccountView>>('/ledger/accounts', { ...filters, limit: query.get('limit'), cursor }, signal),
          columns: [
            { header: 'Account', cell: (account) => accountLink(account.accountId) },
            { header: 'Kind', cell: (account) => accountKindLabels[account.kind] },
            { header: 'Currency', cell: (account) => account.currency },
            {
              header: 'Balance',
              className: 'num',
              cell: (account) => h('span', { class: 'balance' }, formatMoney(account.balance, account.currency)),
            },
            { header: 'Opened', cell: (account) => timeElement(account.createdAt) },
          ],
        }),
      );
    const loadSummary = async () => {
      replaceChildren(summary, loadingState('Loading the totals…'));
      try {
        const totals = await get<Summary>('/ledger/summary', undefined, signal);
        if (!signal.aborted) replaceChildren(summary, summaryView(totals));
      } catch (error) {
        if (!isAbort(error) && !signal.aborted)
          replaceChildren(
            summary,
            errorState(error, () => void loadSummary()),
          );
      }
    };
    const moved = () => {
      void loadSummary();
      showAccounts();
    };
    void loadSummary();
    showAccounts();
    return h(
      'div',
      null,
      sectionTabs('accounts'),
      h(
        'p',
        { class: 'lead' },
        "The ledger in integer minor units: users' balances, money held in match escrows, the platform's fees, and the outside (deposits and withdrawals). Every movement is a transfer between two accounts.",
      ),
      summary,
      h('h2', null, 'Move money'),
      h(
        'div',
        { class: 'movements' },
        movementForm({ kind: 'deposit', moved }),
        movementForm({ kind: 'withdrawal', moved }),
      ),
      h('h2', null, 'Accounts'),
      filterForm(fields, query, (values) => navigate(consoleUrl('/ledger', values))),
      accounts,
    );
  },
};

function summaryView(summary: Summary): Node {
  return h(
    'div',
    null,
    staticTable(
      'Totals per currency',
      [
        { header: 'Currency', cell: (c) => h('strong', null, c.currency) },
        { header: 'Users hold', className: 'num', cell: (c) => formatMoney(c.users, c.currency) },
        { header: 'In escrow', className: 'num', cell: (c) => formatMoney(c.escrow, c.currency) },
        { header: 'Fees', className: 'num', cell: (c) => formatMoney(c.fees, c.currency) },
        { header: 'Deposited', className: 'num', cell: (c) => formatMoney(c.deposited, c.currency) },
        { header: 'Withdrawn', className: 'num', cell: (c) => formatMoney(c.withdrawn, c.currency) },
      ],
      summary.currencies,
      { empty: 'No money in the ledger yet.', key: (c) => c.currency },
    ),
    summary.negativeAccounts > 0 &&
      h(
        'p',
        { class: 'state state-error', role: 'alert' },
        `${formatNumber(summary.negativeAccounts)} accounts have a negative balance: the ledger is out of balance.`,
      ),
  );
}
