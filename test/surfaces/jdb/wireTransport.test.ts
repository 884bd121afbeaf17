import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import type { JdbAgent } from '../../../src/config/schema.js';
import { JdbRefusal } from '../../../src/surfaces/jdb/errorCodes.js';
import { JdbAgents, openRequest, transportFields } from '../../../src/surfaces/jdb/transport.js';

/**
 * How `/apiRequest.do` finds its fields and opens `x`, without HTTP: which status each broken
 * request gets, checked in the documented order. The AES here is the test's own (node:crypto).
 */

const agent = (dc: string, parent: string, key: string, iv: string): JdbAgent => ({
  dc,
  parent,
  key,
  iv,
  currency: 'USD',
  walletUrl: 'http://127.0.0.1:9/unset',
  rateLimitPerSecond: 0,
  spinRecords: false,
});
const main = agent('jb1', 'testag', 'Main-agent-key01', 'Main-agent-iv-01');
const sub = agent('jb1', 'subag', 'Sub-agent-key-01', 'Sub-agent-iv--01');
const other = agent('jb2', 'otherag', 'Other-agent-key1', 'Other-agent-iv-1');
const agents = new JdbAgents([main, sub, other]);

const NOW = 1_700_000_000_000;

/** Space-padded AES-128-CBC in URL-safe base64 without `=`, as JDB documents. */
function encryptX(plaintext: string, key: string, iv: string): string {
  const aes = createCipheriv('aes-128-cbc', Buffer.from(key, 'latin1'), Buffer.from(iv, 'latin1'));
  aes.setAutoPadding(false);
  const data = Buffer.from(plaintext, 'utf8');
  const padded = Buffer.alloc(Math.max(1, Math.ceil(data.length / 16)) * 16, ' ');
  data.copy(padded);
  return Buffer.concat([aes.update(padded), aes.final()]).toString('base64url');
}

/** `x` of `params` (action 49, ts now and the main parent unless overridden) under `whose` key. */
function xOf(params: Record<string, unknown> = {}, whose: JdbAgent = main): string {
  return encryptX(JSON.stringify({ action: 49, ts: NOW, parent: whose.parent, ...params }), whose.key, whose.iv);
}

/** The refusal `open` throws: its status, and its text matched against `text`. */
function refusal(open: () => unknown, status: string, text?: RegExp): void {
  assert.throws(open, (error: unknown) => {
    assert.ok(error instanceof JdbRefusal, `a JdbRefusal, not ${String(error)}`);
    assert.equal(error.status, status, error.text);
    if (text) assert.match(error.text, text);
    return true;
  });
}

describe('JDB transport fields', () => {
  const query = { dc: 'jb1', x: 'from-query', parent: 'qparent' };

  it('takes a GET request’s fields from the query, whatever the body', () => {
    assert.equal(transportFields('GET', query, 'dc=other&x=body'), query);
  });

  it('takes a POST body’s fields, form or JSON, each falling back to the query', () => {
    assert.deepEqual(transportFields('POST', query, 'dc=jb2&x=abc-_'), { dc: 'jb2', x: 'abc-_', parent: 'qparent' });
    assert.deepEqual(transportFields('POST', query, '{"x":"abc","parent":"p"}'), {
      dc: 'jb1',
      x: 'abc',
      parent: 'p',
    });
    assert.deepEqual(transportFields('POST', query, '  \n{"dc":"jb2","x":null}  '), {
      dc: 'jb2',
      x: 'from-query',
      parent: 'qparent',
    });
    assert.deepEqual(transportFields('POST', {}, 'x=a%2Bb%3D%3D&dc=jb1'), { dc: 'jb1', x: 'a+b==', parent: undefined });
  });

  it('keeps a JSON body’s non-string values for openRequest to refuse', () => {
    assert.deepEqual(transportFields('POST', {}, '{"dc":"jb1","x":123}'), { dc: 'jb1', x: 123, parent: undefined });
  });

  it('takes the query when a POST has no body', () => {
    assert.equal(transportFields('POST', query, ''), query);
    assert.equal(transportFields('POST', query, '   '), query);
    assert.equal(transportFields('POST', query, undefined), query);
    assert.equal(transportFields('POST', query, { dc: 'parsed-elsewhere' }), query);
  });

  it('refuses a body that starts as JSON and is not, with 9006', () => {
    refusal(() => transportFields('POST', query, '{"dc":'), '9006', /not valid JSON/);
    refusal(() => transportFields('POST', query, '{"dc":"jb1"} and more'), '9006');
  });
});

describe('JDB openRequest', () => {
  it('opens a request: the agent, the action and every parameter', () => {
    const opened = openRequest({ dc: 'jb1', x: xOf({ lang: 'en', eventId: 7 }) }, agents, NOW);
    assert.equal(opened.agent, main);
    assert.equal(opened.action, 49);
    assert.deepEqual(opened.params, { action: 49, ts: NOW, parent: 'testag', lang: 'en', eventId: 7 });
  });

  it('chooses a dc’s account by the outer parent, the first one without it', () => {
    assert.equal(openRequest({ dc: 'jb1', x: xOf({}, sub), parent: 'subag' }, agents, NOW).agent, sub);
    assert.equal(openRequest({ dc: 'jb1', x: xOf(), parent: '' }, agents, NOW).agent, main, 'empty is absent');
    assert.equal(openRequest({ dc: 'jb2', x: xOf({}, other) }, agents, NOW).agent, other);
    refusal(
      () => openRequest({ dc: 'jb1', x: xOf({}, sub) }, agents, NOW),
      '9006',
      /does not decrypt with this dc's key/,
    );
    refusal(() => openRequest({ dc: 'jb1', x: xOf({}, other), parent: 'otherag' }, agents, NOW), '9003');
  });

  it('checks dc first: 9002 when missing or shorter than 2, 9003 when unknown', () => {
    for (const dc of [undefined, '', 'j', 12, ['jb1']]) refusal(() => openRequest({ dc, x: '' }, agents, NOW), '9002');
    refusal(() => openRequest({ dc: 'jb9', x: xOf() }, agents, NOW), '9003', /unknown dc jb9/);
    refusal(() => openRequest({ dc: 'jb1', x: xOf(), parent: 7 }, agents, NOW), '9003', /parent must be a string/);
    refusal(() => openRequest({ dc: 'jb1', x: xOf(), parent: 'nobody' }, agents, NOW), '9003');
  });

  it('then x: 9004 when empty, 9006 when it does not open to a JSON object', () => {
    refusal(() => openRequest({ dc: 'jb1' }, agents, NOW), '9004');
    refusal(() => openRequest({ dc: 'jb1', x: '' }, agents, NOW), '9004');
    const unreadable = [
      123,
      ['abc'],
      'not base64!',
      'AAAA',
      encryptX('[1,2,3]', main.key, main.iv),
      encryptX('"a string"', main.key, main.iv),
      encryptX('null', main.key, main.iv),
      encryptX('42', main.key, main.iv),
      encryptX('{"action":49', main.key, main.iv),
    ];
    for (const x of unreadable) refusal(() => openRequest({ dc: 'jb1', x }, agents, NOW), '9006');
  });

  it('then ts: required, an integer, within 30 seconds either way (9005)', () => {
    const open = (ts: unknown) => openRequest({ dc: 'jb1', x: xOf({ ts }) }, agents, NOW);
    refusal(
      () => openRequest({ dc: 'jb1', x: encryptX('{"action":49}', main.key, main.iv) }, agents, NOW),
      '8000',
      /ts is required/,
    );
    for (const ts of [String(NOW), NOW + 0.5, null, true]) refusal(() => open(ts), '8000', /ts must be an integer/);
    assert.equal(open(NOW - 30_000).action, 49, '30 s old is still in time');
    assert.equal(open(NOW + 30_000).action, 49, '30 s ahead is still in time');
    refusal(() => open(NOW - 30_001), '9005');
    refusal(() => open(NOW + 30_001), '9005');
    refusal(() => open(0), '9005');
  });

  it('then action: required, an integer', () => {
    const open = (params: Record<string, unknown>) =>
      openRequest(
        { dc: 'jb1', x: encryptX(JSON.stringify({ ts: NOW, parent: 'testag', ...params }), main.key, main.iv) },
        agents,
        NOW,
      );
    refusal(() => open({}), '8000', /action is required/);
    for (const action of ['49', 4.9, null]) refusal(() => open({ action }), '8000', /action must be an integer/);
  });

  it('then the inner parent: required (8000), the agent’s own (7001)', () => {
    const open = (params: Record<string, unknown>) =>
      openRequest(
        { dc: 'jb1', x: encryptX(JSON.stringify({ action: 49, ts: NOW, ...params }), main.key, main.iv) },
        agents,
        NOW,
      );
    refusal(() => open({}), '8000', /parent is required/);
    refusal(() => open({ parent: 'subag' }), '7001', /subag is not the agent of this dc/);
    refusal(() => open({ parent: null }), '8000', /parent must be a string/);
    refusal(() => open({ parent: { toString: 'x' } }), '8000', /parent must be a string/);
  });

  it('reports the first problem when a request has several', () => {
    const stale = encryptX(JSON.stringify({ ts: NOW - 60_000, parent: 'nobody' }), main.key, main.iv);
    refusal(() => openRequest({ dc: 'jb1', x: stale }, agents, NOW), '9005', undefined);
    const noAction = encryptX(JSON.stringify({ ts: NOW, parent: 'nobody' }), main.key, main.iv);
    refusal(() => openRequest({ dc: 'jb1', x: noAction }, agents, NOW), '8000', /action is required/);
    refusal(() => openRequest({ dc: 'j', x: 'garbage' }, agents, NOW), '9002');
  });
});
