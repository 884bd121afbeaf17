import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import { sleep } from '../support/wait.js';
import {
  callbackOf,
  eventParams,
  gameA,
  JdbClient,
  jdbAgent,
  jdbTime,
  testGames,
  uniqueId,
  walletOk,
} from '../support/jdb.js';
import { Receiver } from '../support/receiver.js';
import { type ChildServer, spawnServer } from '../support/servers.js';

for (const backend of backends) {
  describe(`free spins across two server processes [${backend.name}]`, () => {
    let database: TestDatabase;
    let wallet: Receiver;
    let servers: ChildServer[] = [];
    let jdb: JdbClient[];
    let admin: AdminClient[];

    before(async () => {
      database = await backend.create();
      wallet = await Receiver.start({ answer: () => ({ status: 200, body: walletOk }) });
      const agent = { ...jdbAgent, walletUrl: `${wallet.url}/jdb` };
      const fileConfig = {
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        jdb: { agents: [agent], games: testGames, payoutRetry: { intervalMs: 200, forMs: 60_000 } },
      };
      // One after the other: the first creates the schema.
      servers = [await spawnServer({ fileConfig })];
      servers.push(await spawnServer({ fileConfig }));
      jdb = servers.map((server) => new JdbClient(server.url, agent));
      admin = servers.map((server) => new AdminClient(server.url, ADMIN_TOKEN));
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await wallet?.close();
      await database?.drop();
    });

    const payoutsOf = (eventId: unknown) =>
      wallet.requests.map((r) => callbackOf(r, jdbAgent)).filter((c) => c.action === 16 && c.eventId === eventId);

    /** Runs `tasks` with at most `width` in flight. */
    async function bounded<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
      const results: T[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: width }, async () => {
          while (next < tasks.length) {
            const index = next++;
            results[index] = await tasks[index]!();
          }
        }),
      );
      return results;
    }

    it('plays exactly `times` spins of a grant raced from both processes, and pays once', async () => {
      const uid = uniqueId('racer');
      await admin[0]!.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [uid] });
      const { eventId } = await jdb[0]!.ok(72, eventParams(Date.now(), { players: [uid], times: 40 }));
      const spins = Array.from(
        { length: 80 },
        (_, i) => () =>
          admin[i % 2]!.request('POST', '/jdb/spins', {
            parent: jdbAgent.parent,
            uid,
            eventId,
            mType: gameA.mType,
            win: '1.25',
          }),
      );
      const replies = await bounded(spins, 16);
      const statuses = replies.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, 40, 'exactly the granted spins');
      assert.equal(statuses.filter((s) => s === 409).length, 40, 'the rest find no spins left');
      assert.ok(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'no_spins_left'));
      const last = replies.filter((r) => r.body.cashout);
      assert.equal(last.length, 1, 'one spin used the last one and fixed the cashout');
      assert.equal(last[0]!.body.cashout.amount, '50.000');

      await wallet.waitFor(() => payoutsOf(eventId).length >= 1);
      await sleep(600);
      const payouts = payoutsOf(eventId);
      assert.equal(payouts.length, 1, 'paid once');
      assert.equal(payouts[0].amount, 50);
      const [mine] = await jdb[1]!.ok(71, { uid });
      assert.equal(mine.useTimes, 40);
      assert.equal(mine.accumulatedWin, '50.000');
    });

    it('creates one event for a transactionId raced from both processes', async () => {
      for (let round = 0; round < 5; round++) {
        const params = eventParams(Date.now(), { name: uniqueId('race') });
        const replies = await Promise.all([jdb[0]!.ok(72, params), jdb[1]!.ok(72, params)]);
        assert.equal(replies[0].eventId, replies[1].eventId, `round ${round}`);
        const listed = await jdb[0]!.ok(76, {
          startTime: jdbTime(Date.now() - 3_600_000),
          endTime: jdbTime(Date.now() + 3_600_000),
          name: params.name,
        });
        assert.equal(listed.length, 1);
      }
    });

    it('pays every player their whole win, once, when a termination races their spins', async () => {
      const players = Array.from({ length: 10 }, () => uniqueId('t'));
      await admin[0]!.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: players });
      const { eventId } = await jdb[0]!.ok(72, eventParams(Date.now(), { players, times: 6 }));
      const spin = (uid: string, i: number) => () =>
        admin[i % 2]!.request('POST', '/jdb/spins', {
          parent: jdbAgent.parent,
          uid,
          eventId,
          mType: gameA.mType,
          win: '1',
        });
      const tasks = players.flatMap((uid) => Array.from({ length: 5 }, (_, i) => spin(uid, i)));
      const terminate = (async () => {
        await sleep(30);
        return jdb[1]!.call(73, { eventId });
      })();
      const [replies, terminated] = await Promise.all([bounded(tasks, 12), terminate]);
      assert.equal(terminated.status, '0000');

      const played = new Map<string, number>();
      for (const reply of replies) {
        if (reply.status === 200) played.set(reply.body.uid, (played.get(reply.body.uid) ?? 0) + 1);
        else assert.equal(reply.body.error.code, 'event_state', JSON.stringify(reply.body));
      }
      assert.ok(played.size > 0, 'some spins came before the termination');
      await wallet.waitFor(() => payoutsOf(eventId).length >= played.size, 15_000);
      await sleep(600);
      const payouts = payoutsOf(eventId);
      assert.equal(payouts.length, played.size, 'one payout per player who spun');
      for (const payout of payouts) assert.equal(payout.amount, played.get(payout.uid), `${payout.uid}: the whole win`);
      for (const uid of players) {
        const [event] = await jdb[0]!.ok(71, { uid });
        assert.equal(event.useTimes, played.get(uid) ?? 0);
        assert.equal(event.cashout, played.has(uid) ? `${played.get(uid)}.000` : null);
      }
    });
  });
}
