/**
 * Every page of the console, in the order of the navigation. To add a page: write
 * `pages/<name>.ts` exporting a `PageDefinition` (see `audit.ts`), and put it here in place of
 * its placeholder. Pages with a `:param` path (a room, an event) go in `detailPages`: they have a
 * URL but no entry in the navigation.
 */
import { auditPage } from './audit.js';
import { categoryPage, giftPage } from './giftPages.js';
import { giftsPage } from './gifts.js';
import { ledgerPage } from './ledger.js';
import { accountPage, transfersPage } from './ledgerTransfers.js';
import { matchPage } from './match.js';
import { matchesPage } from './matches.js';
import { roomPage, roomsPage } from './rooms.js';
import { placeholderPage } from './placeholder.js';
import type { PageDefinition } from '../router.js';
import { h } from '../dom.js';

export const navPages: PageDefinition[] = [
  placeholderPage(
    '/',
    'Overview',
    'Per app, agent and client: rooms, running battles, active free-spin events and open matches; outbox health; gifts and score updates per second.',
    ['GET /admin/v1/overview', 'GET /admin/v1/tencent/apps', 'GET /admin/v1/jdb/agents', 'GET /admin/v1/oklp/clients'],
  ),
  placeholderPage(
    '/battles',
    'Live battles',
    'Running battles with their scores updating live, time left, and ended battles with their winner.',
    ['GET /admin/v1/tencent/battles', 'GET /admin/v1/events (battle.started, battle.scores, battle.ended)'],
  ),
  roomsPage,
  giftsPage,
  placeholderPage(
    '/freespins',
    'Free spins',
    "Free-spin events; an event's players, spins, cashouts and payouts; terminating an event.",
    ['GET /admin/v1/jdb/agents/{parent}/events'],
  ),
  matchesPage,
  placeholderPage(
    '/deliveries',
    'Deliveries',
    'Every callback, payout and match push with its attempts; retry, replay and test send.',
    ['GET /admin/v1/deliveries', 'POST /admin/v1/deliveries/{id}/retry', 'POST /admin/v1/deliveries/{id}/replay'],
  ),
  auditPage,
];

export const detailPages: PageDefinition[] = [
  matchPage,
  ledgerPage,
  transfersPage,
  accountPage,
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
