import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import type { LiveEvent } from '../../../src/domain/events.js';
import { SlicedFanOut } from '../../../src/surfaces/tencent/liveFanOut.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { LiveClient } from '../../support/liveClient.js';
import { createBattle, officialUserSig, pk, testApp } from '../../support/tencent.js';

const REQUESTS_PER_BATTLE = 100;
/** More than the sockets of one fan-out slice (64), so a fan-out takes several turns. */
const SUBSCRIBERS = 100;

/** The sum of a scoreboard (each request of this test adds 1 to one room). */
const total = (scores: Array<{ score?: number; Score?: number }>) =>
  scores.reduce((sum, row) => sum + (row.score ?? row.Score ?? 0), 0);

for (const backend of backends) {
  describe(`Tencent live events: answer first, fan out after [${backend.name}]`, () => {
    let f: TencentFixture;
    const clients: LiveClient[] = [];
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await f.close();
    });

    it('answers every set_battle_score before its event goes out, and keeps each battle in order for every subscriber', async () => {
      // Two battles, each scored by its own admin, so a request's battle shows in its URL.
      const battles = [
        { admin: 'administrator', ...(await createBattle(f.client)) },
        { admin: 'ops_admin', ...(await createBattle(f.client)) },
      ];
      const subscribers = await Promise.all(
        Array.from({ length: SUBSCRIBERS }, async (_, i) => {
          const identifier = `fan_${i}`;
          const client = await LiveClient.connect(
            `${f.server.url.replace('http', 'ws')}/v4/live_events?sdkappid=${testApp.sdkAppId}&identifier=${identifier}&usersig=${officialUserSig(testApp, identifier)}`,
          );
          clients.push(client);
          client.send({ Action: 'Subscribe', RoomIdList: battles.map((b) => b.rooms[1]) });
          await client.waitFor((m) => m.some((e) => e.Event === 'Subscribed'));
          return client;
        }),
      );

      // The server's side of every set_battle_score, by admin: has its reply been written?
      const replies = new Map<string, ServerResponse[]>(battles.map((b) => [b.admin, []]));
      f.server.ringside.http.server.on('request', (request, reply) => {
        if (!request.url?.includes('set_battle_score')) return;
        const admin = new URL(request.url, 'http://x').searchParams.get('identifier')!;
        replies.get(admin)?.push(reply);
      });
      // When the bus hands out a battle's scores, every request counted in them has its answer
      // written already: the answered requests are at least as many as the points.
      const seen = new Map<string, Array<{ points: number; answered: number }>>();
      const stop = f.server.ringside.liveEvents.subscribe((event: LiveEvent) => {
        if (event.type !== 'battle.scores') return;
        const battle = battles.find((b) => b.battleId === event.battleId)!;
        const answered = replies.get(battle.admin)!.filter((reply) => reply.writableEnded).length;
        seen.set(battle.battleId, [...(seen.get(battle.battleId) ?? []), { points: total(event.scores), answered }]);
      });

      try {
        const all = battles.flatMap((b) =>
          Array.from({ length: REQUESTS_PER_BATTLE }, (_, i) =>
            f.client.ok(
              pk('set_battle_score'),
              { BattleId: b.battleId, OpType: 1, ScoreList: [{ RoomId: b.rooms[i % 2], Score: 1 }] },
              { identifier: b.admin },
            ),
          ),
        );
        await Promise.all(all);
        for (const subscriber of subscribers) {
          await subscriber.waitFor((m) =>
            battles.every((b) =>
              m.some(
                (e) =>
                  e.Event === 'BattleScoreChanged' &&
                  e.BattleId === b.battleId &&
                  total(e.ScoreList) === REQUESTS_PER_BATTLE,
              ),
            ),
          );
        }
      } finally {
        stop();
      }

      for (const { battleId } of battles) {
        const events = seen.get(battleId)!;
        for (const { points, answered } of events) {
          assert.ok(answered >= points, `an event of ${points} points went out with ${answered} requests answered`);
        }
        assert.deepEqual(
          events.map((e) => e.points),
          [...new Set(events.map((e) => e.points))].sort((a, b) => a - b),
          'events in the order of the writes',
        );
        assert.equal(events.at(-1)!.points, REQUESTS_PER_BATTLE);
        for (const subscriber of subscribers) {
          const received = subscriber.events('BattleScoreChanged').filter((e) => e.BattleId === battleId);
          const points = received.map((e) => total(e.ScoreList));
          assert.deepEqual(
            points,
            [...new Set(points)].sort((a, b) => a - b),
            'each scoreboard once, in order',
          );
          // A scoreboard still waiting for its turn gives way to the battle's newer one.
          const published = new Set(events.map((e) => e.points));
          assert.ok(
            points.every((p) => published.has(p)),
            'only scoreboards the bus handed out',
          );
          assert.equal(points.at(-1), REQUESTS_PER_BATTLE);
        }
      }
    });
  });
}

describe('SlicedFanOut', () => {
  it('sends messages in order, and a waiting message gives way to a newer one of its key', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const sockets: WebSocket[] = [];
    server.on('connection', (socket) => {
      sockets.push(socket);
      socket.send(JSON.stringify({ Event: 'Ready' }));
    });
    const { port } = server.address() as AddressInfo;
    const clients = await Promise.all(Array.from({ length: 5 }, () => LiveClient.connect(`ws://127.0.0.1:${port}`)));
    try {
      // Two sockets per slice: each message to all five takes three turns.
      const fanOut = new SlicedFanOut(2, 1024 * 1024, () => assert.fail('every client here reads what it is sent'));
      const message = (n: number) => Buffer.from(JSON.stringify({ Event: 'Test', N: n }));
      fanOut.add(() => ({ sockets, message: message(1) }));
      fanOut.add(() => ({ sockets, message: message(2) }), 'battle-b');
      fanOut.add(() => ({ sockets: sockets.slice(0, 1), message: message(3) }), 'battle-c');
      fanOut.add(() => ({ sockets, message: message(4) }), 'battle-b');
      await new Promise((resolve) => setImmediate(resolve));
      // Message 1 is on its way, battle-b's is still waiting: 5 takes its place (before 3).
      fanOut.add(() => ({ sockets, message: message(5) }), 'battle-b');
      fanOut.add(() => ({ sockets, message: message(6) }));
      const expected = (i: number) => (i === 0 ? [1, 5, 3, 6] : [1, 5, 6]);
      for (const [i, client] of clients.entries()) {
        const got = await client.waitFor((m) => m.filter((e) => e.Event === 'Test').length === expected(i).length);
        assert.deepEqual(
          got.filter((e) => e.Event === 'Test').map((e) => e.N),
          expected(i),
        );
      }
      // Once a key's message has gone out, the next of that key is a message of its own.
      fanOut.add(() => ({ sockets, message: message(7) }), 'battle-b');
      await clients[4]!.waitFor((m) => m.some((e) => e.N === 7));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      server.close();
    }
  });
});
