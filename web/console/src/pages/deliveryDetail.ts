/**
 * A delivery: where it goes, its state and next attempt, every attempt (time, HTTP status or
 * network error, latency, the first bytes of the answer), its payload; retry and replay. It is
 * read again whenever the event stream says its state changed.
 */
import { describeError, get, post } from '../api.js';
import type { Column } from '../components/listTable.js';
import { serialRead } from '../components/serialRead.js';
import { staticTable } from '../components/staticTable.js';
import { showReadError } from '../components/states.js';
import { h, replaceChildren } from '../dom.js';
import { formatNumber, timeElement } from '../format.js';
import { adminEvents } from '../events.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import {
  type Attempt,
  canReplay,
  canRetry,
  type DeliveryDetail,
  deliveryStatusBadge,
  scopeText,
} from './deliveryViews.js';

export const deliveryDetailPage: PageDefinition = {
  path: '/deliveries/:id',
  title: 'Delivery',
  async render({ params, signal }) {
    const id = params.id!;
    const body = h('div', { class: 'delivery' });
    const message = h('p', { class: 'form-note', role: 'status' });

    const read = serialRead(async () => {
      try {
        const detail = await get<DeliveryDetail>(`/deliveries/${encodeURIComponent(id)}`, {}, signal);
        if (!signal.aborted) replaceChildren(body, view(detail, message, read));
      } catch (error) {
        showReadError(body, error, signal, read);
      }
    }, signal);
    await read();

    const off = adminEvents.on('delivery.state', (event) => {
      if (String((event.delivery as { id: number }).id) === id) void read();
    });
    const offReconnect = adminEvents.onReconnect(() => void read());
    signal.addEventListener('abort', () => {
      off();
      offReconnect();
    });

    return h(
      'div',
      { class: 'page-dl' },
      h('p', { class: 'crumbs' }, h('a', { href: consoleUrl('/deliveries') }, 'All deliveries')),
      body,
    );
  },
};

function view(detail: DeliveryDetail, message: HTMLElement, reread: () => Promise<void>): HTMLElement {
  const action = (label: string, path: 'retry' | 'replay', done: string) => {
    const button = h('button', { type: 'button', class: 'button' }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      message.className = 'form-note';
      message.textContent = '';
      try {
        await post(`/deliveries/${detail.id}/${path}`);
        message.textContent = done;
        await reread();
      } catch (error) {
        message.className = 'form-error';
        message.textContent = describeError(error);
        button.disabled = false;
      }
    });
    return button;
  };
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'fs-title' },
      h('h2', null, `#${detail.id} `, h('code', null, detail.topic)),
      deliveryStatusBadge(detail.status),
      detail.inFlight && h('span', { class: 'badge badge-idle' }, 'sending now'),
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('Event id', h('code', null, detail.eventId)),
      fact('For', scopeText(detail.scope)),
      fact(
        'Sent to',
        detail.targetUrl === null
          ? h('span', { class: 'muted' }, 'not sent yet')
          : h('code', { class: 'wrap' }, detail.targetUrl),
      ),
      fact('Attempts since queued', formatNumber(detail.attempts)),
      fact(
        'Next attempt',
        detail.status === 'pending' && detail.nextAttemptAt !== null
          ? timeElement(detail.nextAttemptAt)
          : h('span', { class: 'muted' }, detail.status === 'dead' ? 'none: given up (retry or replay it)' : 'none'),
      ),
      detail.lastError !== null && fact('Last error', detail.lastError),
      fact('Created', timeElement(detail.createdAt)),
      detail.queuedAt !== detail.createdAt && fact('Queued again', timeElement(detail.queuedAt)),
      detail.deliveredAt !== null && fact('Delivered', timeElement(detail.deliveredAt)),
    ),
    h(
      'div',
      { class: 'filter-actions delivery-actions' },
      canRetry(detail.status) && action('Retry now', 'retry', 'Queued: it is being tried now.'),
      canReplay(detail.status) && action('Replay', 'replay', 'Queued: the same event id and body are sent again.'),
    ),
    message,
    h('h2', null, 'Attempts'),
    attemptsTable(detail.attemptHistory),
    detail.moreAttempts && h('p', { class: 'muted small' }, 'The latest 100 attempts are shown; older ones were made.'),
    h('h2', null, 'Payload'),
    h('pre', { class: 'body payload' }, JSON.stringify(detail.payload, null, 2)),
  );
}

const outcomeLabels: Record<Attempt['outcome'], [string, string]> = {
  delivered: ['Delivered', 'badge-ok'],
  failed: ['Failed', 'badge-error'],
  not_sent: ['Not sent', 'badge-idle'],
};

function attemptsTable(attempts: Attempt[]): HTMLElement {
  const columns: Column<Attempt>[] = [
    {
      header: 'Time',
      cell: (a) => [
        timeElement(a.at),
        h('div', { class: 'muted small' }, a.requestedBy === 'schedule' ? 'scheduled' : `by ${a.requestedBy}`),
      ],
    },
    {
      header: 'Outcome',
      cell: (a) => {
        const [label, cls] = outcomeLabels[a.outcome];
        return [
          h('span', { class: `badge ${cls}` }, label),
          a.note !== null && h('div', { class: 'muted small' }, a.note),
        ];
      },
    },
    {
      header: 'Answer',
      cell: (a) =>
        a.httpStatus !== null
          ? [
              `HTTP ${a.httpStatus}`,
              a.error !== null &&
                a.error !== `HTTP ${a.httpStatus}` &&
                h('div', { class: 'small error-text' }, a.error),
            ]
          : a.error !== null
            ? h('span', { class: 'error-text' }, a.error)
            : h('span', { class: 'muted' }, '—'),
    },
    {
      header: 'Latency',
      cell: (a) => (a.latencyMs === null ? '—' : `${formatNumber(a.latencyMs)} ms`),
      className: 'num',
    },
    {
      header: 'First bytes',
      cell: (a) =>
        a.answerHead === null ? h('span', { class: 'muted' }, 'none') : h('pre', { class: 'body head' }, a.answerHead),
    },
  ];
  return staticTable('Attempts, newest first', columns, attempts, {
    empty: 'No attempt yet.',
    className: 'attempts',
    rowData: (attempt) => ({ 'data-outcome': attempt.outcome, 'data-by': attempt.requestedBy }),
  });
}

function fact(label: string, value: unknown): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, value as never)];
}
