/**
 * A free-spin event: its terms, its players with the spins they used, their cashouts and the
 * state of each payout (Action 16), and a way to terminate it as Action 73 does. No event of
 * the admin event stream is about spins, so the page reads again every few seconds while it
 * is visible, and as soon as the window comes back into focus.
 */
import { describeError, get, type Page, post } from '../api.js';
import type { Column } from '../components/listTable.js';
import { serialRead } from '../components/serialRead.js';
import { staticTable } from '../components/staticTable.js';
import { showReadError } from '../components/states.js';
import { h, replaceChildren } from '../dom.js';
import { formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import {
  eventStatusBadge,
  type FreeSpinEvent,
  type Grant,
  jdbMoney,
  loadTenants,
  playerUrl,
  spinsText,
} from './freespinViews.js';

interface EventDetail {
  event: FreeSpinEvent;
  players: number;
  spins: { granted: number; used: number };
  cashouts: { total: string };
}

/** A payout as `GET /jdb/payouts` lists it (the fields this page shows). */
interface Payout {
  id: number;
  transferId: number;
  status: 'pending' | 'paid' | 'given_up' | 'cancelled';
  attempts: number;
  lastError: string | null;
}

const REFRESH_MS = 3000;
/** Players shown (the first page); more are a listing away in the API. */
const PLAYER_LIMIT = 200;

export const freeSpinEventPage: PageDefinition = {
  path: '/freespins/:parent/events/:eventId',
  title: 'Free-spin event',
  async render({ params, signal }) {
    const { parent, eventId } = params as { parent: string; eventId: string };
    const base = `/jdb/agents/${encodeURIComponent(parent)}/events/${encodeURIComponent(eventId)}`;
    const body = h('div', { class: 'fs-event', 'aria-live': 'polite' });
    const updated = h('span', { class: 'muted small fs-updated' });
    const { games } = await loadTenants(signal);
    const gameNames = new Map(games.map((game) => [game.mType, game.name]));

    let terminate: TerminateControl | undefined;
    const read = serialRead(async () => {
      try {
        const [detail, players] = await Promise.all([
          get<EventDetail>(base, {}, signal),
          get<Page<Grant>>(`${base}/players`, { limit: PLAYER_LIMIT }, signal),
        ]);
        // Payouts are made from the event's creation on; their state is the delivery's.
        const payouts = players.items.some((grant) => grant.cashout?.payoutTransferId != null)
          ? await get<Page<Payout>>('/jdb/payouts', { agent: parent, from: detail.event.createdAt, limit: 500 }, signal)
          : { items: [], nextCursor: null };
        if (signal.aborted) return;
        const byTransfer = new Map(payouts.items.map((payout) => [payout.transferId, payout]));
        terminate ??= terminateControl(parent, detail.event, read);
        terminate.update(detail.event.status);
        replaceChildren(body, view(parent, detail, players, byTransfer, gameNames, terminate.element));
        replaceChildren(updated, 'Updated ', timeElement(Date.now()), ' · refreshes every few seconds');
      } catch (error) {
        showReadError(body, error, signal, read);
      }
    }, signal);
    await read();

    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void read();
    }, REFRESH_MS);
    const onFocus = () => {
      if (document.visibilityState === 'visible') void read();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    signal.addEventListener('abort', () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    });

    return h(
      'div',
      { class: 'page-fs' },
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: consoleUrl('/freespins', { agent: parent }) }, `Free spins of ${parent}`),
        ' · ',
        updated,
      ),
      body,
    );
  },
};

function view(
  parent: string,
  detail: EventDetail,
  players: Page<Grant>,
  payouts: Map<number, Payout>,
  gameNames: Map<number, string>,
  terminate: HTMLElement,
): HTMLElement {
  const { event } = detail;
  const money = (amount: string) => jdbMoney(amount, event.currency);
  const limit = (amount: string | null) => (amount === null ? 'no limit' : money(amount));
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'fs-title' },
      h('h2', null, event.name),
      eventStatusBadge(event.status),
      h('code', { class: 'muted' }, event.eventId),
    ),
    h(
      'div',
      { class: 'stats' },
      stat('Players', formatNumber(detail.players)),
      stat('Spins used', spinsText(detail.spins.used, detail.spins.granted), 'fs-spins-used'),
      stat('Cashouts fixed', money(detail.cashouts.total), 'fs-cashouts'),
      stat(
        'Settlement',
        event.settledAt === null ? 'Open' : ['Settled', h('div', { class: 'stat-note' }, timeElement(event.settledAt))],
        'fs-settled',
      ),
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('Spins per player', `${formatNumber(event.times)} (${event.type === 'feature' ? 'Feature Buy' : 'normal'})`),
      fact('Bet', money(event.bet)),
      fact(
        'Games',
        event.games.map((game) => `${gameNames.get(game.mType) ?? game.mType} at ${money(game.bet)}`).join(', '),
      ),
      fact('Withdrawal', `min ${limit(event.minWithdrawal)}, max ${limit(event.maxWithdrawal)}`),
      fact('Starts', timeElement(event.startAt)),
      fact('Ends', timeElement(event.endAt)),
      event.terminatedAt !== null && fact('Terminated', timeElement(event.terminatedAt)),
      fact('Created', [timeElement(event.createdAt), ' · transaction ', h('code', null, event.transactionId)]),
    ),
    terminate,
    h('h2', null, 'Players'),
    playersTable(parent, event, players.items, payouts, money),
    players.nextCursor !== null &&
      h('p', { class: 'muted small' }, `The first ${PLAYER_LIMIT} players are shown (newest bound first).`),
  );
}

function playersTable(
  parent: string,
  event: FreeSpinEvent,
  grants: Grant[],
  payouts: Map<number, Payout>,
  money: (amount: string) => string,
): HTMLElement {
  const columns: Column<Grant>[] = [
    {
      header: 'Player',
      cell: (grant) => h('a', { href: playerUrl(parent, grant.uid, { eventId: event.eventId }) }, grant.uid),
    },
    { header: 'Spins used', cell: (grant) => spinsText(grant.used, grant.times), className: 'num' },
    { header: 'Turnover', cell: (grant) => money(grant.accumulatedTurnover), className: 'num' },
    { header: 'Won', cell: (grant) => money(grant.accumulatedWin), className: 'num' },
    {
      header: 'Cashout',
      cell: (grant) =>
        grant.cashout !== null
          ? money(grant.cashout.amount)
          : h(
              'span',
              { class: 'muted' },
              event.settledAt !== null && grant.used === 0 ? 'none: no spin used' : 'not fixed yet',
            ),
      className: 'num',
    },
    { header: 'Payout', cell: (grant) => payoutCell(grant, payouts) },
  ];
  return staticTable(`Players of event ${event.name}`, columns, grants, {
    empty: 'No player is bound to this event.',
    key: (grant) => grant.uid,
  });
}

const payoutLabels: Record<Payout['status'], [string, string]> = {
  pending: ['Paying', 'badge-idle'],
  paid: ['Paid', 'badge-ok'],
  given_up: ['Given up', 'badge-error'],
  cancelled: ['Cancelled', 'badge-idle'],
};

function payoutCell(grant: Grant, payouts: Map<number, Payout>): HTMLElement | string {
  if (grant.cashout === null) return h('span', { class: 'muted' }, '—');
  const transferId = grant.cashout.payoutTransferId;
  if (transferId === null) return h('span', { class: 'muted' }, 'nothing to pay');
  const payout = payouts.get(transferId);
  if (!payout) return h('span', { class: 'muted' }, `transfer ${transferId}`);
  const [label, cls] = payoutLabels[payout.status];
  return h(
    'span',
    null,
    h(
      'a',
      { href: consoleUrl(`/deliveries/${payout.id}`), class: `badge ${cls}`, 'data-payout': payout.status },
      label,
    ),
    payout.lastError !== null && payout.status !== 'paid' && h('div', { class: 'muted small' }, payout.lastError),
  );
}

interface TerminateControl {
  element: HTMLElement;
  /** Shown while the event can end; an open confirmation stays, so its answer is seen. */
  update(status: FreeSpinEvent['status']): void;
}

/** "Terminate event", then a second, explicit confirmation; the refusal in words if there is one. */
function terminateControl(parent: string, event: FreeSpinEvent, reread: () => Promise<void>): TerminateControl {
  const message = h('p', { class: 'form-error', role: 'alert' });
  const box = h('div', { class: 'fs-terminate' });
  let confirming = false;
  let open = true;
  const showAsk = () => {
    confirming = false;
    message.textContent = '';
    replaceChildren(box, ask);
    box.hidden = !open;
  };
  const ask = h(
    'button',
    {
      type: 'button',
      class: 'button danger',
      onclick: () => {
        confirming = true;
        confirm.disabled = false;
        replaceChildren(
          box,
          h(
            'p',
            null,
            `Terminate “${event.name}” now, as JDB Action 73 does? Its players can spin no more; their cashouts are then fixed and paid.`,
          ),
          h('div', { class: 'filter-actions' }, confirm, cancel),
          message,
        );
        confirm.focus();
      },
    },
    'Terminate event',
  );
  const cancel = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: () => {
        showAsk();
        ask.focus();
      },
    },
    'Cancel',
  );
  const confirm = h(
    'button',
    {
      type: 'button',
      class: 'button danger',
      onclick: async () => {
        confirm.disabled = true;
        message.textContent = '';
        try {
          await post(`/jdb/agents/${encodeURIComponent(parent)}/events/${encodeURIComponent(event.eventId)}/terminate`);
          open = false;
          showAsk();
          await reread();
        } catch (error) {
          message.textContent = describeError(error);
          confirm.disabled = false;
        }
      },
    },
    'Yes, terminate now',
  );
  showAsk();
  return {
    element: box,
    update(status) {
      open = status === 'inactive' || status === 'active';
      if (!confirming) box.hidden = !open;
    },
  };
}

function stat(label: string, value: unknown, id?: string): HTMLElement {
  return h(
    'div',
    { class: 'stat', 'data-stat': id },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value as never),
  );
}

function fact(label: string, value: unknown): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, value as never)];
}
