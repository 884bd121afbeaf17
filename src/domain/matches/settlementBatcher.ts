import type { Clock } from '../../platform/clock.js';
import { KeyedBatcher, type Outcome } from '../../platform/keyedBatcher.js';
import type { Store } from '../../store/store.js';
import type { LedgerService } from '../ledger/ledgerService.js';
import type { Decision, Settlement, StoredMatch, SyncResult } from './match.js';
import { payouts } from './transfers.js';

/** A result a caller wants a live match decided by, as it read the match. */
interface Proposal {
  match: StoredMatch;
  settlement: Settlement;
  result: SyncResult;
}

/**
 * Settles the synchronous results reported at the same time together, per currency (see
 * KeyedBatcher): one transaction decides every match of the batch with one conditional
 * statement, each only if it is still live at the revision its caller read, then moves the
 * money of those it decided with one ledger movement. Every settlement of a currency changes
 * its fee account, whose row stays locked until the commit; one commit per batch instead of
 * one per settlement is what lets them through. The conditional decision stays the arbiter
 * across processes: a match is decided, and paid out, once.
 *
 * The ledger should never refuse a batch's movement (an escrow holds its fees; a transfer key
 * is used only by the settlement that decides its match). If it does, the batch rolls back and
 * each of its matches is settled again alone, so that only a caller whose own movement is
 * refused hears of it.
 */
export class SettlementBatcher {
  private readonly batcher: KeyedBatcher<Proposal, Decision | undefined>;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {
    // A batch runs between event-loop turns and already gathers its callers: on SQLite, commit
    // it at once rather than with the next turn's writes.
    const batchStore = store.committingPromptly();
    const alone = async (proposal: Proposal) => (await this.settle(batchStore, [proposal]))[0];
    this.batcher = new KeyedBatcher(async (_currency, proposals) => {
      if (proposals.length === 1) return [await outcome(alone(proposals[0]!))];
      try {
        return (await this.settle(batchStore, proposals)).map((value) => ({ ok: true, value }));
      } catch {
        const outcomes: Array<Outcome<Decision | undefined>> = [];
        for (const proposal of proposals) outcomes.push(await outcome(alone(proposal)));
        return outcomes;
      }
    });
  }

  /**
   * Settles `match` with `result` if it is still live at the revision it was read at: returns
   * the decision, or undefined when the match changed meanwhile (the caller reads it again).
   */
  decide(match: StoredMatch, settlement: Settlement, result: SyncResult): Promise<Decision | undefined> {
    return this.batcher.run(match.currency, { match, settlement, result });
  }

  /** One transaction for all the proposals; per proposal, its decision or undefined. */
  private async settle(store: Store, proposals: Proposal[]): Promise<Array<Decision | undefined>> {
    const now = this.clock.now();
    const decisions = proposals.map(({ settlement, result }): Decision => ({
      status: 'settled',
      decidedAt: now,
      settlement,
      result,
    }));
    // Two reports of one match in a batch: the first is proposed, the others read it again.
    const first = new Map<string, number>();
    proposals.forEach(({ match }, i) => {
      if (!first.has(match.matchId)) first.set(match.matchId, i);
    });
    const proposed = [...first.values()];
    return store.transaction(async (tx) => {
      const decided = await tx.matches.decideMany(
        proposed.map((i) => ({
          matchId: proposals[i]!.match.matchId,
          revision: proposals[i]!.match.revision,
          decision: decisions[i]!,
        })),
      );
      const won = proposed.filter((i) => decided.has(proposals[i]!.match.matchId));
      const transfers = won.flatMap((i) => payouts(proposals[i]!.match, decisions[i]!.settlement));
      if (transfers.length > 0) await this.ledger.move(tx, transfers, now);
      const wonSet = new Set(won);
      return decisions.map((decision, i) => (wonSet.has(i) ? decision : undefined));
    });
  }
}

async function outcome<R>(work: Promise<R>): Promise<Outcome<R>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}
