import type { OutboundEvent } from '../domain/events.js';
import type { Clock } from '../platform/clock.js';
import type { Deliverer } from './dispatcher.js';

/** Hears each delivery attempt: its topic, outcome and time, and a delivered message's time since it was queued. */
export interface DeliveryObserver {
  attempted(topic: string, delivered: boolean, seconds: number): void;
  delivered(topic: string, secondsSinceQueued: number): void;
}

/** `deliverer`, with each attempt reported to `observer` (an attempt that throws counts as failed). */
export function measured<E extends OutboundEvent>(
  deliverer: Deliverer<E>,
  observer: DeliveryObserver,
  clock: Clock,
): Deliverer<E> {
  // Deliverers are class instances: their methods are forwarded, not copied.
  const onGiveUp = deliverer.onGiveUp;
  return {
    retryDelayMs: (attempts, queuedAt, now) => deliverer.retryDelayMs(attempts, queuedAt, now),
    ...(onGiveUp && { onGiveUp: (message, error) => onGiveUp.call(deliverer, message, error) }),
    deliver: async (message) => {
      const { topic } = message.event;
      const started = performance.now();
      let delivered = false;
      try {
        const result = await deliverer.deliver(message);
        delivered = result.ok;
        return result;
      } finally {
        observer.attempted(topic, delivered, (performance.now() - started) / 1000);
        if (delivered) observer.delivered(topic, Math.max(0, clock.now() - message.queuedAt) / 1000);
      }
    },
  };
}
