import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN,
  allPages,
  assertNewestFirst,
  assertNoSecrets,
  assertWalk,
  walkWhileInserting,
} from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { sleep, waitUntil } from '../../support/wait.js';
import {
  eventParams,
  gameA,
  gameB,
  gameC,
  type JdbFixture,
  jdbAgent,
  jdbFixture,
  jdbTime,
  otherJdbAgent,
  uniqueId,
} from '../../support/jdb.js';

const HOUR = 3_600_000;
const secrets = [jdbAgent.key, jdbAgent.iv, otherJdbAgent.key, otherJdbAgent.iv, ADMIN_TOKEN];
const base = `/jdb/agents/${jdbAgent.parent}`;
const byEvent = (e: any) => e.eventId;
const created = (x: any) => x.createdAt;

for (const backend of backends) {
  describe(`admin API: free-spin events, players and spins [${backend.name}]`, () => {
    let f: JdbFixture;
    before(async () => {
      f = await jdbFixture(backend);
    });
    after(() => f.close());
    afterEach(() => {
      f.clock.offsetMs = 0;
    });

    /** An event with fresh players, starting `startIn` ms from now, lasting two hours. */
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
      return { eventId: String(eventId), players };
    }

    it("lists an agent's events newest first, filtered by status, game and creation time", async () => {
      const start = Date.now();
      const active = await newEvent();
      const inactive = await newEvent({ startIn: HOUR, params: { machineTypes: [gameB.mType] } });
      const terminated = await newEvent({ params: { machineTypes: [gameA.mType, gameC.mType] } });
      await f.jdb.ok(73, { eventId: terminated.eventId });
      await sleep(5);
      const middle = Date.now();
      const later = await newEvent({ players: 0, params: { machineTypes: [gameC.mType] } });
      await f.other.ok(72, eventParams(Date.now(), { players: [] }));

      const all = await allPages(f.admin, `${base}/events`, 2);
      assert.deepEqual(
        all.map(byEvent),
        [later, terminated, inactive, active].map((e) => e.eventId),
      );
      assertNewestFirst(all, byEvent, created);
      const shown = all.find((e) => e.eventId === inactive.eventId);
      assert.deepEqual(
        { ...shown, createdAt: 0, updatedAt: 0, startAt: 0, endAt: 0, transactionId: '' },
        {
          eventId: inactive.eventId,
          transactionId: '',
          name: 'Test event',
          type: 'normal',
          status: 'inactive',
          times: 3,
          bet: '5.000',
          games: [{ mType: gameB.mType, bet: '5.000' }],
          minWithdrawal: null,
          maxWithdrawal: null,
          currency: 'USD',
          startAt: 0,
          endAt: 0,
          terminatedAt: null,
          settledAt: null,
          createdAt: 0,
          updatedAt: 0,
        },
      );

      const ids = async (query: string) => (await allPages(f.admin, `${base}/events?${query}`, 1)).map(byEvent);
      assert.deepEqual(await ids('status=active'), [later.eventId, active.eventId]);
      assert.deepEqual(await ids('status=inactive'), [inactive.eventId]);
      assert.deepEqual(await ids('status=terminated'), [terminated.eventId]);
      assert.deepEqual(await ids('status=expired'), []);
      assert.deepEqual(await ids(`mType=${gameC.mType}`), [later.eventId, terminated.eventId]);
      assert.deepEqual(await ids(`mType=${gameB.mType}&status=inactive`), [inactive.eventId]);
      assert.deepEqual(await ids(`mType=${gameB.mType}&status=active`), []);
      assert.deepEqual(
        await ids(`from=${start}&to=${middle}`),
        [terminated, inactive, active].map((e) => e.eventId),
      );
      assert.deepEqual(await ids(`from=${middle}`), [later.eventId]);

      f.clock.offsetMs = 3 * HOUR;
      assert.deepEqual(await ids('status=expired'), [later.eventId, inactive.eventId, active.eventId]);
      assert.deepEqual(await ids('status=active'), []);
      assertNoSecrets(all, secrets);
    });

    it('shows an event with its players, spins used, cashouts and payouts', async () => {
      const { eventId, players } = await newEvent({ players: 3 });
      const [a, b, c] = players as [string, string, string];
      const wins = ['1.5', '0', '2.25'];
      let last: any;
      for (const win of wins) {
        last = await f.spin({ uid: a, eventId, mType: gameA.mType, win });
        assert.equal(last.status, 200, JSON.stringify(last.body));
      }
      assert.ok(last.body.cashout, 'the third spin was the last: the cashout is fixed');
      await f.spin({ uid: b, eventId, mType: gameA.mType, win: '4' });

      const detail = await f.admin.ok('GET', `${base}/events/${eventId}`);
      assert.equal(detail.event.eventId, eventId);
      assert.equal(detail.event.status, 'active');
      assert.deepEqual(
        { players: detail.players, spins: detail.spins, cashouts: detail.cashouts },
        { players: 3, spins: { granted: 9, used: 4 }, cashouts: { total: '3.750' } },
      );

      const grants = await allPages(f.admin, `${base}/events/${eventId}/players`, 2);
      assert.deepEqual(grants.map((g) => g.uid).sort(), [a, b, c].sort());
      assert.ok(
        grants.every((g, i) => i === 0 || grants[i - 1].boundAt >= g.boundAt),
        'newest bound first',
      );
      const ofA = grants.find((g) => g.uid === a);
      assert.deepEqual(
        { ...ofA, boundAt: 0, updatedAt: 0, cashout: { ...ofA.cashout, at: 0 } },
        {
          uid: a,
          eventId,
          times: 3,
          remaining: 0,
          used: 3,
          accumulatedTurnover: '15.000',
          accumulatedWin: '3.750',
          cashout: { amount: '3.750', at: 0, payoutTransferId: last.body.cashout.transferId },
          boundAt: 0,
          updatedAt: 0,
        },
      );
      const ofB = grants.find((g) => g.uid === b);
      assert.deepEqual([ofB.used, ofB.accumulatedWin, ofB.cashout], [1, '4.000', null]);

      // Once the event is over, settlement fixes every cashout of a player who used spins.
      f.clock.offsetMs = 3 * HOUR;
      const settled = await waitUntil(async () => {
        const answer = await f.admin.ok('GET', `${base}/events/${eventId}`);
        return answer.event.settledAt !== null && answer;
      }, 'the event to be settled');
      assert.equal(settled.event.status, 'expired');
      assert.deepEqual(settled.cashouts, { total: '7.750' });
      const afterSettlement = await allPages(f.admin, `${base}/events/${eventId}/players`, 5);
      const settledB = afterSettlement.find((g) => g.uid === b);
      assert.equal(settledB.cashout.amount, '4.000');
      assert.equal(typeof settledB.cashout.payoutTransferId, 'number');
      assert.equal(afterSettlement.find((g) => g.uid === c).cashout, null, 'no spin used: nothing to cash out');
      assertNoSecrets([detail, grants, settled, afterSettlement], secrets);
    });

    it("lists a player's grants and spin history newest first, by event and time", async () => {
      const first = await newEvent({ players: 1 });
      const [uid] = first.players as [string];
      const second = await newEvent({ players: 0 });
      await f.jdb.ok(74, { eventId: second.eventId, players: [uid] });
      await f.spin({ uid, eventId: first.eventId, mType: gameA.mType, win: '1', spinId: 's-1' });
      await sleep(5);
      const middle = Date.now();
      await f.spin({ uid, eventId: second.eventId, mType: gameA.mType, win: '2', spinId: 's-2' });
      await f.spin({ uid, eventId: first.eventId, mType: gameA.mType, win: '3', spinId: 's-3' });

      const grants = await allPages(f.admin, `${base}/players/${uid}/grants`, 1);
      assert.deepEqual(
        grants.map((g) => [g.eventId, g.used]),
        [
          [second.eventId, 1],
          [first.eventId, 2],
        ],
      );
      const spins = await allPages(f.admin, `${base}/players/${uid}/spins`, 2);
      assert.deepEqual(
        spins.map((s) => [s.spinId, s.eventId, s.win, s.remaining]),
        [
          ['s-3', first.eventId, '3.000', 1],
          ['s-2', second.eventId, '2.000', 2],
          ['s-1', first.eventId, '1.000', 2],
        ],
      );
      assertNewestFirst(
        spins,
        (s) => s.historyId,
        (s) => s.playedAt,
      );
      assert.deepEqual(spins[0].mType, gameA.mType);
      const ofFirst = await allPages(f.admin, `${base}/players/${uid}/spins?eventId=${first.eventId}`, 5);
      assert.deepEqual(
        ofFirst.map((s) => s.spinId),
        ['s-3', 's-1'],
      );
      const early = await allPages(f.admin, `${base}/players/${uid}/spins?to=${middle}`, 5);
      assert.deepEqual(
        early.map((s) => s.spinId),
        ['s-1'],
      );
      const nobody = await f.admin.ok('GET', `${base}/players/nobody/grants`);
      assert.deepEqual(nobody, { items: [], nextCursor: null });
      assertNoSecrets([grants, spins], secrets);
    });

    it('never skips nor repeats an event or a spin while they are being added', async () => {
      for (let i = 0; i < 4; i++) await newEvent({ players: 0 });
      const events = (await allPages(f.admin, `${base}/events`, 500)).map(byEvent);
      const walkedEvents = await walkWhileInserting(f.admin, `${base}/events`, 2, () => newEvent({ players: 0 }));
      assertWalk(walkedEvents, events, byEvent, created);

      const { eventId, players } = await newEvent({ players: 1, params: { times: 1000 } });
      const spin = () => f.spin({ uid: players[0], eventId, mType: gameA.mType, win: '1' });
      for (let i = 0; i < 5; i++) await spin();
      const path = `${base}/players/${players[0]}/spins`;
      const spins = (await allPages(f.admin, path, 500)).map((s) => String(s.historyId));
      const walkedSpins = await walkWhileInserting(f.admin, path, 2, spin);
      assertWalk(
        walkedSpins,
        spins,
        (s) => String(s.historyId),
        (s) => s.playedAt,
      );
    });

    it('answers an unknown agent or event with 404 and bad filters with 400, naming them', async () => {
      const cases: Array<[string, number, string, RegExp]> = [
        ['/jdb/agents/nobody/events', 404, 'agent_not_found', /^parent nobody does not exist/],
        ['/jdb/agents/nobody/players/u1/spins', 404, 'agent_not_found', /^parent nobody does not exist/],
        [`${base}/events/404404`, 404, 'event_not_found', /event 404404 does not exist/],
        [`${base}/events/404404/players`, 404, 'event_not_found', /event 404404 does not exist/],
        [`${base}/events?status=ACTIVE`, 400, 'invalid_parameter', /invalid query: status/],
        [`${base}/events?mType=abc`, 400, 'invalid_parameter', /invalid query: mType/],
        [`${base}/players/u1/spins?from=9&to=1`, 400, 'invalid_parameter', /from \(9\) must be before to \(1\)/],
      ];
      for (const [path, status, code, message] of cases) {
        const reply = await f.admin.request('GET', path);
        assert.equal(reply.status, status, path);
        assert.equal(reply.body.error.code, code, path);
        assert.match(reply.body.error.message, message, path);
      }
    });
  });
}
