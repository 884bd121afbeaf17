import { importSPKI, type CryptoKey } from 'jose';
import { ADMIN_TOKEN, AdminClient } from './admin.js';
import type { Backend, TestDatabase } from './backends.js';
import { callJson, type JsonReply } from './http.js';
import { startServer, type TestServer } from './servers.js';

export const REALM = 'letsbet';

export interface TestOklpClient {
  clientId: string;
  clientSecret: string;
  flow: 'push' | 'poll';
  matchInfoUrl?: string;
}

export const pollGame: TestOklpClient = {
  clientId: 'test-game-poll',
  clientSecret: 'test-game-poll-secret-0123456789',
  flow: 'poll',
};

export const otherGame: TestOklpClient = {
  clientId: 'test-game-other',
  clientSecret: 'test-game-other-secret-012345678',
  flow: 'poll',
};

export function pushGame(matchInfoUrl: string): TestOklpClient {
  return { clientId: 'test-game-push', clientSecret: 'test-game-push-secret-0123456789', flow: 'push', matchInfoUrl };
}

export type OklpReply = JsonReply;

/** A game server's view of Ringside: fetches its access token from the token endpoint and calls the game API. */
export class GameClient {
  private token: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly client: TestOklpClient,
    readonly realm = REALM,
  ) {}

  /** POSTs the form to the token endpoint as an OAuth2 client does. */
  async requestToken(form: Record<string, string>, headers: Record<string, string> = {}): Promise<OklpReply> {
    const response = await fetch(`${this.baseUrl}/auth/realms/${this.realm}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const reply = await this.requestToken({
      grant_type: 'client_credentials',
      scope: 'olp-report-api',
      client_id: this.client.clientId,
      client_secret: this.client.clientSecret,
    });
    if (reply.status !== 200) throw new Error(`token endpoint: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    this.token = reply.body.access_token as string;
    return this.token;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; rawBody?: string } = {},
  ): Promise<OklpReply> {
    const bearer = options.token === undefined ? await this.accessToken() : options.token;
    return callJson(method, `${this.baseUrl}/api/game/v1${path}`, { bearer, body, rawBody: options.rawBody });
  }

  finish(body: unknown): Promise<OklpReply> {
    return this.call('POST', '/finish', body);
  }
}

/** The realm's published key, as a game imports it to verify Ringside's JWTs. */
export async function realmPublicKey(baseUrl: string, realm = REALM): Promise<CryptoKey> {
  const response = await fetch(`${baseUrl}/auth/realms/${realm}`);
  const { public_key } = (await response.json()) as { public_key: string };
  const pem = `-----BEGIN PUBLIC KEY-----\n${public_key.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----`;
  return importSPKI(pem, 'RS256');
}

export interface OklpFixture {
  server: TestServer;
  database: TestDatabase;
  admin: AdminClient;
  /** The poll-flow game. */
  game: GameClient;
  /** Another poll-flow game on the same server. */
  other: GameClient;
  close(): Promise<void>;
}

/** A fresh database on `backend` and an in-process server with the test games and admin token. */
export async function oklpFixture(
  backend: Backend,
  /** `adminTokens`: `admin.tokens` (default: the test token); `admin` always uses ADMIN_TOKEN. */
  options: { clients?: TestOklpClient[]; oklp?: Record<string, unknown>; adminTokens?: unknown[] } = {},
): Promise<OklpFixture> {
  const database = await backend.create();
  const clients = options.clients ?? [pollGame, otherGame];
  const server = await startServer({
    storage: database.storage,
    admin: { tokens: options.adminTokens ?? [ADMIN_TOKEN] },
    oklp: { realm: REALM, clients, ...options.oklp },
  });
  return {
    server,
    database,
    admin: new AdminClient(server.url, ADMIN_TOKEN),
    game: new GameClient(server.url, clients[0]!),
    other: new GameClient(server.url, clients[1] ?? otherGame),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

let counter = 0;
/** User ids unique within this test process. */
export function uniqueUsers(count: number, prefix = 'user'): string[] {
  counter += 1;
  return Array.from({ length: count }, (_, i) => `${prefix}-${process.pid}-${counter}-${i}`);
}

export async function deposit(admin: AdminClient, userId: string, amount: number, currency = 'USD'): Promise<void> {
  await admin.ok('POST', '/ledger/deposits', {
    userId,
    amount,
    currency,
    idempotencyKey: `dep-${userId}-${currency}-${amount}-${Math.random().toString(36).slice(2)}`,
  });
}

export async function balance(admin: AdminClient, userId: string, currency = 'USD'): Promise<number> {
  const account = await admin.ok('GET', `/ledger/accounts/${encodeURIComponent(userId)}`);
  return account.balances.find((b: any) => b.currency === currency)?.balance ?? 0;
}

export interface MatchSpec {
  clientId: string;
  /** Teams as lists of user ids; team ids are `team-1`, `team-2`, … */
  teams: string[][];
  mode?: 'sync' | 'async';
  entryFee?: number;
  currency?: string;
  maxSubmissions?: number;
}

/** Funds every player with `fund` (default the entry fee) and creates the match; returns its id. */
export async function createMatch(admin: AdminClient, spec: MatchSpec, fund?: number): Promise<string> {
  const entryFee = spec.entryFee ?? 100;
  const currency = spec.currency ?? 'USD';
  const amount = fund ?? entryFee;
  if (amount > 0) await Promise.all(spec.teams.flat().map((userId) => deposit(admin, userId, amount, currency)));
  const { match } = await admin.ok('POST', '/oklp/matches', {
    clientId: spec.clientId,
    mode: spec.mode ?? 'sync',
    entryFee,
    currency,
    teams: spec.teams.map((users, i) => ({ id: `team-${i + 1}`, participants: users.map((id) => ({ id })) })),
    ...(spec.maxSubmissions !== undefined ? { maxSubmissions: spec.maxSubmissions } : {}),
  });
  return match.matchId as string;
}

/** A synchronous result: team `team-i` gets `rankings[i]`, each player the score `100 × (teams − rank + 1)`. */
export function syncResult(matchId: string, teams: string[][], rankings: Array<number | 'forfeit'>) {
  return {
    match_id: matchId,
    participants: teams.flatMap((users, i) =>
      users.map((id) => ({
        id,
        score: rankings[i] === 'forfeit' ? 0 : 100 * (teams.length - (rankings[i] as number) + 1),
      })),
    ),
    teams: teams.map((_, i) =>
      rankings[i] === 'forfeit'
        ? { id: `team-${i + 1}`, score: 0, 'forfeit?': true }
        : { id: `team-${i + 1}`, score: 100, ranking: rankings[i] },
    ),
  };
}

/** GETs a JSON document (realm, discovery, key set). */
export async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}
