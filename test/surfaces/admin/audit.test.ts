import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../../src/store/database.js';
import { ADMIN_TOKEN, AdminClient } from '../../support/admin.js';
import { backends, storageOf } from '../../support/backends.js';
import { eventParams, gameA, type JdbFixture, jdbAgent, jdbFixture, uniqueId } from '../../support/jdb.js';
import { balance, deposit, type OklpFixture, oklpFixture, pollGame, uniqueUsers } from '../../support/oklp.js';
import { waitUntil } from '../../support/wait.js';

const OPS_TOKEN = 'ops-named-admin-token-abcdefghijklmnop';
const tokens = [{ name: 'ops', token: OPS_TOKEN }, ADMIN_TOKEN];
/** What the audit log calls the plain ADMIN_TOKEN, worked out here independently of the server. */
const PLAIN_ACTOR = `token:${createHash('sha256').update(ADMIN_TOKEN).digest('hex').slice(0, 8)}`;

/** Every entry of the audit log answering `query`, walking the pages. */
async function allEntries(admin: AdminClient, query = ''): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const separator = query ? '&' : '';
    const page: any = await admin.ok('GET', `/audit?${query}${separator}limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

/** The newest entry of the audit log. */
async function latest(admin: AdminClient): Promise<any> {
  const { items } = await admin.ok('GET', '/audit?limit=1');
  return items[0];
}

/** Neither admin token appears anywhere in the audit log: its answers and its table's rows. */
async function assertNoTokenIn(admin: AdminClient, database: Database): Promise<void> {
  const answers = JSON.stringify(await allEntries(admin));
  const rows = JSON.stringify(await database.db.selectFrom('admin_audit').selectAll().execute());
  for (const token of [OPS_TOKEN, ADMIN_TOKEN]) {
    assert.ok(!answers.includes(token), 'no admin token in an audit answer');
    assert.ok(!rows.includes(token), 'no admin token in the audit table');
  }
}

for (const backend of backends) {
  describe(`admin audit log: JDB players and spins, deliveries, filters, pages [${backend.name}]`, () => {
    let f: JdbFixture;
    let ops: AdminClient;
    let database: Database;
    before(async () => {
      f = await jdbFixture(backend, { adminTokens: tokens, agents: [{ ...jdbAgent, spinRecords: true }] });
      ops = new AdminClient(f.server.url, OPS_TOKEN);
      database = await openDatabase(storageOf(f.database), () => {});
    });
    after(async () => {
      await database.close();
      await f.close();
    });

    it('records player creation and spin reports with the named or fingerprinted actor, and refusals with their code', async () => {
      const uid = uniqueId('p');
      await ops.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [uid] });
      const created = await latest(ops);
      assert.deepEqual(
        { ...created, id: 0, at: 0 },
        {
          id: 0,
          at: 0,
          actor: 'ops',
          method: 'POST',
          route: '/jdb/players',
          target: {},
          body: JSON.stringify({ parent: jdbAgent.parent, uids: [uid] }),
          bodyTruncated: false,
          outcome: 'ok',
          status: 200,
          errorCode: null,
        },
      );
      assert.ok(Math.abs(created.at - f.clock.now()) < 60_000, 'at is the server clock time');

      const unknownAgent = await ops.request('POST', '/jdb/players', { parent: 'nobody', uids: [uid] });
      assert.equal(unknownAgent.status, 404);
      const refused = await latest(ops);
      assert.deepEqual(
        [refused.actor, refused.route, refused.outcome, refused.status, refused.errorCode],
        ['ops', '/jdb/players', 'error', 404, unknownAgent.body.error.code],
      );
      const invalid = await ops.request('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [] });
      assert.equal(invalid.status, 400);
      assert.deepEqual(
        [(await latest(ops)).status, (await latest(ops)).errorCode],
        [400, 'invalid_parameter'],
        'a write refused by validation is recorded too',
      );
      const notJson = await ops.request('POST', '/jdb/players', undefined, { rawBody: '{"parent": ' });
      assert.equal(notJson.status, 400);
      const broken = await latest(ops);
      assert.deepEqual([broken.errorCode, broken.body], ['invalid_json', '{"parent": ']);

      const { eventId } = await f.jdb.ok(72, eventParams(f.clock.now(), { players: [uid] }));
      const spin = await f.spin({ uid, eventId, mType: gameA.mType, win: '1' });
      assert.equal(spin.status, 200, JSON.stringify(spin.body));
      const spun = await latest(ops);
      assert.deepEqual(
        [spun.actor, spun.method, spun.route, spun.outcome, spun.status],
        [PLAIN_ACTOR, 'POST', '/jdb/spins', 'ok', 200],
      );
      assert.deepEqual(JSON.parse(spun.body), { parent: jdbAgent.parent, uid, eventId, mType: gameA.mType, win: '1' });
    });

    it('records delivery retries and replays with the delivery as target', async () => {
      const uid = uniqueId('p');
      await f.createPlayers([uid]);
      const { eventId } = await f.jdb.ok(72, eventParams(f.clock.now(), { players: [uid] }));
      assert.equal((await f.spin({ uid, eventId, mType: gameA.mType, win: '0' })).status, 200);
      const delivery = await waitUntil(async () => {
        const { deliveries } = await ops.ok('GET', '/deliveries?topic=freespin.spin&status=delivered&limit=1');
        return deliveries[0];
      }, 'the spin record to be delivered');

      assert.equal((await ops.request('POST', `/deliveries/${delivery.id}/replay`)).status, 202);
      const replayed = await latest(ops);
      assert.deepEqual(
        [replayed.actor, replayed.route, replayed.target, replayed.outcome, replayed.status, replayed.body],
        ['ops', '/deliveries/:id/replay', { id: String(delivery.id) }, 'ok', 202, null],
      );
      await waitUntil(async () => (await ops.ok('GET', `/deliveries/${delivery.id}`)).status === 'delivered', 'replay');
      const retry = await f.admin.request('POST', `/deliveries/${delivery.id}/retry`);
      assert.equal(retry.status, 409);
      const refused = await latest(ops);
      assert.deepEqual(
        [refused.actor, refused.route, refused.target, refused.outcome, refused.status, refused.errorCode],
        [PLAIN_ACTOR, '/deliveries/:id/retry', { id: String(delivery.id) }, 'error', 409, retry.body.error.code],
      );
      const missing = await f.admin.request('POST', '/deliveries/999999999/retry');
      assert.equal(missing.status, 404);
      assert.deepEqual((await latest(ops)).target, { id: '999999999' });
    });

    it('records no GET request and no request without a known token', async () => {
      const before = await allEntries(ops);
      await ops.ok('GET', '/deliveries');
      await ops.ok('GET', '/jdb/payouts');
      await ops.ok('GET', '/audit');
      const anonymous = await ops.request(
        'POST',
        '/jdb/players',
        { parent: jdbAgent.parent, uids: ['x'] },
        { token: null },
      );
      assert.equal(anonymous.status, 401);
      const unknown = await ops.request(
        'POST',
        '/jdb/players',
        { parent: jdbAgent.parent, uids: ['x'] },
        {
          token: 'not-a-known-admin-token-000000',
        },
      );
      assert.equal(unknown.status, 401);
      assert.deepEqual(await allEntries(ops), before);
      assert.ok(before.every((entry) => entry.method !== 'GET'));
    });

    it('keeps at most 2 KiB of a body, and says so', async () => {
      const uids = Array.from({ length: 300 }, (_, i) => uniqueId(`bulk${i}`));
      await ops.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids });
      const bulk = await latest(ops);
      assert.equal(bulk.bodyTruncated, true);
      assert.equal(bulk.body.length, 2048);
      assert.ok(JSON.stringify({ parent: jdbAgent.parent, uids }).startsWith(bulk.body));
    });

    it('records a body nested too deeply to write out, cut where it nests, and answers the write as it is', async () => {
      // Found by the fuzz test: writing the entry's body out exhausted the stack, and the write was answered 500.
      const depth = 20_000;
      const deep = `{"parent":"${jdbAgent.parent}","uids":["u1"],"extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      const answer = await ops.request('POST', '/jdb/players', undefined, { rawBody: deep });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const entry = await latest(ops);
      assert.deepEqual([entry.route, entry.status, entry.bodyTruncated], ['/jdb/players', 200, true]);
      assert.ok(entry.body.startsWith(`{"parent":"${jdbAgent.parent}","uids":["u1"],"extra":{"a":{"a":`), entry.body);
      assert.match(entry.body, /\{"a":"…"\}+$/);
    });

    it('records a body that is not JSON as its text, a zero byte in it as U+FFFD', async () => {
      // Found by the fuzz test: PostgreSQL refused the entry (no U+0000 in text), so the refusal went unrecorded.
      const refused = await ops.request('POST', '/jdb/players', undefined, { rawBody: '{"parent":"a\u0000b' });
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'invalid_json']);
      const entry = await latest(ops);
      assert.deepEqual(
        [entry.route, entry.status, entry.errorCode, entry.body],
        ['/jdb/players', 400, 'invalid_json', '{"parent":"a\uFFFDb'],
      );
    });

    it('filters by actor, route, outcome and time, and pages without skipping or repeating while rows arrive', async () => {
      const start = f.clock.now();
      f.clock.offsetMs += 10_000_000;
      const uids = [uniqueId('f'), uniqueId('f'), uniqueId('f')];
      for (const uid of uids) await ops.ok('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [uid] });
      await f.admin.request('POST', '/jdb/players', { parent: 'nobody', uids: ['x'] });
      const since = start + 10_000_000;

      const recent = await allEntries(ops, `from=${since}`);
      assert.deepEqual(
        recent.map((e) => [e.actor, e.outcome, JSON.parse(e.body).uids[0]]),
        [[PLAIN_ACTOR, 'error', 'x'], ...uids.reverse().map((uid) => ['ops', 'ok', uid])],
        'newest first',
      );
      assert.equal((await allEntries(ops, `from=${since}&actor=ops`)).length, 3);
      assert.equal((await allEntries(ops, `from=${since}&actor=${encodeURIComponent(PLAIN_ACTOR)}`)).length, 1);
      assert.equal((await allEntries(ops, `from=${since}&outcome=error`)).length, 1);
      assert.equal((await allEntries(ops, `from=${since}&outcome=ok`)).length, 3);
      assert.deepEqual(await allEntries(ops, `to=${since}&from=${since - 1}`), []);
      const spins = await allEntries(ops, `route=${encodeURIComponent('/jdb/spins')}`);
      assert.ok(spins.length >= 1 && spins.every((e) => e.route === '/jdb/spins'));
      const older = await allEntries(ops, `to=${since}`);
      assert.ok(older.length > 0 && older.every((e) => e.at < since));

      // Walk the log two at a time while writes keep arriving: every older entry exactly once.
      const everything = await allEntries(ops);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ops.ok('GET', `/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((e: any) => e.id));
        cursor = page.nextCursor;
        await ops.request('POST', '/jdb/players', { parent: jdbAgent.parent, uids: [uniqueId('during')] });
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'no entry twice');
      assert.deepEqual(
        seen,
        everything.map((e) => e.id),
        'the entries there at the start, in order',
      );

      for (const bad of ['outcome=maybe', 'from=yesterday', 'cursor=abc', 'route=jdb', 'limit=0']) {
        const reply = await ops.request('GET', `/audit?${bad}`);
        assert.equal(reply.status, 400, bad);
        assert.equal(reply.body.error.code, 'invalid_parameter');
      }
    });

    it('never keeps or shows an admin token', async () => {
      await assertNoTokenIn(ops, database);
    });

    it('describes the audit route in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${f.server.url}/admin/v1/openapi.json`)).json()) as any;
      const parameters = doc.paths['/admin/v1/audit'].get.parameters.map((p: any) => p.name);
      for (const name of ['actor', 'route', 'outcome', 'from', 'to', 'limit', 'cursor'])
        assert.ok(parameters.includes(name));
    });
  });

  describe(`admin audit log: ledger and matches [${backend.name}]`, () => {
    let f: OklpFixture;
    let ops: AdminClient;
    let database: Database;
    before(async () => {
      f = await oklpFixture(backend, { adminTokens: tokens });
      ops = new AdminClient(f.server.url, OPS_TOKEN);
      database = await openDatabase(storageOf(f.database), () => {});
    });
    after(async () => {
      await database.close();
      await f.close();
    });

    it('records deposits and withdrawals, a refused withdrawal with its code', async () => {
      const [user] = uniqueUsers(1);
      const body = { userId: user, amount: 500, currency: 'USD', idempotencyKey: `d-${user}` };
      await ops.ok('POST', '/ledger/deposits', body);
      const deposited = await latest(ops);
      assert.deepEqual(
        [deposited.actor, deposited.route, deposited.outcome, deposited.status, JSON.parse(deposited.body)],
        ['ops', '/ledger/deposits', 'ok', 200, body],
      );
      await f.admin.ok('POST', '/ledger/withdrawals', { ...body, amount: 100, idempotencyKey: `w-${user}` });
      const withdrawn = await latest(ops);
      assert.deepEqual(
        [withdrawn.actor, withdrawn.route, withdrawn.outcome],
        [PLAIN_ACTOR, '/ledger/withdrawals', 'ok'],
      );
      const short = await ops.request('POST', '/ledger/withdrawals', {
        ...body,
        amount: 1000,
        idempotencyKey: `x-${user}`,
      });
      assert.equal(short.status, 409);
      const refused = await latest(ops);
      assert.deepEqual(
        [refused.route, refused.outcome, refused.status, refused.errorCode],
        ['/ledger/withdrawals', 'error', 409, 'insufficient_funds'],
      );
    });

    it('answers a write as it was when its audit entry cannot be recorded', async () => {
      const [user] = uniqueUsers(1);
      const body = { userId: user, amount: 300, currency: 'USD', idempotencyKey: `d-${user}` };
      await sql`alter table admin_audit rename to admin_audit_away`.execute(database.db);
      try {
        const done = await ops.request('POST', '/ledger/deposits', body);
        assert.equal(done.status, 200, 'a write that succeeded still succeeds');
        assert.equal(done.body.transfer.balanceAfter, 300);
        const short = await ops.request('POST', '/ledger/withdrawals', {
          ...body,
          amount: 301,
          idempotencyKey: `w-${user}`,
        });
        assert.deepEqual(
          [short.status, short.body.error.code],
          [409, 'insufficient_funds'],
          'a refused one stays refused',
        );
      } finally {
        await sql`alter table admin_audit_away rename to admin_audit`.execute(database.db);
      }
      assert.equal(await balance(f.admin, user!), 300);
      const missed = await allEntries(ops, 'actor=ops&route=%2Fledger%2Fdeposits');
      assert.ok(!missed.some((e) => JSON.parse(e.body).userId === user), 'nothing recorded while the table was away');
      await ops.ok('POST', '/ledger/deposits', { ...body, idempotencyKey: `again-${user}` });
      assert.equal(JSON.parse((await latest(ops)).body).userId, user, 'recorded again once it is back');
    });

    it('records match creation, forfeit and abort with the match as target', async () => {
      const users = uniqueUsers(4);
      for (const user of users) await deposit(f.admin, user, 100);
      const newMatch = (teams: string[][]) => ({
        clientId: pollGame.clientId,
        mode: 'sync',
        entryFee: 100,
        currency: 'USD',
        teams: teams.map((ids, i) => ({ id: `team-${i + 1}`, participants: ids.map((id) => ({ id })) })),
      });
      const { match: first } = await ops.ok('POST', '/oklp/matches', newMatch([[users[0]!], [users[1]!]]));
      const created = await latest(ops);
      assert.deepEqual(
        [created.actor, created.route, created.target, created.outcome, created.status],
        ['ops', '/oklp/matches', {}, 'ok', 201],
      );
      assert.equal(
        (await ops.request('POST', `/oklp/matches/${first.matchId}/forfeit`, { teamId: 'team-1' })).status,
        200,
      );
      const forfeited = await latest(ops);
      assert.deepEqual(
        [forfeited.route, forfeited.target, forfeited.outcome, JSON.parse(forfeited.body)],
        ['/oklp/matches/:id/forfeit', { id: first.matchId }, 'ok', { teamId: 'team-1' }],
      );

      const { match: second } = await f.admin.ok('POST', '/oklp/matches', newMatch([[users[2]!], [users[3]!]]));
      await f.admin.ok('POST', `/oklp/matches/${second.matchId}/abort`, { reason: 'fraud review' });
      const aborted = await latest(ops);
      assert.deepEqual(
        [aborted.actor, aborted.route, aborted.target, aborted.outcome],
        [PLAIN_ACTOR, '/oklp/matches/:id/abort', { id: second.matchId }, 'ok'],
      );
      const again = await ops.request('POST', `/oklp/matches/${second.matchId}/abort`, { reason: 'again' });
      assert.equal(again.status, 409);
      const refused = await latest(ops);
      assert.deepEqual(
        [refused.route, refused.target, refused.status, refused.errorCode],
        ['/oklp/matches/:id/abort', { id: second.matchId }, 409, again.body.error.code],
      );

      const route = encodeURIComponent('/oklp/matches/:id/abort');
      assert.deepEqual(
        (await allEntries(ops, `route=${route}`)).map((e) => [e.outcome, e.target.id]),
        [
          ['error', second.matchId],
          ['ok', second.matchId],
        ],
      );
    });

    it('records a match token issue without keeping anything of the answer, and never an admin token', async () => {
      const users = uniqueUsers(2);
      for (const user of users) await deposit(f.admin, user, 100);
      const { match } = await ops.ok('POST', '/oklp/matches', {
        clientId: pollGame.clientId,
        mode: 'sync',
        entryFee: 100,
        currency: 'USD',
        teams: users.map((id, i) => ({ id: `team-${i + 1}`, participants: [{ id }] })),
      });
      const issued = await ops.ok('POST', `/oklp/matches/${match.matchId}/tokens`, { userId: users[0] });
      const entry = await latest(ops);
      assert.deepEqual(
        [entry.route, entry.status, JSON.parse(entry.body)],
        ['/oklp/matches/:id/tokens', 201, { userId: users[0] }],
      );
      assert.ok(!JSON.stringify(await allEntries(ops)).includes(issued.token), 'the match token is not in the log');
      await assertNoTokenIn(ops, database);
    });
  });
}
