import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BattleService, type NewBattle } from '../../src/domain/battles/battleService.js';
import type { LiveEvent } from '../../src/domain/events.js';
import { DomainError } from '../../src/platform/errors.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { sql } from 'kysely';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';

const APP = 1;

/**
 * Creations asked for in one event-loop turn go in one batch (one transaction). Each must get
 * the answer it would get alone: the refusal of one never changes another's outcome, and a
 * refused creation leaves nothing behind. The clock is read once per batch, which is how the
 * test knows the creations shared one.
 */
for (const backend of backends) {
  describe(`battle creation in batches [${backend.name}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let store: Store;
    let service: BattleService;
    let time = 1_800_000_000_000;
    let clockReads = 0;
    const live: LiveEvent[] = [];
    const errors: Error[] = [];

    before(async () => {
      testDatabase = await backend.create();
      database = await openDatabase(storageOf(testDatabase), (error) => errors.push(error));
      store = Store.over(database);
      const clock = {
        now: () => {
          clockReads += 1;
          return time;
        },
      };
      service = new BattleService(store, clock, { publish: (event) => live.push(event) }, { wants: () => true });
      for (let i = 0; i < 20; i++) {
        await store.rooms.insert(
          APP,
          { roomId: `r${i}`, type: 'live', ownerId: `owner-${i}`, name: `room ${i}` },
          time,
        );
      }
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
    });

    const battle = (fromRoomId: string, toRoomIds: string[], durationMs = 60_000): NewBattle => ({
      fromRoomId,
      toRoomIds,
      durationMs,
      extensionInfo: '',
      operatorId: 'op',
    });
    /** Each creation's answer: its callees' outcomes, or the code it was refused with. */
    const answers = (creations: Array<Promise<Awaited<ReturnType<BattleService['create']>>>>) =>
      Promise.all(
        creations.map((creation) =>
          creation.then(
            ({ battle, callees }) => ({ battleId: battle.battleId, rooms: battle.rooms.map((r) => r.roomId), callees }),
            (error: unknown) => {
              assert.ok(error instanceof DomainError, String(error));
              return { refused: error.code };
            },
          ),
        ),
      );
    const outboxTopics = async (battleId: string) =>
      (await store.outbox.page({}, undefined, 1000))
        .filter((message) => 'battle' in message.event && message.event.battle.battleId === battleId)
        .map((message) => message.event.topic)
        .sort();

    it('answers successes and refusals of one batch each as alone, and refused ones leave nothing behind', async () => {
      // r7, r8 and r9 are in a running battle.
      const busy = await service.create(APP, battle('r7', ['r8', 'r9']));
      live.length = 0;
      clockReads = 0;
      const [a, b, c, d, e] = await answers([
        service.create(APP, battle('r0', ['r1', 'r9', 'missing-x'])),
        service.create(APP, battle('r8', ['r2'])),
        service.create(APP, battle('missing-y', ['r3'])),
        service.create(APP, battle('r4', ['r7', 'missing-z'])),
        service.create(APP, battle('r5', ['r6'])),
      ]);
      assert.equal(clockReads, 1, 'the five creations went in one batch');
      assert.deepEqual(a, {
        battleId: (a as { battleId: string }).battleId,
        rooms: ['r0', 'r1'],
        callees: [
          { roomId: 'r1', outcome: 'joined' },
          { roomId: 'r9', outcome: 'in_another_battle' },
          { roomId: 'missing-x', outcome: 'room_not_found' },
        ],
      });
      assert.deepEqual(b, { refused: 'room_in_battle' });
      assert.deepEqual(c, { refused: 'room_not_found' });
      assert.deepEqual(d, { refused: 'no_callee_joined' });
      assert.deepEqual((e as { rooms: string[] }).rooms, ['r5', 'r6']);

      // What was created is stored as answered; the refused creations took no room.
      const stored = await service.get(APP, (a as { battleId: string }).battleId);
      assert.deepEqual(
        stored.rooms.map((r) => r.roomId),
        ['r0', 'r1'],
      );
      assert.equal((await service.getRunningByRoom(APP, 'r9')).battleId, busy.battle.battleId);
      assert.equal((await service.getRunningByRoom(APP, 'r8')).battleId, busy.battle.battleId);
      const free = await service.create(APP, battle('r2', ['r3', 'r4']));
      assert.deepEqual(
        free.callees.map((callee) => callee.outcome),
        ['joined', 'joined'],
        'r2, r3 and r4 were left free',
      );
      const all = await store.battles.list({ appId: APP }, time, undefined, 100);
      assert.equal(all.length, 4, 'busy, a, e and the last one: no battle of a refused creation');

      assert.deepEqual(
        live.filter((event) => event.type === 'battle.started').map((event) => event.battle.battleId),
        [(a as { battleId: string }).battleId, (e as { battleId: string }).battleId, free.battle.battleId],
      );
      assert.deepEqual(await outboxTopics((a as { battleId: string }).battleId), ['battle.created', 'battle.started']);
      assert.deepEqual(errors, []);
    });

    it('ends, once, an expired battle holding rooms of two creations of one batch', async () => {
      const expiring = await service.create(APP, battle('r10', ['r11'], 1000));
      time += 2000;
      live.length = 0;
      clockReads = 0;
      const [f, g] = await answers([
        service.create(APP, battle('r10', ['r12'])),
        service.create(APP, battle('r13', ['r11'])),
      ]);
      assert.equal(clockReads, 1, 'one batch');
      assert.deepEqual((f as { rooms: string[] }).rooms, ['r10', 'r12']);
      assert.deepEqual((g as { rooms: string[] }).rooms, ['r13', 'r11']);
      const ended = live.filter((event) => event.type === 'battle.ended');
      assert.equal(ended.length, 1);
      assert.equal(ended[0]!.battle.battleId, expiring.battle.battleId);
      assert.equal(ended[0]!.battle.endReason, 'time_up');
      assert.equal(ended[0]!.battle.endedAt, expiring.battle.endsAt);
      assert.deepEqual(await outboxTopics(expiring.battle.battleId), [
        'battle.created',
        'battle.ended',
        'battle.started',
      ]);
      const stored = await service.get(APP, expiring.battle.battleId);
      assert.equal(stored.status, 'ended');
    });

    if (backend.name === 'postgres') {
      // SQLite has one writer at a time: the expiry could not wait on a row lock there.
      it('does not end again an expired battle that another transaction ended while the expiry waited for its row', async () => {
        const expiring = await service.create(APP, battle('r18', ['r19'], 1000));
        time += 2000;
        const { battleId } = expiring.battle;
        let expiry: Promise<unknown[]> | undefined;
        await store.transaction(async (tx) => {
          assert.ok(await tx.battles.end(APP, battleId, 'time_up', time));
          expiry = store.battles.endExpired(APP, [battleId], time);
          await waitForLockWait();
        });
        assert.deepEqual(await expiry, [], 'the expiry found the battle ended once it had the row');
        const stored = await service.get(APP, battleId);
        assert.equal(stored.status, 'ended');
        assert.deepEqual(
          stored.rooms.map((room) => room.roomId),
          ['r18', 'r19'],
        );
      });
    }

    /** Until a backend of this database waits for a row lock taken by the expiry statement. */
    const waitForLockWait = async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { rows } = await sql<{ waiting: string }>`select count(*) as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'
          and query like '%select battle_id, status from battles%'`.execute(database.db);
        if (Number(rows[0]!.waiting) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.fail('the expiry never waited for the row lock');
    };

    it('puts a creation sharing a room with an earlier one of the turn into the next batch', async () => {
      clockReads = 0;
      const [h, i] = await answers([
        service.create(APP, battle('r14', ['r15'])),
        service.create(APP, battle('r16', ['r15', 'r17'])),
      ]);
      assert.equal(clockReads, 2, 'two batches');
      assert.deepEqual((h as { rooms: string[] }).rooms, ['r14', 'r15']);
      assert.deepEqual((i as { callees: unknown }).callees, [
        { roomId: 'r15', outcome: 'in_another_battle' },
        { roomId: 'r17', outcome: 'joined' },
      ]);
    });
  });
}
