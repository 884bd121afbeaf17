/**
 * Deliveries: the outbox's log (Tencent callbacks, JDB payouts, OkLetsPlay pushes), filtered by
 * status, topic, tenant and time, with each row's state kept live from the event stream
 * (`delivery.state`); and a test callback to a Tencent app's callback URL, with the answer.
 */
import { describeError, get, type Page, post } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { type Child, h, replaceChildren } from '../dom.js';
import { formatNumber, timeElement } from '../format.js';
import { adminEvents, type AdminEvent } from '../events.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import {
  type Delivery,
  type DeliveryState,
  deliveryStatusBadge,
  deliveryStatusOptions,
  deliveryUrl,
  scopeText,
  topics,
} from './deliveryViews.js';

const fields: FilterField[] = [
  { kind: 'select', name: 'status', label: 'Status', options: [{ value: '', label: 'Any' }, ...deliveryStatusOptions] },
  {
    kind: 'select',
    name: 'topic',
    label: 'Topic',
    options: [{ value: '', label: 'Any' }, ...topics.map(([value, label]) => ({ value, label }))],
  },
  { kind: 'text', name: 'app', label: 'Tencent app', placeholder: 'SDKAppID' },
  { kind: 'text', name: 'agent', label: 'JDB agent', placeholder: 'parent' },
  { kind: 'text', name: 'client', label: 'OkLetsPlay client', placeholder: 'clientId' },
  { kind: 'time', name: 'from', label: 'Created from' },
  { kind: 'time', name: 'to', label: 'Created before' },
];

interface TencentApp {
  sdkAppId: number;
  effectiveCallback: { url: string; signed: boolean; source: string } | null;
}

interface TestCallbackAnswer {
  sdkAppId: number;
  callbackCommand: string;
  eventId: string;
  accepted: boolean;
  url: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  answerHead: string | null;
  error: string | null;
}

export const deliveriesPage: PageDefinition = {
  path: '/deliveries',
  title: 'Deliveries',
  async render({ query, signal, navigate }) {
    const filters = filterValues(fields, query);
    const apps = (await get<Page<TencentApp>>('/tencent/apps', { limit: 500 }, signal)).items;
    const fresh = h('div', { class: 'live-note', hidden: true, role: 'status' });
    let newCount = 0;
    const counted = new Set<number>();

    const statusCell = (d: Pick<Delivery, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError'>): Child[] => [
      deliveryStatusBadge(d.status),
      h(
        'div',
        { class: 'muted small' },
        `${formatNumber(d.attempts)} attempt${d.attempts === 1 ? '' : 's'}`,
        d.status === 'pending' && d.nextAttemptAt !== null && [' · next ', timeElement(d.nextAttemptAt)],
      ),
      d.lastError !== null && d.status !== 'delivered' && h('div', { class: 'small error-text' }, d.lastError),
    ];

    const table = listTable<Delivery>({
      caption: 'Outbound deliveries, newest first',
      empty: Object.keys(filters).length > 0 ? 'No deliveries match these filters.' : 'Nothing has been sent yet.',
      signal,
      key: (d) => String(d.id),
      load: async (cursor, signal) => {
        const answer = await get<{ deliveries: Delivery[]; nextCursor: string | null }>(
          '/deliveries',
          { ...filters, limit: query.get('limit'), cursor },
          signal,
        );
        return { items: answer.deliveries, nextCursor: answer.nextCursor };
      },
      columns: [
        {
          header: 'Delivery',
          cell: (d) => [
            h('a', { href: deliveryUrl(d.id) }, `#${d.id}`),
            h('div', { class: 'muted small' }, h('code', null, d.eventId)),
          ],
        },
        {
          header: 'Topic',
          cell: (d) => [h('code', null, d.topic), h('div', { class: 'muted small' }, scopeText(d.scope))],
        },
        { header: 'Status', cell: statusCell },
        { header: 'Created', cell: (d) => timeElement(d.createdAt) },
      ],
    });

    // A delivery's state as it changes: its row is updated; new ones are offered on a reload.
    const off = adminEvents.on('delivery.state', (event: AdminEvent) => {
      const state = event.delivery as DeliveryState;
      const row = table.querySelector(`tr[data-key="${state.id}"]`);
      const cell = row?.querySelector('td[data-label="Status"]');
      if (cell) {
        replaceChildren(cell, statusCell(state));
      } else if (
        state.requeuedBy === null &&
        state.attempts === 1 &&
        !counted.has(state.id) &&
        matches(state, filters)
      ) {
        // A delivery's first attempt: it was queued after this list was read.
        counted.add(state.id);
        newCount += 1;
        fresh.hidden = false;
        replaceChildren(
          fresh,
          `${formatNumber(newCount)} new ${newCount === 1 ? 'delivery' : 'deliveries'} since this list was read. `,
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              onclick: () => navigate(location.pathname + location.search, { replace: true }),
            },
            'Show',
          ),
        );
      }
    });
    signal.addEventListener('abort', off);

    return h(
      'div',
      { class: 'page-dl' },
      h(
        'p',
        { class: 'lead' },
        'Every callback, payout and push Ringside sends, with each attempt. Open one to retry it, replay it or read what the receiver answered.',
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/deliveries', values))),
      fresh,
      table,
      testCallbackPanel(apps, filters.app),
    );
  },
};

/** Whether a delivery new to the stream belongs in the list as filtered (time filters aside). */
function matches(state: DeliveryState, filters: Record<string, string>): boolean {
  if (filters.status && filters.status !== state.status) return false;
  if (filters.topic && filters.topic !== state.topic) return false;
  if (filters.app && !(state.scope.kind === 'app' && String(state.scope.appId) === filters.app)) return false;
  if (filters.agent && !(state.scope.kind === 'agent' && state.scope.agentId === filters.agent)) return false;
  if (filters.client && !(state.scope.kind === 'client' && state.scope.clientId === filters.client)) return false;
  return true;
}

/** "Send a test callback" to a Tencent app's callback URL, and what the receiver answered. */
function testCallbackPanel(apps: TencentApp[], selected: string | undefined): HTMLElement {
  const section = h('section', { class: 'panel', 'aria-labelledby': 'test-callback-title' });
  const title = h('h2', { id: 'test-callback-title' }, 'Send a test callback');
  if (apps.length === 0) {
    replaceChildren(section, title, h('p', { class: 'muted' }, 'No Tencent app is configured.'));
    return section;
  }
  const select = h(
    'select',
    { id: 'test-callback-app', name: 'app' },
    apps.map((app) =>
      h(
        'option',
        { value: String(app.sdkAppId), selected: String(app.sdkAppId) === selected },
        `${app.sdkAppId}${app.effectiveCallback ? '' : ' (no callback URL)'}`,
      ),
    ),
  );
  const target = h('p', { class: 'muted small test-callback-target' });
  const showTarget = () => {
    const app = apps.find((a) => String(a.sdkAppId) === select.value);
    replaceChildren(
      target,
      app?.effectiveCallback
        ? ['Sends to ', h('code', null, app.effectiveCallback.url), ` (${app.effectiveCallback.source})`]
        : 'This app has no callback URL: set one in the config file or with live_config set_callback.',
    );
  };
  select.addEventListener('change', showTarget);
  showTarget();
  const result = h('div', { class: 'test-callback-result', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send a test callback');
  const form = h(
    'form',
    { class: 'inline-form' },
    h('label', { class: 'field' }, h('span', null, 'App to test'), select),
    send,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    replaceChildren(result, h('p', { class: 'state state-loading', role: 'status' }, 'Sending…'));
    try {
      const answer = await post<TestCallbackAnswer>(`/tencent/apps/${encodeURIComponent(select.value)}/test-callback`);
      replaceChildren(result, testAnswer(answer));
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, describeError(error)));
    } finally {
      send.disabled = false;
    }
  });
  replaceChildren(
    section,
    title,
    h(
      'p',
      { class: 'muted' },
      "A callback with CallbackCommand Ringside.TestCallback, signed as real ones are, sent now (not through the outbox) to the app's callback URL.",
    ),
    form,
    target,
    result,
  );
  return section;
}

function testAnswer(answer: TestCallbackAnswer): HTMLElement {
  return h(
    'dl',
    { class: 'facts test-answer', 'data-accepted': String(answer.accepted) },
    h('dt', null, 'Outcome'),
    h(
      'dd',
      null,
      h(
        'span',
        { class: `badge ${answer.accepted ? 'badge-ok' : 'badge-error'}` },
        answer.accepted ? 'Accepted' : 'Not accepted',
      ),
      answer.error !== null && [' ', answer.error],
    ),
    h('dt', null, 'HTTP status'),
    h('dd', { 'data-field': 'httpStatus' }, answer.httpStatus === null ? 'no answer' : String(answer.httpStatus)),
    h('dt', null, 'Latency'),
    h('dd', null, answer.latencyMs === null ? '—' : `${formatNumber(answer.latencyMs)} ms`),
    h('dt', null, 'Answer'),
    h(
      'dd',
      null,
      answer.answerHead === null
        ? h('span', { class: 'muted' }, 'none')
        : h('pre', { class: 'body', 'data-field': 'answer' }, answer.answerHead),
    ),
    h('dt', null, 'Event id'),
    h('dd', null, h('code', null, answer.eventId)),
    answer.url !== null && [h('dt', null, 'Sent to'), h('dd', null, h('code', { class: 'wrap' }, answer.url))],
  );
}
