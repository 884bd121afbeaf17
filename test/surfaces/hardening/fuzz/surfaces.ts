import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { oauthErrorNames } from '../../../../src/surfaces/oklp/errorCodes.js';
import { eventParams, gameA, jdbAgent, jdbTime, type Padding, type Transport } from '../../../support/jdb.js';
import { otherGame, pollGame, REALM, syncResult } from '../../../support/oklp.js';
import { DocumentedAnswers } from '../../../support/openapi.js';
import { liveConfig, pk, srv } from '../../../support/tencent.js';
import { adminTemplates } from './adminTemplates.js';
import {
  type ByteMutation,
  describe as describeValue,
  encodeSegment,
  hostileValue,
  type Json,
  mutateBytes,
  serialize,
  textOf,
} from './mutations.js';
import { type HttpTemplate, httpTemplate, type Template } from './templates.js';
import { callbackCommands, callbackConfigState, ids, jdbState, moneyState, tencentState, type World } from './world.js';

/**
 * The surfaces the fuzz test sends to: for each, valid requests to mutate (templates), how a
 * mutated request is put on the wire (a variant: who calls, how it is carried), the oracle
 * its reply must pass, and the state a refused request must leave alone.
 */

export interface Outcome {
  refused: boolean;
  /** The request as sent, for failure messages. */
  sent: string;
  /** The reply, shortly. */
  answer: string;
}

export interface FuzzSurface<V> {
  name: string;
  templates: Template[];
  variant: fc.Arbitrary<V>;
  /** The variant of a well-behaved client. */
  valid: V;
  state(world: World): Promise<unknown>;
  send(world: World, template: Template, request: Json, bytes: ByteMutation | undefined, variant: V): Promise<Outcome>;
}

const member = (value: Json, key: string): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)
    ? value[key]
    : undefined;

async function readJson(response: Response, sent: string): Promise<any> {
  const text = await response.text();
  assert.ok(response.status < 500, `HTTP ${response.status} ${text.slice(0, 300)}\nrequest: ${sent}`);
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`HTTP ${response.status}, reply is not JSON: ${text.slice(0, 300)}\nrequest: ${sent}`);
  }
}

// ---------------------------------------------------------------------------------------
// Tencent REST: `POST /v4/{service}/{command}`, every reply HTTP 200 with the envelope.

type TencentCaller = 'admin' | 'secondAdmin' | 'notAdmin' | 'wrongSig';

function tencentTemplate(
  command: string,
  body: (world: World, fresh: number) => Json,
  once = false,
  state?: Template['state'],
): Template {
  return { name: command, once, state, request: (world, fresh) => ({ body: body(world, fresh) }) };
}

/** The app's callbacks go to the world's receiver, never anywhere else. */
const callbackConfig = (world: World): Json => ({
  Url: `${world.receiver.url}/tencent`,
  CallbackCommandList: callbackCommands,
});

/**
 * `live_config`: in this order, so each is accepted in the check of valid requests (the world
 * set a configuration and a token): update, delete, then set again.
 */
const liveConfigTemplates = [
  tencentTemplate(liveConfig('get_callback'), () => ({}), false, callbackConfigState),
  tencentTemplate(liveConfig('update_callback'), callbackConfig, false, callbackConfigState),
  tencentTemplate(liveConfig('delete_callback'), () => ({}), false, callbackConfigState),
  tencentTemplate(liveConfig('set_callback'), callbackConfig, false, callbackConfigState),
  tencentTemplate(
    liveConfig('set_callback_token'),
    () => ({ Token: ids.callbackToken, IsTokenEnable: true }),
    false,
    callbackConfigState,
  ),
  tencentTemplate(liveConfig('get_callback_token'), () => ({}), false, callbackConfigState),
];

const { rooms, gifts, categories } = ids;

export const tencentSurface: FuzzSurface<TencentCaller> = {
  name: 'Tencent REST',
  templates: [
    tencentTemplate(srv('create_room'), (_, n) => ({
      RoomInfo: {
        RoomId: `fz-new-${n}`,
        RoomType: 'Live',
        Owner_Account: 'owner-new',
        RoomName: 'New room',
        MaxMemberCount: 100,
        CoverURL: 'https://example.com/c.png',
        IsGiftEnabled: true,
        Category: [1, 2],
        TakeSeatMode: 'ApplyToTake',
        MaxSeatCount: 9,
        SeatTemplate: 'AudioSalon',
        CustomInfo: '{"k":"v"}',
      },
    })),
    tencentTemplate(srv('destroy_room'), () => ({ RoomId: rooms.spare }), true),
    tencentTemplate(srv('get_room_info'), () => ({ RoomId: rooms.a })),
    tencentTemplate(srv('get_room_list'), () => ({ Next: '', Count: 5, SortDirection: 0 })),
    tencentTemplate(srv('update_room_info'), () => ({
      RoomInfo: { RoomId: rooms.c, RoomName: 'Renamed', Notice: 'hello', IsMessageDisabled: false, ActivityStatus: 1 },
    })),
    tencentTemplate(srv('set_room_metadata'), () => ({
      RoomId: rooms.a,
      Metadata: [
        { Key: 'k1', Value: 'changed' },
        { Key: 'k4', Value: 'new' },
      ],
    })),
    tencentTemplate(srv('get_room_metadata'), () => ({ RoomId: rooms.a, Keys: ['k1', 'k2'] })),
    tencentTemplate(srv('del_room_metadata'), () => ({ RoomId: rooms.a, Keys: ['k3'] }), true),
    tencentTemplate(
      pk('create_battle'),
      () => ({
        FromRoomId: rooms.c,
        ToRoomIdList: [rooms.spare],
        Duration: 60_000,
        ExtensionInfo: 'fuzz',
      }),
      true,
    ),
    tencentTemplate(pk('set_battle_score'), (world) => ({
      BattleId: world.seeded.battle,
      OpType: 1,
      ScoreList: [
        { RoomId: rooms.a, Score: 10 },
        { RoomId: rooms.b, Score: 20 },
      ],
    })),
    tencentTemplate(pk('get_battle_info'), (world) => ({ BattleId: world.seeded.battle, RoomId: rooms.a })),
    tencentTemplate(pk('end_battle'), (world) => ({ BattleId: world.seeded.spareBattle }), true),
    tencentTemplate(srv('add_gift'), (_, n) => ({
      GiftId: `fz-gift-${n}`,
      Coins: 10,
      DefaultName: 'New gift',
      IconUrl: 'https://example.com/i.png',
      Level: 1,
      ExtensionInfo: '{"a":1}',
      DefaultDesc: 'desc',
    })),
    tencentTemplate(srv('edit_gift'), () => ({ GiftId: gifts.rose, Coins: 6, DefaultName: 'Rose!', Level: 2 })),
    tencentTemplate(srv('get_gift'), () => ({ GiftId: gifts.rose })),
    tencentTemplate(srv('del_gift'), () => ({ GiftId: gifts.spare }), true),
    tencentTemplate(srv('get_gift_info_list'), () => ({ Language: 'en' })),
    tencentTemplate(srv('add_gift_category'), (_, n) => ({
      CategoryId: `fz-cat-${n}`,
      DefaultName: 'New category',
      DefaultDesc: 'd',
      ExtensionInfo: 'x',
    })),
    tencentTemplate(srv('edit_gift_category'), () => ({ CategoryId: categories.main, DefaultName: 'Renamed' })),
    tencentTemplate(srv('get_gift_category'), () => ({ CategoryId: categories.main })),
    tencentTemplate(srv('del_gift_category'), () => ({ CategoryId: categories.spare }), true),
    tencentTemplate(srv('add_gift_category_relations'), () => ({
      CategoryId: categories.main,
      GiftIdList: [gifts.spare, 'fz-no-such-gift'],
    })),
    tencentTemplate(
      srv('del_gift_category_relations'),
      () => ({
        CategoryId: categories.main,
        GiftIdList: [gifts.rose],
      }),
      true,
    ),
    tencentTemplate(srv('get_gift_category_relations'), () => ({ CategoryId: categories.main })),
    tencentTemplate(srv('set_gift_language'), () => ({
      GiftId: gifts.rose,
      Language: 'zh-Hant',
      Name: '玫瑰',
      Desc: '花',
    })),
    tencentTemplate(srv('get_gift_language'), () => ({ GiftId: gifts.rose, Language: 'en' })),
    tencentTemplate(srv('del_gift_language'), () => ({ GiftId: gifts.spare, Language: 'en' }), true),
    tencentTemplate(srv('set_gift_category_language'), () => ({
      CategoryId: categories.main,
      Language: 'zh-Hans',
      CategoryName: '花',
      CategoryDesc: 'x',
    })),
    tencentTemplate(srv('get_gift_category_language'), () => ({ CategoryId: categories.main, Language: 'en' })),
    tencentTemplate(
      srv('del_gift_category_language'),
      () => ({ CategoryId: categories.spare, Language: 'zh-Hans' }),
      true,
    ),
    tencentTemplate(srv('copy_default_gift_config'), () => ({}), true),
    tencentTemplate(srv('send_gift'), () => ({
      RoomId: rooms.a,
      GiftId: gifts.rose,
      Count: 2,
      From_Account: 'fan_2',
      ReceiverList_Account: ['owner-0'],
    })),
    tencentTemplate(srv('get_gift_count'), () => ({ RoomId: rooms.a, From_Account: 'fan_1' })),
    ...liveConfigTemplates,
  ],
  variant: fc.oneof(
    { weight: 12, arbitrary: fc.constant('admin' as const) },
    { weight: 1, arbitrary: fc.constantFrom('secondAdmin' as const, 'notAdmin' as const, 'wrongSig' as const) },
  ),
  valid: 'admin',
  state: tencentState,
  async send(world, template, request, bytes, caller) {
    const client = world.tencent;
    const identifier = {
      admin: 'administrator',
      secondAdmin: 'ops_admin',
      notAdmin: 'viewer_1',
      wrongSig: 'administrator',
    }[caller];
    const userSig = caller === 'wrongSig' ? client.sigFor('ops_admin') : client.sigFor(identifier);
    const body = member(request, 'body');
    const rawBody = mutateBytes(body === undefined ? '' : serialize(body), bytes);
    const sent = `POST v4/${template.name} as ${caller}: ${describeValue(rawBody)}`;
    const response = await client.raw(template.name, undefined, { rawBody, identifier, userSig });
    assert.equal(response.status, 200, `Tencent answers every request with HTTP 200\nrequest: ${sent}`);
    const reply = await readJson(response, sent);
    assert.ok(['OK', 'FAIL'].includes(reply.ActionStatus), `ActionStatus ${reply.ActionStatus}\nrequest: ${sent}`);
    assert.ok(Number.isInteger(reply.ErrorCode), `ErrorCode ${reply.ErrorCode}\nrequest: ${sent}`);
    assert.equal(typeof reply.ErrorInfo, 'string', `ErrorInfo\nrequest: ${sent}`);
    assert.equal(reply.ActionStatus === 'OK', reply.ErrorCode === 0, `ActionStatus/ErrorCode\nrequest: ${sent}`);
    assert.notEqual(reply.ErrorCode, 100001, `internal error: ${reply.ErrorInfo}\nrequest: ${sent}`);
    if (reply.ErrorCode !== 0) assert.ok(reply.ErrorInfo.length > 0, `an empty ErrorInfo\nrequest: ${sent}`);
    return { refused: reply.ErrorCode !== 0, sent, answer: `${reply.ErrorCode} ${reply.ErrorInfo}` };
  },
};

// ---------------------------------------------------------------------------------------
// JDB: `/apiRequest.do` with `dc` and `x` (the AES-encrypted JSON), every reply HTTP 200
// with `{status, data?, err_text?}`.

type XTamper =
  | { kind: 'none' }
  | { kind: 'dc'; value: Json }
  | { kind: 'dropDc' }
  | { kind: 'dropX' }
  | { kind: 'xChar'; fraction: number; char: string }
  | { kind: 'truncateX'; fraction: number }
  | { kind: 'flipBit'; fraction: number; bit: number }
  | { kind: 'wrongKey' }
  | { kind: 'outerParent'; value: Json }
  | { kind: 'xNotString'; value: Json };

export interface JdbWire {
  transport: Transport;
  padding: Padding;
  tamper: XTamper;
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const xTamper: fc.Arbitrary<XTamper> = fc.oneof(
  { weight: 24, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dc' as const),
      value: fc.oneof(fc.constantFrom<Json>('jb2', 'j', '', 'JB1', 'jb1 '), hostileValue),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'dropDc' as const }, { kind: 'dropX' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('xChar' as const),
      fraction,
      char: fc.constantFrom('+', '/', '=', '*', '%', ' ', '.', '~', '\u00e9', 'A'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncateX' as const), fraction }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('flipBit' as const), fraction, bit: fc.integer({ min: 0, max: 7 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrongKey' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('outerParent' as const),
      value: fc.oneof(fc.constantFrom<Json>('', 'otherag', jdbAgent.parent), hostileValue),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('xNotString' as const), value: hostileValue }) },
);

function encrypt(plaintext: Buffer, key: string, iv: string, padding: Padding): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(key, 'latin1'), Buffer.from(iv, 'latin1'));
  let input = plaintext;
  if (padding !== 'pkcs7') {
    cipher.setAutoPadding(false);
    input = Buffer.alloc(Math.ceil(plaintext.length / 16) * 16 || 16, padding === 'spaces' ? 0x20 : 0x00);
    plaintext.copy(input);
  }
  return Buffer.concat([cipher.update(input), cipher.final()])
    .toString('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function tamperedX(x: string, tamper: XTamper): string {
  switch (tamper.kind) {
    case 'xChar': {
      const at = Math.floor(x.length * tamper.fraction);
      return `${x.slice(0, at)}${tamper.char}${x.slice(at + 1)}`;
    }
    case 'truncateX':
      return x.slice(0, Math.floor(x.length * tamper.fraction));
    case 'flipBit': {
      const data = Buffer.from(x.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
      if (data.length === 0) return x;
      data[Math.min(data.length - 1, Math.floor(data.length * tamper.fraction))]! ^= 1 << tamper.bit;
      return data.toString('base64url');
    }
    default:
      return x;
  }
}

function jdbTemplate(
  action: number,
  params: (world: World, fresh: number) => Record<string, Json>,
  once = false,
): Template {
  return {
    name: `action ${action}`,
    once,
    request: (world, fresh) => ({ x: { action, ts: Date.now(), parent: jdbAgent.parent, ...params(world, fresh) } }),
  };
}

const reportDate = (ms: number) => {
  const day = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(day.getUTCDate())}-${pad(day.getUTCMonth() + 1)}-${day.getUTCFullYear()}`;
};

export const jdbSurface: FuzzSurface<JdbWire> = {
  name: 'JDB apiRequest.do',
  templates: [
    jdbTemplate(49, () => ({ lang: 'en' })),
    jdbTemplate(70, () => {
      // A window of whole minutes, at most five.
      const end = Math.floor(Date.now() / 60_000) * 60_000;
      return { startTime: jdbTime(end - 300_000), endTime: jdbTime(end), gTypes: [0, 7], uid: ids.players[0] };
    }),
    jdbTemplate(71, () => ({ uid: ids.players[0], status: 1, types: ['NORMAL'] })),
    jdbTemplate(
      72,
      (_, n) =>
        eventParams(Date.now(), {
          transactionId: `fz-tx-${n}`,
          players: [ids.players[2]],
          autoCreatePlayerEnabled: false,
        }) as Record<string, Json>,
    ),
    jdbTemplate(73, (world) => ({ eventId: world.seeded.events.terminate }), true),
    jdbTemplate(74, (world) => ({ eventId: world.seeded.events.main, players: [ids.players[2]] })),
    jdbTemplate(75, (world) => ({ eventId: world.seeded.events.unbind, players: [ids.players[0]] }), true),
    jdbTemplate(76, (world) => ({ ...world.seeded.listWindow, name: 'Main event', machineTypes: [gameA.mType] })),
    jdbTemplate(77, (world) => ({
      eventId: world.seeded.events.future,
      name: 'Updated',
      startTime: jdbTime(Date.now() + 3_600_000),
      endTime: jdbTime(Date.now() + 9_000_000),
      machineTypes: [gameA.mType],
      bet: '15',
      minWithdrawal: '-1',
      maxWithdrawal: '100',
      times: 3,
      type: 'NORMAL',
    })),
    jdbTemplate(78, () => ({ date: reportDate(Date.now() - 2 * 86_400_000) })),
  ],
  variant: fc.record({
    transport: fc.constantFrom<Transport>('get', 'form', 'json'),
    padding: fc.constantFrom<Padding>('spaces', 'zeros', 'pkcs7'),
    tamper: xTamper,
  }),
  valid: { transport: 'form', padding: 'spaces', tamper: { kind: 'none' } },
  state: jdbState,
  async send(world, _template, request, bytes, wire) {
    const agent = world.jdb.agent;
    const x = member(request, 'x');
    const plaintext = mutateBytes(x === undefined ? '' : serialize(x), bytes);
    const key = wire.tamper.kind === 'wrongKey' ? { key: 'Wrong-key-000000', iv: agent.iv } : agent;
    const fields: Record<string, unknown> = {
      dc: agent.dc,
      x: tamperedX(encrypt(plaintext, key.key, key.iv, wire.padding), wire.tamper),
    };
    const { tamper } = wire;
    if (tamper.kind === 'dc') fields.dc = wire.transport === 'json' ? tamper.value : textOf(tamper.value);
    if (tamper.kind === 'dropDc') delete fields.dc;
    if (tamper.kind === 'dropX') delete fields.x;
    if (tamper.kind === 'outerParent') {
      fields.parent = wire.transport === 'json' ? tamper.value : textOf(tamper.value);
    }
    if (tamper.kind === 'xNotString') fields.x = wire.transport === 'json' ? tamper.value : textOf(tamper.value);
    // A long x goes in a form: a URL that long is refused by the HTTP layer before any surface.
    const transport = wire.transport === 'get' && JSON.stringify(fields).length > 6000 ? 'form' : wire.transport;
    const carried =
      transport === 'json'
        ? fields
        : Object.fromEntries(
            Object.entries(fields).map(([name, value]) => [
              name,
              transport === 'get' ? encodeSegment(textOf(value as Json)) : textOf(value as Json),
            ]),
          );
    const sent = `${transport} ${tamper.kind} x=${describeValue(plaintext)}`;
    const response = await world.jdb.raw(carried, transport);
    assert.equal(response.status, 200, `JDB answers every request with HTTP 200\nrequest: ${sent}`);
    const reply = await readJson(response, sent);
    assert.match(String(reply.status), /^\d{4}$/, `status ${reply.status}\nrequest: ${sent}`);
    assert.equal(typeof reply.status, 'string', `status must be a string\nrequest: ${sent}`);
    assert.notEqual(reply.status, '9999', `internal error: ${reply.err_text}\nrequest: ${sent}`);
    if (reply.status !== '0000') {
      assert.equal(typeof reply.err_text, 'string', `err_text\nrequest: ${sent}`);
      assert.ok(reply.err_text.length > 0 && [...reply.err_text].length <= 255, `err_text\nrequest: ${sent}`);
    }
    return { refused: reply.status !== '0000', sent, answer: `${reply.status} ${reply.err_text ?? ''}` };
  },
};

// ---------------------------------------------------------------------------------------
// HTTP JSON surfaces (OkLetsPlay game API, admin API): status codes, `{"error": {code, message}}`.

function urlOf(template: HttpTemplate, request: Json): string {
  const params = member(request, 'params');
  const path = template.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeSegment(textOf(params !== null && typeof params === 'object' ? member(params, name) : params)),
  );
  const query = member(request, 'query');
  if (query === undefined || query === null || typeof query !== 'object' || Array.isArray(query)) return path;
  const pairs = Object.entries(query).map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(textOf(value))}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

async function sendHttp(
  url: string,
  method: string,
  request: Json,
  bytes: ByteMutation | undefined,
  authorization: string | undefined,
): Promise<{ response: Response; sent: string }> {
  const body = member(request, 'body');
  const payload = body === undefined ? undefined : mutateBytes(serialize(body), bytes);
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: method === 'GET' ? undefined : payload });
  const sent = `${method} ${url.slice(0, 300)} ${payload === undefined ? '' : describeValue(payload)}`;
  return { response, sent };
}

/** The game API's and the admin API's error body: `{"error": {"code", "message"}}` and nothing else. */
function assertErrorShape(status: number, reply: any, sent: string): void {
  if (status < 400) {
    assert.ok(reply !== null && typeof reply === 'object', `HTTP ${status} with a non-object\nrequest: ${sent}`);
    return;
  }
  assert.deepEqual(Object.keys(reply ?? {}), ['error'], `error body ${JSON.stringify(reply)}\nrequest: ${sent}`);
  assert.deepEqual(Object.keys(reply.error).sort(), ['code', 'message'], `error body\nrequest: ${sent}`);
  assert.equal(typeof reply.error.code, 'string', `error.code\nrequest: ${sent}`);
  assert.ok(
    typeof reply.error.message === 'string' && reply.error.message.length > 0,
    `error.message\nrequest: ${sent}`,
  );
}

type Bearer = 'valid' | 'none' | 'garbage' | 'other' | 'basic';

const bearerVariant = fc.oneof(
  { weight: 12, arbitrary: fc.constant('valid' as const) },
  { weight: 1, arbitrary: fc.constantFrom('none' as const, 'garbage' as const, 'other' as const, 'basic' as const) },
);

export const gameApiSurface: FuzzSurface<Bearer> = {
  name: 'OkLetsPlay game API',
  templates: [0, 1, 2]
    .map((i) =>
      httpTemplate(
        'POST',
        '/finish',
        (world) => {
          const teams = i === 2 ? [[ids.users[2]], [ids.users[3]]] : [[ids.users[0]], [ids.users[1]]];
          return { body: syncResult(world.seeded.matches.finish[i]!, teams, [1, 2]) as unknown as Json };
        },
        { once: true },
      ),
    )
    .concat([
      httpTemplate(
        'POST',
        '/finish',
        (world) => ({
          body: { 'match-id': world.seeded.matches.finish[2]!, error: { reason: 'server crashed' } },
        }),
        { once: true },
      ),
      httpTemplate('POST', '/token-info', (world) => ({ body: { token: world.seeded.matchToken } })),
      httpTemplate('GET', '/matches/active', (world) => ({
        query: { limit: '2', after: world.seeded.matches.finish[0]! },
      })),
    ]),
  variant: bearerVariant,
  valid: 'valid',
  state: moneyState,
  async send(world, template, request, bytes, bearer) {
    const http = template as HttpTemplate;
    const authorization = {
      valid: `Bearer ${await world.game.accessToken()}`,
      other: `Bearer ${await world.other.accessToken()}`,
      none: undefined,
      garbage: 'Bearer abc.def.ghi',
      basic: `Basic ${Buffer.from(`${pollGame.clientId}:${pollGame.clientSecret}`).toString('base64')}`,
    }[bearer];
    const url = `${world.server.url}/api/game/v1${urlOf(http, request)}`;
    const { response, sent } = await sendHttp(url, http.method, request, bytes, authorization);
    const reply = await readJson(response, `${bearer} ${sent}`);
    assertErrorShape(response.status, reply, `${bearer} ${sent}`);
    return { refused: response.status >= 400, sent, answer: `${response.status} ${describeValue(reply)}` };
  },
};

// ---------------------------------------------------------------------------------------
// OkLetsPlay realm: the token endpoint (a form) and the realm's documents.

type TokenCarrier = 'form' | 'basic' | 'json' | 'noType';

export const realmSurface: FuzzSurface<TokenCarrier> = {
  name: 'OkLetsPlay token endpoint',
  templates: [
    httpTemplate('POST', '/auth/realms/:realm/protocol/openid-connect/token', () => ({
      params: { realm: REALM },
      body: {
        grant_type: 'client_credentials',
        scope: 'olp-report-api',
        client_id: pollGame.clientId,
        client_secret: pollGame.clientSecret,
      },
    })),
    httpTemplate('GET', '/auth/realms/:realm', () => ({ params: { realm: REALM } })),
    httpTemplate('GET', '/auth/realms/:realm/.well-known/openid-configuration', () => ({ params: { realm: REALM } })),
    httpTemplate('GET', '/auth/realms/:realm/protocol/openid-connect/certs', () => ({ params: { realm: REALM } })),
  ],
  variant: fc.oneof(
    { weight: 6, arbitrary: fc.constant('form' as const) },
    { weight: 1, arbitrary: fc.constantFrom('basic' as const, 'json' as const, 'noType' as const) },
  ),
  valid: 'form',
  state: async () => null,
  async send(world, template, request, bytes, carrier) {
    const http = template as HttpTemplate;
    const url = `${world.server.url}${urlOf(http, request)}`;
    const headers: Record<string, string> = {};
    let payload: Buffer | undefined;
    const form = member(request, 'body');
    if (http.method === 'POST' && form !== undefined) {
      const fields = new URLSearchParams();
      const entries = form !== null && typeof form === 'object' && !Array.isArray(form) ? Object.entries(form) : [];
      for (const [name, value] of entries) {
        if (carrier === 'basic' && (name === 'client_id' || name === 'client_secret')) continue;
        for (const item of Array.isArray(value) ? value : [value]) fields.append(name, textOf(item));
      }
      if (carrier === 'basic') {
        const id = encodeSegment(textOf(member(form, 'client_id')));
        const secret = encodeSegment(textOf(member(form, 'client_secret')));
        headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
      }
      const text = entries.length === 0 ? textOf(form) : fields.toString();
      payload = mutateBytes(carrier === 'json' ? serialize(form) : text, bytes);
      if (carrier !== 'noType') {
        headers['content-type'] = carrier === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
      }
    }
    const response = await fetch(url, { method: http.method, headers, body: payload });
    const sent = `${carrier} ${http.method} ${url.slice(0, 300)} ${payload ? describeValue(payload) : ''}`;
    const reply = await readJson(response, sent);
    if (response.status >= 400) {
      assert.deepEqual(Object.keys(reply).sort(), ['error', 'error_description'], `OAuth error body\nrequest: ${sent}`);
      assert.ok(oauthErrorNames.includes(reply.error), `OAuth error ${reply.error}\nrequest: ${sent}`);
      assert.equal(typeof reply.error_description, 'string', `error_description\nrequest: ${sent}`);
    } else if (http.method === 'POST') {
      assert.equal(typeof reply.access_token, 'string', `access_token\nrequest: ${sent}`);
      assert.equal(reply.token_type, 'Bearer', `token_type\nrequest: ${sent}`);
    }
    return { refused: response.status >= 400, sent, answer: `${response.status} ${describeValue(reply)}` };
  },
};

// ---------------------------------------------------------------------------------------
// Admin API: `/admin/v1/*` with the admin token.

type AdminAuth = 'valid' | 'none' | 'wrong' | 'lowercase';

export const adminSurface: FuzzSurface<AdminAuth> = {
  name: 'admin API',
  templates: adminTemplates,
  variant: fc.oneof(
    { weight: 12, arbitrary: fc.constant('valid' as const) },
    { weight: 1, arbitrary: fc.constantFrom('none' as const, 'wrong' as const, 'lowercase' as const) },
  ),
  valid: 'valid',
  state: async () => null,
  async send(world, template, request, bytes, auth) {
    const http = template as HttpTemplate;
    const token = world.admin.token;
    const authorization = {
      valid: `Bearer ${token}`,
      none: undefined,
      wrong: `Bearer ${token.slice(0, -1)}x`,
      lowercase: `bearer ${token}`,
    }[auth];
    const url = `${world.server.url}/admin/v1${urlOf(http, request)}`;
    const { response, sent } = await sendHttp(url, http.method, request, bytes, authorization);
    const reply = await readJson(response, `${auth} ${sent}`);
    assertErrorShape(response.status, reply, `${auth} ${sent}`);
    await assertDocumented(world, http, response.status, reply, `${auth} ${sent}`);
    if (auth === 'valid' && onlyTheCursorChanged(request, template.request(world, 0))) {
      assertCursorRefused(response.status, reply, sent);
    }
    if (auth === 'valid' && http.method !== 'GET')
      await assertAudited(world, http.method, response.status, reply, sent);
    return { refused: response.status >= 400, sent, answer: `${response.status} ${describeValue(reply)}` };
  },
};

const documents = new WeakMap<World, any>();
const documentedAnswers = new DocumentedAnswers();

/** An answer from a route is one its operation in the OpenAPI document lists (status, schema, error code). */
async function assertDocumented(world: World, template: HttpTemplate, status: number, reply: any, sent: string) {
  if (unrouted(status, reply)) return;
  if (!documents.has(world)) documents.set(world, await world.admin.ok('GET', '/openapi.json'));
  const path = `/admin/v1${template.path.replace(/:(\w+)/g, '{$1}')}`;
  const operation = documents.get(world).paths[path]?.[template.method.toLowerCase()];
  assert.ok(operation, `${template.name} is not in the OpenAPI document`);
  const problem = documentedAnswers.undocumented(operation, status, reply);
  assert.equal(problem, undefined, `an answer the OpenAPI document does not list: ${problem}\nrequest: ${sent}`);
}

/**
 * Refused before any route was found: a URL that does not decode (bad_request), a path
 * parameter longer than the router takes (414, maxParamLength), headers too large (431), or a
 * path that names no route.
 */
function unrouted(status: number, reply: any): boolean {
  return (
    status === 414 ||
    status === 431 ||
    reply.error?.code === 'bad_request' ||
    (status === 404 && /^no admin route/.test(reply.error?.message ?? ''))
  );
}

/**
 * Every admin write that reached a route is in the audit log, accepted or refused: the newest
 * entry is this request's. (A URL that names no route, or one refused before any route was
 * found, has no route to record.)
 */
async function assertAudited(world: World, method: string, status: number, reply: any, sent: string): Promise<void> {
  // A refused sign-in (POST /session, the one public write) names no one to record.
  if (status >= 400 && /^POST \S+\/admin\/v1\/session[ ?]/.test(sent)) return;
  if (unrouted(status, reply)) return;
  const { items } = await world.admin.ok('GET', '/audit?limit=1');
  const entry = items[0];
  assert.deepEqual(
    [entry?.method, entry?.status, entry?.errorCode],
    [method, status, status >= 400 ? reply.error.code : null],
    `the write is not the newest entry of the audit log\nrequest: ${sent}`,
  );
}

/** Whether `request` is the valid one but for another (not a dropped) `cursor`. */
function onlyTheCursorChanged(request: Json, valid: Json): boolean {
  const cursorOf = (value: Json) => member(member(value, 'query') ?? null, 'cursor');
  const withoutCursor = (value: Json) => {
    const copy = structuredClone(value);
    const query = member(copy, 'query');
    if (query !== null && typeof query === 'object' && !Array.isArray(query)) delete query.cursor;
    return copy;
  };
  const [cursor, validCursor] = [cursorOf(request), cursorOf(valid)];
  return (
    cursor !== undefined &&
    validCursor !== undefined &&
    !isDeepStrictEqual(cursor, validCursor) &&
    isDeepStrictEqual(withoutCursor(request), withoutCursor(valid))
  );
}

/** A cursor Ringside did not make: 400 naming `cursor` (431 when it made the URL too long). */
function assertCursorRefused(status: number, reply: any, sent: string): void {
  if (status === 431) return;
  assert.equal(status, 400, `a mutated cursor was not refused with 400\nrequest: ${sent}`);
  assert.equal(reply.error.code, 'invalid_parameter', `a mutated cursor\nrequest: ${sent}`);
  assert.match(reply.error.message, /cursor/, `the refusal of a mutated cursor names it\nrequest: ${sent}`);
}
