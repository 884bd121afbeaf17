import { connect as connectTcp, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { officialUserSig, testApp } from './tencent.js';

/** The live-events URL of `testApp`'s user `identifier` on the server at `baseUrl` (http://…). */
export function liveUrl(baseUrl: string, identifier: string, userSig = officialUserSig(testApp, identifier)): string {
  return `${baseUrl.replace(/^http/, 'ws')}/v4/live_events?sdkappid=${testApp.sdkAppId}&identifier=${identifier}&usersig=${userSig}`;
}

/** A live-events WebSocket client that collects every message it receives. */
export class LiveClient {
  readonly messages: any[] = [];
  /** The close code and reason the socket closed with. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Connects and waits for the server's first message (Ready, or an Error before closing). */
  static async connect(url: string): Promise<LiveClient> {
    const socket = new WebSocket(url);
    const client = new LiveClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => resolve());
    });
    await client.waitFor((m) => m.length > 0);
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  async waitFor(predicate: (messages: any[]) => boolean, timeoutMs = 10_000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`live client: condition not met; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  /** Messages of one kind (`Event` field). */
  events(name: string): any[] {
    return this.messages.filter((m) => m.Event === name);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/**
 * A WebSocket spoken byte by byte over TCP, for what a well-behaved client library refuses to
 * do: send reserved opcodes, invalid UTF-8, oversized control frames, or stop reading.
 */
export class RawWebSocket {
  /** The code of the server's close frame (1006 when the connection ended without one). */
  readonly closeCode: Promise<number>;
  private received = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    this.closeCode = new Promise((resolve) => {
      socket.on('data', (chunk) => {
        this.received = Buffer.concat([this.received, chunk]);
        const code = this.serverCloseCode();
        if (code !== undefined) resolve(code);
      });
      socket.on('close', () => resolve(1006));
      socket.on('error', () => resolve(1006));
    });
  }

  /** Opens `url` (ws://…) and completes the handshake. */
  static async connect(url: string): Promise<RawWebSocket> {
    const { hostname, port, pathname, search } = new URL(url);
    const socket = connectTcp(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const head = await new Promise<Buffer>((resolve) => {
      let data = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.pause();
        if (end + 4 < data.length) socket.unshift(data.subarray(end + 4));
        resolve(data.subarray(0, end));
      };
      socket.on('data', onData);
    });
    if (!head.toString().startsWith('HTTP/1.1 101')) throw new Error(`no upgrade: ${head.toString()}`);
    const raw = new RawWebSocket(socket);
    socket.resume();
    return raw;
  }

  /** Bytes received from the server so far (after the handshake). */
  get receivedBytes(): number {
    return this.received.length;
  }

  /** True once the connection has ended (as far as this side has seen). */
  get ended(): boolean {
    return this.socket.destroyed;
  }

  /** Stops reading: what the server sends stays in the kernel's buffers, then in the server's. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Sends one frame, masked as a client must. */
  sendFrame(opcode: number, payload: Buffer, fin = true): void {
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
        : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    if (length > 0xffff) throw new Error('frame too large for this helper');
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** The code of the first close frame among the server's frames so far, if one has arrived. */
  private serverCloseCode(): number | undefined {
    let offset = 0;
    while (offset + 2 <= this.received.length) {
      const opcode = this.received[offset]! & 0x0f;
      let length = this.received[offset + 1]! & 0x7f;
      let start = offset + 2;
      if (length === 126) {
        if (start + 2 > this.received.length) return undefined;
        length = this.received.readUInt16BE(start);
        start += 2;
      } else if (length === 127) {
        if (start + 8 > this.received.length) return undefined;
        length = Number(this.received.readBigUInt64BE(start));
        start += 8;
      }
      if (start + length > this.received.length) return undefined;
      if (opcode === 0x8) return length >= 2 ? this.received.readUInt16BE(start) : 1005;
      offset = start + length;
    }
    return undefined;
  }
}
