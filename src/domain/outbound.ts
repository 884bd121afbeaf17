import { uniqueHex32 } from '../platform/ids.js';
import type { Store } from '../store/store.js';
import type { OutboundEvent } from './events.js';

/**
 * Writes an outbound event to the outbox of the transaction `tx`, so it is sent if and only if
 * the change commits. Its event id is stable across delivery attempts.
 */
export async function recordOutbound(tx: Store, scope: string, event: OutboundEvent): Promise<void> {
  await tx.outbox.add({ eventId: uniqueHex32(), topic: event.topic, scope, payload: JSON.stringify(event) }, event.at);
}

/** The outbox scope of a live-room app's events. */
export const appScope = (appId: number) => `app:${appId}`;
/** The outbox scope of a free-spin agent's messages. */
export const agentScope = (agentId: string) => `agent:${agentId}`;
/** The outbox scope of a game client's match events. */
export const clientScope = (clientId: string) => `client:${clientId}`;
