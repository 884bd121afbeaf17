import { Api } from 'tls-sig-api-v2';

/** A Tencent app as the test config declares it. */
export interface TestTencentApp {
  sdkAppId: number;
  secretKey: string;
  admins: string[];
  limits?: { gifts?: number; rateLimits?: boolean };
  callback?: { url: string; token?: string };
}

export const testApp: TestTencentApp = {
  sdkAppId: 1400000101,
  secretKey: 'ringside-test-secret-key-one',
  admins: ['administrator', 'ops_admin'],
  limits: { rateLimits: false },
};

export const otherApp: TestTencentApp = {
  sdkAppId: 1400000202,
  secretKey: 'ringside-test-secret-key-two',
  admins: ['administrator'],
  limits: { rateLimits: false },
};

/** A UserSig made by Tencent's official npm package. */
export function officialUserSig(
  app: Pick<TestTencentApp, 'sdkAppId' | 'secretKey'>,
  identifier: string,
  expire = 3600,
) {
  return new Api(app.sdkAppId, app.secretKey).genUserSig(identifier, expire);
}

export interface TencentReply {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  RequestId: string;
  Response?: any;
  [field: string]: any;
}

export interface CallOptions {
  identifier?: string;
  userSig?: string;
  /** Replaces the whole query string. */
  query?: string;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string | Buffer;
  method?: string;
  contentType?: string | null;
}

/** Calls Ringside's Tencent surface the way a Tencent REST client does. */
export class TencentClient {
  private readonly sigs = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly app: TestTencentApp,
  ) {}

  sigFor(identifier: string): string {
    let sig = this.sigs.get(identifier);
    if (!sig) {
      sig = officialUserSig(this.app, identifier, 86400);
      this.sigs.set(identifier, sig);
    }
    return sig;
  }

  queryFor(identifier = this.app.admins[0]!, userSig = this.sigFor(identifier)): string {
    const random = Math.floor(Math.random() * 4294967295);
    return `sdkappid=${this.app.sdkAppId}&identifier=${encodeURIComponent(identifier)}&usersig=${userSig}&random=${random}&contenttype=json`;
  }

  async call(path: string, body: unknown = {}, options: CallOptions = {}): Promise<TencentReply> {
    const response = await this.raw(path, body, options);
    if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${path}`);
    const text = await response.text();
    return JSON.parse(text) as TencentReply;
  }

  async raw(path: string, body: unknown = {}, options: CallOptions = {}): Promise<Response> {
    const query = options.query ?? this.queryFor(options.identifier, options.userSig);
    const headers: Record<string, string> = {};
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    return fetch(`${this.baseUrl}/v4/${path}?${query}`, {
      method: options.method ?? 'POST',
      headers,
      body: options.method === 'GET' ? undefined : (options.rawBody ?? JSON.stringify(body)),
    });
  }

  /** Calls and fails the test unless the reply is OK. */
  async ok(path: string, body: unknown = {}, options: CallOptions = {}): Promise<TencentReply> {
    const reply = await this.call(path, body, options);
    if (reply.ErrorCode !== 0) {
      throw new Error(`${path} failed: ${reply.ErrorCode} ${reply.ErrorInfo}`);
    }
    return reply;
  }
}

export const srv = (command: string) => `live_engine_http_srv/${command}`;

export const pk = (command: string) => `live_engine_http_pk/${command}`;

/** Creates rooms (the i-th owned by `owner-<i>`) and returns their ids. */
export async function createRooms(client: TencentClient, count: number, prefix = 'room'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const roomId = `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${i}`;
    await client.ok(srv('create_room'), {
      RoomInfo: { RoomId: roomId, RoomType: 'Live', Owner_Account: `owner-${i}` },
    });
    ids.push(roomId);
  }
  return ids;
}

/** A battle's scores: the caller's room first, then the callees' in order. */
export async function battleScores(client: TencentClient, battleId: string): Promise<number[]> {
  const info = (await client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
  return [info.FromRoomInfo, ...info.ToRoomList].map((r: any) => r.Score);
}

/** Creates a battle between fresh rooms; returns its id and the rooms (caller first). */
export async function createBattle(client: TencentClient, options: { callees?: number; durationMs?: number } = {}) {
  const rooms = await createRooms(client, 1 + (options.callees ?? 1), 'pk');
  const reply = await client.ok(pk('create_battle'), {
    FromRoomId: rooms[0],
    ToRoomIdList: rooms.slice(1),
    Duration: options.durationMs ?? 60_000,
  });
  return { battleId: reply.Response.BattleId as string, rooms, reply };
}

export const liveConfig = (command: string) => `live_config/${command}`;
