/**
 * Issue 11, "Must show": a seeded fuzz test of every surface on both backends. Each run takes
 * a valid request of one surface (Tencent REST, JDB apiRequest.do, the OkLetsPlay game API and
 * token endpoint, the admin API), applies 1–3 mutations to it (fuzz/mutations.ts), sends it
 * to a real server holding seeded data, and fails on any 5xx, Tencent 100001 or JDB 9999, any
 * reply not in the surface's format, or any change to the seeded state by a refused request.
 * On the admin API also: a cursor other than the valid one must be 400 naming `cursor`, and
 * every write must be the newest entry of the audit log. Every admin route (its OpenAPI
 * document) and every Tencent command must have a template, or a reason in `notFuzzed`.
 *
 * Deterministic: fixed seeds, fixed ids, one request at a time. A failure prints the seed and
 * the path to replay it (`fc.assert` with `{ seed, path }`) and the request as sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { tencentCommands } from '../../../src/surfaces/tencent/commands/index.js';
import { backends } from '../../support/backends.js';
import { mutate, mutations } from './fuzz/mutations.js';
import {
  adminSurface,
  type FuzzSurface,
  gameApiSurface,
  jdbSurface,
  realmSurface,
  tencentSurface,
} from './fuzz/surfaces.js';
import { foreignCursors, startWorld, vocabularyOf, type World } from './fuzz/world.js';

/** To explore beyond the suite's runs: RINGSIDE_FUZZ_SEED=<n> RINGSIDE_FUZZ_SCALE=<factor>. */
const SEED = Number(process.env.RINGSIDE_FUZZ_SEED ?? 20_260_611);
const SCALE = Number(process.env.RINGSIDE_FUZZ_SCALE ?? 1);

/**
 * Runs per surface and backend: together well under a minute for both backends (measured on the
 * shared 2-core machine: 12 s for the whole file idle, 31 s with three busy loops beside it).
 */
const runs = new Map<FuzzSurface<any>, number>([
  [tencentSurface, 160 * SCALE],
  [jdbSurface, 110 * SCALE],
  [gameApiSurface, 60 * SCALE],
  [realmSurface, 50 * SCALE],
  [adminSurface, 240 * SCALE],
]);

/**
 * Admin routes (`METHOD /path/:param`, as in fuzz/adminTemplates.ts) and Tencent commands
 * (`service/command`) left out of the fuzz test, each with the reason. Every other route in the
 * admin API's OpenAPI document and every command in `tencentCommands` must have a template:
 * the test below fails naming the ones that have none.
 */
const notFuzzed = new Map<string, string>([
  [
    'GET /metrics',
    'outside the admin API, no input to mutate: test/surfaces/ops/metrics.test.ts and prometheus.test.ts',
  ],
  [
    'GET /events',
    'a server-sent event stream that never ends: test/surfaces/admin/events.test.ts and eventStream.test.ts',
  ],
]);

for (const backend of backends) {
  describe(`fuzz: mutated valid requests to every surface [${backend.name}]`, () => {
    let world: World;
    before(async () => {
      world = await startWorld(backend);
    });
    after(() => world.close());

    it('every admin API route and every Tencent command has a template (or a reason in notFuzzed)', async () => {
      const document = await world.admin.ok('GET', '/openapi.json');
      const routes = Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/^\/admin\/v1/, '').replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      );
      const commands = tencentCommands.map((command) => command.path);
      assert.ok(routes.length > 50 && commands.length > 30, `${routes.length} routes, ${commands.length} commands`);
      const templated = new Set([...adminSurface.templates, ...tencentSurface.templates].map(({ name }) => name));
      const missing = [...routes, ...commands].filter((name) => !templated.has(name) && !notFuzzed.has(name));
      assert.deepEqual(
        missing,
        [],
        `no fuzz template (fuzz/adminTemplates.ts, fuzz/surfaces.ts) for:\n${missing.join('\n')}`,
      );
      const stale = [...notFuzzed.keys()].filter((name) => !routes.includes(name) && !commands.includes(name));
      assert.deepEqual(stale, [], 'notFuzzed names routes or commands that no longer exist');
    });

    it("each valid request (unmutated) is accepted, so the refusals below are the mutations' doing", async () => {
      for (const surface of runs.keys()) {
        for (const template of surface.templates.filter((candidate) => !candidate.once)) {
          const request = mutate(template.request(world, 0), []);
          const { refused, sent, answer } = await surface.send(world, template, request, undefined, surface.valid);
          assert.equal(refused, false, `refused: ${sent}\nanswer: ${answer}`);
        }
      }
    });

    it('every admin listing refuses a cursor it did not make with 400 naming cursor (never 500)', async () => {
      const listings = adminSurface.templates.filter((template) => {
        const query = (template.request(world, 0) as { query?: { cursor?: string } }).query;
        return query?.cursor !== undefined;
      });
      assert.ok(listings.length > 15, `${listings.length} listings`);
      for (const template of listings) {
        for (const cursor of foreignCursors) {
          const valid = template.request(world, 0) as { query: Record<string, string> };
          const request = { ...valid, query: { ...valid.query, cursor } };
          // The admin surface's oracle: a request that differs from a valid one only in its cursor is 400.
          const { refused } = await adminSurface.send(world, template, request, undefined, 'valid');
          assert.equal(refused, true, `${template.name} accepted the cursor ${cursor}`);
        }
      }
    });

    for (const [surface, numRuns] of runs) {
      it(`${surface.name}: no 5xx or internal error, replies in its format, refusals change nothing`, async (t) => {
        const tally = new Map<string, { accepted: number; refused: number }>();
        const baselines = new Map<unknown, unknown>();
        const stateOf = (index: number) => surface.templates[index]!.state ?? surface.state;
        const baseline = async (index: number) => {
          const read = stateOf(index);
          if (!baselines.has(read)) baselines.set(read, await read(world));
          return baselines.get(read);
        };
        let fresh = 0;
        const property = fc.asyncProperty(
          fc.nat({ max: surface.templates.length - 1 }),
          mutations,
          surface.variant,
          async (index, { steps, bytes }, variant) => {
            const template = surface.templates[index]!;
            const before = await baseline(index);
            fresh += 1;
            const request = mutate(template.request(world, fresh), steps, vocabularyOf(world));
            const { refused, sent, answer } = await surface.send(world, template, request, bytes, variant);
            const counts = tally.get(template.name) ?? { accepted: 0, refused: 0 };
            counts[refused ? 'refused' : 'accepted'] += 1;
            tally.set(template.name, counts);
            if (refused) {
              assert.deepEqual(
                await stateOf(index)(world),
                before,
                `a refused request changed the seeded state\nrequest: ${sent}\nanswer: ${answer}`,
              );
            } else {
              // Accepted: whatever it changed is the new state the next refusals must keep.
              baselines.clear();
            }
          },
        );
        const details = await fc.check(property, { seed: SEED, numRuns, endOnFailure: true });
        if (process.env.RINGSIDE_FUZZ_TALLY) {
          for (const [name, counts] of tally)
            t.diagnostic(`${name}: ${counts.accepted} accepted, ${counts.refused} refused`);
        }
        if (details.failed) {
          const cause = details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance;
          assert.fail(
            `failed after ${details.numRuns} runs; replay with { seed: ${details.seed}, path: "${details.counterexamplePath}" }\n${cause}`,
          );
        }
      });
    }
  });
}
