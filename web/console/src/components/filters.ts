/**
 * A listing's filters as a form whose values live in the page URL's query: applying them
 * navigates to the same page with the new query, so a reload, a shared link and the back button
 * keep them. Time fields are shown in the viewer's zone and kept in the URL as epoch ms, as the
 * admin API takes them.
 */
import { h } from '../dom.js';
import { fromLocalInput, toLocalInput } from '../format.js';

export type FilterField =
  | { kind: 'text'; name: string; label: string; placeholder?: string }
  | { kind: 'select'; name: string; label: string; options: Array<{ value: string; label: string }> }
  | { kind: 'time'; name: string; label: string };

/** The filter values of `query` for `fields` (empty ones left out), as the admin API's query. */
export function filterValues(fields: FilterField[], query: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = query.get(field.name);
    if (value !== null && value !== '') values[field.name] = value;
  }
  return values;
}

/**
 * The filter form in a disclosure: open on a wide screen, folded on a phone (where it would push
 * the list below the fold) unless a filter is set.
 */
export function filterForm(
  fields: FilterField[],
  query: URLSearchParams,
  apply: (values: Record<string, string>) => void,
): HTMLDetailsElement {
  const active = Object.keys(filterValues(fields, query)).length;
  const wide = window.matchMedia('(min-width: 761px)').matches;
  return h(
    'details',
    { class: 'filters-box', open: wide || active > 0 },
    h('summary', null, active > 0 ? `Filters (${active} set)` : 'Filters'),
    filterFields(fields, query, apply),
  );
}

function filterFields(
  fields: FilterField[],
  query: URLSearchParams,
  apply: (values: Record<string, string>) => void,
): HTMLFormElement {
  const controls = fields.map((field) => {
    const id = `filter-${field.name}`;
    const value = query.get(field.name) ?? '';
    let control: HTMLInputElement | HTMLSelectElement;
    if (field.kind === 'select') {
      control = h(
        'select',
        { id, name: field.name },
        field.options.map((option) =>
          h('option', { value: option.value, selected: option.value === value }, option.label),
        ),
      );
    } else if (field.kind === 'time') {
      const ms = Number(value);
      control = h('input', {
        id,
        name: field.name,
        type: 'datetime-local',
        value: value !== '' && Number.isFinite(ms) ? toLocalInput(ms) : '',
      });
    } else {
      control = h('input', { id, name: field.name, type: 'search', value, placeholder: field.placeholder });
    }
    return { field, control, label: h('label', { class: 'field' }, h('span', null, field.label), control) };
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    controls.map(({ label }) => label),
    h(
      'div',
      { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Apply'),
      h('button', { type: 'button', class: 'button', onclick: () => apply({}) }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    for (const { field, control } of controls) {
      const raw = control.value.trim();
      if (raw === '') continue;
      if (field.kind === 'time') {
        const ms = fromLocalInput(raw);
        if (ms !== undefined) values[field.name] = String(ms);
      } else {
        values[field.name] = raw;
      }
    }
    apply(values);
  });
  return form;
}
