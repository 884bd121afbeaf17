import { uniqueHex32 } from '../platform/ids.js';
import type { Store } from '../store/store.js';
import type { AdminEvent, FreeSpinOutboundEvent, OutboundEvent, RoomOutboundEvent } from './events.js';

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

/** Who asked for an attempt: the dispatcher's own schedule, or an operator's retry or replay. */
export type AttemptRequester = 'schedule' | 'retry' | 'replay';

/** An outbound event in the outbox, with where it stands in its delivery. */
export interface OutboxMessage<E extends OutboundEvent = OutboundEvent> {
  id: number;
  /** The same on every attempt, so a receiver can drop duplicates. */
  eventId: string;
  scope: ScopeOf<E>;
  event: E;
  status: DeliveryStatus;
  /** Attempts started since it was queued (claiming a message for delivery counts as one). */
  attempts: number;
  /** When it is due (for a pending message). */
  nextAttemptAt: number;
  /** Until when a dispatcher holds it (an attempt is in flight while this is in the future). */
  claimedUntil: number;
  lastError: string | undefined;
  /** When it was written (never changes). */
  createdAt: number;
  /** When it was written, or put back in line by an operator: retry windows count from here. */
  queuedAt: number;
  /** Set while an operator's retry or replay waits for its attempt. */
  requeuedBy: Exclude<AttemptRequester, 'schedule'> | undefined;
  deliveredAt: number | undefined;
  /** The URL of the latest attempt (secrets redacted), if any attempt sent anything. */
  targetUrl: string | undefined;
}

/** Whether a sender holds the message right now: an attempt is under way (or its claim has not lapsed). */
export function isInFlight(message: OutboxMessage, now: number): boolean {
  return message.status === 'pending' && message.claimedUntil > now;
}

/**
 * What an attempt came to: `delivered` (the receiver accepted it), `failed`, or `not_sent`
 * (there was nothing to send any more, e.g. a match decided since; counted as delivered).
 */
export type AttemptOutcome = 'delivered' | 'failed' | 'not_sent';

/** One attempt to deliver an outbox message, as the delivery log keeps it. */
export interface DeliveryAttempt {
  deliveryId: number;
  /** When it started. */
  at: number;
  requestedBy: AttemptRequester;
  outcome: AttemptOutcome;
  /** Where it was sent (secrets in the query redacted); undefined when nothing was sent. */
  url: string | undefined;
  /** The receiver's HTTP status; undefined when no answer came. */
  httpStatus: number | undefined;
  latencyMs: number | undefined;
  /** The first bytes (at most 512) of the answer. */
  answerHead: string | undefined;
  /** Why it failed (an HTTP status, a network error, a refusal in the answer), or why nothing was sent. */
  detail: string | undefined;
}

/** Where a message goes after an attempt. */
export type AfterAttempt =
  | { status: 'delivered'; at: number }
  | { status: 'pending'; nextAttemptAt: number; error: string }
  | { status: 'dead' | 'cancelled'; error: string };

/** Which deliveries a listing holds (every field optional; all given must hold). */
export interface DeliveryFilter {
  topic?: OutboundEvent['topic'];
  status?: DeliveryStatus;
  scope?: OutboundScope;
  /** Created at or after (epoch ms). */
  from?: number;
  /** Created before (epoch ms). */
  to?: number;
}

/**
 * Writes an outbound event to the outbox of the transaction `tx`, so it is sent if and only if
 * the change commits. Its event id is stable across delivery attempts.
 */
export async function recordOutbound<E extends OutboundEvent>(tx: Store, scope: ScopeOf<E>, event: E): Promise<void> {
  await tx.outbox.add({ eventId: uniqueHex32(), scope, event }, event.at);
}

/** Writes outbound events of one tenant to the outbox of `tx` in one statement, in their order (see recordOutbound). */
export async function recordOutbounds<E extends OutboundEvent>(
  tx: Store,
  scope: ScopeOf<E>,
  events: readonly E[],
  now: number,
): Promise<void> {
  await tx.outbox.addMany(
    events.map((event) => ({ eventId: uniqueHex32(), scope, event })),
    now,
  );
}

/** The outbox scope of a live-room app's events. */
export const appScope = (appId: number): AppScope => ({ kind: 'app', appId });
/** The outbox scope of a free-spin agent's messages. */
export const agentScope = (agentId: string): AgentScope => ({ kind: 'agent', agentId });
/** The outbox scope of a game client's match events. */
export const clientScope = (clientId: string): ClientScope => ({ kind: 'client', clientId });

/** The admin event telling that `message` is now in the state it holds. */
export function deliveryStateEvent(message: OutboxMessage, at: number): AdminEvent {
  return {
    type: 'delivery.state',
    at,
    delivery: {
      id: message.id,
      topic: message.event.topic,
      scope: message.scope,
      status: message.status,
      attempts: message.attempts,
      lastError: message.lastError ?? null,
      nextAttemptAt: message.status === 'pending' ? message.nextAttemptAt : null,
      requeuedBy: message.requeuedBy ?? null,
    },
  };
}
