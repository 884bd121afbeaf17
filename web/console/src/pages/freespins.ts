/**
 * Free spins: a JDB agent's free-spin events (`GET /jdb/agents/{parent}/events`), filtered by
 * status, game and creation time; each links to its own page. A player's grants and spins are
 * a lookup away.
 */
import { get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { emptyState } from '../components/states.js';
import { h } from '../dom.js';
import { formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import {
  eventStatusBadge,
  eventStatusOptions,
  eventUrl,
  type FreeSpinEvent,
  jdbMoney,
  loadTenants,
  playerUrl,
} from './freespinViews.js';

export const freeSpinsPage: PageDefinition = {
  path: '/freespins',
  title: 'Free spins',
  async render({ query, signal, navigate }) {
    const { agents, games } = await loadTenants(signal);
    if (agents.length === 0) {
      return emptyState('No JDB agent is configured (jdb.agents in the config file), so there are no free spins.');
    }
    const parent = agents.some((agent) => agent.parent === query.get('agent'))
      ? query.get('agent')!
      : agents[0]!.parent;
    const gameNames = new Map(games.map((game) => [game.mType, game.name]));
    const fields: FilterField[] = [
      {
        kind: 'select',
        name: 'agent',
        label: 'Agent',
        options: agents.map((agent) => ({ value: agent.parent, label: `${agent.parent} (${agent.currency})` })),
      },
      {
        kind: 'select',
        name: 'status',
        label: 'Status',
        options: [{ value: '', label: 'Any' }, ...eventStatusOptions],
      },
      {
        kind: 'select',
        name: 'mType',
        label: 'Game',
        options: [
          { value: '', label: 'Any' },
          ...games.map((game) => ({ value: String(game.mType), label: `${game.name} (${game.mType})` })),
        ],
      },
      { kind: 'time', name: 'from', label: 'Created from' },
      { kind: 'time', name: 'to', label: 'Created before' },
    ];
    const { agent: _agent, ...filters } = filterValues(fields, query);
    const base = `/jdb/agents/${encodeURIComponent(parent)}`;
    return h(
      'div',
      { class: 'page-fs' },
      h(
        'p',
        { class: 'lead' },
        'Free-spin events of a JDB agent (made by Action 72), newest first. Open one for its players, spins, cashouts and payouts, or to terminate it.',
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/freespins', values))),
      playerLookup(parent, navigate),
      listTable<FreeSpinEvent>({
        caption: `Free-spin events of agent ${parent}, newest first`,
        empty:
          Object.keys(filters).length > 0
            ? 'No free-spin events match these filters.'
            : `Agent ${parent} has no free-spin events yet.`,
        signal,
        key: (event) => event.eventId,
        load: (cursor, signal) =>
          get<Page<FreeSpinEvent>>(`${base}/events`, { ...filters, limit: query.get('limit'), cursor }, signal),
        columns: [
          {
            header: 'Event',
            cell: (event) => [
              h('a', { href: eventUrl(parent, event.eventId) }, event.name),
              h('div', { class: 'muted small' }, h('code', null, event.eventId)),
            ],
          },
          { header: 'Status', cell: (event) => eventStatusBadge(event.status) },
          {
            header: 'Spins',
            cell: (event) => [
              `${formatNumber(event.times)} × ${jdbMoney(event.bet, event.currency)}`,
              h('div', { class: 'muted small' }, event.type === 'feature' ? 'Feature Buy' : 'Normal spins'),
            ],
          },
          {
            header: 'Games',
            cell: (event) => event.games.map((game) => gameNames.get(game.mType) ?? String(game.mType)).join(', '),
          },
          {
            header: 'Runs',
            cell: (event) => [
              timeElement(event.startAt),
              h('div', { class: 'muted small' }, 'to ', timeElement(event.endAt)),
            ],
          },
          { header: 'Created', cell: (event) => timeElement(event.createdAt) },
        ],
      }),
    );
  },
};

/** "Open a player": their grants and spin history. */
function playerLookup(parent: string, navigate: (url: string) => void): HTMLFormElement {
  const input = h('input', {
    id: 'player-uid',
    name: 'uid',
    type: 'search',
    placeholder: 'a player id',
    required: true,
  });
  const form = h(
    'form',
    { class: 'inline-form fs-lookup' },
    h('label', { class: 'field' }, h('span', null, `Player of ${parent}`), input),
    h('button', { type: 'submit', class: 'button' }, 'Open player'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const uid = input.value.trim();
    if (uid !== '') navigate(playerUrl(parent, uid));
  });
  return form;
}
