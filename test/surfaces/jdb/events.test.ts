import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  eventParams,
  gameA,
  gameB,
  gameC,
  type JdbFixture,
  jdbFixture,
  jdbTime,
  PARAMETER,
  uniqueId,
} from '../../support/jdb.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const backend of backends) {
  describe(`JDB Actions 73-77, 71 and 49 [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());
    afterEach(() => {
      f.clock.offsetMs = 0;
    });

    const wide = () => ({ startTime: jdbTime(f.clock.now() - 30 * DAY), endTime: jdbTime(f.clock.now() + 30 * DAY) });
    const findEvent = async (eventId: unknown) => {
      const [event] = await f.jdb.ok(76, { ...wide(), eventId });
      return event;
    };
    /** An event with fresh players (created), starting `startIn` ms from now. */
    async function newEvent(options: { startIn?: number; players?: number; params?: Record<string, unknown> } = {}) {
      const players = Array.from({ length: options.players ?? 2 }, () => uniqueId('p'));
      if (players.length > 0) await f.createPlayers(players);
      const now = f.clock.now();
      const startAt = now + (options.startIn ?? -60_000);
      const { eventId } = await f.jdb.ok(
        72,
        eventParams(now, {
          startTime: jdbTime(startAt),
          endTime: jdbTime(startAt + 2 * HOUR),
          players,
          ...options.params,
        }),
      );
      return { eventId, players, startAt, endAt: startAt + 2 * HOUR };
    }

    it('derives the status from time and termination: INACTIVE, ACTIVE, EXPIRED, TERMINATED', async () => {
      const { eventId, startAt, endAt } = await newEvent({ startIn: HOUR });
      assert.equal((await findEvent(eventId)).status, 'INACTIVE');
      f.clock.offsetMs = startAt - Date.now();
      assert.equal((await findEvent(eventId)).status, 'ACTIVE');
      const terminated = await newEvent({ startIn: HOUR });
      await f.jdb.ok(73, { eventId: terminated.eventId });
      assert.equal((await findEvent(terminated.eventId)).status, 'TERMINATED');
      f.clock.offsetMs = endAt - Date.now();
      assert.equal((await findEvent(eventId)).status, 'EXPIRED', 'the end time is the first instant it is over');
      assert.equal((await findEvent(terminated.eventId)).status, 'TERMINATED', 'whatever the time');
    });

    it('Action 73 terminates once; 9998 for a terminated, expired or missing event', async () => {
      const { eventId } = await newEvent();
      const first = await f.jdb.call(73, { eventId: String(eventId) });
      assert.deepEqual(first, { status: '0000' });
      const again = await f.jdb.call(73, { eventId });
      assert.equal(again.status, '9998');
      assert.match(again.err_text!, /status is TERMINATED/);
      const missing = await f.jdb.call(73, { eventId: 123 });
      assert.equal(missing.status, '9998');
      assert.match(missing.err_text!, /does not exist/);

      const expired = await newEvent();
      f.clock.offsetMs = 3 * HOUR;
      const late = await f.jdb.call(73, { eventId: expired.eventId });
      assert.equal(late.status, '9998');
      assert.match(late.err_text!, /status is EXPIRED/);

      assert.equal((await f.jdb.call(73, {})).err_text, `${PARAMETER}eventId is required`);
      assert.equal(
        (await f.jdb.call(73, { eventId: true })).err_text,
        `${PARAMETER}eventId must be a string or an integer`,
      );
    });

    it('Action 74 binds more players, reporting those bound already and those that do not exist', async () => {
      const { eventId, players } = await newEvent({ startIn: HOUR });
      const fresh = [uniqueId('p'), uniqueId('p')];
      await f.createPlayers(fresh);
      const data = await f.jdb.ok(74, { eventId, players: [fresh[0], players[0], 'ghost', fresh[1]] });
      assert.deepEqual(data, { failedBindingPlayers: [players[0]], notExistedPlayers: ['ghost'] });
      assert.equal((await findEvent(eventId)).numberOfPlayers, 4);
      assert.equal((await f.jdb.ok(74, { eventId: String(eventId), players: [] })).failedBindingPlayers.length, 0);

      assert.equal((await f.jdb.call(74, { eventId: 42, players: fresh })).status, '9015');
      const tooMany = await f.jdb.call(
        74,
        { eventId, players: Array.from({ length: 50_001 }, (_, i) => `x${i}`) },
        {
          transport: 'form',
        },
      );
      assert.equal(tooMany.err_text, `${PARAMETER}players must have at most 50000 items`);
      assert.equal((await f.jdb.call(74, { eventId })).err_text, `${PARAMETER}players is required`);

      await f.jdb.ok(73, { eventId });
      const terminated = await f.jdb.call(74, { eventId, players: fresh });
      assert.equal(terminated.status, '9998');
      const ended = await newEvent();
      f.clock.offsetMs = 3 * HOUR;
      assert.equal((await f.jdb.call(74, { eventId: ended.eventId, players: fresh })).status, '9998');
    });

    it('Action 75 unbinds players while the event is INACTIVE only', async () => {
      const { eventId, players, startAt } = await newEvent({ startIn: HOUR, players: 3 });
      assert.deepEqual(await f.jdb.call(75, { eventId, players: [players[0], 'not_bound'] }), { status: '0000' });
      assert.equal((await findEvent(eventId)).numberOfPlayers, 2);
      assert.deepEqual(await f.jdb.ok(71, { uid: players[0] }), [], 'the player no longer has the event');

      assert.equal((await f.jdb.call(75, { eventId: 'nope', players })).status, '9015');
      f.clock.offsetMs = startAt - Date.now() + 1000;
      const active = await f.jdb.call(75, { eventId, players: [players[1]] });
      assert.equal(active.status, '9998');
      assert.match(active.err_text!, /status is ACTIVE \(it needs INACTIVE\)/);
      assert.equal((await findEvent(eventId)).numberOfPlayers, 2, 'nothing was unbound');
    });

    it('Action 76 lists events by start time, filtered, with their totals', async () => {
      const tag = uniqueId('list');
      const a = await newEvent({ params: { name: `${tag} alpha`, machineTypes: [gameA.mType] } });
      const b = await newEvent({
        startIn: HOUR,
        params: { name: `${tag} BETA`, machineTypes: [gameB.mType, gameC.mType], bet: '20' },
      });
      const c = await newEvent({ params: { name: `${tag} gamma`, type: 'FEATURE', machineTypes: [gameA.mType] } });
      await f.jdb.ok(73, { eventId: c.eventId });
      const ids = async (filter: Record<string, unknown>) =>
        (await f.jdb.ok(76, { ...wide(), name: tag, ...filter })).map((e: any) => e.eventId);

      assert.deepEqual(await ids({}), [a.eventId, c.eventId, b.eventId], 'by start time');
      assert.deepEqual(await ids({ name: `${tag} beta` }), [b.eventId], 'name: any part, any case');
      assert.deepEqual(await ids({ status: 0 }), [b.eventId]);
      assert.deepEqual(await ids({ status: 1 }), [a.eventId]);
      assert.deepEqual(await ids({ status: 3 }), [c.eventId]);
      assert.deepEqual(await ids({ machineTypes: [gameC.mType, 99] }), [b.eventId]);
      assert.deepEqual(await ids({ types: ['FEATURE'] }), [c.eventId]);
      assert.deepEqual(await ids({ eventId: String(a.eventId) }), [a.eventId]);
      const narrow = await f.jdb.ok(76, {
        startTime: jdbTime(a.startAt - 1000),
        endTime: jdbTime(a.startAt + 30 * 60_000),
        name: tag,
      });
      assert.deepEqual(
        narrow.map((e: any) => e.eventId),
        [a.eventId, c.eventId],
        'only events starting in the window',
      );

      await f.spin({ uid: a.players[0], eventId: a.eventId, mType: gameA.mType, win: '2.5' });
      await f.spin({ uid: a.players[0], eventId: a.eventId, mType: gameA.mType, win: '1' });
      await f.spin({ uid: a.players[0], eventId: a.eventId, mType: gameA.mType, win: '0.001' });
      const [event] = await f.jdb.ok(76, { ...wide(), eventId: a.eventId });
      assert.equal(event.numberOfPlayers, 2);
      assert.equal(event.totalTimes, 6);
      assert.equal(event.totalUseTimes, 3);
      assert.equal(event.totalCashout, '3.501', 'the player used all three spins: cashout fixed');

      assert.equal((await f.jdb.call(76, { endTime: wide().endTime })).err_text, `${PARAMETER}startTime is required`);
      assert.equal((await f.jdb.call(76, { ...wide(), status: 4 })).err_text, `${PARAMETER}status must be at most 3`);
      assert.deepEqual(await f.jdb.ok(76, { ...wide(), name: 'no event has this name' }), [], 'no data is 0000');
    });

    it('Action 77 updates an event; times and type never change, nor the start of a started event', async () => {
      const { eventId, startAt } = await newEvent({ startIn: HOUR, params: { maxWithdrawal: '50' } });
      const update = {
        eventId,
        name: 'renamed',
        startTime: jdbTime(startAt + 60_000),
        endTime: jdbTime(startAt + 5 * HOUR),
        machineTypes: [gameA.mType, gameB.mType],
        bet: '25',
        minWithdrawal: '1.5',
        maxWithdrawal: '-1',
      };
      assert.deepEqual(await f.jdb.call(77, { ...update, times: 3, type: 'NORMAL' }), { status: '0000' });
      const event = await findEvent(eventId);
      assert.equal(event.name, 'renamed');
      assert.equal(Date.parse(event.startTime), startAt + 60_000);
      assert.equal(Date.parse(event.endTime), startAt + 5 * HOUR);
      assert.deepEqual(event.gameBets, [
        { mType: gameA.mType, bet: '20.000' },
        { mType: gameB.mType, bet: '25.000' },
      ]);
      assert.equal(event.minWithdrawal, '1.500');
      assert.equal(event.maxWithdrawal, '-1');
      assert.equal(event.times, 3);
      assert.equal(event.type, 'NORMAL');

      assert.equal(
        (await f.jdb.call(77, { ...update, times: 5 })).err_text,
        `${PARAMETER}times cannot be changed after creation`,
      );
      assert.equal(
        (await f.jdb.call(77, { ...update, type: 'FEATURE' })).err_text,
        `${PARAMETER}type cannot be changed after creation`,
      );
      assert.equal(
        (await f.jdb.call(77, { ...update, bet: '0.5' })).err_text,
        `${PARAMETER}bet is below the minimum bet of game ${gameA.mType}`,
      );
      assert.equal(
        (await f.jdb.call(77, { ...update, minWithdrawal: '10', maxWithdrawal: '5' })).err_text,
        `${PARAMETER}minWithdrawal must be less than or equal to maxWithdrawal`,
      );
      const { name: _name, ...withoutName } = update;
      assert.equal((await f.jdb.call(77, withoutName)).err_text, `${PARAMETER}name is required`);
      assert.equal((await f.jdb.call(77, { ...update, eventId: 'unknown' })).status, '9015');
      assert.equal((await findEvent(eventId)).name, 'renamed', 'refused updates changed nothing');

      f.clock.offsetMs = startAt + 120_000 - Date.now();
      const moved = await f.jdb.call(77, { ...update, startTime: jdbTime(startAt + 90 * 60_000) });
      assert.equal(moved.err_text, `${PARAMETER}startTime cannot be changed once the event has started`);
      assert.equal((await f.jdb.call(77, { ...update, name: 'running' })).status, '0000', 'other terms may change');

      await f.jdb.ok(73, { eventId });
      const terminated = await f.jdb.call(77, update);
      assert.equal(terminated.status, '9998');
      assert.match(terminated.err_text!, /TERMINATED/);
    });

    it("Action 71 lists a player's events with their use and cashout, filtered", async () => {
      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const now = f.clock.now();
      const base = { players: [uid], times: 2, maxWithdrawal: '3' };
      const first = await f.jdb.ok(72, eventParams(now, { ...base, name: 'first' }));
      const second = await f.jdb.ok(
        72,
        eventParams(now, {
          ...base,
          name: 'second',
          type: 'FEATURE',
          startTime: jdbTime(now + HOUR),
          endTime: jdbTime(now + 2 * HOUR),
        }),
      );
      await f.spin({ uid, eventId: first.eventId, mType: gameA.mType, win: '2' });
      await f.spin({ uid, eventId: first.eventId, mType: gameA.mType, win: '2.5' });

      const events = await f.jdb.ok(71, { uid });
      assert.deepEqual(
        events.map((e: any) => e.eventId),
        [first.eventId, second.eventId],
      );
      const [used, waiting] = events;
      assert.equal(used.name, 'first');
      assert.equal(used.status, 'ACTIVE');
      assert.equal(used.times, 2);
      assert.equal(used.useTimes, 2);
      assert.equal(used.accumulatedWin, '4.500');
      assert.equal(used.accumulatedTurnover, '10.000');
      assert.equal(used.cashout, '3.000', 'capped at maxWithdrawal');
      assert.ok(Date.parse(used.cashoutTime) >= now);
      assert.deepEqual(used.machineTypes, [gameA.mType]);
      assert.equal(waiting.status, 'INACTIVE');
      assert.equal(waiting.type, 'FEATURE');
      assert.equal(waiting.useTimes, 0);
      assert.equal(waiting.cashout, null, 'not fixed yet');

      const ids = async (filter: Record<string, unknown>) =>
        (await f.jdb.ok(71, { uid, ...filter })).map((e: any) => e.name);
      assert.deepEqual(await ids({ status: 0 }), ['second']);
      assert.deepEqual(await ids({ types: ['NORMAL'] }), ['first']);
      assert.deepEqual(await ids({ startTime: jdbTime(now + 30 * 60_000) }), ['second']);
      assert.deepEqual(await ids({ endTime: jdbTime(now + 30 * 60_000) }), ['first']);
      assert.deepEqual(await f.jdb.ok(71, { uid: 'nobody_at_all' }), []);
      assert.equal((await f.jdb.call(71, {})).err_text, `${PARAMETER}uid is required`);

      f.clock.offsetMs = 200 * DAY;
      assert.deepEqual(await f.jdb.ok(71, { uid }), [], 'kept for 180 days after the event ended');
    });

    it('Action 49 lists the game catalog by gType with bet lists and Feature Buy terms', async () => {
      const data = await f.jdb.ok(49, { lang: 'en' });
      assert.deepEqual(
        data.map((group: any) => group.gType),
        [0, 7],
      );
      const [slots, fish] = data;
      assert.deepEqual(
        slots.list.map((g: any) => g.mType),
        [gameA.mType, gameB.mType],
      );
      assert.deepEqual(slots.list[0], {
        mType: gameA.mType,
        image: '',
        name: 'Game A',
        betList: ['1.000', '5.000', '15.000', '20.000', '30.000'],
        freeSpinTypes: ['NORMAL', 'FEATURE'],
        featureGameInfo: {
          type1: { multiple: 50, maxTotalBet: '1000.000', betList: ['1.000', '5.000', '15.000', '20.000', '30.000'] },
        },
      });
      assert.deepEqual(fish.list, [
        {
          mType: gameC.mType,
          image: '',
          name: 'Fish C',
          betList: ['0.100', '0.250', '1.500'],
          freeSpinTypes: ['NORMAL'],
        },
      ]);
    });
  });
}
