import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, AdminClient } from '../support/admin.js';
import { backends, type TestDatabase } from '../support/backends.js';
import {
  balance,
  createMatch,
  deposit,
  GameClient,
  getJson,
  pollGame,
  REALM,
  syncResult,
  type OklpReply,
  uniqueUsers,
} from '../support/oklp.js';
import { type ChildServer, spawnServer } from '../support/servers.js';

for (const backend of backends) {
  describe(`matches across two server processes [${backend.name}]`, () => {
    let database: TestDatabase;
    let servers: ChildServer[];
    let admin: AdminClient;
    let games: GameClient[];

    before(async () => {
      database = await backend.create();
      const fileConfig = {
        storage: database.storage,
        admin: { tokens: [ADMIN_TOKEN] },
        oklp: { realm: REALM, clients: [pollGame] },
      };
      // Both start at once on an empty database: both want to make the realm key.
      servers = await Promise.all([spawnServer({ fileConfig }), spawnServer({ fileConfig })]);
      admin = new AdminClient(servers[0]!.url, ADMIN_TOKEN);
      games = servers.map((server) => new GameClient(server.url, pollGame));
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    it('shares one realm key: both publish it, and a token from one process works on the other', async () => {
      const keys = await Promise.all(
        servers.map(async (server) => (await getJson(`${server.url}/auth/realms/${REALM}`)).public_key),
      );
      assert.equal(keys[0], keys[1]);
      const fromA = await games[0]!.accessToken();
      const onB = await games[1]!.call('GET', '/matches/active', undefined, { token: fromA });
      assert.equal(onB.status, 200);
    });

    it('accepts one of two conflicting results posted to both processes at once; the money moves once', async () => {
      for (let round = 0; round < 10; round++) {
        const [a, b] = uniqueUsers(2, `race${round}`);
        const teams = [[a!], [b!]];
        const matchId = await createMatch(admin, { clientId: pollGame.clientId, teams, entryFee: 1000 });
        const replies = await Promise.all([
          games[0]!.finish(syncResult(matchId, teams, [1, 2])),
          games[1]!.finish(syncResult(matchId, teams, [2, 1])),
        ]);
        const statuses = replies.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 409], `round ${round}: ${JSON.stringify(replies.map((r) => r.body))}`);
        const winner = replies.find((r) => r.status === 200)!.body.settlement.winner_team_id;
        const loser = replies.find((r) => r.status === 409)!;
        assert.equal(loser.body.error.code, 'result_conflict');

        const balances = [await balance(admin, a!), await balance(admin, b!)];
        assert.deepEqual(balances, winner === 'team-1' ? [1800, 0] : [0, 1800], `round ${round}`);
        const { transfers } = await admin.ok('GET', `/oklp/matches/${matchId}`);
        assert.deepEqual(
          transfers.map((t: any) => t.kind).sort(),
          ['entry_fee', 'entry_fee', 'platform_fee', 'prize'],
          'one prize and one fee: settled once',
        );
      }
    });

    it('settles once when both processes receive the same result at once: both answer 200', async () => {
      for (let round = 0; round < 5; round++) {
        const teams = uniqueUsers(2, `same${round}`).map((u) => [u]);
        const matchId = await createMatch(admin, { clientId: pollGame.clientId, teams, entryFee: 100 });
        const result = syncResult(matchId, teams, [1, 2]);
        const replies = await Promise.all([games[0]!.finish(result), games[1]!.finish(result)]);
        assert.deepEqual(
          replies.map((r) => r.status),
          [200, 200],
        );
        assert.deepEqual(replies[0]!.body, replies[1]!.body);
        assert.equal(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 1);
        assert.equal(await balance(admin, teams[0]![0]!), 180);
      }
    });

    it('settles many matches at once across both processes exactly once: replays, conflicts and every balance add up', async () => {
      const entryFee = 100;
      const prize = 180;
      const fee = 20;
      const matchCount = 48;
      // Few players, each in several matches: a batch of settlements often moves one user's money twice.
      const players = uniqueUsers(16, 'many');
      const played = new Map(players.map((p) => [p, 0]));
      const specs = Array.from({ length: matchCount }, (_, i) => {
        const teams = [[players[i % 16]!], [players[(i * 5 + 1) % 16]!]];
        if (teams[0]![0] === teams[1]![0]) teams[1] = [players[(i + 8) % 16]!];
        for (const [user] of teams) played.set(user!, played.get(user!)! + 1);
        return teams;
      });
      await Promise.all(players.map((p) => deposit(admin, p, entryFee * played.get(p)!)));
      const summaryBefore = await admin.ok('GET', '/ledger/summary');
      const matchIds = await Promise.all(
        specs.map((teams) => createMatch(admin, { clientId: pollGame.clientId, teams, entryFee }, 0)),
      );

      // Per match: one report; the same report twice; two conflicting ones; or the same twice and a conflicting one.
      const reports = matchIds.flatMap((matchId, i) => {
        const win = syncResult(matchId, specs[i]!, [1, 2]);
        const lose = syncResult(matchId, specs[i]!, [2, 1]);
        const sent = [[win], [win, win], [win, lose], [lose, win, lose]][i % 4]!;
        return sent.map((body) => ({ i, body }));
      });
      // Interleaved, and alternately to each process.
      const order = reports.map((_, n) => n).sort((a, b) => ((a * 7919) % 97) - ((b * 7919) % 97) || a - b);
      const replies = new Map<number, Array<{ body: unknown; reply: OklpReply }>>();
      await Promise.all(
        order.map(async (n, k) => {
          const { i, body } = reports[n]!;
          const reply = await games[k % 2]!.finish(body);
          const list = replies.get(i) ?? [];
          list.push({ body, reply });
          replies.set(i, list);
        }),
      );

      const won = new Map(players.map((p) => [p, 0]));
      for (const [i, matchId] of matchIds.entries()) {
        const answers = replies.get(i)!;
        const why = `match ${i}: ${JSON.stringify(answers.map((a) => [a.reply.status, a.reply.body]))}`;
        const firsts = answers.filter(
          (a) => a.reply.status === 200 && a.reply.headers.get('idempotent-replayed') === null,
        );
        assert.equal(firsts.length, 1, `one report settles the match, ${why}`);
        const accepted = firsts[0]!;
        for (const { body, reply } of answers) {
          if (JSON.stringify(body) === JSON.stringify(accepted.body)) {
            assert.equal(reply.status, 200, why);
            assert.deepEqual(reply.body, accepted.reply.body, `a replay gets the first answer, ${why}`);
            if (reply !== accepted.reply) assert.equal(reply.headers.get('idempotent-replayed'), 'true', why);
          } else {
            assert.equal(reply.status, 409, why);
            assert.equal(reply.body.error.code, 'result_conflict', why);
          }
        }
        const winnerTeam = accepted.reply.body.settlement.winner_team_id as string;
        const winner = specs[i]![winnerTeam === 'team-1' ? 0 : 1]![0]!;
        won.set(winner, won.get(winner)! + 1);

        const { match, transfers } = await admin.ok('GET', `/oklp/matches/${matchId}`);
        assert.equal(match.status, 'settled', why);
        assert.deepEqual(
          transfers.map((t: any) => [t.kind, t.amount, t.to]).sort(),
          [
            ['entry_fee', entryFee, `escrow:USD:${matchId}`],
            ['entry_fee', entryFee, `escrow:USD:${matchId}`],
            ['platform_fee', fee, 'fee:USD:'],
            ['prize', prize, `user:USD:${winner}`],
          ],
          `settled once, to the accepted result's winner: ${why}`,
        );
      }

      for (const player of players) {
        const statement = await admin.ok('GET', `/ledger/accounts/${encodeURIComponent(player)}?limit=100`);
        const usd = statement.balances.find((b: any) => b.currency === 'USD').balance;
        assert.equal(usd, prize * won.get(player)!, `${player}: deposits − entry fees + prizes`);
        // Oldest first, each transfer's balanceAfter is the sum of the changes up to it.
        let running = 0;
        for (const transfer of [...statement.transfers].reverse()) {
          running += transfer.change;
          assert.equal(transfer.balanceAfter, running, `${player}: balance after transfer ${transfer.id}`);
        }
        assert.equal(running, usd);
      }
      const summary = await admin.ok('GET', '/ledger/summary');
      const of = (s: any) => s.currencies.find((c: any) => c.currency === 'USD');
      assert.equal(of(summary).fees - of(summaryBefore).fees, fee * matchCount, 'one fee per match');
      assert.equal(of(summary).escrow, of(summaryBefore).escrow, 'every escrow paid out');
      assert.equal(
        of(summary).users - of(summaryBefore).users,
        -fee * matchCount,
        'the users paid the fees and nothing else',
      );
      assert.equal(summary.negativeAccounts, 0);
    });
  });
}
