import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ADMIN_TOKEN, AdminClient } from './admin.js';
import type { Backend, TestDatabase } from './backends.js';
import { type ReceivedRequest, Receiver, type ReceiverOptions } from './receiver.js';
import { startServer, type TestServer } from './servers.js';

/**
 * JDB test helpers. The AES here is the test's own (node:crypto directly), written without the
 * server's helper, so a shared mistake cannot make both sides agree.
 */

/** The start of JDB's err_text for a malformed parameter; the offending parameter's message follows. */
export const PARAMETER = 'The parameter of input error, please check your parameter is correct or not. parameter:';

export type Padding = 'spaces' | 'zeros' | 'pkcs7';
export const paddings: Padding[] = ['spaces', 'zeros', 'pkcs7'];

export interface TestJdbAgent {
  dc: string;
  parent: string;
  key: string;
  iv: string;
  currency: string;
  walletUrl: string;
  rateLimitPerSecond?: number;
  spinRecords?: boolean;
}

export const jdbAgent: TestJdbAgent = {
  dc: 'jb1',
  parent: 'testag',
  key: 'Ringside-key-001',
  iv: 'Ringside-iv-0001',
  currency: 'USD',
  walletUrl: 'http://127.0.0.1:9/unset',
  rateLimitPerSecond: 0,
};

export const otherJdbAgent: TestJdbAgent = {
  dc: 'jb2',
  parent: 'otherag',
  key: 'Other-key-000002',
  iv: 'Other-iv-0000002',
  currency: 'THB',
  walletUrl: 'http://127.0.0.1:9/unset',
  rateLimitPerSecond: 0,
};

/** The seed's bet example: A = 1,5,15,20,30 and B = 1,5,20,25,30; Feature Buy as in the reference. */
export const gameA = {
  mType: 14077,
  gType: 0,
  name: 'Game A',
  betList: ['1', '5', '15', '20', '30'],
  freeSpinTypes: ['NORMAL', 'FEATURE'],
  feature: { multiple: 50, maxTotalBet: '1000' },
};
export const gameB = {
  mType: 14085,
  gType: 0,
  name: 'Game B',
  betList: ['1', '5', '20', '25', '30'],
  freeSpinTypes: ['NORMAL', 'FEATURE'],
  feature: { multiple: 100, maxTotalBet: '2000' },
};
/** NORMAL only, another gType, amounts with decimals. */
export const gameC = {
  mType: 7001,
  gType: 7,
  name: 'Fish C',
  betList: ['0.1', '0.25', '1.5'],
  freeSpinTypes: ['NORMAL'],
};
export const testGames = [gameA, gameB, gameC];

/** Pads, encrypts (AES-128-CBC, key and IV as raw bytes) and encodes as URL-safe base64. */
export function encryptX(
  plaintext: string,
  agent: Pick<TestJdbAgent, 'key' | 'iv'>,
  options: { padding?: Padding; keepEquals?: boolean } = {},
): string {
  const padding = options.padding ?? 'spaces';
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(agent.key, 'latin1'), Buffer.from(agent.iv, 'latin1'));
  let input = Buffer.from(plaintext, 'utf8');
  if (padding !== 'pkcs7') {
    cipher.setAutoPadding(false);
    const padded = Buffer.alloc(Math.ceil(input.length / 16) * 16 || 16, padding === 'spaces' ? 0x20 : 0x00);
    input.copy(padded);
    input = padded;
  }
  const base64 = Buffer.concat([cipher.update(input), cipher.final()]).toString('base64');
  const urlSafe = base64.replaceAll('+', '-').replaceAll('/', '_');
  return options.keepEquals ? urlSafe : urlSafe.replace(/=+$/, '');
}

/** Decrypts an `x` the way an operator's wallet does (no padding check, trailing blanks trimmed). */
export function decryptX(x: string, agent: Pick<TestJdbAgent, 'key' | 'iv'>): string {
  const data = Buffer.from(x.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(agent.key, 'latin1'), Buffer.from(agent.iv, 'latin1'));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()])
    .toString('utf8')
    .replace(/[\s\u0000-\u0010]+$/, '');
}

/** A wallet callback as received: the decrypted JSON of its `x` form field. */
export function callbackOf(request: ReceivedRequest, agent: TestJdbAgent): any {
  const x = new URLSearchParams(request.body).get('x');
  if (!x) throw new Error(`no x in wallet request body: ${request.body}`);
  return JSON.parse(decryptX(x, agent));
}

export interface JdbReply {
  status: string;
  data?: any;
  err_text?: string;
}

export type Transport = 'get' | 'form' | 'json';

export interface JdbCallOptions {
  transport?: Transport;
  padding?: Padding;
  keepEquals?: boolean;
  /** Whose key encrypts (default: the client's agent). */
  keyOf?: TestJdbAgent;
  dc?: string;
  /** The outer `parent` field (sub-account selection). */
  outerParent?: string;
  /** Replaces the whole plaintext object (no ts/action/parent added). */
  plaintext?: string;
  ts?: number;
}

/** Calls `/apiRequest.do` as an operator's integration does. */
export class JdbClient {
  constructor(
    readonly baseUrl: string,
    readonly agent: TestJdbAgent,
    readonly now: () => number = Date.now,
  ) {}

  /** `action`, `ts` and `parent` are added to `params` (which may override them). */
  async call(action: number, params: Record<string, unknown> = {}, options: JdbCallOptions = {}): Promise<JdbReply> {
    const plaintext =
      options.plaintext ??
      JSON.stringify({ action, ts: options.ts ?? this.now(), parent: this.agent.parent, ...params });
    const x = encryptX(plaintext, options.keyOf ?? this.agent, options);
    const fields: Record<string, string> = { dc: options.dc ?? this.agent.dc, x };
    if (options.outerParent !== undefined) fields.parent = options.outerParent;
    return this.send(fields, options.transport ?? 'get');
  }

  /** Calls and fails the test unless the status is "0000"; returns `data`. */
  async ok(action: number, params: Record<string, unknown> = {}, options: JdbCallOptions = {}): Promise<any> {
    const reply = await this.call(action, params, options);
    if (reply.status !== '0000') throw new Error(`action ${action}: ${reply.status} ${reply.err_text}`);
    return reply.data;
  }

  /** Sends transport fields as they are. */
  async send(fields: Record<string, unknown>, transport: Transport): Promise<JdbReply> {
    const response = await this.raw(fields, transport);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as JdbReply;
  }

  raw(fields: Record<string, unknown>, transport: Transport, init: RequestInit = {}): Promise<Response> {
    const url = `${this.baseUrl}/apiRequest.do`;
    if (transport === 'get') {
      const query = Object.entries(fields)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join('&');
      return fetch(`${url}?${query}`, init);
    }
    if (transport === 'form') {
      const body = new URLSearchParams(fields as Record<string, string>).toString();
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        ...init,
      });
    }
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
      ...init,
    });
  }
}

/** JDB's time format with an offset: `yyyy-MM-ddTHH:mm:ss.sss+hh:mm`. */
export function jdbTime(ms: number, offset = '+08:00'): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number) as [number, number];
  const local = new Date(ms + sign * (hours * 60 + minutes) * 60_000).toISOString().slice(0, 23);
  return `${local}${offset}`;
}

/** A clock the test can move; the server and the client read it alike. */
export class TestClock {
  offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
}

let counter = 0;
/** An id unique within this test process. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/** Action 72 parameters that create a valid event (players none); override what the test needs. */
export function eventParams(now: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test event',
    startTime: jdbTime(now - 60_000),
    endTime: jdbTime(now + 3_600_000),
    machineTypes: [gameA.mType],
    bet: '5',
    times: 3,
    type: 'NORMAL',
    minWithdrawal: '-1',
    maxWithdrawal: '-1',
    transactionId: uniqueId('tx'),
    ...overrides,
  };
}

export interface JdbFixture {
  server: TestServer;
  database: TestDatabase;
  clock: TestClock;
  admin: AdminClient;
  /** The client of `jdbAgent`. */
  jdb: JdbClient;
  /** The client of `otherJdbAgent`, a second agent on the same server. */
  other: JdbClient;
  /** The agents' wallet (Action 16/17 callbacks land here). */
  wallet: Receiver;
  createPlayers(uids: string[], parent?: string): Promise<void>;
  spin(body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A fresh database on `backend`, a wallet receiver and an in-process server with two JDB agents. */
export async function jdbFixture(
  backend: Backend,
  options: {
    agents?: TestJdbAgent[];
    games?: unknown[];
    jdb?: Record<string, unknown>;
    wallet?: ReceiverOptions;
    /** `admin.tokens` (default: the test token); `admin` always uses ADMIN_TOKEN. */
    adminTokens?: unknown[];
  } = {},
): Promise<JdbFixture> {
  const wallet = await Receiver.start(options.wallet ?? { answer: () => ({ status: 200, body: walletOk }) });
  const agents = (options.agents ?? [jdbAgent, otherJdbAgent]).map((agent) => ({
    ...agent,
    walletUrl: `${wallet.url}/jdb/${agent.parent}`,
  }));
  const database = await backend.create();
  const clock = new TestClock();
  const server = await startServer(
    {
      storage: database.storage,
      admin: { tokens: options.adminTokens ?? [ADMIN_TOKEN] },
      jdb: { agents, games: options.games ?? testGames, ...options.jdb },
    },
    { clock },
  );
  const admin = new AdminClient(server.url, ADMIN_TOKEN);
  return {
    server,
    database,
    clock,
    admin,
    wallet,
    jdb: new JdbClient(server.url, agents[0]!, clock.now),
    other: new JdbClient(server.url, agents[1] ?? agents[0]!, clock.now),
    async createPlayers(uids, parent = agents[0]!.parent) {
      await admin.ok('POST', '/jdb/players', { parent, uids });
    },
    spin: (body) => admin.request('POST', '/jdb/spins', { parent: agents[0]!.parent, ...body }),
    async close() {
      await server.close();
      await wallet.close();
      await database.drop();
    },
  };
}

export const walletOk = '{"status":"0000","balance":100}';
