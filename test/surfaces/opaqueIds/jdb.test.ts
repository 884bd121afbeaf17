import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  callbackOf,
  eventParams,
  gameA,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  jdbTime,
  otherJdbAgent,
  PARAMETER,
} from '../../support/jdb.js';
import { absentOddId, oddIds } from '../../support/oddIds.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

for (const backend of backends) {
  describe(`JDB players, events and spins with ids named like sentinels or object keys [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      // The second agent's dc and parent are odd ids too.
      f = await jdbFixture(backend, {
        agents: [jdbAgent, { ...otherJdbAgent, dc: '__proto__', parent: 'constructor' }],
      });
    });
    after(() => f.close());
    afterEach(() => {
      f.clock.offsetMs = 0;
    });

    const payouts = () => f.wallet.requests.map((r) => callbackOf(r, jdbAgent)).filter((c) => c.action === 16) as any[];
    const eventOf = async (eventId: string) => {
      const now = f.clock.now();
      const listed = await f.jdb.ok(76, { startTime: jdbTime(now - DAY), endTime: jdbTime(now + DAY), eventId });
      assert.equal(listed.length, 1, `event ${eventId}: ${JSON.stringify(listed)}`);
      return listed[0];
    };

    // The players this test creates play in the tests after it.
    it('creates players of any id, binds them to events of any id and spins them', async () => {
      const created = await f.admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [...oddIds] });
      assert.deepEqual(created, { created: oddIds.length, existing: [] });
      const again = await f.admin.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: ['__proto__'] });
      assert.deepEqual(again, { created: 0, existing: ['__proto__'] });

      const params = eventParams(f.clock.now(), {
        eventId: '__proto__',
        transactionId: 'constructor',
        players: [...oddIds, absentOddId],
        times: 2,
      });
      const data = await f.jdb.ok(72, params);
      assert.deepEqual(data, { eventId: '__proto__', failedBindingPlayers: [], notExistedPlayers: [absentOddId] });
      assert.deepEqual(await f.jdb.ok(72, params), data, 'a replay of the transactionId');
      const taken = await f.jdb.call(72, { ...params, transactionId: 'toString' });
      assert.equal(taken.status, '8000', taken.err_text);
      const second = await f.jdb.ok(
        72,
        eventParams(f.clock.now(), { eventId: 'toString', transactionId: '__proto__', players: ['valueOf'], times: 1 }),
      );
      assert.equal(second.eventId, 'toString');

      const bound = await f.jdb.ok(74, { eventId: '__proto__', players: ['constructor', absentOddId] });
      assert.deepEqual(bound, { failedBindingPlayers: ['constructor'], notExistedPlayers: [absentOddId] });

      for (const uid of oddIds) {
        const spin = { uid, eventId: '__proto__', mType: gameA.mType, win: '1.5', spinId: uid };
        const first = await f.spin(spin);
        assert.equal(first.status, 200, `${uid}: ${JSON.stringify(first.body)}`);
        assert.equal(first.body.uid, uid);
        assert.equal(first.body.remaining, 1);
        const replay = await f.spin(spin);
        assert.deepEqual(replay.body, first.body, `${uid}: a replay of the spinId`);
      }
      const stranger = await f.spin({ uid: absentOddId, eventId: '__proto__', mType: gameA.mType, win: '1' });
      assert.equal(stranger.status, 404);
      assert.equal(stranger.body.error.code, 'player_not_bound');
      const elsewhere = await f.spin({ uid: '__proto__', eventId: 'toString', mType: gameA.mType, win: '1' });
      assert.equal(elsewhere.body.error?.code, 'player_not_bound', 'bound to one event, not the other');
      const last = await f.spin({ uid: 'valueOf', eventId: 'toString', mType: gameA.mType, win: '2.5' });
      assert.deepEqual(last.body.cashout, { amount: '2.500', transferId: last.body.cashout.transferId });

      const overview = await eventOf('__proto__');
      assert.equal(overview.eventId, '__proto__');
      assert.equal(overview.numberOfPlayers, oddIds.length);
      assert.equal(overview.totalUseTimes, oddIds.length);
      assert.equal(overview.totalTimes, 2 * oddIds.length);
      assert.equal((await eventOf('toString')).numberOfPlayers, 1);

      const ofPlayer = async (uid: string) => (await f.jdb.ok(71, { uid })).map((e: any) => [e.eventId, e.useTimes]);
      assert.deepEqual(await ofPlayer('__proto__'), [['__proto__', 1]]);
      assert.deepEqual((await ofPlayer('valueOf')).sort(), [
        ['__proto__', 1],
        ['toString', 1],
      ]);
      assert.deepEqual(await ofPlayer(absentOddId), []);

      const from = Math.floor(f.clock.now() / MINUTE) * MINUTE - 2 * MINUTE;
      const window = { startTime: jdbTime(from), endTime: jdbTime(from + 5 * MINUTE), gTypes: [0] };
      const history = await f.jdb.ok(70, { ...window, uid: 'constructor' });
      assert.deepEqual(
        history.map((h: any) => [h.uid, h.eventId]),
        [['constructor', '__proto__']],
      );
    });

    it('updates, unbinds and terminates events of any id; pays the cashouts of players of any id', async () => {
      const later = eventParams(f.clock.now(), {
        eventId: 'aborted',
        transactionId: 'aborted',
        startTime: jdbTime(f.clock.now() + HOUR),
        endTime: jdbTime(f.clock.now() + 2 * HOUR),
        players: ['tie', 'won'],
      });
      await f.jdb.ok(72, later);
      await f.jdb.ok(75, { eventId: 'aborted', players: ['tie', absentOddId] });
      assert.equal((await eventOf('aborted')).numberOfPlayers, 1);
      await f.jdb.ok(77, { ...later, eventId: 'aborted', name: 'renamed' });
      assert.equal((await eventOf('aborted')).name, 'renamed');
      assert.equal((await eventOf('__proto__')).name, 'Test event', 'only the event named changed');

      await f.jdb.ok(73, { eventId: '__proto__' });
      assert.equal((await eventOf('__proto__')).status, 'TERMINATED');
      const again = await f.jdb.call(73, { eventId: '__proto__' });
      assert.equal(again.status, '9998');
      const missing = await f.jdb.call(73, { eventId: absentOddId });
      assert.equal(missing.status, '9998', missing.err_text);
      const bad = await f.jdb.call(72, { ...later, eventId: 'a-b', transactionId: 'x' });
      assert.equal(bad.err_text, `${PARAMETER}eventId must be 1 to 50 of the characters A-Z a-z 0-9 _`);

      await f.wallet.waitFor(() => payouts().filter((p) => p.eventId === '__proto__').length >= oddIds.length, 30_000);
      const paid = payouts().filter((p) => p.eventId === '__proto__');
      assert.deepEqual(paid.map((p) => p.uid).sort(), [...oddIds].sort());
      assert.ok(paid.every((p) => p.amount === 1.5));
      assert.deepEqual(
        payouts()
          .filter((p) => p.eventId === 'toString')
          .map((p) => [p.uid, p.amount]),
        [['valueOf', 2.5]],
      );
    });

    it("serves an agent whose dc and parent are any such ids, its players and events apart from the other agent's", async () => {
      const created = await f.admin.ok('POST', '/jdb/players', { parent: 'constructor', uids: ['__proto__', 'tie'] });
      assert.deepEqual(created, { created: 2, existing: [] }, 'players belong to their agent');
      const params = eventParams(f.clock.now(), {
        eventId: '__proto__',
        transactionId: 'constructor',
        players: ['__proto__', 'tie'],
      });
      for (const transport of ['get', 'form', 'json'] as const) {
        const data = await f.other.ok(72, params, { transport });
        assert.deepEqual(data, { eventId: '__proto__', failedBindingPlayers: [], notExistedPlayers: [] }, transport);
      }
      const spin = await f.admin.request('POST', '/jdb/spins', {
        parent: 'constructor',
        uid: 'tie',
        eventId: '__proto__',
        mType: gameA.mType,
        win: '0.5',
      });
      assert.equal(spin.status, 200, JSON.stringify(spin.body));
      const now = f.clock.now();
      const listed = await f.other.ok(76, { startTime: jdbTime(now - DAY), endTime: jdbTime(now + DAY) });
      assert.deepEqual(
        listed.map((e: any) => [e.eventId, e.creator, e.numberOfPlayers, e.totalUseTimes]),
        [['__proto__', 'constructor', 2, 1]],
      );
      assert.deepEqual(
        (await f.other.ok(71, { uid: '__proto__' })).map((e: any) => [e.eventId, e.useTimes, e.currency]),
        [['__proto__', 0, otherJdbAgent.currency]],
      );
      const mine = await eventOf('__proto__');
      assert.equal(mine.creator, jdbAgent.parent, "the first agent's event of the same id is its own");
      assert.equal(mine.numberOfPlayers, oddIds.length);
      const wrongKey = await f.other.call(72, params, { keyOf: jdbAgent });
      assert.equal(wrongKey.status, '9006', wrongKey.err_text);
      const unknownDc = await f.jdb.call(76, {}, { dc: 'constructor' });
      assert.equal(unknownDc.status, '9003', unknownDc.err_text);
    });

    it('reports the daily cashouts of players of any id, each apart', async () => {
      f.clock.offsetMs = -2 * DAY;
      await f.jdb.ok(
        72,
        eventParams(f.clock.now(), {
          eventId: 'valueOf',
          transactionId: 'valueOf',
          players: ['__proto__', 'constructor'],
          times: 1,
        }),
      );
      await f.spin({ uid: '__proto__', eventId: 'valueOf', mType: gameA.mType, win: '3' });
      await f.spin({ uid: 'constructor', eventId: 'valueOf', mType: gameA.mType, win: '4' });
      const cashoutAt = f.clock.now();
      f.clock.offsetMs = 0;

      const dayStart = Math.floor((cashoutAt - 4 * HOUR) / DAY) * DAY + 4 * HOUR;
      const date = new Date(dayStart).toISOString().slice(0, 10).split('-').reverse().join('-');
      const report = await f.jdb.ok(78, { date });
      assert.deepEqual(
        report.sort((a: any, b: any) => (a.uid < b.uid ? -1 : 1)),
        [
          { uid: '__proto__', totalCashout: '3.000', events: [{ eventId: 'valueOf', cashout: '3.000' }] },
          { uid: 'constructor', totalCashout: '4.000', events: [{ eventId: 'valueOf', cashout: '4.000' }] },
        ],
      );
    });
  });
}
