import { Type } from '@sinclair/typebox';
import type { FreeSpinPlayerService } from '../../../domain/freespins/playerService.js';
import type { SpinService } from '../../../domain/freespins/spinService.js';
import { formatThousandths, parseThousandths } from '../../../platform/decimal.js';
import { adminRefusals } from '../errorCodes.js';
import { defineAdminRoute } from '../route.js';

/** Free-spin players and spins (the parts of JDB's free spins that JDB's API leaves to JDB itself). */
export function freeSpinRoutes(services: { players: FreeSpinPlayerService; spins: SpinService }) {
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/jdb/players',
      summary: 'Create JDB players of an agent (up to 50,000 per call); existing ones are listed back',
      body: Type.Object({
        parent: Type.String({ minLength: 1, maxBytes: 50 }),
        uids: Type.Array(Type.String(), { minItems: 1, maxItems: 50_000 }),
      }),
      wireFields: { agent: 'parent', players: 'uids' },
      async handle({ body }) {
        return services.players.create(body.parent, body.uids);
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/jdb/spins',
      summary: "Report a free spin played by a player: uses one of the player's spins in the event",
      body: Type.Object({
        parent: Type.String({ minLength: 1, maxBytes: 50 }),
        uid: Type.String({ minLength: 1, maxBytes: 50 }),
        eventId: Type.Unsafe<string | number>({ type: ['string', 'integer'], minLength: 1, maxLength: 50, minimum: 0 }),
        mType: Type.Integer({ minimum: 1 }),
        win: Type.String({ description: 'what the spin won: a decimal with at most 3 decimals' }),
        spinId: Type.Optional(Type.String({ minLength: 1, maxBytes: 64 })),
      }),
      wireFields: { agent: 'parent', game: 'mType' },
      async handle({ body }) {
        const win = parseThousandths(body.win);
        if (win === undefined || win < 0) {
          throw adminRefusals.invalidParameter('win must be a decimal number of at most 9 digits and 3 decimals');
        }
        const { spin, cashout } = await services.spins.spin(body.parent, {
          eventId: String(body.eventId),
          uid: body.uid,
          gameId: body.mType,
          win,
          spinId: body.spinId,
        });
        return {
          historyId: spin.historyId,
          spinId: spin.spinId,
          eventId: spin.eventId,
          uid: spin.uid,
          mType: spin.gameId,
          bet: formatThousandths(spin.bet),
          win: formatThousandths(spin.win),
          remaining: spin.remainingAfter,
          accumulatedTurnover: formatThousandths(spin.turnoverAfter),
          accumulatedWin: formatThousandths(spin.winAfter),
          cashout: cashout && { amount: formatThousandths(cashout.amount), transferId: cashout.transferId },
        };
      },
    }),
  ];
}
