import { DomainError } from '../../platform/errors.js';
import { badParameter } from './errors.js';
import type { Agent, Game } from './freeSpin.js';

/** The agents and games free-spin events are made of (from config). */
export class FreeSpinCatalog {
  private readonly agentsById: Map<string, Agent>;
  private readonly gamesById: Map<number, Game>;

  constructor(
    agents: Agent[],
    readonly games: Game[],
  ) {
    this.agentsById = new Map(agents.map((agent) => [agent.id, agent]));
    this.gamesById = new Map(games.map((game) => [game.id, game]));
  }

  agent(id: string): Agent {
    const agent = this.agentsById.get(id);
    if (!agent) throw new DomainError('agent_not_found', `agent ${id} does not exist`, { field: 'agent' });
    return agent;
  }

  game(id: number): Game | undefined {
    return this.gamesById.get(id);
  }

  /** The games of an event, in the order given; each must be in the catalog, once. */
  eventGames(ids: number[]): Game[] {
    if (ids.length === 0) throw badParameter('games', 'must not be empty');
    if (new Set(ids).size !== ids.length) throw badParameter('games', 'holds a game more than once');
    return ids.map((id) => {
      const game = this.gamesById.get(id);
      if (!game) throw badParameter('games', `holds an unknown game ${id}`);
      return game;
    });
  }
}
