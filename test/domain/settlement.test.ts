import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { firstPlace, rankByScore, settle } from '../../src/domain/matches/settlement.js';

const players = (teams: number[]) =>
  teams.flatMap((size, t) => Array.from({ length: size }, (_, i) => ({ userId: `t${t}p${i}`, teamId: `t${t}` })));

describe('settlement rules', () => {
  it('finds the single best-ranked team that did not forfeit', () => {
    const team = (teamId: string, ranking: number | undefined, forfeited = false) => ({ teamId, ranking, forfeited });
    const won = (winner: string) => ({ outcome: 'won', winner });
    const tied = { outcome: 'tied' };
    assert.deepEqual(firstPlace([team('a', 1), team('b', 2)]), won('a'));
    assert.deepEqual(firstPlace([team('a', 1, true), team('b', 2)]), won('b'), 'forfeited teams rank last');
    assert.deepEqual(firstPlace([team('a', 2), team('b', 3), team('c', 1, true)]), won('a'));
    assert.deepEqual(firstPlace([team('a', 1), team('b', 1)]), tied, 'a tie for first');
    assert.deepEqual(firstPlace([team('a', 1, true), team('b', undefined, true)]), tied, 'everybody forfeited');
  });

  it('ranks asynchronous teams by score, sharing ranks on equal scores', () => {
    const ranked = rankByScore([
      { teamId: 'a', score: 10, forfeited: false },
      { teamId: 'b', score: 30, forfeited: false },
      { teamId: 'c', score: 30, forfeited: false },
      { teamId: 'd', score: 99, forfeited: true },
    ]);
    assert.deepEqual(
      ranked.map((s) => s.ranking),
      [3, 1, 1, undefined],
    );
  });

  it('takes the fee rounded down and gives remainder units to the first winners', () => {
    const result = settle({ entryFee: 27, participants: players([3, 1]) }, { outcome: 'won', winner: 't0' }, 1000);
    assert.equal(result.fee, 10);
    assert.deepEqual(
      result.payouts.map((p) => p.amount),
      [33, 33, 32],
    );
    assert.deepEqual(settle({ entryFee: 5, participants: players([1, 1]) }, { outcome: 'won', winner: 't1' }, 1000), {
      outcome: 'won',
      winner: 't1',
      payouts: [{ userId: 't1p0', amount: 9 }],
      refunds: [],
      fee: 1,
    });
  });

  it('refunds everyone, fee-free, on a tie or an abort', () => {
    for (const outcome of ['tied', 'aborted'] as const) {
      const result = settle({ entryFee: 40, participants: players([2, 1]) }, { outcome }, 1000);
      assert.equal(result.outcome, outcome);
      assert.deepEqual(result.payouts, []);
      assert.equal(result.fee, 0);
      assert.deepEqual(
        result.refunds.map((r) => r.amount),
        [40, 40, 40],
      );
    }
  });

  it('pays a winning team whatever its id, even one that names an outcome or an object key', () => {
    for (const teamId of ['aborted', 'tied', 'won', 'tie', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const participants = [
        { userId: 'a', teamId },
        { userId: 'b', teamId: 'other' },
      ];
      const standings = [
        { teamId: 'other', ranking: 2, forfeited: false },
        { teamId, ranking: 1, forfeited: false },
      ];
      const outcome = firstPlace(standings);
      assert.deepEqual(outcome, { outcome: 'won', winner: teamId });
      assert.deepEqual(
        settle({ entryFee: 50, participants }, outcome, 1000),
        { outcome: 'won', winner: teamId, payouts: [{ userId: 'a', amount: 90 }], refunds: [], fee: 10 },
        teamId,
      );
      const ranked = rankByScore([
        { teamId, score: 3, forfeited: false },
        { teamId: 'other', score: 2, forfeited: false },
      ]);
      assert.deepEqual(firstPlace(ranked), { outcome: 'won', winner: teamId }, teamId);
    }
  });

  it('pays out exactly the pot, in shares at most one unit apart (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.nat(),
        (sizes, entryFee, feeBasisPoints, pick) => {
          const participants = players(sizes);
          const winner = `t${pick % sizes.length}`;
          const result = settle({ entryFee, participants }, { outcome: 'won', winner }, feeBasisPoints);
          const pot = entryFee * participants.length;
          const paid = result.payouts.reduce((sum, p) => sum + p.amount, 0);
          assert.equal(paid + result.fee, pot);
          assert.equal(result.fee, Math.floor((pot * feeBasisPoints) / 10_000));
          const amounts = result.payouts.map((p) => p.amount);
          assert.ok(Math.max(...amounts) - Math.min(...amounts) <= 1);
          assert.deepEqual(
            [...amounts].sort((a, b) => b - a),
            amounts,
            'the larger shares come first',
          );
          assert.ok(result.payouts.every((p) => p.userId.startsWith(`${winner}p`)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
