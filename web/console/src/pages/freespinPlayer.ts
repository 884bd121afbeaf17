/**
 * A JDB player's free spins: their grants (one per event they are bound to) and their spin
 * history, newest first, optionally of one event.
 */
import { get, type Page } from '../api.js';
import { listTable } from '../components/listTable.js';
import { h } from '../dom.js';
import { formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { eventUrl, type Grant, jdbMoney, playerUrl, type Spin, spinsText } from './freespinViews.js';

export const freeSpinPlayerPage: PageDefinition = {
  path: '/freespins/:parent/players/:uid',
  title: 'Free-spin player',
  async render({ params, query, signal }) {
    const { parent, uid } = params as { parent: string; uid: string };
    const base = `/jdb/agents/${encodeURIComponent(parent)}/players/${encodeURIComponent(uid)}`;
    const eventId = query.get('eventId') ?? undefined;
    // Amounts come without a currency; the agent's is the events'.
    const { agent } = await get<{ agent: { currency: string } }>(
      `/jdb/agents/${encodeURIComponent(parent)}`,
      {},
      signal,
    );
    const moneyCell = (amount: string) => jdbMoney(amount, agent.currency);
    return h(
      'div',
      { class: 'page-fs' },
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: consoleUrl('/freespins', { agent: parent }) }, `Free spins of ${parent}`),
        ' · player ',
        h('code', null, uid),
      ),
      h('h2', null, 'Grants'),
      listTable<Grant>({
        caption: `Free-spin grants of ${uid}`,
        empty: `${uid} is bound to no free-spin event.`,
        signal,
        key: (grant) => grant.eventId,
        load: (cursor, signal) => get<Page<Grant>>(`${base}/grants`, { cursor }, signal),
        columns: [
          { header: 'Event', cell: (grant) => h('a', { href: eventUrl(parent, grant.eventId) }, grant.eventId) },
          { header: 'Spins used', cell: (grant) => spinsText(grant.used, grant.times), className: 'num' },
          { header: 'Won', cell: (grant) => moneyCell(grant.accumulatedWin), className: 'num' },
          {
            header: 'Cashout',
            cell: (grant) =>
              grant.cashout === null ? h('span', { class: 'muted' }, 'not fixed yet') : moneyCell(grant.cashout.amount),
            className: 'num',
          },
          { header: 'Bound', cell: (grant) => timeElement(grant.boundAt) },
        ],
      }),
      h('h2', null, eventId === undefined ? 'Spin history' : ['Spin history of event ', h('code', null, eventId)]),
      eventId !== undefined && h('p', null, h('a', { href: playerUrl(parent, uid) }, 'Show the spins of every event')),
      listTable<Spin>({
        caption: `Spins of ${uid}, newest first`,
        empty:
          eventId === undefined ? `${uid} has played no free spin.` : `${uid} has played no free spin of this event.`,
        signal,
        key: (spin) => String(spin.historyId),
        load: (cursor, signal) => get<Page<Spin>>(`${base}/spins`, { eventId, cursor }, signal),
        columns: [
          { header: 'Played', cell: (spin) => timeElement(spin.playedAt) },
          {
            header: 'Spin',
            cell: (spin) => [h('code', null, spin.spinId), h('div', { class: 'muted small' }, `game ${spin.mType}`)],
          },
          { header: 'Event', cell: (spin) => h('a', { href: eventUrl(parent, spin.eventId) }, spin.eventId) },
          { header: 'Bet', cell: (spin) => moneyCell(spin.bet), className: 'num' },
          { header: 'Win', cell: (spin) => moneyCell(spin.win), className: 'num' },
          { header: 'Left', cell: (spin) => formatNumber(spin.remaining), className: 'num' },
        ],
      }),
    );
  },
};
