import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/store.js';
import type { FreeSpinCatalog } from './catalog.js';
import { badParameter } from './errors.js';
import { checkNewPlayerIds } from './rules.js';

/** Players of an agent (free-spin events bind existing players only). */
export class FreeSpinPlayerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: FreeSpinCatalog,
  ) {}

  /** Creates the players that do not exist yet, in one statement; existing ones are listed back. */
  async create(agentId: string, uids: string[]): Promise<{ created: number; existing: string[] }> {
    this.catalog.agent(agentId);
    if (uids.length === 0) throw badParameter('players', 'must not be empty');
    checkNewPlayerIds(uids);
    const created = new Set(await this.store.freeSpinPlayers.create(agentId, uids, this.clock.now()));
    return { created: created.size, existing: uids.filter((uid) => !created.has(uid)) };
  }
}
