import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Dispatcher, route } from '../../src/delivery/dispatcher.js';
import type { OutboundEvent } from '../../src/domain/events.js';
import {
  agentScope,
  appScope,
  type AttemptOutcome,
  clientScope,
  type DeliveryAttempt,
  type DeliveryFilter,
  type OutboxMessage,
  recordOutbound,
} from '../../src/domain/outbound.js';
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
          latest({ status: 'pending' }, 100).then((messages) =>
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

    /** The newest `count` messages that `filter` holds. */
    const latest = async (filter: DeliveryFilter, count: number) =>
      (await store.outbox.page(filter, undefined, count)).slice(0, count);

    /** An attempt of `message` that came to `outcome`. */
    const attemptOf = (message: OutboxMessage, outcome: AttemptOutcome, detail?: string): DeliveryAttempt => ({
      deliveryId: message.id,
      at,
      requestedBy: 'schedule',
      outcome,
      url: 'http://127.0.0.1:9/cb',
      httpStatus: outcome === 'delivered' ? 200 : 500,
      latencyMs: 3,
      answerHead: outcome === 'delivered' ? '{}' : 'down',
      detail,
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
      await store.transaction((tx) =>
        tx.outbox.settle(delivered, attemptOf(delivered, 'delivered'), { status: 'delivered', at: at + 10 }),
      );
      const dead = claimed.find(expected(payout))!;
      await store.transaction((tx) =>
        tx.outbox.settle(dead, attemptOf(dead, 'failed', 'HTTP 500'), { status: 'dead', error: 'HTTP 500' }),
      );
      const listed = await latest({}, 3);
      assert.deepEqual(
        listed.map((message) => [message.id, message.status, message.deliveredAt, message.lastError]),
        [
          [delivered.id, 'delivered', at + 10, undefined],
          [dead.id, 'dead', undefined, 'HTTP 500'],
          [claimed.find(expected(ended))!.id, 'pending', undefined, undefined],
        ],
      );
      assert.deepEqual(
        (await latest({ status: 'dead' }, 10)).map((message) => message.event),
        [payout],
      );
    });

    it('logs every attempt, and an attempt whose claim lapsed leaves the newer claim alone', async () => {
      await claimAll();
      const event: OutboundEvent = { topic: 'match.created', at, clientId: 'c1', matchId: 'm-lapsed' };
      await store.transaction((tx) => recordOutbound(tx, clientScope('c1'), event));
      const [first] = await store.outbox.claimDue(at, LEASE_MS, 100);
      assert.deepEqual(first?.event, event);
      // The first claim lapses mid-attempt; another dispatcher claims the message again (with
      // the older messages whose claims lapsed too).
      const second = (await store.outbox.claimDue(at + LEASE_MS, LEASE_MS, 100)).find((m) => m.id === first!.id);
      assert.ok(second, 'claimed again once the first claim lapsed');
      await store.transaction((tx) =>
        tx.outbox.settle(first!, attemptOf(first!, 'delivered'), { status: 'delivered', at: at + LEASE_MS + 1 }),
      );
      let now = (await store.outbox.find(first!.id))!;
      assert.equal(now.status, 'pending', 'the lapsed claim did not settle the message');
      assert.equal(now.claimedUntil, second!.claimedUntil, 'the newer claim still holds it');

      await store.transaction((tx) =>
        tx.outbox.settle(second!, attemptOf(second!, 'failed', 'ECONNREFUSED'), {
          status: 'pending',
          nextAttemptAt: at + LEASE_MS + 500,
          error: 'ECONNREFUSED',
        }),
      );
      now = (await store.outbox.find(first!.id))!;
      assert.deepEqual(
        [now.status, now.nextAttemptAt, now.claimedUntil, now.lastError, now.targetUrl],
        ['pending', at + LEASE_MS + 500, 0, 'ECONNREFUSED', 'http://127.0.0.1:9/cb'],
      );
      const attempts = await store.outbox.attemptsOf(first!.id, 10);
      assert.deepEqual(
        attempts.map((attempt) => [attempt.outcome, attempt.detail, attempt.httpStatus, attempt.answerHead]),
        [
          ['failed', 'ECONNREFUSED', 500, 'down'],
          ['delivered', undefined, 200, '{}'],
        ],
        'both attempts are logged, newest first',
      );
    });

    it("settles an operator's retry or replay with one conditional update: of two at once, one wins", async () => {
      await claimAll();
      const event: OutboundEvent = { topic: 'match.created', at, clientId: 'c1', matchId: 'm-replayed' };
      await store.transaction((tx) => recordOutbound(tx, clientScope('c1'), event));
      const [claimed] = await store.outbox.claimDue(at, LEASE_MS, 100);
      assert.equal(await store.outbox.hurry(claimed!.id, at + 1), false, 'an attempt is in flight');
      assert.equal(
        await store.outbox.requeue(claimed!.id, ['delivered'], 'replay', at + 1),
        false,
        'not delivered yet',
      );
      await store.transaction((tx) =>
        tx.outbox.settle(claimed!, attemptOf(claimed!, 'delivered'), { status: 'delivered', at: at + 2 }),
      );
      assert.equal(await store.outbox.hurry(claimed!.id, at + 3), false, 'a delivered one is not hurried');

      const replays = await Promise.all([
        store.outbox.requeue(claimed!.id, ['delivered', 'dead'], 'replay', at + 3),
        store.outbox.requeue(claimed!.id, ['delivered', 'dead'], 'replay', at + 3),
      ]);
      assert.deepEqual(replays.toSorted(), [false, true], 'one replay of two');
      const replayed = (await store.outbox.find(claimed!.id))!;
      assert.deepEqual(
        [replayed.status, replayed.nextAttemptAt, replayed.queuedAt, replayed.createdAt, replayed.requeuedBy],
        ['pending', at + 3, at + 3, at, 'replay'],
        'due now, with a new retry window; its creation time (the listing key) unchanged',
      );
      const [again] = await store.outbox.claimDue(at + 3, LEASE_MS, 100);
      assert.deepEqual([again?.id, again?.eventId, again?.event], [claimed!.id, claimed!.eventId, event]);
      assert.equal(again?.requeuedBy, 'replay', 'the attempt it claims for is the replay');
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
      const [message] = await latest({}, 1);
      assert.deepEqual([message?.event, message?.status], [event, 'delivered']);
    });
  });
}
