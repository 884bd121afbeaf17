import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import {
  eventParams,
  gameA,
  type JdbFixture,
  JdbClient,
  jdbAgent,
  jdbFixture,
  jdbTime,
  otherJdbAgent,
  PARAMETER,
  uniqueId,
} from '../../support/jdb.js';

/**
 * Issue 11, items 2, 3 and 6 for JDB: what a client written from JDB's Action 72 page sends.
 * The seed's type table: `parent String(50)`, `name String(70)`, `transactionId String(36)`,
 * `times Integer`, `err_text String(255)`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INT32_MAX = 2 ** 31 - 1;

/** A character outside the BMP: one code point, two UTF-16 code units, four UTF-8 bytes. */
const EMOJI = '😀';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A sub-account whose `parent` is 50 Chinese characters (150 UTF-8 bytes): a valid String(50). */
const chineseParentAgent = {
  ...jdbAgent,
  dc: 'jb3',
  parent: '代'.repeat(50),
  key: 'Chinese-key-0003',
  iv: 'Chinese-iv-00003',
};

for (const backend of backends) {
  describe(`JDB String(n) counts characters [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend, { agents: [jdbAgent, otherJdbAgent, chineseParentAgent] });
    });
    after(() => f.close());

    const wide = () => ({ startTime: jdbTime(Date.now() - 30 * DAY), endTime: jdbTime(Date.now() + 30 * DAY) });
    const refusal = async (action: number, params: Record<string, unknown>, text: string) => {
      const reply = await f.jdb.call(action, params);
      assert.equal(reply.status, '8000', `${text}: ${reply.err_text}`);
      assert.equal(reply.err_text, `${PARAMETER}${text}`);
    };

    it('"name | String(70)": a 70-character Chinese name is accepted and 71 refused', async () => {
      const name70 = '免费场次名称'.repeat(12).slice(0, 70);
      assert.equal([...name70].length, 70);
      assert.equal(Buffer.byteLength(name70), 210, 'three times the old byte limit');
      const created = eventParams(Date.now(), { name: name70 });
      const { eventId } = await f.jdb.ok(72, created);
      const [listed] = await f.jdb.ok(76, { ...wide(), eventId });
      assert.equal(listed.name, name70, 'stored and answered whole');
      await refusal(72, eventParams(Date.now(), { name: `${name70}名` }), 'name must be at most 70 characters');

      // Characters outside the BMP count once each, though they are two UTF-16 code units.
      const emoji70 = EMOJI.repeat(70);
      assert.equal(emoji70.length, 140);
      await f.jdb.ok(72, eventParams(Date.now(), { name: emoji70 }));
      await refusal(72, eventParams(Date.now(), { name: EMOJI.repeat(71) }), 'name must be at most 70 characters');

      // Action 77 and Action 76's name filter read `name` the same way.
      await f.jdb.ok(77, { ...termsOf(created), name: emoji70, eventId });
      assert.equal((await f.jdb.ok(76, { ...wide(), eventId }))[0].name, emoji70);
      assert.equal((await f.jdb.ok(76, { ...wide(), name: emoji70 })).length, 2);
      await refusal(76, { ...wide(), name: EMOJI.repeat(71) }, 'name must be at most 70 characters');
    });

    it('"transactionId | String(36)": 36 characters accepted, 37 refused', async () => {
      const transactionId = `${'交'.repeat(30)}${String(process.pid).padStart(6, '0').slice(-6)}`;
      assert.equal([...transactionId].length, 36);
      const first = await f.jdb.ok(72, eventParams(Date.now(), { transactionId }));
      const again = await f.jdb.ok(72, eventParams(Date.now(), { transactionId }));
      assert.deepEqual(again, first, 'still the idempotency key');
      await refusal(
        72,
        eventParams(Date.now(), { transactionId: `${transactionId}交` }),
        'transactionId must be at most 36 characters',
      );
    });

    it('uids are String(50): 50 characters accepted in players, Action 71 and Action 70; 51 refused', async () => {
      const uid50 = '玩'.repeat(50);
      const uid51 = '玩'.repeat(51);
      const data = await f.jdb.ok(72, eventParams(Date.now(), { players: [uid50] }));
      assert.deepEqual(data.notExistedPlayers, [uid50], 'read and reported, not refused');
      await refusal(72, eventParams(Date.now(), { players: [uid51] }), 'players[0] must be at most 50 characters');
      const { eventId } = data;
      assert.deepEqual(await f.jdb.ok(74, { eventId, players: [uid50] }), {
        failedBindingPlayers: [],
        notExistedPlayers: [uid50],
      });
      await refusal(74, { eventId, players: [uid51] }, 'players[0] must be at most 50 characters');
      const unbind = await f.jdb.call(75, { eventId, players: [EMOJI.repeat(50)] });
      assert.equal(unbind.status, '9998', 'the uid passed; the event is ACTIVE, which 75 refuses');
      await refusal(75, { eventId, players: [EMOJI.repeat(51)] }, 'players[0] must be at most 50 characters');

      assert.deepEqual(await f.jdb.ok(71, { uid: uid50 }), []);
      await refusal(71, { uid: uid51 }, 'uid must be at most 50 characters');

      const to = Math.floor(Date.now() / MINUTE) * MINUTE;
      const window = { startTime: jdbTime(to - 5 * MINUTE), endTime: jdbTime(to), gTypes: [0] };
      assert.deepEqual(await f.jdb.ok(70, { ...window, uid: uid50 }), []);
      await refusal(70, { ...window, uid: uid51 }, 'uid must be at most 50 characters');
    });

    it('eventId strings are 1–50 characters', async () => {
      const missing = await f.jdb.call(73, { eventId: '场'.repeat(50) });
      assert.equal(missing.status, '9998', 'a valid id of an event that does not exist');
      assert.equal((await f.jdb.call(74, { eventId: EMOJI.repeat(50), players: [] })).status, '9015');
      await refusal(73, { eventId: '场'.repeat(51) }, 'eventId must be at most 50 characters');
      await refusal(74, { eventId: EMOJI.repeat(51), players: [] }, 'eventId must be at most 50 characters');
      await refusal(76, { ...wide(), eventId: '场'.repeat(51) }, 'eventId must be at most 50 characters');
      await refusal(73, { eventId: '' }, 'eventId must not be empty');
    });

    it('"parent | String(50)": an agent whose parent is 50 Chinese characters is served', async () => {
      const client = new JdbClient(f.server.url, chineseParentAgent);
      const games = await client.ok(49);
      assert.equal(games[0].list[0].mType, gameA.mType);
      const { eventId } = await client.ok(72, eventParams(Date.now()));
      const [event] = await client.ok(76, { ...wide(), eventId });
      assert.equal(event.creator, chineseParentAgent.parent);
    });

    it('"err_text | String(255)": a long text is cut to 255 characters, never inside a surrogate pair', async () => {
      for (const parent of [EMOJI.repeat(300), `a${EMOJI.repeat(300)}`, '代'.repeat(51)]) {
        const reply = await f.jdb.call(49, { parent });
        assert.equal(reply.status, '7001');
        const text = reply.err_text!;
        assert.ok(text.startsWith('Parent ID not found: '), text);
        assert.ok([...text].length <= 255, `${[...text].length} characters`);
        assert.doesNotMatch(text, LONE_SURROGATE);
        if (parent.length > 255) {
          assert.equal([...text].length, 255);
          assert.ok(text.endsWith('...'));
        }
      }
    });
  });

  describe(`JDB players given twice, times and endTime [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());
    afterEach(() => {
      f.clock.offsetMs = 0;
    });

    const wide = () => ({ startTime: jdbTime(f.clock.now() - 30 * DAY), endTime: jdbTime(f.clock.now() + 30 * DAY) });
    const findEvent = async (eventId: unknown) => (await f.jdb.ok(76, { ...wide(), eventId }))[0];

    // The seed: "玩家绑定成功与否不影响免费场次的创建" (whether players bind or not does not affect
    // creating the event).
    it('Action 72 with a uid given twice creates the event and binds each player once', async () => {
      const [p1, p2] = [uniqueId('p'), uniqueId('p')];
      await f.createPlayers([p1, p2]);
      const ghost = uniqueId('ghost');
      const data = await f.jdb.ok(
        72,
        eventParams(Date.now(), { times: 4, players: [p1, p2, p1, ghost, ghost, p2, p1] }),
      );
      assert.deepEqual(data.failedBindingPlayers, [], 'a repeat is not a failed binding');
      assert.deepEqual(data.notExistedPlayers, [ghost], 'and not reported twice');
      const event = await findEvent(data.eventId);
      assert.equal(event.numberOfPlayers, 2);
      assert.equal(event.totalTimes, 8, 'each player bound once, with times spins');
      for (const uid of [p1, p2]) {
        const spin = await f.spin({ uid, eventId: data.eventId, mType: gameA.mType, win: '0' });
        assert.equal(spin.status, 200, JSON.stringify(spin.body));
        assert.equal(spin.body.remaining, 3, 'one grant of 4 spins');
      }

      const auto = uniqueId('auto');
      const created = await f.jdb.ok(
        72,
        eventParams(Date.now(), { players: [auto, auto], autoCreatePlayerEnabled: true }),
      );
      assert.deepEqual(created, { eventId: created.eventId, failedBindingPlayers: [], notExistedPlayers: [] });
      assert.equal((await findEvent(created.eventId)).numberOfPlayers, 1, 'one player, created and bound once');
    });

    it('Action 74 with a uid given twice binds it once; Action 75 unbinds a repeated uid once', async () => {
      const [bound, fresh] = [uniqueId('p'), uniqueId('p')];
      await f.createPlayers([bound, fresh]);
      const now = f.clock.now();
      const { eventId } = await f.jdb.ok(
        72,
        eventParams(now, { startTime: jdbTime(now + HOUR), endTime: jdbTime(now + 2 * HOUR), players: [bound] }),
      );
      const ghost = uniqueId('ghost');
      const data = await f.jdb.ok(74, { eventId, players: [fresh, fresh, bound, bound, ghost, ghost] });
      assert.deepEqual(data, { failedBindingPlayers: [bound], notExistedPlayers: [ghost] });
      const event = await findEvent(eventId);
      assert.equal(event.numberOfPlayers, 2);
      assert.equal(event.totalTimes, 2 * 3);

      assert.deepEqual(await f.jdb.call(75, { eventId, players: [fresh, fresh] }), { status: '0000' });
      assert.equal((await findEvent(eventId)).numberOfPlayers, 1);
    });

    it('"times | Integer": 1001 and 2^31-1 are accepted, 0 and 2^31 refused; nothing overflows', async () => {
      assert.ok(await f.jdb.ok(72, eventParams(Date.now(), { times: 1001 })));

      const players = [uniqueId('p'), uniqueId('p')];
      await f.createPlayers(players);
      const created = eventParams(Date.now(), { times: INT32_MAX, players });
      const { eventId } = await f.jdb.ok(72, created);
      const event = await findEvent(eventId);
      assert.equal(event.times, INT32_MAX);
      assert.equal(event.totalTimes, 2 * INT32_MAX, 'the sum is past 32 bits and exact');
      const spin = await f.spin({ uid: players[0], eventId, mType: gameA.mType, win: '1' });
      assert.equal(spin.status, 200, JSON.stringify(spin.body));
      assert.equal(spin.body.remaining, INT32_MAX - 1);
      const [mine] = await f.jdb.ok(71, { uid: players[0] });
      assert.equal(mine.times, INT32_MAX);
      assert.equal(mine.useTimes, 1);
      assert.equal((await findEvent(eventId)).totalUseTimes, 1);
      // Action 77 may send times, equal to the event's.
      assert.deepEqual(await f.jdb.call(77, { ...termsOf(created), eventId, times: INT32_MAX }), { status: '0000' });

      for (const [value, text] of [
        [0, 'times must be at least 1'],
        [-1, 'times must be at least 1'],
        [2 ** 31, 'times must be at most 2147483647'],
        [2 ** 53, 'times must be at most 2147483647'],
      ] as const) {
        const reply = await f.jdb.call(72, eventParams(Date.now(), { times: value }));
        assert.equal(reply.status, '8000');
        assert.equal(reply.err_text, `${PARAMETER}${text}`);
      }
    });

    it('endTime equal to startTime is accepted, as in the seed’s own sample; before startTime or now refused', async () => {
      const now = Date.now();
      const at = now + HOUR;
      const { eventId } = await f.jdb.ok(
        72,
        eventParams(now, { startTime: jdbTime(at), endTime: jdbTime(at, '+01:00') }),
      );
      const event = await findEvent(eventId);
      assert.equal(Date.parse(event.startTime), at);
      assert.equal(Date.parse(event.endTime), at);
      assert.equal(event.status, 'INACTIVE');

      const terms = termsOf(eventParams(now, { startTime: jdbTime(at + HOUR), endTime: jdbTime(at + HOUR) }));
      assert.deepEqual(await f.jdb.call(77, { ...terms, eventId }), { status: '0000' }, 'Action 77 alike');

      const cases: Array<[Record<string, unknown>, string]> = [
        [{ startTime: jdbTime(at), endTime: jdbTime(at - 1) }, 'endTime must not be earlier than startTime'],
        [{ startTime: jdbTime(now - 2 * HOUR), endTime: jdbTime(now - HOUR) }, 'endTime must be later than now'],
        [{ startTime: jdbTime(now - HOUR), endTime: jdbTime(now - HOUR) }, 'endTime must be later than now'],
      ];
      for (const [schedule, text] of cases) {
        const reply = await f.jdb.call(72, eventParams(now, schedule));
        assert.equal(reply.status, '8000');
        assert.equal(reply.err_text, `${PARAMETER}${text}`);
        const update = await f.jdb.call(77, { ...terms, ...schedule, eventId });
        assert.equal(update.err_text, `${PARAMETER}${text}`, 'Action 77 alike');
      }

      // Last, as an event that has ended stays settled: over as soon as it starts.
      f.clock.offsetMs = 2 * HOUR + 1000;
      assert.equal((await findEvent(eventId)).status, 'EXPIRED');
    });
  });
}

/** Action 77's parameters from Action 72's: without what only creation takes. */
function termsOf(params: Record<string, unknown>): Record<string, unknown> {
  const { times, type, transactionId, players, autoCreatePlayerEnabled, ...terms } = params;
  void [times, type, transactionId, players, autoCreatePlayerEnabled];
  return terms;
}
