import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisjointBatcher } from '../../src/platform/disjointBatcher.js';

describe('DisjointBatcher', () => {
  it('batches the items of one turn per key, moving an item that shares a resource to the next batch', async () => {
    const seen: Array<{ key: string; items: string[] }> = [];
    const batcher = new DisjointBatcher<string, string>(async (key, items) => {
      seen.push({ key, items });
      return items.map((item) => ({ ok: true, value: `${key}:${item}` }));
    });
    const answers = await Promise.all([
      batcher.run('a', ['r1', 'r2'], 'one'),
      batcher.run('a', ['r2', 'r3'], 'two'),
      batcher.run('b', ['r2'], 'other key'),
      batcher.run('a', ['r4'], 'three'),
      batcher.run('a', ['r3', 'r5'], 'four'),
    ]);
    assert.deepEqual(answers, ['a:one', 'a:two', 'b:other key', 'a:three', 'a:four']);
    assert.deepEqual(
      seen.filter((batch) => batch.key === 'a').map((batch) => batch.items),
      [['one', 'three', 'four'], ['two']],
    );
    assert.deepEqual(
      seen.filter((batch) => batch.key === 'b').map((batch) => batch.items),
      [['other key']],
    );
  });

  it('takes at most maxBatch items, keeps one batch of a key in flight, and answers each item its own outcome', async () => {
    const seen: number[][] = [];
    const batcher = new DisjointBatcher<number, number>(
      async (_key, items) => {
        seen.push(items);
        return items.map((item) =>
          item % 2 ? { ok: true, value: item } : { ok: false, error: new Error(`even ${item}`) },
        );
      },
      { maxBatch: 2 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => batcher.run('k', [`r${n}`], n)));
    assert.deepEqual(seen, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
      [1, 'even 2', 3, 'even 4', 5],
    );
  });

  it('fails every item of a batch whose processing throws, and goes on with the next', async () => {
    let calls = 0;
    const batcher = new DisjointBatcher<number, number>(async (_key, items) => {
      calls += 1;
      if (calls === 1) throw new Error('database gone');
      return items.map((item) => ({ ok: true, value: item }));
    });
    const first = Promise.allSettled([batcher.run('k', ['x'], 1), batcher.run('k', ['x'], 2)]);
    const outcomes = await first;
    assert.equal(outcomes[0]!.status, 'rejected');
    assert.deepEqual(outcomes[1], { status: 'fulfilled', value: 2 }, 'the item moved to the next batch is answered');
  });
});
