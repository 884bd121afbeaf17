/**
 * Rooms: an app's live rooms (`GET /admin/v1/tencent/apps/{sdkAppId}/rooms`, filtered by owner
 * and by whether a battle is running in them), and a room's own page
 * (`…/rooms/{roomId}`): its settings, metadata, gift totals, top gift senders and battles.
 */
import { get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { listTable } from '../components/listTable.js';
import { emptyState } from '../components/states.js';
import { type Child, h } from '../dom.js';
import { formatDuration, timeElement } from '../format.js';
import { formatNumber } from '../money.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { appPicker, chosenApp, tencentApps } from './tencentApps.js';

interface Room {
  sdkAppId: number;
  roomId: string;
  type: string;
  name: string;
  ownerId: string;
  maxMembers: number;
  coverUrl: string;
  backgroundUrl: string;
  messagesDisabled: boolean;
  publicVisible: boolean;
  seatEnabled: boolean;
  seatMode: 'free' | 'apply';
  maxSeats: number;
  seatTemplate: string;
  keepOwnerOnSeat: boolean;
  unlimitedMembers: boolean;
  categories: number[];
  activityStatus: number;
  notice: string;
  customInfo: string;
  giftsEnabled: boolean;
  viewCount: number;
  createdAt: number;
  updatedAt: number;
}

interface Battle {
  battleId: string;
  fromRoomId: string;
  operatorId: string;
  status: 'running' | 'ended';
  durationMs: number;
  startedAt: number;
  endsAt: number;
  endedAt: number | null;
  endReason: 'time_up' | 'ended_by_admin' | 'room_destroyed' | null;
  rooms: Array<{ roomId: string; ownerId: string; score: number }>;
}

interface RoomDetails {
  room: Room;
  metadata: Array<{ key: string; value: string }>;
  gifts: { sends: number; count: number; coins: number; senders: number };
  topSenders: Array<{ senderId: string; count: number; coins: number }>;
  battles: Battle[];
}

const fields: FilterField[] = [
  { kind: 'text', name: 'ownerId', label: 'Owner', placeholder: 'host-anna' },
  {
    kind: 'select',
    name: 'inBattle',
    label: 'In a battle',
    options: [
      { value: '', label: 'Any' },
      { value: 'true', label: 'In a battle now' },
      { value: 'false', label: 'Not in a battle' },
    ],
  },
];

export const roomUrl = (app: number | string, roomId: string) =>
  consoleUrl(`/rooms/${app}/${encodeURIComponent(roomId)}`);

export const roomsPage: PageDefinition = {
  path: '/rooms',
  title: 'Rooms',
  async render({ query, signal, navigate }) {
    const apps = await tencentApps(signal);
    const current = chosenApp(apps, query);
    if (!current) return emptyState('No Tencent app is configured: add one under tencent.apps in the config file.');
    const app = String(current.sdkAppId);
    const filters = filterValues(fields, query);
    return h(
      'div',
      null,
      h(
        'p',
        { class: 'lead' },
        "An app's live rooms, newest first. Open a room for its gifts, top senders and battles.",
      ),
      appPicker(apps, current, (sdkAppId) => navigate(consoleUrl('/rooms', { ...filters, app: sdkAppId }))),
      filterForm(fields, query, (values) => navigate(consoleUrl('/rooms', { ...values, app }))),
      listTable<Room>({
        caption: `Rooms of app ${app}, newest first`,
        empty: Object.keys(filters).length > 0 ? 'No rooms match these filters.' : 'No rooms in this app yet.',
        signal,
        key: (room) => room.roomId,
        load: (cursor, signal) =>
          get<Page<Room>>(`/tencent/apps/${app}/rooms`, { ...filters, limit: query.get('limit'), cursor }, signal),
        columns: [
          {
            header: 'Room',
            cell: (room) => [
              h('a', { href: roomUrl(app, room.roomId) }, h('code', null, room.roomId)),
              room.name !== room.roomId && h('div', null, room.name),
            ],
          },
          { header: 'Owner', cell: (room) => h('code', null, room.ownerId) },
          { header: 'Viewers', className: 'num', cell: (room) => formatNumber(room.viewCount) },
          {
            header: 'Gifts',
            cell: (room) =>
              h('span', { class: `badge ${room.giftsEnabled ? 'badge-ok' : ''}` }, room.giftsEnabled ? 'on' : 'off'),
          },
          { header: 'Created', cell: (room) => timeElement(room.createdAt) },
        ],
      }),
    );
  },
};

export const roomPage: PageDefinition = {
  path: '/rooms/:app/:roomId',
  title: 'Room',
  async render({ params, signal }) {
    const { app, roomId } = params as { app: string; roomId: string };
    const details = await get<RoomDetails>(
      `/tencent/apps/${app}/rooms/${encodeURIComponent(roomId)}`,
      undefined,
      signal,
    );
    const { room, metadata, gifts, topSenders, battles } = details;
    return h(
      'div',
      { class: 'room-page' },
      h('p', { class: 'back-link' }, h('a', { href: consoleUrl('/rooms', { app }) }, `← Rooms of app ${app}`)),
      h(
        'p',
        { class: 'lead' },
        h('code', null, room.roomId),
        room.name !== room.roomId && ` “${room.name}”`,
        ', owned by ',
        h('code', null, room.ownerId),
        '.',
      ),
      h(
        'div',
        { class: 'stat-row' },
        stat('Gift sends', formatNumber(gifts.sends)),
        stat('Gifts', formatNumber(gifts.count)),
        stat('Coins', formatNumber(gifts.coins)),
        stat('Senders', formatNumber(gifts.senders)),
        stat('Viewers', formatNumber(room.viewCount)),
      ),
      h(
        'div',
        { class: 'room-columns' },
        h(
          'section',
          { 'aria-labelledby': 'room-senders' },
          h('h2', { id: 'room-senders' }, 'Top gift senders'),
          topSenders.length === 0
            ? emptyState('No gifts sent into this room yet.')
            : smallTable(
                'Top gift senders by coins',
                ['#', 'Sender', 'Gifts', 'Coins'],
                topSenders.map((sender, i) => [
                  formatNumber(i + 1),
                  h('code', null, sender.senderId),
                  formatNumber(sender.count),
                  formatNumber(sender.coins),
                ]),
                'top-senders',
                [0, 2, 3],
              ),
        ),
        h(
          'section',
          { 'aria-labelledby': 'room-info' },
          h('h2', { id: 'room-info' }, 'Room'),
          h(
            'dl',
            { class: 'room-facts' },
            fact('Type', room.type),
            fact('Created', timeElement(room.createdAt)),
            fact('Changed', timeElement(room.updatedAt)),
            fact('Members', room.unlimitedMembers ? 'unlimited' : `at most ${formatNumber(room.maxMembers)}`),
            fact(
              'Seats',
              room.seatEnabled
                ? `${formatNumber(room.maxSeats)}, ${room.seatMode === 'free' ? 'free to take' : 'on approval'}${room.seatTemplate ? ` (${room.seatTemplate})` : ''}`
                : 'off',
            ),
            fact('Gifts', room.giftsEnabled ? 'allowed' : 'switched off'),
            fact('Messages', room.messagesDisabled ? 'muted' : 'allowed'),
            fact('Public', room.publicVisible ? 'yes' : 'no'),
            fact('Categories', room.categories.length > 0 ? room.categories.join(', ') : 'none'),
            fact('Activity status', String(room.activityStatus)),
            room.notice && fact('Notice', room.notice),
            room.customInfo && fact('Custom info', h('code', null, room.customInfo)),
            room.coverUrl && fact('Cover', h('code', null, room.coverUrl)),
            room.backgroundUrl && fact('Background', h('code', null, room.backgroundUrl)),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'room-metadata' },
        h('h2', { id: 'room-metadata' }, 'Metadata'),
        metadata.length === 0
          ? emptyState('No metadata set.')
          : smallTable(
              'Room metadata by key',
              ['Key', 'Value'],
              metadata.map((m) => [h('code', null, m.key), m.value]),
              'metadata',
            ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'room-battles' },
        h('h2', { id: 'room-battles' }, 'Battles'),
        battles.length === 0
          ? emptyState('This room has not been in a battle.')
          : smallTable(
              'The room’s newest battles',
              ['Started', 'Status', 'Scores', 'Length'],
              battles.map((battle) => [
                timeElement(battle.startedAt),
                battleStatus(battle),
                scoreboard(battle, roomId, app),
                formatDuration(battle.durationMs),
              ]),
              'battles',
            ),
        battles.length === 10 && h('p', { class: 'muted small' }, 'The 10 newest battles.'),
      ),
    );
  },
};

function battleStatus(battle: Battle): Node {
  if (battle.status === 'running') return h('span', { class: 'badge badge-ok' }, 'running');
  const reason = { time_up: 'time up', ended_by_admin: 'ended by an admin', room_destroyed: 'room destroyed' };
  return h('span', null, h('span', { class: 'badge' }, 'ended'), battle.endReason && ` ${reason[battle.endReason]}`);
}

/** The rooms and scores, this room's in bold, the winner marked when the battle is over. */
function scoreboard(battle: Battle, roomId: string, app: string): Node {
  const top = Math.max(...battle.rooms.map((r) => r.score));
  const winners = battle.rooms.filter((r) => r.score === top);
  return h(
    'ul',
    { class: 'scoreboard' },
    battle.rooms.map((r) =>
      h(
        'li',
        { class: r.roomId === roomId ? 'this-room' : null },
        r.roomId === roomId
          ? h('code', null, r.roomId)
          : h('a', { href: roomUrl(app, r.roomId) }, h('code', null, r.roomId)),
        ' ',
        formatNumber(r.score),
        battle.status === 'ended' &&
          winners.length === 1 &&
          winners[0] === r &&
          h('span', { class: 'badge badge-ok' }, 'won'),
      ),
    ),
  );
}

function stat(label: string, value: string): Node {
  return h(
    'div',
    { class: 'stat' },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
  );
}

function fact(label: string, value: Child): Child[] {
  return [h('dt', null, label), h('dd', null, value)];
}

function smallTable(caption: string, headers: string[], rows: Child[][], id: string, numeric: number[] = []): Node {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'list compact', id },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((cell, i) =>
              h('td', { 'data-label': headers[i]!, class: numeric.includes(i) ? 'num' : null }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}
