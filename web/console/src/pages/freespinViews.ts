/**
 * What the free-spin pages share: the admin API's shapes for JDB events, grants and spins, and
 * the cells that show them (status badges, JDB amounts as exact decimals).
 */
import { get, type Page } from '../api.js';
import { h } from '../dom.js';
import { formatDecimalMoney, formatNumber } from '../format.js';
import { consoleUrl } from '../router.js';

export type EventStatus = 'inactive' | 'active' | 'expired' | 'terminated';

/** An event as `GET /jdb/agents/{parent}/events` renders it (docs/admin.md, "Free spins"). */
export interface FreeSpinEvent {
  eventId: string;
  transactionId: string;
  name: string;
  type: 'normal' | 'feature';
  status: EventStatus;
  times: number;
  bet: string;
  games: Array<{ mType: number; bet: string }>;
  minWithdrawal: string | null;
  maxWithdrawal: string | null;
  currency: string;
  startAt: number;
  endAt: number;
  terminatedAt: number | null;
  settledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Grant {
  uid: string;
  eventId: string;
  times: number;
  remaining: number;
  used: number;
  accumulatedTurnover: string;
  accumulatedWin: string;
  cashout: { amount: string; at: number | null; payoutTransferId: number | null } | null;
  boundAt: number;
  updatedAt: number;
}

export interface Spin {
  historyId: number;
  spinId: string;
  eventId: string;
  uid: string;
  mType: number;
  gType: number;
  bet: string;
  win: string;
  remaining: number;
  accumulatedTurnover: string;
  accumulatedWin: string;
  playedAt: number;
}

export interface JdbAgent {
  parent: string;
  currency: string;
}

export interface JdbGame {
  mType: number;
  name: string;
}

const statusLabels: Record<EventStatus, string> = {
  inactive: 'Not started',
  active: 'Active',
  expired: 'Expired',
  terminated: 'Terminated',
};

const statusClasses: Record<EventStatus, string> = {
  inactive: 'badge-idle',
  active: 'badge-ok',
  expired: 'badge-idle',
  terminated: 'badge-error',
};

export const eventStatusOptions = (Object.keys(statusLabels) as EventStatus[]).map((value) => ({
  value,
  label: statusLabels[value],
}));

export function eventStatusBadge(status: EventStatus): HTMLElement {
  return h('span', { class: `badge ${statusClasses[status]}`, 'data-status': status }, statusLabels[status]);
}

/** A JDB amount (`"12.500"`) in the event's currency, exactly. */
export function jdbMoney(amount: string, currency: string): string {
  return formatDecimalMoney(amount, currency);
}

export function eventUrl(parent: string, eventId: string): string {
  return consoleUrl(`/freespins/${encodeURIComponent(parent)}/events/${encodeURIComponent(eventId)}`);
}

export function playerUrl(parent: string, uid: string, query: Record<string, string> = {}): string {
  return consoleUrl(`/freespins/${encodeURIComponent(parent)}/players/${encodeURIComponent(uid)}`, query);
}

/** `used / granted` spins. */
export function spinsText(used: number, granted: number): string {
  return `${formatNumber(used)} / ${formatNumber(granted)}`;
}

/** Every configured agent and game (the filters offer them); both are short configured lists. */
export async function loadTenants(signal: AbortSignal): Promise<{ agents: JdbAgent[]; games: JdbGame[] }> {
  const [agents, games] = await Promise.all([
    get<Page<JdbAgent>>('/jdb/agents', { limit: 500 }, signal),
    get<Page<JdbGame>>('/jdb/games', { limit: 500 }, signal),
  ]);
  return { agents: agents.items, games: games.items };
}
