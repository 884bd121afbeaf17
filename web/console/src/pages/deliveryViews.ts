/** What the delivery pages share: the admin API's delivery shapes and the cells that show them. */
import { h } from '../dom.js';
import { consoleUrl } from '../router.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

export type DeliveryScope =
  { kind: 'app'; appId: number } | { kind: 'agent'; agentId: string } | { kind: 'client'; clientId: string };

/** A delivery as `GET /deliveries` renders it (docs/admin.md, "Deliveries"). */
export interface Delivery {
  id: number;
  eventId: string;
  topic: string;
  scope: DeliveryScope;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  inFlight: boolean;
  lastError: string | null;
  targetUrl: string | null;
  createdAt: number;
  queuedAt: number;
  deliveredAt: number | null;
  payload: Record<string, unknown>;
}

export interface Attempt {
  at: number;
  requestedBy: 'schedule' | 'retry' | 'replay';
  outcome: 'delivered' | 'failed' | 'not_sent';
  url: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  answerHead: string | null;
  error: string | null;
  note: string | null;
}

export interface DeliveryDetail extends Delivery {
  attemptHistory: Attempt[];
  moreAttempts: boolean;
}

/** The `delivery` of a `delivery.state` event of the admin event stream. */
export interface DeliveryState {
  id: number;
  topic: string;
  scope: DeliveryScope;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  requeuedBy: 'retry' | 'replay' | null;
}

export const topics = [
  ['room.created', 'Room created (Tencent callback)'],
  ['room.destroyed', 'Room destroyed (Tencent callback)'],
  ['battle.created', 'Battle created (Tencent callback)'],
  ['battle.started', 'Battle started (Tencent callback)'],
  ['battle.ended', 'Battle ended (Tencent callback)'],
  ['freespin.payout', 'Free-spin payout (JDB Action 16)'],
  ['freespin.spin', 'Free-spin record (JDB)'],
  ['match.created', 'Match created (OkLetsPlay push)'],
  ['match.forfeited', 'Match forfeited (OkLetsPlay push)'],
] as const;

const statusLabels: Record<DeliveryStatus, [string, string]> = {
  pending: ['Pending', 'badge-idle'],
  delivered: ['Delivered', 'badge-ok'],
  dead: ['Dead', 'badge-error'],
  cancelled: ['Cancelled', 'badge-idle'],
};

export const deliveryStatusOptions = (Object.keys(statusLabels) as DeliveryStatus[]).map((value) => ({
  value,
  label: statusLabels[value][0],
}));

export function deliveryStatusBadge(status: DeliveryStatus): HTMLElement {
  const [label, cls] = statusLabels[status];
  return h('span', { class: `badge ${cls}`, 'data-status': status }, label);
}

export function scopeText(scope: DeliveryScope): string {
  if (scope.kind === 'app') return `app ${scope.appId}`;
  if (scope.kind === 'agent') return `agent ${scope.agentId}`;
  return `client ${scope.clientId}`;
}

export function deliveryUrl(id: number): string {
  return consoleUrl(`/deliveries/${id}`);
}

/** Retry applies to pending and dead deliveries, replay to delivered and dead ones (the API's rule). */
export const canRetry = (status: DeliveryStatus) => status === 'pending' || status === 'dead';
export const canReplay = (status: DeliveryStatus) => status === 'delivered' || status === 'dead';
