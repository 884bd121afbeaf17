import type { Battle, ScoreChange } from './battles/battle.js';
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

export type OutboundEvent = RoomOutboundEvent | MatchOutboundEvent;

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

/** Match events, for the game that plays the match (its match-info endpoint). */
export type MatchOutboundEvent =
  | { topic: 'match.created'; at: number; clientId: string; matchId: string }
  | { topic: 'match.forfeited'; at: number; clientId: string; matchId: string; teamId: string };

/** Publishes live events to every process's subscribers. */
export interface LiveEventPublisher {
  publish(event: LiveEvent): void;
}

/** Which tenants want outbound events (those with a callback receiver configured). */
export interface OutboundSubscriptions {
  wants(appId: number): boolean;
}
