import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KeyedBatcher, type Outcome } from '../../src/platform/keyedBatcher.js';

/** A promise and the function that settles it, for batches the test finishes by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves after the current event-loop turn (and its setImmediate callbacks) has run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const ok = <R>(value: R): Outcome<R> => ({ ok: true, value });

/** A batcher whose batches are recorded and finished by the test. */
function manualBatcher<T, R>() {
  const batches: Array<{ key: string; items: T[]; finish: ReturnType<typeof deferred<Array<Outcome<R>>>> }> = [];
  const batcher = new KeyedBatcher<T, R>((key, items) => {
    const finish = deferred<Array<Outcome<R>>>();
    batches.push({ key, items, finish });
    return finish.promise;
  });
  return { batcher, batches };
}

describe('KeyedBatcher', () => {
  it('gathers the items of one event-loop turn into one batch per key, in arrival order', async () => {
    const seen: Array<{ key: string; items: number[] }> = [];
    const batcher = new KeyedBatcher<number, string>(async (key, items) => {
      seen.push({ key, items });
      return items.map((item) => ok(`${key}:${item}`));
    });
    const answers = await Promise.all([
      batcher.run('a', 1),
      batcher.run('b', 10),
      batcher.run('a', 2),
      batcher.run('a', 3),
      batcher.run('b', 20),
    ]);
    assert.deepEqual(answers, ['a:1', 'b:10', 'a:2', 'a:3', 'b:20'], 'each caller hears its own item’s answer');
    assert.deepEqual(seen, [
      { key: 'a', items: [1, 2, 3] },
      { key: 'b', items: [10, 20] },
    ]);
  });

  it('does not start a batch before the end of the turn', async () => {
    const seen: number[][] = [];
    const batcher = new KeyedBatcher<number, number>(async (_key, items) => {
      seen.push(items);
      return items.map(ok);
    });
    const first = batcher.run('k', 1);
    await Promise.resolve(); // a microtask later is still the same turn
    const second = batcher.run('k', 2);
    assert.deepEqual(seen, [], 'nothing ran yet');
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(seen, [[1, 2]]);
  });

  it('runs one batch of a key at a time: items arriving meanwhile wait and go together, in order', async () => {
    const { batcher, batches } = manualBatcher<number, number>();
    const first = batcher.run('k', 1);
    await nextTurn();
    assert.equal(batches.length, 1, 'the first batch is in flight');

    const waiting = [batcher.run('k', 2), batcher.run('k', 3)];
    await nextTurn();
    const later = batcher.run('k', 4);
    await nextTurn();
    assert.equal(batches.length, 1, 'no second batch of the key while the first is in flight');

    batches[0]!.finish.resolve([ok(100)]);
    assert.equal(await first, 100);
    await nextTurn();
    assert.equal(batches.length, 2);
    assert.deepEqual(batches[1]!.items, [2, 3, 4], 'everything that waited, in arrival order');
    batches[1]!.finish.resolve([ok(200), ok(300), ok(400)]);
    assert.deepEqual(await Promise.all([...waiting, later]), [200, 300, 400]);
  });

  it('does not hold one key’s batch up behind another key’s', async () => {
    const { batcher, batches } = manualBatcher<string, string>();
    const slow = batcher.run('slow', 's');
    await nextTurn();
    const fast = batcher.run('fast', 'f');
    await nextTurn();
    assert.deepEqual(
      batches.map((b) => b.key),
      ['slow', 'fast'],
      'both keys have a batch in flight',
    );
    batches[1]!.finish.resolve([ok('F')]);
    assert.equal(await fast, 'F', 'the second key finished while the first is still in flight');
    batches[0]!.finish.resolve([ok('S')]);
    assert.equal(await slow, 'S');
  });

  it('fails only the items whose outcome is an error', async () => {
    const refused = new Error('item 2 refused');
    const batcher = new KeyedBatcher<number, number>(async (_key, items) =>
      items.map((item) => (item === 2 ? { ok: false, error: refused } : ok(item * 10))),
    );
    const outcomes = await Promise.allSettled([batcher.run('k', 1), batcher.run('k', 2), batcher.run('k', 3)]);
    assert.deepEqual(outcomes, [
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 30 },
    ]);
  });

  it('fails every item of a batch whose function rejects, with that error, and goes on with the next batch', async () => {
    const broken = new Error('the database went away');
    let calls = 0;
    const batcher = new KeyedBatcher<number, number>(async (_key, items) => {
      calls += 1;
      if (calls === 1) {
        // Items that arrive while this batch fails make the next batch.
        later.push(batcher.run('k', 3));
        await nextTurn();
        throw broken;
      }
      return items.map(ok);
    });
    const later: Array<Promise<number>> = [];
    const outcomes = await Promise.allSettled([batcher.run('k', 1), batcher.run('k', 2)]);
    assert.deepEqual(outcomes, [
      { status: 'rejected', reason: broken },
      { status: 'rejected', reason: broken },
    ]);
    assert.deepEqual(await Promise.all(later), [3], 'the batch after the failed one runs and answers');
    assert.equal(await batcher.run('k', 4), 4, 'the key is usable afterwards');
  });

  it('fails every item of a batch whose function throws synchronously', async () => {
    const broken = new Error('thrown before any await');
    const batcher = new KeyedBatcher<number, number>(((_key: string, _items: number[]) => {
      throw broken;
    }) as unknown as (key: string, items: number[]) => Promise<Array<Outcome<number>>>);
    const outcomes = await Promise.allSettled([batcher.run('k', 1), batcher.run('k', 2)]);
    assert.deepEqual(
      outcomes.map((o) => o.status === 'rejected' && o.reason),
      [broken, broken],
    );
  });

  it('fails an item the batch function left without an outcome, and only that one', async () => {
    const batcher = new KeyedBatcher<number, number>(async (_key, items) => items.slice(0, 1).map(ok));
    const outcomes = await Promise.allSettled([batcher.run('k', 1), batcher.run('k', 2)]);
    assert.deepEqual(outcomes[0], { status: 'fulfilled', value: 1 });
    assert.equal(outcomes[1]!.status, 'rejected');
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /batch item left unanswered/);
  });

  it('answers every caller with its own item, whatever the keys and timing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.integer(), turnsBefore: fc.nat(2) }), {
          maxLength: 40,
        }),
        fc.nat(3),
        async (calls, turnsPerBatch) => {
          const inFlight = new Set<string>();
          const order = new Map<string, number[]>();
          const batcher = new KeyedBatcher<number, number>(async (key, items) => {
            assert.ok(!inFlight.has(key), `two batches of ${key} at once`);
            inFlight.add(key);
            order.set(key, [...(order.get(key) ?? []), ...items]);
            for (let turn = 0; turn < turnsPerBatch; turn++) await nextTurn();
            inFlight.delete(key);
            return items.map((item) => ok(-item));
          });
          const answers: Array<Promise<number>> = [];
          for (const call of calls) {
            for (let turn = 0; turn < call.turnsBefore; turn++) await nextTurn();
            answers.push(batcher.run(call.key, call.value));
          }
          assert.deepEqual(
            await Promise.all(answers),
            calls.map((call) => -call.value),
          );
          for (const key of ['a', 'b', 'c']) {
            assert.deepEqual(
              order.get(key) ?? [],
              calls.filter((call) => call.key === key).map((call) => call.value),
              `${key}'s items were processed in arrival order`,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
