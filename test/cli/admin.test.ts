import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { operatorCommands } from '../../src/cli/commands.js';
import { ADMIN_TOKEN, AdminClient } from '../support/admin.js';
import { backends } from '../support/backends.js';
import { type TencentFixture, tencentFixture } from '../support/fixture.js';
import { createMatch, pollGame, REALM, uniqueUsers } from '../support/oklp.js';
import { Receiver } from '../support/receiver.js';
import { repoRoot } from '../support/servers.js';
import { createRooms, testApp } from '../support/tencent.js';
import { waitUntil } from '../support/wait.js';

const run = promisify(execFile);
const cli = join(repoRoot, 'bin/ringside.mjs');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `ringside` command (from the sources: test/support/servers.ts sets
 * RINGSIDE_FROM_SOURCE) with only the given RINGSIDE_URL / RINGSIDE_ADMIN_TOKEN, if any.
 */
async function ringside(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['RINGSIDE_URL', 'RINGSIDE_ADMIN_TOKEN']) if (!(name in env)) delete childEnv[name];
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: repoRoot, env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/** A URL nothing listens on: a receiver's port once it has closed. */
async function deadUrl(): Promise<string> {
  const probe = await Receiver.start();
  const url = probe.url;
  await probe.close();
  return url;
}

/** The table's header line, split into its column names. */
function headerOf(table: string): string[] {
  return table
    .split('\n')[0]!
    .trim()
    .split(/\s{2,}/);
}

describe('ringside operator commands: usage and the connection', () => {
  it('`ringside help` and `--help` list every operator command, one line each', async () => {
    for (const word of ['help', '--help']) {
      const { code, stdout } = await ringside([word]);
      assert.equal(code, 0);
      for (const command of operatorCommands) {
        const lines = stdout.split('\n').filter((line) => line.startsWith(`  ringside ${command.name} `));
        assert.equal(lines.length, 1, `one line for ${command.name}:\n${stdout}`);
        assert.ok(lines[0]!.includes(command.summary));
      }
      assert.match(stdout, /RINGSIDE_URL/);
      assert.match(stdout, /RINGSIDE_ADMIN_TOKEN/);
    }
  });

  it('an unknown subcommand or a missing argument prints the usage and exits 1', async () => {
    const unknown = await ringside(['deliveries', 'frobnicate'], { RINGSIDE_ADMIN_TOKEN: 'x' });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^ringside: unknown command: deliveries frobnicate\n/);
    assert.match(unknown.stderr, /ringside deliveries replay ID/, 'the group’s commands are listed');
    assert.equal(unknown.stdout, '');

    const missing = await ringside(['deliveries', 'show'], { RINGSIDE_ADMIN_TOKEN: 'x' });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ringside deliveries show: missing ID\n/);
    assert.match(missing.stderr, /Usage: ringside deliveries show ID/);

    const flag = await ringside(['deliveries', 'list', '--colour', 'red'], { RINGSIDE_ADMIN_TOKEN: 'x' });
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /^ringside deliveries list: .*--colour/);
    assert.match(flag.stderr, /Usage: ringside deliveries list \[--status STATUS\]/);

    const reason = await ringside(['matches', 'abort', 'abc'], { RINGSIDE_ADMIN_TOKEN: 'x' });
    assert.equal(reason.code, 1);
    assert.match(reason.stderr, /--reason is required/);
  });

  it('without a token it says which flag and variable give one', async () => {
    const { code, stderr, stdout } = await ringside(['deliveries', 'list', '--url', 'http://127.0.0.1:9']);
    assert.equal(code, 1);
    assert.equal(stderr, 'ringside: no admin token: give --token or set RINGSIDE_ADMIN_TOKEN\n');
    assert.equal(stdout, '');
  });

  it('a server that is down: says which URL it could not reach, exit 1', async () => {
    const url = await deadUrl();
    const { code, stderr, stdout } = await ringside(['ledger', 'summary'], {
      RINGSIDE_URL: url,
      RINGSIDE_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `ringside: cannot reach the admin API at ${url}: connection refused (ECONNREFUSED) (--url or RINGSIDE_URL)\n`,
    );
    assert.equal(stdout, '');
    const bad = await ringside(['ledger', 'summary', '--url', 'not a url', '--token', 't']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'ringside: the server URL "not a url" is not a URL (--url or RINGSIDE_URL)\n');
  });
});

for (const backend of backends) {
  describe(`ringside operator commands against a server [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let receiver: Receiver;
    /** The server and token, as the environment gives them. */
    let env: Record<string, string>;
    const cmd = (...args: string[]) => ringside(args, env);

    before(async () => {
      receiver = await Receiver.start();
      f = await tencentFixture(backend, {
        apps: [{ ...testApp, callback: { url: `${receiver.url}/cb` } }],
        config: { admin: { tokens: [ADMIN_TOKEN] }, oklp: { realm: REALM, clients: [pollGame] } },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
      env = { RINGSIDE_URL: f.server.url, RINGSIDE_ADMIN_TOKEN: ADMIN_TOKEN };
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    /** Three rooms made, and their room.created callbacks delivered. */
    async function deliveredCallbacks(): Promise<any[]> {
      const rooms = await createRooms(f.client, 3, 'cli');
      return waitUntil(async () => {
        const { deliveries } = await admin.ok('GET', '/deliveries?status=delivered&topic=room.created&limit=500');
        const ours = deliveries.filter((d: any) => rooms.includes(d.payload.room?.roomId));
        return ours.length === rooms.length && ours;
      }, 'the room.created callbacks to be delivered');
    }

    it('deliveries list: --json is the API answer; the table shows the columns, the rows and the next cursor', async () => {
      await deliveredCallbacks();
      const query = 'status=delivered&topic=room.created&limit=2';
      const api = await admin.ok('GET', `/deliveries?${query}`);
      assert.ok(api.nextCursor, 'more than one page');
      const json = await cmd(
        'deliveries',
        'list',
        '--status',
        'delivered',
        '--topic',
        'room.created',
        '--limit',
        '2',
        '--json',
      );
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), api);

      const table = await cmd('deliveries', 'list', '--status', 'delivered', '--topic', 'room.created', '--limit', '2');
      assert.equal(table.code, 0, table.stderr);
      assert.deepEqual(headerOf(table.stdout), [
        'ID',
        'TOPIC',
        'SCOPE',
        'STATUS',
        'ATTEMPTS',
        'CREATED',
        'NEXT ATTEMPT',
        'LAST ERROR',
      ]);
      const rows = table.stdout.split('\n').slice(1, 3);
      for (const [i, delivery] of api.deliveries.entries()) {
        const cells = rows[i]!.split(/\s{2,}/);
        assert.equal(cells[0], String(delivery.id));
        assert.equal(cells[1], 'room.created');
        assert.equal(cells[2], `app ${testApp.sdkAppId}`);
        assert.equal(cells[3], 'delivered');
        assert.equal(
          cells[5],
          new Date(delivery.createdAt)
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d+Z$/, 'Z'),
        );
      }
      assert.ok(table.stdout.includes(`more: add --cursor ${api.nextCursor} `), table.stdout);

      const next = await cmd(
        'deliveries',
        'list',
        '--status',
        'delivered',
        '--limit',
        '2',
        '--topic',
        'room.created',
        '--cursor',
        api.nextCursor,
        '--json',
      );
      assert.deepEqual(JSON.parse(next.stdout), await admin.ok('GET', `/deliveries?${query}&cursor=${api.nextCursor}`));
    });

    it('deliveries show, replay and retry', async () => {
      const [delivery] = await deliveredCallbacks();
      const show = await cmd('deliveries', 'show', String(delivery.id), '--json');
      assert.equal(show.code, 0, show.stderr);
      assert.deepEqual(JSON.parse(show.stdout), await admin.ok('GET', `/deliveries/${delivery.id}`));

      const replay = await cmd('deliveries', 'replay', String(delivery.id));
      assert.equal(replay.code, 0, replay.stderr);
      assert.equal(replay.stdout, `delivery ${delivery.id}: queued to be sent again\n`);
      await receiver.waitFor((all) => all.filter((r) => r.json?.EventId === delivery.eventId).length === 2);
      const replayed = await waitUntil(async () => {
        const detail = await admin.ok('GET', `/deliveries/${delivery.id}`);
        return detail.status === 'delivered' && detail.attemptHistory.length === 2 && detail;
      }, 'the replay to be delivered');

      const table = await cmd('deliveries', 'show', String(delivery.id));
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^FIELD\s+VALUE\n/);
      assert.match(table.stdout, new RegExp(`^EVENT ID\\s+${replayed.eventId}$`, 'm'));
      assert.match(table.stdout, /^STATUS\s+delivered$/m);
      const attempts = table.stdout.slice(table.stdout.indexOf('Attempts:\n') + 'Attempts:\n'.length);
      assert.deepEqual(headerOf(attempts), ['AT', 'BY', 'OUTCOME', 'HTTP', 'MS', 'ERROR / NOTE', 'URL']);
      assert.match(attempts.split('\n')[1]!, /^\S+ \S+\s+replay\s+delivered\s+200\s/);
      assert.match(attempts.split('\n')[2]!, /^\S+ \S+\s+schedule\s+delivered\s+200\s/);
      assert.match(table.stdout, /…/, 'long values (the payload, the URL) are cut');

      // A delivered delivery cannot be retried: the API's refusal, as the API words it.
      const refusal = await admin.request('POST', `/deliveries/${delivery.id}/retry`);
      assert.equal(refusal.status, 409);
      const retry = await cmd('deliveries', 'retry', String(delivery.id));
      assert.equal(retry.code, 1);
      assert.equal(retry.stderr, `ringside: delivery_state: ${refusal.body.error.message}\n`);
      assert.equal(retry.stdout, '');

      const unknown = await cmd('deliveries', 'show', '999999999');
      const api = await admin.request('GET', '/deliveries/999999999');
      assert.equal(api.status, 404);
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, `ringside: ${api.body.error.code}: ${api.body.error.message}\n`);
    });

    it('ledger deposit, balance, transfers and summary', async () => {
      const [user] = uniqueUsers(1, 'cli user/ä');
      const key = `cli-${Date.now()}`;
      const deposit = await cmd('ledger', 'deposit', user!, '1500', 'USD', '--key', key, '--json');
      assert.equal(deposit.code, 0, deposit.stderr);
      const { transfer } = JSON.parse(deposit.stdout);
      assert.equal(transfer.kind, 'deposit');
      assert.equal(transfer.amount, 1500);
      assert.equal(transfer.idempotencyKey, key);
      const again = await cmd('ledger', 'deposit', user!, '1500', 'USD', '--key', key);
      assert.match(again.stdout, new RegExp(`^ID\\s+${transfer.id}$`, 'm'), 'the same key is the same transfer');
      await cmd('ledger', 'withdraw', user!, '200', 'USD');

      const account = await admin.ok('GET', `/ledger/accounts/${encodeURIComponent(user!)}`);
      assert.deepEqual(account.balances, [{ currency: 'USD', balance: 1300 }]);
      const balanceJson = await cmd('ledger', 'balance', user!, '--json');
      assert.deepEqual(JSON.parse(balanceJson.stdout), account);
      const balance = await cmd('ledger', 'balance', user!);
      assert.equal(balance.stdout, 'CURRENCY  BALANCE\nUSD       1300\n');

      const transfers = await cmd('ledger', 'transfers', user!, '--limit', '1');
      assert.equal(transfers.code, 0, transfers.stderr);
      const lines = transfers.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2, '--limit 1: a header and one row');
      assert.deepEqual(headerOf(transfers.stdout), [
        'ID',
        'KIND',
        'CHANGE',
        'CURRENCY',
        'BALANCE AFTER',
        'MATCH',
        'KEY',
        'CREATED',
      ]);
      assert.match(lines[1]!, /^\d+\s+withdrawal\s+-200\s+USD\s+1300\s+-\s+cli-/);

      const summary = await cmd('ledger', 'summary', '--json');
      assert.deepEqual(JSON.parse(summary.stdout), await admin.ok('GET', '/ledger/summary'));

      const refused = await cmd('ledger', 'deposit', user!, 'lots', 'USD');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^ringside: invalid_parameter: invalid body: amount /);
    });

    it('matches show and abort', async () => {
      const [alice, bob] = uniqueUsers(2, 'cli-player');
      const matchId = await createMatch(admin, {
        clientId: pollGame.clientId,
        teams: [[alice!], [bob!]],
        entryFee: 100,
      });
      const api = await admin.ok('GET', `/oklp/matches/${matchId}`);
      const json = await cmd('matches', 'show', matchId, '--json');
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), api);

      const table = await cmd('matches', 'show', matchId);
      assert.match(table.stdout, new RegExp(`^MATCH\\s+${matchId}$`, 'm'));
      assert.match(table.stdout, /^STATUS\s+live$/m);
      assert.match(table.stdout, /^ENTRY FEE\s+100 USD$/m);
      assert.match(table.stdout, new RegExp(`^team-1\\s+${alice}\\s+false\\s+0\\s+-$`, 'm'));
      assert.match(table.stdout, new RegExp(`^team-2\\s+${bob}\\s+false\\s+0\\s+-$`, 'm'));
      assert.equal(table.stdout.match(/^\d+\s+entry_fee\s/gm)?.length, 2, 'the two entry fees');

      const abort = await cmd('matches', 'abort', matchId, '--reason', 'operator test');
      assert.equal(abort.code, 0, abort.stderr);
      assert.match(abort.stdout, /^STATUS\s+aborted$/m);
      assert.match(abort.stdout, /^ABORT REASON\s+operator test$/m);
      assert.equal((await admin.ok('GET', `/oklp/matches/${matchId}`)).match.status, 'aborted');

      const again = await cmd('matches', 'abort', matchId, '--reason', 'twice');
      const refusal = await admin.request('POST', `/oklp/matches/${matchId}/abort`, { reason: 'twice' });
      assert.equal(again.code, 1);
      assert.equal(again.stderr, `ringside: ${refusal.body.error.code}: ${refusal.body.error.message}\n`);

      const unknown = await cmd('matches', 'show', 'ffffffffffffffffffffffff');
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, 'ringside: match_not_found: id "ffffffffffffffffffffffff" does not exist\n');
    });

    it('matches list and audit list: --json is the API answer, the table shows the rows', async () => {
      const [carol, dave] = uniqueUsers(2, 'cli-lister');
      const matchId = await createMatch(admin, {
        clientId: pollGame.clientId,
        teams: [[carol!], [dave!]],
        entryFee: 100,
      });
      const query = `clientId=${pollGame.clientId}&status=live&limit=1`;
      const json = await cmd(
        'matches',
        'list',
        '--clientId',
        pollGame.clientId,
        '--status',
        'live',
        '--limit',
        '1',
        '--json',
      );
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), await admin.ok('GET', `/oklp/matches?${query}`));
      const table = await cmd('matches', 'list', '--clientId', pollGame.clientId, '--status', 'live', '--limit', '1');
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^MATCH\s+CLIENT\s+MODE\s+STATUS\s/);
      assert.match(table.stdout, new RegExp(`^${matchId}\\s+${pollGame.clientId}\\s+sync\\s+live\\s`, 'm'));

      const audit = await cmd('audit', 'list', '--route', '/oklp/matches', '--limit', '1', '--json');
      assert.equal(audit.code, 0, audit.stderr);
      const api = await admin.ok('GET', '/audit?route=%2Foklp%2Fmatches&limit=1');
      assert.deepEqual(JSON.parse(audit.stdout), api);
      assert.equal(api.items[0].method, 'POST');
      const auditTable = await cmd('audit', 'list', '--route', '/oklp/matches', '--limit', '1');
      assert.match(auditTable.stdout, /^ID\s+AT\s+ACTOR\s+METHOD\s+ROUTE\s+STATUS\s+ERROR/);
      assert.match(auditTable.stdout, /\sPOST\s+\/oklp\/matches\s+201\s/);
    });

    it('jdb payouts: the listing as the API answers it; a delivery that is no payout is not found', async () => {
      const list = await cmd('jdb', 'payouts', 'list', '--json');
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(JSON.parse(list.stdout), await admin.ok('GET', '/jdb/payouts'));
      assert.equal((await cmd('jdb', 'payouts', 'list')).stdout, '(none)\n');

      const [callback] = await deliveredCallbacks();
      const show = await cmd('jdb', 'payouts', 'show', String(callback.id));
      assert.equal(show.code, 1);
      assert.equal(show.stderr, `ringside: not_found: id ${callback.id} is a delivery of room.created, not a payout\n`);
    });

    it('flags win over the environment; a wrong token is unauthorized', async () => {
      const down = await deadUrl();
      const viaFlags = await ringside(['ledger', 'summary', '--url', f.server.url, '--token', ADMIN_TOKEN, '--json'], {
        RINGSIDE_URL: down,
        RINGSIDE_ADMIN_TOKEN: 'wrong-token',
      });
      assert.equal(viaFlags.code, 0, viaFlags.stderr);
      assert.deepEqual(JSON.parse(viaFlags.stdout), await admin.ok('GET', '/ledger/summary'));

      const unauthorized = await admin.request('GET', '/ledger/summary', undefined, { token: 'wrong-token' });
      assert.equal(unauthorized.status, 401);
      const flagWrong = await cmd('ledger', 'summary', '--token', 'wrong-token');
      assert.equal(flagWrong.code, 1);
      assert.equal(flagWrong.stderr, `ringside: unauthorized: ${unauthorized.body.error.message}\n`);
      const envWrong = await ringside(['ledger', 'summary'], {
        RINGSIDE_URL: f.server.url,
        RINGSIDE_ADMIN_TOKEN: 'wrong-token',
      });
      assert.equal(envWrong.code, 1);
      assert.equal(envWrong.stderr, flagWrong.stderr);
      assert.ok(!flagWrong.stderr.includes('wrong-token'), 'the token is not echoed');
    });
  });
}
