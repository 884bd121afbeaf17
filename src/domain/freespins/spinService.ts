import type { Clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors.js';
import { uniqueHex32 } from '../../platform/ids.js';
import type { Store } from '../../store/store.js';
import { agentScope, recordOutbound } from '../outbound.js';
import type { FreeSpinCatalog } from './catalog.js';
import { badParameter, eventNotFound, eventStatusForbids } from './errors.js';
import { payoutTransferId, type SpinRecord, stakeOf, statusAt } from './freeSpin.js';
import type { Cashout, CashoutSettlement } from './cashoutSettlement.js';

export interface SpinInput {
  eventId: string;
  uid: string;
  gameId: number;
  /** What the spin won, in thousandths. */
  win: number;
  /** The game server's id for the spin: the same id again returns the first result. */
  spinId: string | undefined;
}

export interface SpinResult {
  spin: SpinRecord;
  /** Set when this spin used the player's last one and so fixed the cashout. */
  cashout: Cashout | undefined;
}

/** Thrown inside a spin's transaction to undo it when its spinId turns out to be taken. */
class SpinIdTaken extends Error {}

/** Free spins reported by game servers: each plays one of a player's remaining spins. */
export class SpinService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: FreeSpinCatalog,
    private readonly cashouts: CashoutSettlement,
  ) {}

  async spin(agentId: string, input: SpinInput): Promise<SpinResult> {
    const agent = this.catalog.agent(agentId);
    if (!Number.isSafeInteger(input.win) || input.win < 0) throw badParameter('win', 'must not be negative');
    const game = this.catalog.game(input.gameId);
    if (!game) throw badParameter('game', `${input.gameId} is not a game of the catalog`);
    if (input.spinId !== undefined) {
      const earlier = await this.store.freeSpinHistory.findBySpinId(agentId, input.spinId);
      if (earlier) return this.replay(earlier, input);
    }
    const spinId = input.spinId ?? uniqueHex32();
    try {
      return await this.store.transaction(async (tx) => {
        const now = this.clock.now();
        const event = await tx.freeSpinEvents.find(agentId, input.eventId, true);
        if (!event) throw eventNotFound(input.eventId);
        const status = statusAt(event, now);
        if (status !== 'active') throw eventStatusForbids(status, ['active']);
        const gameBet = event.games.find((g) => g.gameId === game.id);
        if (!gameBet) throw badParameter('game', `${game.id} is not a game of event ${event.eventId}`);
        const stake = stakeOf(event, game, gameBet);

        const grant = await tx.freeSpinGrants.playSpin(agentId, event.eventId, input.uid, stake, input.win, now);
        if (!grant) throw await this.refusal(tx, agentId, input);
        const spin = await tx.freeSpinHistory.insert({
          agent: agentId,
          spinId,
          eventId: event.eventId,
          uid: input.uid,
          gameId: game.id,
          gameTypeId: game.typeId,
          bet: stake,
          win: input.win,
          remainingAfter: grant.remaining,
          turnoverAfter: grant.turnover,
          winAfter: grant.win,
          playedAt: now,
        });
        if (!spin) throw new SpinIdTaken();
        const cashout = grant.remaining === 0 ? await this.cashouts.fixCashout(tx, event, grant, now) : undefined;
        if (agent.spinRecords) {
          await recordOutbound(tx, agentScope(agentId), {
            topic: 'freespin.spin',
            at: now,
            spin,
            currency: event.currency,
            eventName: event.name,
          });
        }
        return { spin, cashout };
      });
    } catch (error) {
      if (!(error instanceof SpinIdTaken)) throw error;
      return this.replay((await this.store.freeSpinHistory.findBySpinId(agentId, spinId))!, input);
    }
  }

  /** Why the player could not spin: not bound, or no spins left. */
  private async refusal(tx: Store, agentId: string, input: SpinInput): Promise<DomainError> {
    const grant = await tx.freeSpinGrants.find(agentId, input.eventId, input.uid);
    if (!grant) {
      return new DomainError('player_not_bound', `player ${input.uid} is not bound to event ${input.eventId}`, {
        field: 'uid',
      });
    }
    return new DomainError('no_spins_left', `player ${input.uid} has no free spins left in event ${input.eventId}`);
  }

  /** The first result of a spin id, which must be reported for the same spin. */
  private async replay(spin: SpinRecord, input: SpinInput): Promise<SpinResult> {
    if (
      spin.eventId !== input.eventId ||
      spin.uid !== input.uid ||
      spin.gameId !== input.gameId ||
      spin.win !== input.win
    ) {
      throw new DomainError('spin_conflict', `spinId ${spin.spinId} was used for another spin`, { field: 'spinId' });
    }
    if (spin.remainingAfter > 0) return { spin, cashout: undefined };
    const grant = await this.store.freeSpinGrants.find(spin.agent, spin.eventId, spin.uid);
    const cashout =
      grant?.cashout === undefined ? undefined : { amount: grant.cashout, transferId: payoutTransferId(grant.id) };
    return { spin, cashout };
  }
}
