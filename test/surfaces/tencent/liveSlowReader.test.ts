import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends, type TestDatabase } from '../../support/backends.js';
import { LiveClient, liveUrl, RawWebSocket } from '../../support/liveClient.js';
import { type ChildServer, spawnServer } from '../../support/servers.js';
import { pk, srv, TencentClient, testApp } from '../../support/tencent.js';
import { sleep, waitUntil } from '../../support/wait.js';

/**
 * A client that stops reading makes the server hold what it sends it; beyond
 * `tencent.liveEvents.maxBufferedBytes` the server drops the connection (docs/tencent.md,
 * "Live events"). The kernel takes a few MB per socket first (Linux autotunes a loopback
 * socket's send buffer up to `net.ipv4.tcp_wmem`'s 4 MiB), so each test sends until the server
 * says it dropped the reader, within a bound of several times that.
 */
const MAX_BUFFERED_BYTES = 64 * 1024;
const DROPPED = 'live events: dropped a connection whose client does not read what it is sent';
/** 32 characters, the longest identifier: it is the owner of every room, in every scoreboard. */
const SLOW_READER = 'slow_reader'.padEnd(32, '_');
const BATTLES = 10;
/** Rounds of one set_battle_score per battle: ~1.4 KB per scoreboard, up to 20 MB to the reader. */
const MAX_ROUNDS = 1500;
/** Rounds after the reader was dropped, during which the other subscriber keeps receiving. */
const ROUNDS_AFTER_DROP = 20;

/** The sum of a scoreboard (each request of this test adds 1 to one room). */
const total = (scores: Array<{ Score: number }>) => scores.reduce((sum, row) => sum + row.Score, 0);

/** A room id of 48 bytes, the longest, so that scoreboards are large. */
const longRoomId = (battle: number, room: number) =>
  `slow-${process.pid}-${Date.now().toString(36)}-${battle}-${room}-`.padEnd(48, 'r');

for (const backend of backends) {
  describe(`Tencent live events: a client that does not read [${backend.name}]`, () => {
    let database: TestDatabase;
    let server: ChildServer;
    let client: TencentClient;
    const closers: Array<() => unknown> = [];

    before(async () => {
      database = await backend.create();
      server = await spawnServer({
        fileConfig: {
          storage: database.storage,
          // A high message rate, so that one client can ask for replies faster than it reads them.
          tencent: {
            apps: [testApp],
            liveEvents: { maxBufferedBytes: MAX_BUFFERED_BYTES, maxMessagesPerSecond: 100_000 },
          },
          server: { logLevel: 'warn' },
        },
      });
      client = new TencentClient(server.url, testApp);
    });
    after(async () => {
      await Promise.all(closers.map((close) => close()));
      await server.stop();
      await database.drop();
    });

    /** The server's log lines (JSON) since `from` characters of its output. */
    const logLines = (from: number) =>
      server
        .output()
        .slice(from)
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const droppedLines = (from: number) => logLines(from).filter((line) => line.msg === DROPPED);

    /** A raw client of `identifier`, connected, its Ready received, then no longer reading. */
    const stalledReader = async (identifier: string) => {
      const raw = await RawWebSocket.connect(liveUrl(server.url, identifier));
      closers.push(() => raw.destroy());
      await waitUntil(async () => raw.receivedBytes > 0, 'the Ready event');
      raw.pause();
      return raw;
    };

    /** Once it has been dropped, the reader reads what the kernel held, then the end: no close frame. */
    const assertDropped = async (raw: RawWebSocket, from: number, identifier: string) => {
      raw.resume();
      const code = await Promise.race([
        raw.closeCode,
        new Promise((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000)),
      ]);
      assert.equal(code, 1006, 'the connection ends without a close frame');
      const [line, ...more] = droppedLines(from);
      assert.equal(more.length, 0, 'logged once');
      assert.equal(line!.level, 40, 'at warn level');
      assert.equal(line!.err, undefined, 'without a stack');
      assert.equal(line!.user, `${testApp.sdkAppId}:${identifier}`);
      assert.equal(line!.maxBufferedBytes, MAX_BUFFERED_BYTES);
      assert.ok((line!.bufferedBytes as number) > MAX_BUFFERED_BYTES);
    };

    it('drops a subscriber that stops reading, while another in the same rooms receives every scoreboard in order', async () => {
      const battles: Array<{ battleId: string; rooms: string[] }> = [];
      for (let b = 0; b < BATTLES; b++) {
        const rooms = Array.from({ length: 10 }, (_, r) => longRoomId(b, r));
        for (const roomId of rooms) {
          await client.ok(srv('create_room'), {
            RoomInfo: { RoomId: roomId, RoomType: 'Live', Owner_Account: SLOW_READER },
          });
        }
        const reply = await client.ok(pk('create_battle'), {
          FromRoomId: rooms[0],
          ToRoomIdList: rooms.slice(1),
          Duration: 600_000,
        });
        battles.push({ battleId: reply.Response.BattleId, rooms });
      }
      const steady = await LiveClient.connect(liveUrl(server.url, 'steady_viewer'));
      closers.push(() => steady.close());
      steady.send({ Action: 'Subscribe', RoomIdList: battles.map((b) => b.rooms[1]) });
      await steady.waitFor((m) => m.some((e) => e.Event === 'Subscribed'));
      // The owner of every room: it is sent every scoreboard without subscribing.
      const logStart = server.output().length;
      const slow = await stalledReader(SLOW_READER);

      let rounds = 0;
      let droppedAt: number | undefined;
      const scoreRound = async () => {
        const replies = await Promise.all(
          battles.map((b) =>
            client.ok(pk('set_battle_score'), {
              BattleId: b.battleId,
              OpType: 1,
              ScoreList: [{ RoomId: b.rooms[rounds % 10], Score: 1 }],
            }),
          ),
        );
        for (const reply of replies)
          assert.deepEqual(
            reply.Response.Result.map((r: any) => r.ResultCode),
            [0],
          );
        rounds += 1;
      };
      while (droppedAt === undefined && rounds < MAX_ROUNDS) {
        await scoreRound();
        if (droppedLines(logStart).length > 0) droppedAt = rounds;
      }
      assert.ok(droppedAt !== undefined, `the slow reader was not dropped after ${rounds} rounds`);
      for (let i = 0; i < ROUNDS_AFTER_DROP; i++) await scoreRound();

      await steady.waitFor(
        (m) =>
          battles.every((b) =>
            m.some(
              (e) => e.Event === 'BattleScoreChanged' && e.BattleId === b.battleId && total(e.ScoreList) === rounds,
            ),
          ),
        20_000,
      );
      for (const { battleId } of battles) {
        const points = steady
          .events('BattleScoreChanged')
          .filter((e) => e.BattleId === battleId)
          .map((e) => total(e.ScoreList));
        assert.deepEqual(
          points,
          [...new Set(points)].sort((a, b) => a - b),
          'each scoreboard once, in order',
        );
        assert.equal(points.at(-1), rounds);
      }
      assert.equal(steady.events('Error').length, 0);
      assert.equal(steady.socket.readyState, steady.socket.OPEN, 'the reading subscriber stays connected');
      await assertDropped(slow, logStart, SLOW_READER);
    });

    it('drops a client that asks for replies faster than it reads them', async () => {
      const logStart = server.output().length;
      const identifier = 'subscribe_spammer';
      const raw = await stalledReader(identifier);
      // Every `Subscribed` repeats the 100 rooms: ~5 KB a reply.
      const rooms = Array.from({ length: 100 }, (_, r) => longRoomId(0, r));
      const subscribe = Buffer.from(JSON.stringify({ Action: 'Subscribe', RoomIdList: rooms }));
      for (let batch = 0; batch < 80 && droppedLines(logStart).length === 0; batch++) {
        for (let i = 0; i < 50; i++) raw.sendFrame(0x1, subscribe);
        await sleep(20);
      }
      await waitUntil(async () => droppedLines(logStart).length > 0, 'the server to drop the client');
      await assertDropped(raw, logStart, identifier);
    });

    it('drops a client that pings without reading the pongs (ws: at most 60 unsent pongs)', async () => {
      const logStart = server.output().length;
      const raw = await stalledReader('ping_spammer');
      const ping = Buffer.alloc(125, 0x70);
      // 20,000 pongs of 127 bytes: more than the kernel takes.
      for (let batch = 0; batch < 4 && !raw.ended; batch++) {
        for (let i = 0; i < 5000; i++) raw.sendFrame(0x9, ping);
        await sleep(20);
      }
      raw.resume();
      const code = await Promise.race([
        raw.closeCode,
        new Promise((resolve) => setTimeout(() => resolve('still open after 10 s'), 10_000)),
      ]);
      assert.equal(code, 1006, 'the connection ends without a close frame');
      assert.deepEqual(
        logLines(logStart).filter((line) => (line.level as number) >= 40),
        [],
        'ws ends it by itself: nothing to warn of',
      );
    });
  });
}
