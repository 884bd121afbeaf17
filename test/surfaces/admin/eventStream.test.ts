import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LocalEventBus } from '../../../src/delivery/liveEventBus.js';
import type { AdminEvent, LiveEvent } from '../../../src/domain/events.js';
import { AdminEventStream } from '../../../src/surfaces/admin/eventStream.js';
import { SseClient } from '../../support/sse.js';
import { sleep, waitUntil } from '../../support/wait.js';

/** The stream's heartbeat and slow-client limit, over real HTTP, with small settings. */
describe('admin event stream: heartbeats and slow clients', () => {
  const live = new LocalEventBus<LiveEvent>(() => {});
  const admin = new LocalEventBus<AdminEvent>(() => {});
  const stream = new AdminEventStream(live, admin, { heartbeatMs: 100, maxBufferedBytes: 256 * 1024 });
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((_request, response) => stream.add(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    stream.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const transfer = (id: number, padding = ''): AdminEvent => ({
    type: 'ledger.transfer',
    at: id,
    transfer: {
      id,
      idempotencyKey: `k${id}${padding}`,
      kind: 'deposit',
      fromAccount: 'external:USD:',
      toAccount: 'user:USD:u',
      currency: 'USD',
      amount: 1,
      matchId: undefined,
      userBalanceAfter: id,
      createdAt: id,
    },
  });

  it('sends a heartbeat comment while idle, and each event with its name and JSON data', async () => {
    const client = await SseClient.open(url, {});
    try {
      await waitUntil(async () => client.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats');
      admin.publish(transfer(1));
      const event = await client.next((e) => e.event === 'ledger.transfer', 'the transfer');
      assert.equal(event.data.transfer.idempotencyKey, 'k1');
      assert.equal(event.data.transfer.to, 'user:USD:u', 'rendered as the admin API renders transfers');
    } finally {
      client.close();
    }
  });

  it('drops a client that does not read, and keeps serving one that does', async () => {
    const reader = await SseClient.open(url, {});
    // A client that sends its request and never reads the answer.
    const stalled = connect((server.address() as AddressInfo).port, '127.0.0.1');
    stalled.write('GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    stalled.pause();
    let stalledClosed = false;
    stalled.on('close', () => (stalledClosed = true));
    stalled.on('error', () => {});
    try {
      await waitUntil(async () => stream.size === 2, 'both clients connected');
      // Up to 64 MiB, more than the kernel's socket buffers hold for a client that never reads,
      // in steps the reading client keeps up with.
      const padding = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 4096 && stream.size === 2; i++) {
        admin.publish(transfer(i + 10, padding));
        if (i % 4 === 3) await reader.next((e) => e.data.transfer.id === i + 10, `transfer ${i + 10}`);
      }
      assert.equal(stream.size, 1, 'the stalled client was dropped');
      assert.ok(!reader.isEnded, 'the reading client is still served');
      // Reading what it was sent before the drop, it comes to the end of the stream.
      stalled.resume();
      await waitUntil(async () => stalledClosed, 'its connection closed');
      admin.publish(transfer(99_999));
      await reader.next((e) => e.data.transfer.id === 99_999, 'an event after the drop');
    } finally {
      reader.close();
      stalled.destroy();
    }
  });
});
