/**
 * A match (`/matches/:id`): its teams and participants, the results the game reported, its
 * settlement (payouts, refunds, the platform fee) and every ledger transfer it made. A live match
 * can be forfeited for a team or aborted, each after a confirmation. The page re-reads the match
 * when the event stream reports a transfer of it (the settlement moving money).
 */
import { ApiError, describeError, get, isAbort, post } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { adminEvents } from '../events.js';
import { formatMoney, formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { type MatchView, outcomeText, type Payment, type TransferView } from './matchTypes.js';
import { sectionTabs } from './matchesLedgerTabs.js';
import { statusBadge } from './matches.js';
import { staticTable } from '../components/staticTable.js';
import { accountLink, transferColumns } from './transferColumns.js';

interface MatchDetail {
  match: MatchView;
  transfers: TransferView[];
}

export const matchPage: PageDefinition = {
  path: '/matches/:id',
  title: 'Match',
  async render({ params, signal }) {
    const path = `/oklp/matches/${encodeURIComponent(params.id!)}`;
    const body = h('div', { class: 'match-detail' });
    const show = (detail: MatchDetail) => replaceChildren(body, matchView(detail, reload));
    const reload = async () => {
      try {
        const detail = await get<MatchDetail>(path, undefined, signal);
        if (!signal.aborted) show(detail);
      } catch (error) {
        if (!isAbort(error) && !signal.aborted)
          replaceChildren(body, h('p', { class: 'form-error' }, describeError(error)));
      }
    };
    show(await get<MatchDetail>(path, undefined, signal));

    // A settlement, refund or forfeit made elsewhere (the game API, another operator) shows up.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void reload(), 150);
    };
    const off = adminEvents.on('ledger.transfer', (event) => {
      const transfer = event.transfer as TransferView | undefined;
      if (transfer?.matchId === params.id) soon();
    });
    const offReconnect = adminEvents.onReconnect(soon);
    signal.addEventListener('abort', () => {
      off();
      offReconnect();
      clearTimeout(pending);
    });

    return h(
      'div',
      null,
      sectionTabs('matches'),
      h('p', { class: 'back' }, h('a', { href: consoleUrl('/matches') }, '← All matches')),
      body,
    );
  },
};

function matchView({ match, transfers }: MatchDetail, reload: () => Promise<void>): Node[] {
  const money = (amount: number) => formatMoney(amount, match.currency);
  const players = match.teams.reduce((n, team) => n + team.participants.length, 0);
  const outcome = outcomeText(match);
  return [
    h(
      'section',
      { class: 'panel match-summary', 'aria-label': 'Match', tabindex: '-1' },
      h(
        'div',
        { class: 'match-title' },
        h('code', { class: 'match-id' }, match.matchId),
        statusBadge(match),
        outcome && h('strong', { class: 'match-outcome' }, outcome),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('Client', match.clientId),
        fact('Mode', match.mode === 'sync' ? 'Synchronous' : 'Asynchronous'),
        fact('Entry fee', money(match.entryFee)),
        fact('Pot', `${money(match.entryFee * players)} (${formatNumber(players)} players)`),
        fact('Submissions allowed', formatNumber(match.maxSubmissions)),
        fact('Created', timeElement(match.createdAt)),
        match.deadlineAt !== null && fact('Deadline', timeElement(match.deadlineAt)),
        fact(
          'Decided',
          match.decidedAt === null ? h('span', { class: 'muted' }, 'not yet') : timeElement(match.decidedAt),
        ),
      ),
      match.status === 'live' && matchActions(match, reload),
    ),
    h('h2', null, 'Teams and participants'),
    h(
      'div',
      { class: 'teams' },
      match.teams.map((team) =>
        h(
          'section',
          { class: 'panel team', 'data-team': team.id },
          h(
            'h3',
            null,
            team.id,
            team.forfeited && h('span', { class: 'badge badge-error' }, 'forfeited'),
            match.settlement?.outcome === 'won' &&
              match.settlement.winner === team.id &&
              h('span', { class: 'badge badge-ok' }, 'winner'),
          ),
          staticTable(
            `Participants of team ${team.id}`,
            [
              { header: 'Player', cell: (p) => accountLink(`user:${match.currency}:${p.id}`) },
              { header: 'Submissions', className: 'num', cell: (p) => formatNumber(p.submissions) },
              {
                header: 'Best score',
                className: 'num',
                cell: (p) => (p.bestScore === null ? h('span', { class: 'muted' }, '—') : formatNumber(p.bestScore)),
              },
            ],
            team.participants,
            { empty: 'No participants.', key: (p) => p.id },
          ),
        ),
      ),
    ),
    h('h2', null, 'Results received'),
    resultView(match),
    h('h2', null, 'Settlement'),
    settlementView(match),
    h('h2', null, 'Transfers'),
    staticTable('Ledger transfers of this match, oldest first', transferColumns({ match: false }), transfers, {
      empty: 'No transfers.',
      key: (t) => String(t.id),
    }),
  ];
}

/** One term of a `<dl class="facts">`, grouped in a `<div>` (one grid cell). */
export function fact(term: string, value: Node | string): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, value));
}

function resultView(match: MatchView): Node {
  const result = match.result;
  if (result === null) {
    return h(
      'p',
      { class: 'state state-empty' },
      match.status === 'aborted'
        ? 'The match was aborted before the game reported a result.'
        : 'No result yet: the game reports it through the OkLetsPlay game API when the match ends.',
    );
  }
  return h(
    'div',
    { class: 'result' },
    staticTable(
      'Team results',
      [
        { header: 'Team', cell: (t) => t.teamId },
        {
          header: 'Ranking',
          className: 'num',
          cell: (t) => (t.ranking === undefined ? h('span', { class: 'muted' }, '—') : formatNumber(t.ranking)),
        },
        {
          header: 'Score',
          className: 'num',
          cell: (t) => (t.score === undefined ? h('span', { class: 'muted' }, '—') : formatNumber(t.score)),
        },
        { header: 'Forfeit', cell: (t) => (t.forfeit ? h('span', { class: 'badge badge-error' }, 'forfeit') : 'no') },
      ],
      result.teams,
      { empty: 'No team results.', key: (t) => t.teamId },
    ),
    staticTable(
      'Participant scores',
      [
        { header: 'Player', cell: (p) => p.userId },
        { header: 'Score', className: 'num', cell: (p) => formatNumber(p.score) },
      ],
      result.participants,
      { empty: 'No participant scores.', key: (p) => p.userId },
    ),
  );
}

function settlementView(match: MatchView): Node {
  const settlement = match.settlement;
  if (settlement === null) {
    return h(
      'p',
      { class: 'state state-empty' },
      'Not settled yet: the entry fees are held in the match escrow until the result comes in.',
    );
  }
  const money = (amount: number) => formatMoney(amount, match.currency);
  const total = (payments: Payment[]) => payments.reduce((sum, p) => sum + p.amount, 0);
  const payments = (caption: string, list: Payment[], empty: string) =>
    staticTable(
      caption,
      [
        { header: 'Player', cell: (p) => accountLink(`user:${match.currency}:${p.userId}`) },
        { header: 'Amount', className: 'num', cell: (p) => money(p.amount) },
      ],
      list,
      { empty, key: (p) => p.userId },
    );
  return h(
    'section',
    { class: 'settlement', 'data-outcome': settlement.outcome },
    h(
      'dl',
      { class: 'facts panel' },
      fact('Outcome', outcomeText(match) ?? settlement.outcome),
      fact('Paid out', money(total(settlement.payouts))),
      fact('Refunded', money(total(settlement.refunds))),
      fact('Platform fee', money(settlement.fee)),
    ),
    h(
      'div',
      { class: 'payments' },
      h(
        'section',
        { 'aria-label': 'Payouts' },
        h('h3', null, 'Payouts'),
        payments('Payouts', settlement.payouts, 'No payouts.'),
      ),
      h(
        'section',
        { 'aria-label': 'Refunds' },
        h('h3', null, 'Refunds'),
        payments('Refunds', settlement.refunds, 'No refunds.'),
      ),
    ),
  );
}

/** Forfeit a team or abort the match: each opens a confirmation saying what it will do. */
function matchActions(match: MatchView, reload: () => Promise<void>): HTMLElement {
  const panel = h('div', { class: 'confirm-slot' });
  const open = (make: () => HTMLElement) => {
    const form = make();
    replaceChildren(panel, form);
    form.querySelector<HTMLElement>('select, input, button')?.focus();
  };
  const close = () => replaceChildren(panel);
  return h(
    'div',
    { class: 'match-actions' },
    h(
      'div',
      { class: 'action-buttons' },
      h(
        'button',
        { type: 'button', class: 'button', onclick: () => open(() => forfeitForm(match, close, reload)) },
        'Forfeit a team…',
      ),
      h(
        'button',
        { type: 'button', class: 'button danger', onclick: () => open(() => abortForm(match, close, reload)) },
        'Abort match…',
      ),
    ),
    panel,
  );
}

/** After an action the form that had the focus is gone: the match's summary (its new state) takes it. */
function focusSummary(): void {
  document.querySelector<HTMLElement>('.match-summary')?.focus();
}

function forfeitForm(match: MatchView, close: () => void, reload: () => Promise<void>): HTMLElement {
  const team = h(
    'select',
    { id: 'forfeit-team', name: 'teamId', 'aria-describedby': 'forfeit-team-error' },
    match.teams.filter((t) => !t.forfeited).map((t) => h('option', { value: t.id }, t.id)),
  );
  const error = h('p', { id: 'forfeit-team-error', class: 'form-error', role: 'alert' });
  return confirmForm({
    title: 'Forfeit a team',
    text: 'The team loses the match; the game is told (by push, or on its next poll of active matches). The money moves when the match settles.',
    fields: [h('label', { class: 'field' }, h('span', null, 'Team'), team), error],
    confirm: 'Forfeit team',
    close,
    submit: async () => {
      await post(`/oklp/matches/${encodeURIComponent(match.matchId)}/forfeit`, { teamId: team.value });
      await reload();
      focusSummary();
    },
    fail: (e) => (error.textContent = describeError(e)),
  });
}

function abortForm(match: MatchView, close: () => void, reload: () => Promise<void>): HTMLElement {
  const reason = h('input', {
    id: 'abort-reason',
    name: 'reason',
    type: 'text',
    required: true,
    maxlength: 512,
    placeholder: 'e.g. server outage',
    'aria-describedby': 'abort-reason-error',
  });
  const error = h('p', { id: 'abort-reason-error', class: 'form-error', role: 'alert' });
  const players = match.teams.reduce((n, t) => n + t.participants.length, 0);
  return confirmForm({
    title: 'Abort this match',
    text: `The match is called off and every entry fee is refunded: ${formatMoney(match.entryFee, match.currency)} to each of ${players} players. This cannot be undone.`,
    fields: [h('label', { class: 'field' }, h('span', null, 'Reason'), reason), error],
    confirm: 'Abort match and refund',
    danger: true,
    close,
    submit: async () => {
      if (reason.value.trim() === '') {
        error.textContent = 'Say why the match is aborted.';
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
        return;
      }
      await post(`/oklp/matches/${encodeURIComponent(match.matchId)}/abort`, { reason: reason.value.trim() });
      await reload();
      focusSummary();
    },
    fail: (e) => (error.textContent = describeError(e)),
  });
}

function confirmForm(options: {
  title: string;
  text: string;
  fields: Node[];
  confirm: string;
  danger?: boolean;
  close(): void;
  submit(): Promise<void>;
  fail(error: unknown): void;
}): HTMLElement {
  const button = h(
    'button',
    { type: 'submit', class: `button ${options.danger ? 'danger-solid' : 'primary'}` },
    options.confirm,
  );
  const form = h(
    'form',
    { class: 'panel confirm', 'aria-label': options.title, novalidate: true },
    h('h3', null, options.title),
    h('p', null, options.text),
    options.fields,
    h(
      'div',
      { class: 'form-actions' },
      button,
      h('button', { type: 'button', class: 'button', onclick: options.close }, 'Cancel'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    options.fail('');
    options.submit().then(
      () => (button.disabled = false),
      (error) => {
        button.disabled = false;
        if (error instanceof ApiError || error instanceof Error) options.fail(error);
      },
    );
  });
  return form;
}
