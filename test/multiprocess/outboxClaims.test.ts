/**
 * Issue 11, item 17: "Redelivery after a crash waits out a fixed 30-second claim on
 * deliveries that were in flight. Make the claim time configurable …; a restarted process
 * should not wait for its own dead claims longer than needed." A Tencent callback is held
 * unanswered by the receiver while its process is killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { backends, type TestDatabase } from '../support/backends.js';
import { uniqueRoomId } from '../support/fixture.js';
import { type ChildServer, spawnServer } from '../support/servers.js';
import { srv, TencentClient, testApp } from '../support/tencent.js';
import { waitUntil } from '../support/wait.js';

interface Arrival {
  at: number;
  eventId: string;
  roomId: string | undefined;
}

/** Records every callback; holds the first one of each room unanswered, answers the rest OK. */
class HoldingReceiver {
  readonly arrivals: Arrival[] = [];
  private readonly held: ServerResponse[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const json = JSON.parse(body) as { EventId: string; RoomInfo?: { RoomId: string } };
        const roomId = json.RoomInfo?.RoomId;
        const first = !this.arrivals.some((a) => a.roomId === roomId);
        this.arrivals.push({ at: Date.now(), eventId: json.EventId, roomId });
        if (first) this.held.push(res);
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ActionStatus":"OK","ErrorCode":0}');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cb`;
  }

  of(roomId: string): Arrival[] {
    return this.arrivals.filter((a) => a.roomId === roomId);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

for (const backend of backends) {
  describe(`outbox claims after a crash [${backend.name}]`, () => {
    let database: TestDatabase;
    let receiver: HoldingReceiver;
    let callbackUrl: string;
    const started: ChildServer[] = [];

    const serve = async (delivery: Record<string, unknown>) => {
      const server = await spawnServer({
        fileConfig: {
          storage: database.storage,
          tencent: { apps: [{ ...testApp, callback: { url: callbackUrl } }] },
          delivery,
        },
      });
      started.push(server);
      return server;
    };

    /** Creates a room through `server` and kills it (SIGKILL) while its callback is in flight. */
    const crashMidDelivery = async (server: ChildServer): Promise<{ roomId: string; first: Arrival }> => {
      const roomId = uniqueRoomId('claim');
      await new TencentClient(server.url, testApp).ok(srv('create_room'), {
        RoomInfo: { RoomId: roomId, RoomType: 'Live' },
      });
      const first = await waitUntil(async () => receiver.of(roomId)[0], 'the first callback attempt');
      await server.stop('SIGKILL');
      return { roomId, first };
    };

    before(async () => {
      database = await backend.create();
      receiver = new HoldingReceiver();
      callbackUrl = await receiver.start();
    });
    after(async () => {
      await Promise.all(started.map((server) => server.stop('SIGKILL')));
      await receiver.close();
      await database.drop();
    });

    it('another process retries the delivery once the configured claim time (6 s) has passed', async () => {
      const a = await serve({ claimMs: 6000, instanceId: 'claims-a' });
      const { roomId, first } = await crashMidDelivery(a);
      const b = await serve({ claimMs: 6000, instanceId: 'claims-b' });
      const retry = await waitUntil(async () => receiver.of(roomId)[1], 'the retry by another process', 20_000);
      assert.equal(retry.eventId, first.eventId, 'the retry is the same event');
      assert.ok(retry.at - first.at >= 5500, `retried ${retry.at - first.at} ms after the first attempt`);
      await b.stop();
    });

    it('a process restarted under the same instance id sends its dead claims at once, not after 60 s', async () => {
      const delivery = { claimMs: 60_000, instanceId: 'claims-restarted' };
      const a = await serve(delivery);
      const { roomId, first } = await crashMidDelivery(a);
      await serve(delivery);
      const retry = await waitUntil(async () => receiver.of(roomId)[1], 'the retry by the restarted process', 30_000);
      assert.equal(retry.eventId, first.eventId);
      assert.ok(retry.at - first.at < 30_000, `retried ${retry.at - first.at} ms after the first attempt`);
    });
  });
}
