import { Type } from '@sinclair/typebox';
import { defineAction } from '../action.js';
import { formatAmount, renderType } from '../wire.js';

/** Action 49: the game catalog, grouped by gType. */
export const gameActions = [
  defineAction({
    action: 49,
    params: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 10 })) }),
    async run({ services }) {
      const byType = new Map<number, unknown[]>();
      for (const game of services.catalog.games) {
        const betList = game.bets.map(formatAmount);
        const entry = {
          mType: game.id,
          image: '',
          name: game.name,
          betList,
          freeSpinTypes: game.freeSpinTypes.map(renderType),
          ...(game.feature
            ? {
                featureGameInfo: {
                  type1: {
                    multiple: game.feature.multiple,
                    maxTotalBet: formatAmount(game.feature.maxTotalBet),
                    betList,
                  },
                },
              }
            : {}),
        };
        byType.set(game.typeId, [...(byType.get(game.typeId) ?? []), entry]);
      }
      return [...byType].map(([gType, list]) => ({ gType, list }));
    },
  }),
];
