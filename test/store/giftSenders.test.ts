import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';

/**
 * Sender totals of a room, written a batch at a time: a batch larger than one SQLite statement
 * takes (64 senders) is written whole, and only first-time senders count as new.
 */
for (const backend of backends) {
  describe(`gift sender totals [${backend.name}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let store: Store;
    const errors: Error[] = [];
    before(async () => {
      testDatabase = await backend.create();
      database = await openDatabase(storageOf(testDatabase), (error) => errors.push(error));
      store = Store.over(database);
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
    });

    const totalsOf = async (roomId: string, senderId: string) => store.giftSends.senderTotals(1, roomId, senderId);

    it('adds a batch of 150 senders, 100 of them new, in one go', async () => {
      const first = Array.from({ length: 50 }, (_, i) => ({ senderId: `fan_${i}`, count: 1, coins: 5 }));
      assert.equal(await store.transaction((tx) => tx.giftSends.addToSenders(1, 'room-a', first)), 50);
      const second = Array.from({ length: 150 }, (_, i) => ({ senderId: `fan_${i}`, count: 2, coins: 10 + i }));
      assert.equal(await store.transaction((tx) => tx.giftSends.addToSenders(1, 'room-a', second)), 100);
      assert.deepEqual(await totalsOf('room-a', 'fan_0'), { totalCount: 3, totalCoins: 15 });
      assert.deepEqual(await totalsOf('room-a', 'fan_49'), { totalCount: 3, totalCoins: 64 });
      assert.deepEqual(await totalsOf('room-a', 'fan_50'), { totalCount: 2, totalCoins: 60 });
      assert.deepEqual(await totalsOf('room-a', 'fan_149'), { totalCount: 2, totalCoins: 159 });
      assert.equal(await totalsOf('room-b', 'fan_0'), undefined, 'another room has none of it');
      assert.deepEqual(errors, [], 'nothing failed in the background');
    });
  });
}
