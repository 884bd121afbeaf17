/**
 * Overview: what is going on now, per tenant (rooms and running battles per Tencent app, active
 * free-spin events per JDB agent, open matches per OkLetsPlay client), the outbox's health
 * (pending and dead messages per topic, the oldest pending one), and gifts and score updates per
 * second over the last hour as small charts. One read of `GET /admin/v1/overview`, again every
 * `REFRESH_MS` while the page is shown.
 */
import { get } from '../api.js';
import { barChart } from '../components/barChart.js';
import { errorState } from '../components/states.js';
import { type Child, h, replaceChildren } from '../dom.js';
import { formatDuration, formatNumber, timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';

/** The answer of `GET /admin/v1/overview` (docs/admin.md, "Overview"). */
interface OverviewAnswer {
  at: number;
  tenants: {
    apps: Array<{ sdkAppId: number; rooms: number; runningBattles: number }>;
    agents: Array<{ parent: string; activeFreeSpinEvents: number }>;
    clients: Array<{ clientId: string; openMatches: number }>;
  };
  outbox: Array<{ topic: string; pending: number; dead: number; oldestPendingAt: number | null }>;
  minuteMs: number;
  minutes: Array<{ minute: number; scoreUpdates: number; gifts: number; coins: number }>;
}

const REFRESH_MS = 10_000;

const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const overviewPage: PageDefinition = {
  path: '/',
  title: 'Overview',
  async render({ signal }) {
    const content = h('div');
    const updated = h('span', { class: 'muted small' });
    const refreshButton = h('button', { type: 'button', class: 'button' }, 'Refresh');

    const show = (overview: OverviewAnswer) => {
      replaceChildren(content, overviewContent(overview));
      replaceChildren(updated, 'Updated ', timeElement(overview.at));
    };
    const refresh = async () => {
      refreshButton.disabled = true;
      try {
        show(await get<OverviewAnswer>('/overview', {}, signal));
      } catch (error) {
        if (signal.aborted) return;
        replaceChildren(
          content,
          errorState(error, () => void refresh()),
        );
      } finally {
        refreshButton.disabled = false;
      }
    };
    refreshButton.addEventListener('click', () => void refresh());

    // The first read before the page shows (the shell shows "Loading…" meanwhile); a failure is shown in words.
    show(await get<OverviewAnswer>('/overview', {}, signal));
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    signal.addEventListener('abort', () => clearInterval(timer));

    return h(
      'div',
      { class: 'overview' },
      h(
        'div',
        { class: 'board-head' },
        h(
          'p',
          { class: 'lead' },
          'Every tenant at a glance: what is live now, whether deliveries are keeping up, and the traffic of the last hour. Refreshed every 10 seconds.',
        ),
        h('div', { class: 'refresh' }, updated, refreshButton),
      ),
      content,
    );
  },
};

function overviewContent(overview: OverviewAnswer): Node {
  const { apps, agents, clients } = overview.tenants;
  const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);
  const pending = sum(overview.outbox, (t) => t.pending);
  const dead = sum(overview.outbox, (t) => t.dead);
  return h(
    'div',
    null,
    h(
      'ul',
      { class: 'tiles', 'aria-label': 'Totals' },
      tile(
        'Rooms',
        sum(apps, (a) => a.rooms),
        'rooms',
      ),
      tile(
        'Running battles',
        sum(apps, (a) => a.runningBattles),
        'running-battles',
        consoleUrl('/battles'),
      ),
      tile(
        'Active free-spin events',
        sum(agents, (a) => a.activeFreeSpinEvents),
        'freespin-events',
      ),
      tile(
        'Open matches',
        sum(clients, (c) => c.openMatches),
        'open-matches',
      ),
      tile('Deliveries pending', pending, 'outbox-pending', consoleUrl('/deliveries', { status: 'pending' })),
      tile('Deliveries given up', dead, 'outbox-dead', consoleUrl('/deliveries', { status: 'dead' }), dead > 0),
    ),
    h(
      'section',
      { class: 'overview-section', 'aria-labelledby': 'activity-title' },
      h('h2', { id: 'activity-title' }, 'Traffic, last hour'),
      h(
        'div',
        { class: 'charts' },
        rateChart('gifts', 'Gifts per second', overview, (m) => m.gifts, 'gifts'),
        rateChart('score-updates', 'Score updates per second', overview, (m) => m.scoreUpdates, 'score updates'),
      ),
    ),
    h(
      'section',
      { class: 'overview-section', 'aria-labelledby': 'tenants-title' },
      h('h2', { id: 'tenants-title' }, 'Tenants'),
      h(
        'div',
        { class: 'tenant-tables' },
        smallTable(
          'apps',
          'Tencent apps',
          ['SDKAppID', 'Rooms', 'Running battles'],
          apps.map((a) => ({
            key: String(a.sdkAppId),
            cells: [
              h('code', null, String(a.sdkAppId)),
              formatNumber(a.rooms),
              h('a', { href: consoleUrl('/battles', { sdkAppId: a.sdkAppId }) }, formatNumber(a.runningBattles)),
            ],
          })),
          'No Tencent app is configured.',
        ),
        smallTable(
          'agents',
          'JDB agents',
          ['Agent', 'Active free-spin events'],
          agents.map((a) => ({
            key: a.parent,
            cells: [h('code', null, a.parent), formatNumber(a.activeFreeSpinEvents)],
          })),
          'No JDB agent is configured.',
        ),
        smallTable(
          'clients',
          'OkLetsPlay clients',
          ['Client', 'Open matches'],
          clients.map((c) => ({ key: c.clientId, cells: [h('code', null, c.clientId), formatNumber(c.openMatches)] })),
          'No OkLetsPlay client is configured.',
        ),
      ),
    ),
    h(
      'section',
      { class: 'overview-section', 'aria-labelledby': 'outbox-title' },
      h('h2', { id: 'outbox-title' }, 'Outbox'),
      smallTable(
        'outbox',
        'Outbox messages by topic',
        ['Topic', 'Pending', 'Given up (dead)', 'Oldest pending'],
        overview.outbox.map((t) => ({
          key: t.topic,
          cells: [
            h('code', null, t.topic),
            t.pending > 0
              ? h(
                  'a',
                  { href: consoleUrl('/deliveries', { status: 'pending', topic: t.topic }) },
                  formatNumber(t.pending),
                )
              : '0',
            t.dead > 0
              ? h(
                  'a',
                  { class: 'dead', href: consoleUrl('/deliveries', { status: 'dead', topic: t.topic }) },
                  formatNumber(t.dead),
                )
              : '0',
            t.oldestPendingAt === null
              ? h('span', { class: 'muted' }, '—')
              : [
                  timeElement(t.oldestPendingAt),
                  h('div', { class: 'muted small' }, `waiting ${formatDuration(overview.at - t.oldestPendingAt)}`),
                ],
          ],
        })),
        'Nothing is waiting and nothing was given up: every message has been delivered.',
      ),
    ),
  );
}

function tile(label: string, value: number, key: string, href?: string, alarm = false): HTMLElement {
  const number = h('span', { class: 'tile-value' }, formatNumber(value));
  return h(
    'li',
    { class: alarm ? 'tile alarm' : 'tile', 'data-key': key },
    href ? h('a', { href }, number) : number,
    h('span', { class: 'tile-label' }, label),
  );
}

function smallTable(
  section: string,
  caption: string,
  headers: string[],
  rows: Array<{ key: string; cells: Child[] }>,
  empty: string,
): HTMLElement {
  if (rows.length === 0) return h('div', { 'data-section': section }, h('p', { class: 'state state-empty' }, empty));
  return h(
    'div',
    { class: 'table-wrap', 'data-section': section },
    h(
      'table',
      { class: 'list compact' },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((header, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, header)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            { 'data-key': row.key },
            row.cells.map((cell, i) => h('td', { 'data-label': headers[i]!, class: i > 0 ? 'num' : null }, cell)),
          ),
        ),
      ),
    ),
  );
}

/** Per-second rates of one count over the hour: each minute's count over its 60 s (the current one over its seconds so far). */
function rateChart(
  key: string,
  title: string,
  overview: OverviewAnswer,
  pick: (minute: OverviewAnswer['minutes'][number]) => number,
  noun: string,
): HTMLElement {
  const { minutes, minuteMs } = overview;
  const counts = minutes.map(pick);
  const seconds = minutes.map((m, i) =>
    i === minutes.length - 1 ? Math.max(1, Math.min(minuteMs, overview.at - m.minute) / 1000) : minuteMs / 1000,
  );
  const rates = counts.map((count, i) => count / seconds[i]!);
  const total = counts.reduce((a, b) => a + b, 0);
  const now = rates.at(-1) ?? 0;
  const peak = Math.max(0, ...rates);
  const summary = `${title}: ${rate.format(now)} now, peak ${rate.format(peak)}, ${formatNumber(total)} ${noun} in the last hour.`;
  const first = minutes[0]?.minute;
  return h(
    'figure',
    { class: 'chart', 'data-chart': key },
    h(
      'figcaption',
      null,
      h('span', { class: 'chart-title' }, title),
      h(
        'span',
        { class: 'chart-figures' },
        h('strong', { 'data-figure': 'now' }, rate.format(now)),
        ' now · peak ',
        h('span', { 'data-figure': 'peak' }, rate.format(peak)),
        ' · ',
        h('span', { 'data-figure': 'total' }, formatNumber(total)),
        ` ${noun} in the hour`,
      ),
    ),
    barChart({
      values: rates,
      summary,
      describe: (i) =>
        `${clockTime.format(minutes[i]!.minute)}: ${rate.format(rates[i]!)} per second (${formatNumber(counts[i]!)} ${noun})`,
    }),
    h(
      'div',
      { class: 'chart-axis muted small', 'aria-hidden': 'true' },
      h('span', null, first === undefined ? '' : clockTime.format(first)),
      h('span', null, 'now'),
    ),
  );
}
