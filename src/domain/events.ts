import type { Battle, ScoreChange } from './battles/battle.js';
import type { Payout, SpinRecord } from './freespins/freeSpin.js';
import type { Transfer } from './ledger/ledger.js';
import type { DeliveryStatus, OutboundScope } from './outbound.js';
import type { Room, RoomStatistic } from './rooms/room.js';

/**
 * What happened, in Ringside's own words. Live events go to connected subscribers at once
 * (best effort); outbound events go through the outbox to the tenant's callback receiver
 * (at least once). Each surface renders them in its own format.
 */
export type LiveEvent =
  | { type: 'battle.started'; at: number; battle: Battle }
  | {
      type: 'battle.scores';
      at: number;
      appId: number;
      battleId: string;
      scores: Array<ScoreChange & { ownerId: string }>;
    }
  | { type: 'battle.ended'; at: number; battle: Battle };

/** Everything that leaves through the outbox. */
export type OutboundEvent = RoomOutboundEvent | FreeSpinOutboundEvent | MatchOutboundEvent;

/** Live-room events, for the tenant's callback receiver. */
export type RoomOutboundEvent =
  | { topic: 'battle.created'; at: number; battle: Battle }
  | { topic: 'battle.started'; at: number; battle: Battle }
  | { topic: 'battle.ended'; at: number; battle: Battle }
  | { topic: 'room.created'; at: number; operatorId: string; room: Room }
  | {
      topic: 'room.destroyed';
      at: number;
      operatorId: string;
      room: Room;
      statistic: RoomStatistic;
      bySystem: boolean;
    };

/** What free-spin campaigns send to an agent's wallet (through the outbox). */
export type FreeSpinOutboundEvent =
  | { topic: 'freespin.payout'; at: number; payout: Payout }
  | { topic: 'freespin.spin'; at: number; spin: SpinRecord; currency: string; eventName: string };

/** Match events, for the game that plays the match (its match-info endpoint). */
export type MatchOutboundEvent =
  | { topic: 'match.created'; at: number; clientId: string; matchId: string }
  | { topic: 'match.forfeited'; at: number; clientId: string; matchId: string; teamId: string };

/** Publishes live events to every process's subscribers. */
export interface LiveEventPublisher {
  publish(event: LiveEvent): void;
}

/** Which live-room events each app's callback receiver wants (asked before queueing one). */
export interface OutboundSubscriptions {
  wants(appId: number, topic: RoomOutboundEvent['topic']): boolean;
}

/**
 * What operators watch besides live events (the admin event stream): a delivery that changed
 * state, and money that moved. Published after the change committed, best effort like live events.
 */
export type AdminEvent =
  | {
      type: 'delivery.state';
      at: number;
      delivery: {
        id: number;
        topic: OutboundEvent['topic'];
        scope: OutboundScope;
        status: DeliveryStatus;
        attempts: number;
        /** Why the latest attempt failed (pending, dead or cancelled). */
        lastError: string | null;
        /** When a pending delivery is next tried. */
        nextAttemptAt: number | null;
        /** What put it back in line, when an operator did. */
        requeuedBy: 'retry' | 'replay' | null;
      };
    }
  | { type: 'ledger.transfer'; at: number; transfer: Transfer };

/** Publishes admin events to every process's admin stream. */
export interface AdminEventPublisher {
  publish(event: AdminEvent): void;
}
