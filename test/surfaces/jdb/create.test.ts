import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

const DAY = 86_400_000;

for (const backend of backends) {
  describe(`JDB Action 72, create free-spin event [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());

    /** Action 76 over a wide window, filtered by name. */
    const listByName = (name: string) =>
      f.jdb.ok(76, { startTime: jdbTime(Date.now() - 30 * DAY), endTime: jdbTime(Date.now() + 30 * DAY), name });

    it('creates the event, binds its players, and reports those that do not exist', async () => {
      const [p1, p2] = [uniqueId('p'), uniqueId('p')];
      await f.createPlayers([p1, p2]);
      const now = Date.now();
      const name = uniqueId('seed event');
      const start = now - 60_000;
      const end = now + 7 * DAY;
      const data = await f.jdb.ok(
        72,
        eventParams(now, {
          name,
          startTime: jdbTime(start, '+01:00'),
          endTime: jdbTime(end, '-04:00'),
          machineTypes: [gameA.mType, gameB.mType],
          bet: '2.000',
          times: 10,
          minWithdrawal: '10.000',
          maxWithdrawal: '100.000',
          players: [p1, 'not_exist1', p2, 'not_exist2'],
        }),
      );
      assert.equal(typeof data.eventId, 'number', 'eventId is a Long');
      assert.deepEqual(data.failedBindingPlayers, []);
      assert.deepEqual(data.notExistedPlayers, ['not_exist1', 'not_exist2']);

      const [event] = await listByName(name);
      assert.equal(event.eventId, data.eventId);
      assert.equal(event.name, name);
      assert.equal(event.creator, 'testag');
      assert.equal(event.status, 'ACTIVE');
      assert.equal(event.type, 'NORMAL');
      assert.equal(event.times, 10);
      assert.equal(event.bet, '2.000');
      assert.equal(event.minWithdrawal, '10.000');
      assert.equal(event.maxWithdrawal, '100.000');
      assert.equal(event.currency, 'USD');
      assert.deepEqual(event.machineTypes, [gameA.mType, gameB.mType]);
      assert.equal(Date.parse(event.startTime), start, 'the same instant, whatever the offset it was sent in');
      assert.equal(Date.parse(event.endTime), end);
      assert.match(event.startTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
      assert.equal(event.numberOfPlayers, 2);
      assert.equal(event.totalTimes, 20);
      assert.equal(event.totalUseTimes, 0);
      assert.equal(event.totalCashout, '0.000');
    });

    it("matches the bet per game as the seed's example: bet 25 plays 20 in game A and 25 in game B", async () => {
      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const name = uniqueId('bet example');
      const { eventId } = await f.jdb.ok(
        72,
        eventParams(Date.now(), { name, machineTypes: [gameA.mType, gameB.mType], bet: '25', players: [uid] }),
      );
      const [event] = await listByName(name);
      assert.deepEqual(event.gameBets, [
        { mType: gameA.mType, bet: '20.000' },
        { mType: gameB.mType, bet: '25.000' },
      ]);
      const onA = await f.spin({ uid, eventId, mType: gameA.mType, win: '0' });
      assert.equal(onA.status, 200, JSON.stringify(onA.body));
      assert.equal(onA.body.bet, '20.000', 'game A plays 20');
      const onB = await f.spin({ uid, eventId, mType: gameB.mType, win: '0' });
      assert.equal(onB.body.bet, '25.000', 'game B plays 25');
    });

    it('takes the closest bet not above the one asked, and refuses a bet below a game’s minimum', async () => {
      const cases: Array<[string, string, string]> = [
        ['17.5', '15.000', '5.000'],
        ['1', '1.000', '1.000'],
        ['999', '30.000', '30.000'],
      ];
      for (const [bet, onA, onB] of cases) {
        const name = uniqueId('match');
        await f.jdb.ok(72, eventParams(Date.now(), { name, machineTypes: [gameA.mType, gameB.mType], bet }));
        const [event] = await listByName(name);
        assert.deepEqual(
          event.gameBets.map((g: any) => g.bet),
          [onA, onB],
          `bet ${bet}`,
        );
      }
      const below = await f.jdb.call(
        72,
        eventParams(Date.now(), { machineTypes: [gameA.mType, gameC.mType], bet: '0.5' }),
      );
      assert.equal(below.status, '8000');
      assert.equal(below.err_text, `${PARAMETER}bet is below the minimum bet of game ${gameA.mType}`);
    });

    it('checks FEATURE against each game’s maximum total bet, and plays bet × multiple', async () => {
      const tooMuch = await f.jdb.call(
        72,
        eventParams(Date.now(), { type: 'FEATURE', machineTypes: [gameA.mType, gameB.mType], bet: '25' }),
      );
      assert.equal(tooMuch.status, '8000', 'B: 25 × 100 = 2500 > 2000');
      assert.match(
        tooMuch.err_text!,
        new RegExp(`^${escape(PARAMETER)}bet .*maximum total bet of game ${gameB.mType}`),
      );

      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const { eventId } = await f.jdb.ok(
        72,
        eventParams(Date.now(), { type: 'FEATURE', machineTypes: [gameA.mType], bet: '25', players: [uid] }),
      );
      const spin = await f.spin({ uid, eventId, mType: gameA.mType, win: '12.5' });
      assert.equal(spin.body.bet, '1000.000', 'A: 20 × 50 = 1000, at the limit');
      assert.equal(spin.body.accumulatedTurnover, '1000.000');

      const unsupported = await f.jdb.call(
        72,
        eventParams(Date.now(), { type: 'FEATURE', machineTypes: [gameC.mType] }),
      );
      assert.equal(unsupported.status, '8000');
      assert.equal(unsupported.err_text, `${PARAMETER}type FEATURE is not offered by game ${gameC.mType}`);
    });

    it('returns the first event for a transactionId used again, and creates nothing', async () => {
      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const name = uniqueId('idempotent');
      const params = eventParams(Date.now(), { name, players: [uid, 'ghost'] });
      const first = await f.jdb.ok(72, params);
      const again = await f.jdb.ok(72, params);
      assert.deepEqual(again, first);
      const renamed = await f.jdb.ok(72, { ...params, name: `${name} renamed`, players: [] });
      assert.deepEqual(renamed, first, 'the same transactionId returns the first event whatever else changed');
      const listed = await listByName(name);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].name, name);
      assert.equal(listed[0].numberOfPlayers, 1);
    });

    it('takes a custom eventId, once', async () => {
      const custom = uniqueId('promo');
      const data = await f.jdb.ok(72, eventParams(Date.now(), { eventId: custom }));
      assert.equal(data.eventId, custom);
      const numeric = String(900_000 + process.pid);
      assert.equal((await f.jdb.ok(72, eventParams(Date.now(), { eventId: numeric }))).eventId, Number(numeric));
      const taken = await f.jdb.call(72, eventParams(Date.now(), { eventId: custom }));
      assert.equal(taken.status, '8000');
      assert.equal(taken.err_text, `${PARAMETER}eventId ${custom} already exists`);
      const bad = await f.jdb.call(72, eventParams(Date.now(), { eventId: 'no spaces allowed' }));
      assert.equal(bad.status, '8000');
      assert.match(bad.err_text!, /parameter:eventId/);
    });

    it('creates the one player of autoCreatePlayerEnabled, and refuses it with any other number of players', async () => {
      const uid = uniqueId('auto');
      const name = uniqueId('auto');
      const data = await f.jdb.ok(72, eventParams(Date.now(), { name, players: [uid], autoCreatePlayerEnabled: true }));
      assert.deepEqual(data.notExistedPlayers, []);
      assert.equal((await listByName(name))[0].numberOfPlayers, 1);
      const mine = await f.jdb.ok(71, { uid });
      assert.equal(mine.length, 1, 'the new player is bound');

      for (const players of [[], ['a1', 'a2'], undefined]) {
        const reply = await f.jdb.call(72, eventParams(Date.now(), { players, autoCreatePlayerEnabled: true }));
        assert.equal(reply.status, '8000');
        assert.equal(
          reply.err_text,
          `${PARAMETER}players must hold exactly one player when players are created automatically`,
        );
      }
    });

    it('binds 50,000 players in one call and refuses 50,001', async () => {
      const uids = Array.from({ length: 50_000 }, (_, i) => `bulk_${process.pid}_${i}`);
      await f.createPlayers(uids);
      const name = uniqueId('bulk');
      const started = Date.now();
      const data = await f.jdb.ok(72, eventParams(Date.now(), { name, players: uids }), { transport: 'form' });
      const ms = Date.now() - started;
      assert.deepEqual(data.failedBindingPlayers, []);
      assert.deepEqual(data.notExistedPlayers, []);
      const [event] = await listByName(name);
      assert.equal(event.numberOfPlayers, 50_000);
      assert.equal(event.totalTimes, 150_000);
      console.log(`# 50,000 players bound in one Action 72 call on ${backend.name}: ${ms} ms`);

      const tooMany = await f.jdb.call(72, eventParams(Date.now(), { players: [...uids, 'one_more'] }), {
        transport: 'form',
      });
      assert.equal(tooMany.status, '8000');
      assert.equal(tooMany.err_text, `${PARAMETER}players must have at most 50000 items`);
    });

    it('refuses every invalid field with 8000 naming it, and changes nothing', async () => {
      const name = uniqueId('bad input');
      const now = Date.now();
      const valid = eventParams(now, { name, machineTypes: [gameA.mType, gameB.mType] });
      const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== field));
      const cases: Array<[Record<string, unknown>, string]> = [
        // Missing.
        ...[
          'name',
          'startTime',
          'endTime',
          'machineTypes',
          'bet',
          'times',
          'type',
          'minWithdrawal',
          'maxWithdrawal',
          'transactionId',
        ].map((field): [Record<string, unknown>, string] => [without(field), `${field} is required`]),
        // Wrong type.
        [{ ...valid, name: 7 }, 'name must be a string'],
        [{ ...valid, machineTypes: gameA.mType }, 'machineTypes must be an array'],
        [{ ...valid, machineTypes: ['14077'] }, 'machineTypes[0] must be an integer'],
        [{ ...valid, bet: 5 }, 'bet must be a string'],
        [{ ...valid, times: '3' }, 'times must be an integer'],
        [{ ...valid, times: 2.5 }, 'times must be an integer'],
        [{ ...valid, players: 'p1' }, 'players must be an array'],
        [{ ...valid, players: [1] }, 'players[0] must be a string'],
        [{ ...valid, autoCreatePlayerEnabled: 'yes' }, 'autoCreatePlayerEnabled must be a boolean'],
        [{ ...valid, minWithdrawal: -1 }, 'minWithdrawal must be a string'],
        [{ ...valid, maxWithdrawal: 100 }, 'maxWithdrawal must be a string'],
        [{ ...valid, startTime: now }, 'startTime must be a string'],
        [{ ...valid, endTime: null }, 'endTime must be a string'],
        [{ ...valid, type: 1 }, 'type must be a string'],
        [{ ...valid, transactionId: 42 }, 'transactionId must be a string'],
        [{ ...valid, eventId: 12345 }, 'eventId must be a string'],
        // Out of range, bad values.
        [{ ...valid, name: '' }, 'name must not be empty'],
        [{ ...valid, transactionId: '' }, 'transactionId must not be empty'],
        [{ ...valid, times: 0 }, 'times must be at least 1'],
        [{ ...valid, times: 2 ** 31 }, 'times must be at most 2147483647'],
        [{ ...valid, type: 'BONUSCHIPS' }, 'type must be one of "NORMAL", "FEATURE"'],
        [{ ...valid, machineTypes: [] }, 'machineTypes must not be empty'],
        [{ ...valid, machineTypes: [0] }, 'machineTypes[0] must be at least 1'],
        [
          { ...valid, machineTypes: Array.from({ length: 101 }, (_, i) => i + 1) },
          'machineTypes must have at most 100 items',
        ],
        [{ ...valid, machineTypes: [99999] }, 'machineTypes holds an unknown game 99999'],
        [{ ...valid, machineTypes: [gameA.mType, gameA.mType] }, 'machineTypes holds a game more than once'],
        [{ ...valid, bet: '5.0001' }, 'bet must be a decimal number of at most 9 digits and 3 decimals'],
        [{ ...valid, bet: '-5' }, 'bet must be a decimal number of at most 9 digits and 3 decimals'],
        [{ ...valid, bet: 'five' }, 'bet must be a decimal number of at most 9 digits and 3 decimals'],
        [{ ...valid, bet: '1000000000' }, 'bet must be a decimal number of at most 9 digits and 3 decimals'],
        [{ ...valid, bet: '0.5' }, `bet is below the minimum bet of game ${gameA.mType}`],
        [
          { ...valid, minWithdrawal: '1.2345' },
          'minWithdrawal must be a decimal number of at most 9 digits and 3 decimals',
        ],
        [
          { ...valid, maxWithdrawal: '-2' },
          'maxWithdrawal must be a decimal number of at most 9 digits and 3 decimals',
        ],
        [
          { ...valid, minWithdrawal: '100', maxWithdrawal: '99.999' },
          'minWithdrawal must be less than or equal to maxWithdrawal',
        ],
        [{ ...valid, endTime: jdbTime(now - 1000) }, 'endTime must be later than now'],
        [{ ...valid, startTime: jdbTime(now + 7200_000) }, 'endTime must not be earlier than startTime'],
        [{ ...valid, startTime: '2024-07-22 04:05:33' }, 'startTime must be a time as yyyy-MM-ddTHH:mm:ss.sss+hh:mm'],
        [
          { ...valid, startTime: '2024-07-22T04:05:33.000Z' },
          'startTime must be a time as yyyy-MM-ddTHH:mm:ss.sss+hh:mm',
        ],
        [
          { ...valid, endTime: '2099-02-30T04:05:33.000+01:00' },
          'endTime must be a time as yyyy-MM-ddTHH:mm:ss.sss+hh:mm',
        ],
        // Over length: JDB's String(n) is n characters.
        [{ ...valid, name: 'é'.repeat(71) }, 'name must be at most 70 characters'],
        [{ ...valid, transactionId: 'x'.repeat(37) }, 'transactionId must be at most 36 characters'],
        [{ ...valid, players: ['p'.repeat(51)] }, 'players[0] must be at most 50 characters'],
        [{ ...valid, eventId: 'e'.repeat(51) }, 'eventId must be at most 50 characters'],
        [{ ...valid, eventId: 'no spaces' }, 'eventId must be 1 to 50 of the characters A-Z a-z 0-9 _'],
      ];
      for (const [params, text] of cases) {
        // Each its own transactionId, so none can replay an earlier event.
        if (params.transactionId === valid.transactionId) params.transactionId = uniqueId('bad');
        const reply = await f.jdb.call(72, params);
        assert.equal(reply.status, '8000', `${text}: ${reply.err_text}`);
        assert.equal(reply.err_text, `${PARAMETER}${text}`);
      }
      assert.deepEqual(await listByName(name), [], 'no event was created');
      assert.deepEqual(await listByName('é'), [], 'not even with another name');
      const { eventId } = await f.jdb.ok(72, valid);
      assert.ok(eventId, 'the valid request still creates its event');
    });
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
