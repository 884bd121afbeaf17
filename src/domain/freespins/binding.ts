import type { Store } from '../../store/store.js';
import type { BindReport, FreeSpinEvent } from './freeSpin.js';

/**
 * Binds players to an event inside the caller's transaction. Players that do not exist, and
 * players bound already, are reported, never refused: the others are bound all the same.
 */
export async function bindPlayers(tx: Store, event: FreeSpinEvent, uids: string[], now: number): Promise<BindReport> {
  const { bound, existing } = await tx.freeSpinGrants.bind(event.agent, event.eventId, event.times, uids, now);
  return {
    failed: uids.filter((uid) => existing.has(uid) && !bound.has(uid)),
    notExisted: uids.filter((uid) => !existing.has(uid)),
  };
}
