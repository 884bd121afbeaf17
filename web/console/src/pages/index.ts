/**
 * Every page of the console, in the order of the navigation. To add a page: write
 * `pages/<name>.ts` exporting a `PageDefinition` (see `audit.ts`), and list it here. Pages with
 * a `:param` path (a room, an event) go in `detailPages`: they have a URL but no entry in the
 * navigation.
 */
import { auditPage } from './audit.js';
import { battlesPage } from './battles.js';
import { overviewPage } from './overview.js';
import { deliveriesPage } from './deliveries.js';
import { deliveryDetailPage } from './deliveryDetail.js';
import { freeSpinEventPage } from './freespinEvent.js';
import { freeSpinsPage } from './freespins.js';
import { freeSpinPlayerPage } from './freespinPlayer.js';
import { categoryPage, giftPage } from './giftPages.js';
import { giftsPage } from './gifts.js';
import { ledgerPage } from './ledger.js';
import { accountPage, transfersPage } from './ledgerTransfers.js';
import { matchPage } from './match.js';
import { matchesPage } from './matches.js';
import { roomPage, roomsPage } from './rooms.js';
import type { PageDefinition } from '../router.js';
import { h } from '../dom.js';

export const navPages: PageDefinition[] = [
  overviewPage,
  battlesPage,
  roomsPage,
  giftsPage,
  freeSpinsPage,
  matchesPage,
  deliveriesPage,
  auditPage,
];

export const detailPages: PageDefinition[] = [
  matchPage,
  ledgerPage,
  transfersPage,
  accountPage,
  freeSpinEventPage,
  freeSpinPlayerPage,
  deliveryDetailPage,
  roomPage,
  giftPage,
  categoryPage,
];

export const notFoundPage: PageDefinition = {
  path: '',
  title: 'Page not found',
  render: () =>
    h(
      'div',
      null,
      h('p', { class: 'state state-empty' }, 'There is no console page at this address.'),
      h('p', null, h('a', { href: '/console' }, 'Go to the overview')),
    ),
};
