import { uniqueHex32 } from '../platform/ids.js';
import type { Store } from '../store/store.js';
import type { FreeSpinOutboundEvent, OutboundEvent, RoomOutboundEvent } from './events.js';

/** A live-room app: its callback receiver gets the app's room and battle events. */
export interface AppScope {
  kind: 'app';
  appId: number;
}

/** A free-spin agent: its wallet gets the agent's payouts and spin records. */
export interface AgentScope {
  kind: 'agent';
  agentId: string;
}

/** A game client: its match-info endpoint gets the client's match events. */
export interface ClientScope {
  kind: 'client';
  clientId: string;
}

/** The tenant an outbound message belongs to, whose receiver it is sent to. */
export type OutboundScope = AppScope | AgentScope | ClientScope;

/** The kind of tenant each family of outbound events belongs to. */
export type ScopeOf<E extends OutboundEvent> = E extends RoomOutboundEvent
  ? AppScope
  : E extends FreeSpinOutboundEvent
    ? AgentScope
    : ClientScope;

/** `dead`: given up on (an operator may retry it); `cancelled`: the receiver no longer wants it. */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** An outbound event in the outbox, with where it stands in its delivery. */
export interface OutboxMessage<E extends OutboundEvent = OutboundEvent> {
  id: number;
  /** The same on every attempt, so a receiver can drop duplicates. */
  eventId: string;
  scope: ScopeOf<E>;
  event: E;
  status: DeliveryStatus;
  /** Attempts started so far (claiming a message for delivery counts as one). */
  attempts: number;
  /** When it is due (for a pending message). */
  nextAttemptAt: number;
  lastError: string | undefined;
  /** When it was written, or put back in line by an operator: retry windows count from here. */
  queuedAt: number;
  deliveredAt: number | undefined;
}

/**
 * Writes an outbound event to the outbox of the transaction `tx`, so it is sent if and only if
 * the change commits. Its event id is stable across delivery attempts.
 */
export async function recordOutbound<E extends OutboundEvent>(tx: Store, scope: ScopeOf<E>, event: E): Promise<void> {
  await tx.outbox.add({ eventId: uniqueHex32(), scope, event }, event.at);
}

/** The outbox scope of a live-room app's events. */
export const appScope = (appId: number): AppScope => ({ kind: 'app', appId });
/** The outbox scope of a free-spin agent's messages. */
export const agentScope = (agentId: string): AgentScope => ({ kind: 'agent', agentId });
/** The outbox scope of a game client's match events. */
export const clientScope = (clientId: string): ClientScope => ({ kind: 'client', clientId });
