import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/store.js';
import { agentScope, recordOutbound } from '../outbound.js';
import { type FreeSpinEvent, type Grant, payoutTransferId } from './freeSpin.js';
import { cashoutOf } from './rules.js';

export interface Cashout {
  amount: number;
  /** The payout's transfer id (there is a payout only when the amount is positive). */
  transferId: number;
}

const BATCH = 500;
const EVENTS_PER_RUN = 20;

/** Thrown to undo marking an event settled when a spin slipped in before the mark. */
class StillOpen extends Error {}

/**
 * Fixes cashouts: once per grant, when its spins are used up (by the spin that used the last
 * one) or when its event ends (by `settleDue`, run periodically by every process). A positive
 * cashout is paid through the outbox, written in the same transaction.
 */
export class CashoutSettlement {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Fixes the grant's cashout as read, if nothing changed it since; undefined when something did. */
  async fixCashout(tx: Store, event: FreeSpinEvent, grant: Grant, now: number): Promise<Cashout | undefined> {
    const amount = cashoutOf(grant.win, event.minWithdrawal, event.maxWithdrawal);
    if (!(await tx.freeSpinGrants.fixCashout(grant.id, grant.remaining, amount, now))) return undefined;
    const transferId = payoutTransferId(grant.id);
    if (amount > 0) {
      await recordOutbound(tx, agentScope(event.agent), {
        topic: 'freespin.payout',
        at: now,
        payout: {
          agent: event.agent,
          transferId,
          eventId: event.eventId,
          uid: grant.uid,
          amount,
          currency: event.currency,
          turnover: grant.turnover,
          win: grant.win,
          cashoutAt: now,
        },
      });
    }
    return { amount, transferId };
  }

  /** Settles events that have ended: fixes the cashout of every player who used spins. */
  async settleDue(): Promise<number> {
    const now = this.clock.now();
    let fixed = 0;
    for (const event of await this.store.freeSpinEvents.dueForSettlement(now, EVENTS_PER_RUN)) {
      fixed += await this.settle(event, now);
    }
    return fixed;
  }

  private async settle(event: FreeSpinEvent, now: number): Promise<number> {
    let fixed = 0;
    for (;;) {
      const open = await this.store.freeSpinGrants.openWithSpinsUsed(event.agent, event.eventId, BATCH);
      if (open.length === 0) break;
      fixed += await this.store.transaction(async (tx) => {
        let count = 0;
        for (const grant of open) if (await this.fixCashout(tx, event, grant, now)) count += 1;
        return count;
      });
    }
    // The mark takes the event's row lock (spins hold it shared), then looks again: a spin that
    // committed in between is settled on the next run instead of being left behind.
    try {
      await this.store.transaction(async (tx) => {
        if (!(await tx.freeSpinEvents.markSettled(event.agent, event.eventId, now))) return;
        if ((await tx.freeSpinGrants.openWithSpinsUsed(event.agent, event.eventId, 1)).length > 0)
          throw new StillOpen();
      });
    } catch (error) {
      if (!(error instanceof StillOpen)) throw error;
    }
    return fixed;
  }
}
