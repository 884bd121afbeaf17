/**
 * Matches & ledger, first tab: OkLetsPlay matches (`GET /admin/v1/oklp/matches`), newest first,
 * filtered by client, status, mode and creation time; each links to its detail page.
 */
import { get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { h } from '../dom.js';
import { formatMoney, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { type MatchView, outcomeText, statusLabels } from './matchTypes.js';
import { sectionTabs, shortId } from './matchesLedgerTabs.js';

const statusField: FilterField = {
  kind: 'select',
  name: 'status',
  label: 'Status',
  options: [
    { value: '', label: 'Any' },
    { value: 'live', label: 'Live' },
    { value: 'settled', label: 'Settled' },
    { value: 'aborted', label: 'Aborted' },
  ],
};
const modeField: FilterField = {
  kind: 'select',
  name: 'mode',
  label: 'Mode',
  options: [
    { value: '', label: 'Any' },
    { value: 'sync', label: 'Synchronous' },
    { value: 'async', label: 'Asynchronous' },
  ],
};

/** The client filter: a choice of the configured clients, or a text field when they cannot be read. */
async function clientField(signal: AbortSignal): Promise<FilterField> {
  try {
    const clients = await get<Page<{ clientId: string }>>('/oklp/clients', { limit: 200 }, signal);
    return {
      kind: 'select',
      name: 'clientId',
      label: 'Client',
      options: [
        { value: '', label: 'Any' },
        ...clients.items.map((client) => ({ value: client.clientId, label: client.clientId })),
      ],
    };
  } catch {
    return { kind: 'text', name: 'clientId', label: 'Client', placeholder: 'client id' };
  }
}

export const matchesPage: PageDefinition = {
  path: '/matches',
  title: 'Matches & ledger',
  async render({ query, signal, navigate }) {
    const fields: FilterField[] = [
      await clientField(signal),
      statusField,
      modeField,
      { kind: 'time', name: 'from', label: 'Created from' },
      { kind: 'time', name: 'to', label: 'Created before' },
    ];
    const filters = filterValues(fields, query);
    return h(
      'div',
      null,
      sectionTabs('matches'),
      h(
        'p',
        { class: 'lead' },
        'OkLetsPlay matches: who plays, the entry fee held in escrow, and how each was settled. Open a match for its results, payouts and transfers.',
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/matches', values))),
      listTable<MatchView>({
        caption: 'Matches, newest first',
        empty: Object.keys(filters).length > 0 ? 'No matches match these filters.' : 'No matches yet.',
        signal,
        key: (match) => match.matchId,
        load: (cursor, signal) =>
          get<Page<MatchView>>('/oklp/matches', { ...filters, limit: query.get('limit'), cursor }, signal),
        columns: [
          { header: 'Created', cell: (match) => timeElement(match.createdAt) },
          {
            header: 'Match',
            cell: (match) =>
              h(
                'a',
                { href: consoleUrl(`/matches/${encodeURIComponent(match.matchId)}`), title: match.matchId },
                h('code', null, shortId(match.matchId, 8)),
              ),
          },
          { header: 'Client', className: 'nowrap', cell: (match) => match.clientId },
          { header: 'Mode', cell: (match) => (match.mode === 'sync' ? 'Sync' : 'Async') },
          {
            header: 'Teams',
            cell: (match) =>
              match.teams.map((team, i) => [
                i > 0 && h('span', { class: 'muted' }, ' vs '),
                h(
                  'span',
                  {
                    class: team.forfeited ? 'team-name forfeited' : 'team-name',
                    title: team.participants.map((p) => p.id).join(', '),
                  },
                  `${team.id} (${team.participants.length})`,
                ),
              ]),
          },
          {
            header: 'Entry fee',
            className: 'num nowrap',
            cell: (match) => formatMoney(match.entryFee, match.currency),
          },
          { header: 'Status', cell: (match) => statusBadge(match) },
          {
            header: 'Outcome',
            className: 'nowrap',
            cell: (match) => {
              const text = outcomeText(match);
              return text === null ? h('span', { class: 'muted' }, 'not decided') : text;
            },
          },
        ],
      }),
    );
  },
};

export function statusBadge(match: MatchView): HTMLElement {
  const kind = match.status === 'live' ? 'badge-live' : match.status === 'settled' ? 'badge-ok' : 'badge-error';
  return h('span', { class: `badge ${kind}` }, statusLabels[match.status]);
}
