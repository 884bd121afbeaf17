/** A page that is planned but not built yet: says so, and which admin routes it will show. */
import { h } from '../dom.js';
import type { PageDefinition } from '../router.js';

export function placeholderPage(path: string, title: string, what: string, routes: string[]): PageDefinition {
  return {
    path,
    title,
    render: () =>
      h(
        'div',
        { class: 'placeholder' },
        h('p', { class: 'lead' }, what),
        h('p', { class: 'state state-empty' }, 'This page is not built yet.'),
        h('p', { class: 'muted' }, 'It will read:'),
        h(
          'ul',
          { class: 'muted' },
          routes.map((route) => h('li', null, h('code', null, route))),
        ),
      ),
  };
}
