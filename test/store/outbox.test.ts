import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Dispatcher, route } from '../../src/delivery/dispatcher.js';
import type { OutboundEvent } from '../../src/domain/events.js';
import { agentScope, appScope, clientScope, type OutboxMessage, recordOutbound } from '../../src/domain/outbound.js';
import { Signal } from '../../src/platform/signal.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { backends, storageOf, type TestDatabase } from '../support/backends.js';
import { waitUntil } from '../support/wait.js';

const LEASE_MS = 30_000;

/**
 * The outbox hands out domain messages (scope and event parsed, never the stored text), and
 * every store over one database, whichever way it was derived, tells the dispatcher's signal
 * about the outbox messages it commits.
 */
for (const backend of backends) {
  describe(`outbox [${backend.name}]`, () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let store: Store;
    const outboxCommitted = new Signal();
    /** On each notice, the match ids of the pending messages that any connection could see then. */
    let notices: Array<Promise<string[]>> = [];
    const errors: Error[] = [];
    let at = 1_000;

    before(async () => {
      testDatabase = await backend.create();
      database = await openDatabase(storageOf(testDatabase), (error) => errors.push(error));
      store = Store.over(database, { outboxCommitted });
      outboxCommitted.listen(() => {
        notices.push(
          store.outbox
            .list('pending', 100)
            .then((messages) =>
              messages.flatMap(({ event }) => (event.topic === 'match.created' ? [event.matchId] : [])),
            ),
        );
      });
    });
    after(async () => {
      await database.close();
      await testDatabase.drop();
      assert.deepEqual(errors, [], 'nothing failed in the background');
    });

    /** Claims everything due, so each test starts from an empty line. */
    const claimAll = () => store.outbox.claimDue((at += 1_000), LEASE_MS, 100);

    it('gives back each kind of scope and the event as they were written', async () => {
      await claimAll();
      const ended: OutboundEvent = {
        topic: 'battle.ended',
        at: at + 1,
        battle: {
          appId: 1400000001,
          battleId: 'b:1',
          fromRoomId: 'room-a',
          operatorId: 'admin',
          durationMs: 60_000,
          extensionInfo: '',
          status: 'ended',
          createdAt: at - 60_000,
          startedAt: at - 60_000,
          endsAt: at,
          endedAt: at,
          endReason: 'time_up',
          rooms: [{ roomId: 'room-a', ownerId: 'host-a', score: 7 }],
        },
      };
      const payout: OutboundEvent = {
        topic: 'freespin.payout',
        at: at + 2,
        payout: {
          agent: 'ag:with:colons',
          transferId: 42,
          eventId: 'e1',
          uid: 'p1',
          amount: 1_500,
          currency: 'USD',
          turnover: 3_000,
          win: 1_500,
          cashoutAt: at,
        },
      };
      const created: OutboundEvent = { topic: 'match.created', at: at + 3, clientId: 'game:1', matchId: 'm1' };
      await store.transaction(async (tx) => {
        await recordOutbound(tx, appScope(1400000001), ended);
        await recordOutbound(tx, agentScope('ag:with:colons'), payout);
        await recordOutbound(tx, clientScope('game:1'), created);
      });

      const claimed = await store.outbox.claimDue(at + 3, LEASE_MS, 100);
      const expected = (event: OutboundEvent) => (message: OutboxMessage) => message.event.topic === event.topic;
      assert.deepEqual(
        claimed.map(({ scope, event, status, attempts, nextAttemptAt, queuedAt, lastError, deliveredAt }) => ({
          scope,
          event,
          status,
          attempts,
          nextAttemptAt,
          queuedAt,
          lastError,
          deliveredAt,
        })),
        [
          { scope: { kind: 'app', appId: 1400000001 }, event: ended },
          { scope: { kind: 'agent', agentId: 'ag:with:colons' }, event: payout },
          { scope: { kind: 'client', clientId: 'game:1' }, event: created },
        ].map(({ scope, event }) => ({
          scope,
          event,
          status: 'pending',
          attempts: 1,
          nextAttemptAt: event.at,
          queuedAt: event.at,
          lastError: undefined,
          deliveredAt: undefined,
        })),
      );
      assert.equal(new Set(claimed.map((message) => message.eventId)).size, 3, 'each message has its own event id');

      const delivered = claimed.find(expected(created))!;
      await store.outbox.markDelivered(delivered.id, at + 10);
      const dead = claimed.find(expected(payout))!;
      await store.outbox.markDead(dead.id, 'HTTP 500');
      const listed = await store.outbox.list(undefined, 3);
      assert.deepEqual(
        listed.map((message) => [message.id, message.status, message.deliveredAt, message.lastError]),
        [
          [delivered.id, 'delivered', at + 10, undefined],
          [dead.id, 'dead', undefined, 'HTTP 500'],
          [claimed.find(expected(ended))!.id, 'pending', undefined, undefined],
        ],
      );
      assert.deepEqual(
        (await store.outbox.list('dead', 10)).map((message) => message.event),
        [payout],
      );
    });

    it('notifies after the commit, from the root store, its committingPromptly() store and nested work', async () => {
      await claimAll();
      notices = [];
      const promptly = store.committingPromptly();
      const event = (matchId: string): OutboundEvent => ({ topic: 'match.created', at, clientId: 'c1', matchId });

      await store.transaction((tx) => recordOutbound(tx, clientScope('c1'), event('m-root')));
      assert.equal(notices.length, 1, 'a commit from the root store notifies');

      await promptly.transaction((tx) => recordOutbound(tx, clientScope('c1'), event('m-promptly')));
      assert.equal(notices.length, 2, 'a commit from a committingPromptly() store notifies');

      await promptly.transaction(async (tx) => {
        await tx
          .committingPromptly()
          .transaction((inner) => recordOutbound(inner, clientScope('c1'), event('m-nested')));
        assert.equal(notices.length, 2, 'nothing is told before the outer transaction commits');
      });
      assert.equal(notices.length, 3, 'work nested in a transaction notifies once, on its commit');

      await promptly.transaction(async (tx) => void (await tx.rooms.find(1, 'no-such-room')));
      await assert.rejects(
        promptly.transaction(async (tx) => {
          await recordOutbound(tx, clientScope('c1'), event('m-rolled-back'));
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(notices.length, 3, 'no notice for a transaction without outbox writes, or one rolled back');

      const seen = await Promise.all(notices);
      for (const [notice, matchId] of ['m-root', 'm-promptly', 'm-nested'].entries()) {
        assert.ok(seen[notice]!.includes(matchId), `${matchId} was committed when its notice came`);
      }
      assert.ok(!seen[2]!.includes('m-rolled-back'));
    });

    it('a dispatcher woken by the signal delivers what a committingPromptly() store wrote, without polling', async () => {
      await claimAll();
      const delivered: string[] = [];
      // Due now by this clock: only the message written below (the others are leased by claimAll).
      const dispatcher = new Dispatcher(
        store,
        { now: () => at },
        [
          route('match.', {
            deliver: async ({ event }) => {
              delivered.push(event.matchId);
              return { ok: true };
            },
            retryDelayMs: () => undefined,
          }),
        ],
        { wakeOn: outboxCommitted, onError: (error) => errors.push(error as Error) },
      );
      const event: OutboundEvent = { topic: 'match.created', at, clientId: 'c1', matchId: 'm-prompt' };
      await store.committingPromptly().transaction((tx) => recordOutbound(tx, clientScope('c1'), event));
      await waitUntil(async () => delivered.length > 0, 'the message to be delivered');
      await dispatcher.run();
      assert.deepEqual(delivered, ['m-prompt']);
      const [message] = await store.outbox.list(undefined, 1);
      assert.deepEqual([message?.event, message?.status], [event, 'delivered']);
    });
  });
}
