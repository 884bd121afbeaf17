/**
 * Audit: the admin audit log (`GET /admin/v1/audit`), newest first, filtered by actor, route,
 * outcome and time. The pattern for a listing page: filters in the URL, a `listTable` over the
 * listing, cells made with the formatting helpers.
 */
import { get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { h } from '../dom.js';
import { timeElement } from '../format.js';
import { consoleUrl, type PageDefinition } from '../router.js';

/** An entry as the admin API renders it (docs/admin.md, "Audit log"). */
interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  method: string;
  route: string;
  target: Record<string, string>;
  body: string | null;
  bodyTruncated: boolean;
  outcome: 'ok' | 'error';
  status: number;
  errorCode: string | null;
}

const fields: FilterField[] = [
  { kind: 'text', name: 'actor', label: 'Actor', placeholder: 'ops or token:1a2b3c4d' },
  { kind: 'text', name: 'route', label: 'Route', placeholder: '/ledger/deposits' },
  {
    kind: 'select',
    name: 'outcome',
    label: 'Outcome',
    options: [
      { value: '', label: 'Any' },
      { value: 'ok', label: 'Succeeded' },
      { value: 'error', label: 'Refused' },
    ],
  },
  { kind: 'time', name: 'from', label: 'From' },
  { kind: 'time', name: 'to', label: 'Before' },
];

export const auditPage: PageDefinition = {
  path: '/audit',
  title: 'Audit',
  render({ query, signal, navigate }) {
    const filters = filterValues(fields, query);
    return h(
      'div',
      null,
      h(
        'p',
        { class: 'lead' },
        'Every write made through the admin API (this console included), with who made it and how it ended. Reads are not recorded.',
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/audit', values))),
      listTable<AuditEntry>({
        caption: 'Admin audit log, newest first',
        empty: Object.keys(filters).length > 0 ? 'No audit entries match these filters.' : 'No admin writes yet.',
        signal,
        key: (entry) => String(entry.id),
        // `?limit=` in the page URL sets the page size (the API's default is 100).
        load: (cursor, signal) =>
          get<Page<AuditEntry>>('/audit', { ...filters, limit: query.get('limit'), cursor }, signal),
        columns: [
          { header: 'Time', cell: (entry) => timeElement(entry.at) },
          { header: 'Actor', cell: (entry) => h('code', null, entry.actor) },
          {
            header: 'Request',
            cell: (entry) => [
              h('span', { class: `method method-${entry.method.toLowerCase()}` }, entry.method),
              ' ',
              h('code', null, entry.route),
              Object.keys(entry.target).length > 0 &&
                h(
                  'div',
                  { class: 'muted small' },
                  Object.entries(entry.target)
                    .map(([name, value]) => `${name} = ${value}`)
                    .join(', '),
                ),
            ],
          },
          {
            header: 'Outcome',
            cell: (entry) =>
              h(
                'span',
                { class: `badge ${entry.outcome === 'ok' ? 'badge-ok' : 'badge-error'}` },
                entry.outcome === 'ok' ? `OK ${entry.status}` : `${entry.status} ${entry.errorCode ?? 'error'}`,
              ),
          },
          {
            header: 'Body',
            cell: (entry) =>
              entry.body === null
                ? h('span', { class: 'muted' }, 'none')
                : h(
                    'details',
                    null,
                    h('summary', null, entry.bodyTruncated ? 'Show (cut)' : 'Show'),
                    h('pre', { class: 'body' }, prettyJson(entry.body)),
                  ),
          },
        ],
      }),
    );
  },
};

/** The body indented when it is JSON, as recorded otherwise. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
