import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  callbackOf,
  decryptX,
  eventParams,
  gameA,
  gameB,
  gameC,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  jdbTime,
  PARAMETER,
  uniqueId,
} from '../../support/jdb.js';
import { waitUntil } from '../../support/wait.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

for (const backend of backends) {
  describe(`JDB spins, cashouts and Action 16 payouts [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend, { agents: [{ ...jdbAgent, spinRecords: true }] });
    });
    after(() => f.close());
    afterEach(() => {
      f.clock.offsetMs = 0;
    });

    async function newEvent(params: Record<string, unknown> = {}, playerCount = 1) {
      const players = Array.from({ length: playerCount }, () => uniqueId('p'));
      if (players.length > 0) await f.createPlayers(players);
      const { eventId } = await f.jdb.ok(72, eventParams(f.clock.now(), { players, ...params }));
      return { eventId, players, uid: players[0]! };
    }
    const payoutsOf = (eventId: unknown) =>
      f.wallet.requests.map((r) => callbackOf(r, jdbAgent)).filter((c) => c.action === 16 && c.eventId === eventId);
    const waitForPayouts = async (eventId: unknown, count: number) => {
      await f.wallet.waitFor(() => payoutsOf(eventId).length >= count);
      return payoutsOf(eventId);
    };

    it('plays a spin at the matched bet and accumulates turnover and win', async () => {
      const { eventId, uid } = await newEvent({ machineTypes: [gameA.mType, gameC.mType], bet: '17', times: 3 });
      const first = await f.spin({ uid, eventId, mType: gameA.mType, win: '3.25' });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.eventId, String(eventId));
      assert.equal(first.body.bet, '15.000');
      assert.equal(first.body.win, '3.250');
      assert.equal(first.body.remaining, 2);
      assert.equal(first.body.accumulatedTurnover, '15.000');
      assert.equal(first.body.accumulatedWin, '3.250');
      assert.equal(first.body.cashout, undefined, 'not fixed while spins remain');
      const second = await f.spin({ uid, eventId, mType: gameC.mType, win: '0.001' });
      assert.equal(second.body.bet, '1.500');
      assert.equal(second.body.accumulatedTurnover, '16.500');
      assert.equal(second.body.accumulatedWin, '3.251');
      assert.ok(second.body.historyId > first.body.historyId);
    });

    it('refuses a spin out of an ACTIVE event, of another game, of a player not bound, or past the last one', async () => {
      const { eventId, uid } = await newEvent({ times: 1 });
      const refusal = async (body: Record<string, unknown>, status: number, code: string) => {
        const reply = await f.spin({ uid, eventId, mType: gameA.mType, win: '1', ...body });
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(reply.body.error.code, code);
        return reply.body.error.message as string;
      };
      assert.match(await refusal({ mType: gameB.mType }, 400, 'invalid_parameter'), /not a game of event/);
      assert.match(await refusal({ mType: 555 }, 400, 'invalid_parameter'), /not a game of the catalog/);
      await refusal({ uid: 'stranger' }, 404, 'player_not_bound');
      await refusal({ eventId: 'nope' }, 404, 'event_not_found');
      await refusal({ parent: 'nobody' }, 404, 'agent_not_found');
      await refusal({ win: '-1' }, 400, 'invalid_parameter');
      await refusal({ win: '1.0001' }, 400, 'invalid_parameter');
      await refusal({ win: 1 }, 400, 'invalid_parameter');
      assert.equal((await f.spin({ uid, eventId, mType: gameA.mType, win: '1' })).status, 200);
      await refusal({}, 409, 'no_spins_left');

      const later = await newEvent({
        startTime: jdbTime(f.clock.now() + HOUR),
        endTime: jdbTime(f.clock.now() + 2 * HOUR),
      });
      assert.match(await refusal({ eventId: later.eventId, uid: later.uid }, 409, 'event_state'), /INACTIVE/);
      const ended = await newEvent();
      f.clock.offsetMs = 2 * HOUR;
      assert.match(await refusal({ eventId: ended.eventId, uid: ended.uid }, 409, 'event_state'), /EXPIRED/);
      f.clock.offsetMs = 0;
      const stopped = await newEvent();
      await f.jdb.ok(73, { eventId: stopped.eventId });
      assert.match(await refusal({ eventId: stopped.eventId, uid: stopped.uid }, 409, 'event_state'), /TERMINATED/);
    });

    it('answers a spinId again with the first result and plays it once', async () => {
      const { eventId, uid } = await newEvent({ times: 2 });
      const spinId = uniqueId('spin');
      const first = await f.spin({ uid, eventId, mType: gameA.mType, win: '4', spinId });
      const [again, concurrent] = await Promise.all([
        f.spin({ uid, eventId, mType: gameA.mType, win: '4', spinId }),
        f.spin({ uid, eventId, mType: gameA.mType, win: '4', spinId }),
      ]);
      assert.deepEqual(again.body, first.body);
      assert.deepEqual(concurrent.body, first.body);
      assert.equal(first.body.remaining, 1);
      const [event] = await f.jdb.ok(71, { uid });
      assert.equal(event.useTimes, 1, 'played once');
      const conflict = await f.spin({ uid, eventId, mType: gameA.mType, win: '5', spinId });
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.error.code, 'spin_conflict');
    });

    it('fixes the cashout with the last spin and pays it by Action 16, capped at maxWithdrawal', async () => {
      const { eventId, uid } = await newEvent({ times: 2, minWithdrawal: '5', maxWithdrawal: '12.5' });
      await f.spin({ uid, eventId, mType: gameA.mType, win: '10' });
      const last = await f.spin({ uid, eventId, mType: gameA.mType, win: '7.125' });
      assert.equal(last.body.remaining, 0);
      assert.equal(last.body.accumulatedWin, '17.125');
      assert.equal(last.body.cashout.amount, '12.500');
      const [payout] = await waitForPayouts(eventId, 1);
      const request = f.wallet.requests.find((r) => callbackOf(r, jdbAgent).transferId === payout.transferId)!;
      assert.equal(request.method, 'POST');
      assert.equal(request.url.pathname, `/jdb/${jdbAgent.parent}`);
      assert.match(String(request.headers['content-type']), /^application\/x-www-form-urlencoded/);
      assert.deepEqual(Object.keys(payout).sort(), [
        'accumulatedTurnover',
        'accumulatedWin',
        'action',
        'amount',
        'cashoutTime',
        'currency',
        'eventId',
        'transferId',
        'ts',
        'uid',
      ]);
      assert.equal(payout.action, 16);
      assert.equal(payout.transferId, last.body.cashout.transferId);
      assert.equal(payout.eventId, eventId);
      assert.equal(payout.uid, uid);
      assert.equal(payout.amount, 12.5, 'a JSON number, as JDB documents (Double)');
      const text = decryptX(new URLSearchParams(request.body).get('x')!, jdbAgent);
      assert.match(text, /"amount":12\.500,/, 'written exactly, never through a float');
      assert.equal(payout.currency, 'USD');
      assert.equal(payout.accumulatedTurnover, 10);
      assert.equal(payout.accumulatedWin, 17.125);
      assert.match(payout.cashoutTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
      assert.ok(Math.abs(payout.ts - Date.now()) < 30_000);
    });

    it('pays nothing below minWithdrawal, and the whole win when the limits are -1', async () => {
      const below = await newEvent({ times: 1, minWithdrawal: '10', maxWithdrawal: '-1' });
      const none = await f.spin({ uid: below.uid, eventId: below.eventId, mType: gameA.mType, win: '9.999' });
      assert.equal(none.body.cashout.amount, '0.000');
      const open = await newEvent({ times: 1, minWithdrawal: '-1', maxWithdrawal: '-1' });
      const all = await f.spin({ uid: open.uid, eventId: open.eventId, mType: gameA.mType, win: '123456.789' });
      assert.equal(all.body.cashout.amount, '123456.789');
      const [payout] = await waitForPayouts(open.eventId, 1);
      assert.equal(payout.amount, 123456.789);
      const onlyMin = await newEvent({ times: 1, minWithdrawal: '-1', maxWithdrawal: '2' });
      const capped = await f.spin({ uid: onlyMin.uid, eventId: onlyMin.eventId, mType: gameA.mType, win: '3' });
      assert.equal(capped.body.cashout.amount, '2.000');
      assert.deepEqual(payoutsOf(below.eventId), [], 'a zero cashout is not paid');
      const [report] = await f.jdb.ok(71, { uid: below.uid });
      assert.equal(report.cashout, '0.000');
    });

    it('fixes the cashouts of players who used spins when the event is terminated or expires', async () => {
      const terminated = await newEvent({ times: 3 }, 3);
      const [used, alsoUsed, untouched] = terminated.players as [string, string, string];
      await f.spin({ uid: used, eventId: terminated.eventId, mType: gameA.mType, win: '2' });
      await f.spin({ uid: alsoUsed, eventId: terminated.eventId, mType: gameA.mType, win: '0' });
      await f.jdb.ok(73, { eventId: terminated.eventId });
      const [payout] = await waitForPayouts(terminated.eventId, 1);
      assert.equal(payout.uid, used);
      assert.equal(payout.amount, 2);
      const byUid = async (uid: string) => (await f.jdb.ok(71, { uid }))[0];
      assert.equal((await byUid(used)).cashout, '2.000');
      await waitUntil(async () => (await byUid(alsoUsed)).cashout !== null, 'the cashout to be fixed', 2_000);
      assert.equal((await byUid(alsoUsed)).cashout, '0.000', 'fixed, at zero');
      assert.equal((await byUid(untouched)).cashout, null, 'no spin used: nothing to cash out');

      const expiring = await newEvent({ times: 5 }, 2);
      await f.spin({ uid: expiring.uid, eventId: expiring.eventId, mType: gameA.mType, win: '6.5' });
      f.clock.offsetMs = 2 * HOUR;
      const [expired] = await waitForPayouts(expiring.eventId, 1);
      assert.equal(expired.uid, expiring.uid);
      assert.equal(expired.amount, 6.5);
      const [event] = await f.jdb.ok(76, {
        startTime: jdbTime(f.clock.now() - DAY),
        endTime: jdbTime(f.clock.now()),
        eventId: expiring.eventId,
      });
      assert.equal(event.status, 'EXPIRED');
      assert.equal(event.totalCashout, '6.500');
      assert.equal(payoutsOf(expiring.eventId).length, 1, 'paid once');
    });

    it('sends Action 17 for each spin to agents that ask for spin records', async () => {
      const { eventId, uid } = await newEvent({ times: 2, machineTypes: [gameC.mType], bet: '1' });
      const spin = await f.spin({ uid, eventId, mType: gameC.mType, win: '0.5' });
      await f.wallet.waitFor((all) => all.some((r) => callbackOf(r, jdbAgent).historyId === spin.body.historyId));
      const record = f.wallet.requests
        .map((r) => callbackOf(r, jdbAgent))
        .find((c) => c.historyId === spin.body.historyId);
      assert.equal(record.action, 17);
      assert.equal(record.uid, uid);
      assert.equal(record.gType, gameC.gType);
      assert.equal(record.mType, gameC.mType);
      assert.equal(record.bet, -0.25, 'the matched bet, negative as JDB sends bets');
      assert.equal(record.win, 0.5);
      assert.equal(record.eventId, String(eventId));
      assert.equal(record.transferId % 2, 1, 'spin-record transfer ids never meet payout ones (even)');
    });

    it('Action 70 lists the spins of a window of whole minutes, at most five', async () => {
      const { eventId, uid } = await newEvent({ machineTypes: [gameA.mType, gameC.mType], bet: '1', times: 3 });
      const spins = [
        await f.spin({ uid, eventId, mType: gameA.mType, win: '1.5' }),
        await f.spin({ uid, eventId, mType: gameC.mType, win: '0' }),
      ];
      const from = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
      const window = { startTime: jdbTime(from), endTime: jdbTime(from + 5 * MINUTE) };
      const all = await f.jdb.ok(70, { ...window, gTypes: [0, 7], uid });
      assert.deepEqual(
        all.map((h: any) => h.historyId),
        spins.map((s) => s.body.historyId),
      );
      assert.deepEqual(all[0], {
        historyId: spins[0]!.body.historyId,
        uid,
        gType: 0,
        mtype: gameA.mType,
        gameDate: all[0].gameDate,
        currency: 'USD',
        bet: '1.000',
        win: '1.500',
        eventId,
      });
      assert.ok(Math.abs(Date.parse(all[0].gameDate) - Date.now()) < 60_000);
      const slotsOnly = await f.jdb.ok(70, { ...window, gTypes: [0], uid });
      assert.deepEqual(
        slotsOnly.map((h: any) => h.mtype),
        [gameA.mType],
      );

      const refuse = async (params: Record<string, unknown>, text: string) =>
        assert.equal((await f.jdb.call(70, { gTypes: [0], ...params })).err_text, `${PARAMETER}${text}`);
      await refuse({ ...window, startTime: jdbTime(from + 1000) }, 'startTime must be a whole minute (seconds 00.000)');
      await refuse(
        { ...window, endTime: jdbTime(from + 5 * MINUTE + 1) },
        'endTime must be a whole minute (seconds 00.000)',
      );
      await refuse(
        { ...window, endTime: jdbTime(from + 6 * MINUTE) },
        'endTime must be at most 5 minutes after startTime',
      );
      await refuse({ ...window, endTime: window.startTime }, 'endTime must be later than startTime');
      await refuse(
        { startTime: jdbTime(from - 181 * DAY), endTime: jdbTime(from - 181 * DAY + MINUTE) },
        'startTime must be within the last 180 days',
      );
      await refuse({ ...window, gTypes: [] }, 'gTypes must not be empty');
      // Found by the fuzz test: beyond 32 bits, PostgreSQL failed the query (9999).
      await refuse({ ...window, gTypes: [0, 2147483648] }, 'gTypes[1] must be at most 2147483647');
      await refuse({ endTime: window.endTime }, 'startTime is required');
    });

    it('Action 78 reports the positive cashouts of a past day (12:00 to 12:00, UTC+8) per player', async () => {
      f.clock.offsetMs = -2 * DAY;
      const { eventId, players } = await newEvent({ times: 1 }, 3);
      const [rich, poor, zero] = players as [string, string, string];
      await f.spin({ uid: rich, eventId, mType: gameA.mType, win: '7.5' });
      await f.spin({ uid: poor, eventId, mType: gameA.mType, win: '0.25' });
      await f.spin({ uid: zero, eventId, mType: gameA.mType, win: '0' });
      const second = await newEvent({ times: 1, players: [rich] }, 0);
      await f.spin({ uid: rich, eventId: second.eventId, mType: gameA.mType, win: '1' });
      const cashoutAt = f.clock.now();
      f.clock.offsetMs = 0;

      const dayStart = Math.floor((cashoutAt - 4 * HOUR) / DAY) * DAY + 4 * HOUR;
      const date = new Date(dayStart).toISOString().slice(0, 10).split('-').reverse().join('-');
      const report = await f.jdb.ok(78, { date });
      const mine = report.filter((row: any) => players.includes(row.uid));
      assert.deepEqual(
        mine.sort((a: any, b: any) => a.uid.localeCompare(b.uid)),
        [
          {
            uid: rich,
            totalCashout: '8.500',
            events: [
              { eventId, cashout: '7.500' },
              { eventId: second.eventId, cashout: '1.000' },
            ],
          },
          { uid: poor, totalCashout: '0.250', events: [{ eventId, cashout: '0.250' }] },
        ].sort((a, b) => a.uid.localeCompare(b.uid)),
      );

      const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10).split('-').reverse().join('-');
      assert.equal(
        (await f.jdb.call(78, { date: today })).err_text,
        `${PARAMETER}date must be a day that is over (the previous day at the latest)`,
      );
      assert.equal(
        (await f.jdb.call(78, { date: '01-01-2020' })).err_text,
        `${PARAMETER}date must be within the last 3 months`,
      );
      assert.equal(
        (await f.jdb.call(78, { date: '2024-01-01' })).err_text,
        `${PARAMETER}date must be a date as dd-MM-yyyy`,
      );
      assert.equal(
        (await f.jdb.call(78, { date: '31-02-2024' })).err_text,
        `${PARAMETER}date must be a date as dd-MM-yyyy`,
      );
    });
  });
}
