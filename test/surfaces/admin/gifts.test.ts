import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_TOKEN,
  AdminClient,
  allPages,
  assertNewestFirst,
  assertNoSecrets,
  assertWalk,
  walkWhileInserting,
} from '../../support/admin.js';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { srv, TencentClient, testApp } from '../../support/tencent.js';

/** Three gifts at most; `bigApp` holds many, `offApp` has gifting switched off. */
const smallApp = {
  ...testApp,
  sdkAppId: 1400000801,
  secretKey: 'ringside-test-secret-gifts-1',
  limits: { gifts: 3, rateLimits: false },
};
const bigApp = {
  ...testApp,
  sdkAppId: 1400000802,
  secretKey: 'ringside-test-secret-gifts-2',
  limits: { gifts: 1000, rateLimits: false },
};
const offApp = {
  ...testApp,
  sdkAppId: 1400000803,
  secretKey: 'ringside-test-secret-gifts-3',
  gifting: { enabled: false },
};
const secrets = [smallApp.secretKey, bigApp.secretKey, offApp.secretKey, ADMIN_TOKEN];
/** The Tencent surface's codes for gift_not_found and gift_limit_reached. */
const GIFT_NOT_FOUND = 102002;
const GIFT_LIMIT_REACHED = 102006;
const byGift = (g: any) => g.giftId;
const created = (x: any) => x.createdAt;

for (const backend of backends) {
  describe(`admin API: gift catalog [${backend.name}]`, () => {
    let f: TencentFixture;
    let admin: AdminClient;
    let small: TencentClient;
    before(async () => {
      f = await tencentFixture(backend, {
        apps: [smallApp, bigApp, offApp],
        config: { admin: { tokens: [ADMIN_TOKEN] } },
      });
      admin = new AdminClient(f.server.url, ADMIN_TOKEN);
      small = f.client;
    });
    after(() => f.close());

    const gifts = (app: { sdkAppId: number }, rest = '') => `/tencent/apps/${app.sdkAppId}/gifts${rest}`;
    const categories = (app: { sdkAppId: number }, rest = '') => `/tencent/apps/${app.sdkAppId}/gift-categories${rest}`;

    it('creates, shows, edits and deletes a gift through the same service as the Tencent commands', async () => {
      const made = await admin.request('POST', gifts(smallApp), {
        giftId: 'rose',
        coins: 5,
        defaultName: 'Rose',
        extensionInfo: '{"tier":1}',
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(
        { ...made.body.gift, createdAt: 0, updatedAt: 0 },
        {
          giftId: 'rose',
          coins: 5,
          level: 0,
          iconUrl: '',
          resourceUrl: '',
          extensionInfo: '{"tier":1}',
          defaultName: 'Rose',
          defaultDesc: '',
          languages: [],
          categoryIds: [],
          createdAt: 0,
          updatedAt: 0,
        },
      );
      const seen = await small.ok(srv('get_gift'), { GiftId: 'rose' });
      assert.equal(seen.GiftInfo.Coins, 5, 'the Tencent surface sees the admin’s gift');

      const edited = await admin.ok('PATCH', gifts(smallApp, '/rose'), { coins: 7, level: 2 });
      assert.deepEqual([edited.gift.coins, edited.gift.level, edited.gift.defaultName], [7, 2, 'Rose']);
      await small.ok(srv('edit_gift'), { GiftId: 'rose', DefaultName: 'Red rose' });
      const shown = await admin.ok('GET', gifts(smallApp, '/rose'));
      assert.deepEqual([shown.gift.coins, shown.gift.defaultName], [7, 'Red rose']);

      assert.deepEqual(await admin.ok('DELETE', gifts(smallApp, '/rose')), { deleted: 'rose' });
      const gone = await admin.request('GET', gifts(smallApp, '/rose'));
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'gift_not_found');
      assert.equal((await small.call(srv('get_gift'), { GiftId: 'rose' })).ErrorCode, GIFT_NOT_FOUND);
      assertNoSecrets([made.body, edited, shown], secrets);
    });

    it("keeps the app's gift limit across both surfaces, and answers with the same errors", async () => {
      await admin.ok('POST', gifts(smallApp), { giftId: 'g1', coins: 1, defaultName: 'One' });
      await small.ok(srv('add_gift'), { GiftId: 'g2', Coins: 1, DefaultName: 'Two' });
      await admin.ok('POST', gifts(smallApp), { giftId: 'g3', coins: 1, defaultName: 'Three' });
      const full = await admin.request('POST', gifts(smallApp), { giftId: 'g4', coins: 1, defaultName: 'Four' });
      assert.equal(full.status, 409);
      assert.equal(full.body.error.code, 'gift_limit_reached');
      assert.match(full.body.error.message, /at most 3 gifts/);
      assert.equal(
        (await small.call(srv('add_gift'), { GiftId: 'g4', Coins: 1, DefaultName: 'Four' })).ErrorCode,
        GIFT_LIMIT_REACHED,
      );

      const cases: Array<[string, string, unknown, number, string, RegExp]> = [
        ['POST', gifts(bigApp), { giftId: 'dup', coins: 1, defaultName: 'x' }, 201, '', /./],
        [
          'POST',
          gifts(bigApp),
          { giftId: 'dup', coins: 1, defaultName: 'x' },
          409,
          'gift_exists',
          /gift dup already exists/,
        ],
        [
          'POST',
          gifts(bigApp),
          { giftId: 'x', coins: 1, defaultName: 'n'.repeat(21) },
          400,
          'invalid_parameter',
          /defaultName must be at most 20 bytes/,
        ],
        [
          'POST',
          gifts(bigApp),
          { giftId: 'x'.repeat(21), coins: 1, defaultName: 'x' },
          400,
          'invalid_parameter',
          /giftId must be at most 20 bytes/,
        ],
        [
          'POST',
          gifts(bigApp),
          { giftId: 'x', coins: -1, defaultName: 'x' },
          400,
          'invalid_parameter',
          /coins must be at least 0/,
        ],
        [
          'POST',
          gifts(bigApp),
          { giftId: 'x', coins: 1, defaultName: 'x', extensionInfo: '{not json' },
          400,
          'invalid_parameter',
          /extensionInfo/,
        ],
        ['POST', gifts(bigApp), { coins: 1, defaultName: 'x' }, 400, 'invalid_parameter', /giftId is required/],
        ['PATCH', gifts(bigApp, '/ghost'), { coins: 1 }, 404, 'gift_not_found', /gift ghost does not exist/],
        ['DELETE', gifts(bigApp, '/ghost'), undefined, 404, 'gift_not_found', /gift ghost does not exist/],
        ['POST', gifts(offApp), { giftId: 'x', coins: 1, defaultName: 'x' }, 403, 'gifting_disabled', /./],
        ['GET', gifts(offApp), undefined, 403, 'gifting_disabled', /./],
        [
          'GET',
          '/tencent/apps/1400009999/gifts',
          undefined,
          404,
          'not_found',
          /sdkAppId 1400009999 is not a configured Tencent app/,
        ],
      ];
      for (const [method, path, body, status, code, message] of cases) {
        const reply = await admin.request(method, path, body);
        assert.equal(reply.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
        if (code) {
          assert.equal(reply.body.error.code, code);
          assert.match(reply.body.error.message, message);
        }
      }
    });

    it('lists gifts and categories newest first with their languages and relations', async () => {
      for (const id of ['a1', 'a2', 'a3'])
        await admin.ok('POST', gifts(bigApp), { giftId: id, coins: 1, defaultName: id });
      await admin.ok('POST', categories(bigApp), {
        categoryId: 'hot',
        defaultName: 'Hot',
        defaultDesc: 'd'.repeat(60),
      });
      await f.other.ok(srv('add_gift_category'), { CategoryId: 'new', DefaultName: 'New' });

      const added = await admin.ok('POST', categories(bigApp, '/hot/gifts'), { giftIds: ['a1', 'a3', 'nope'] });
      assert.deepEqual([added.category.giftIds, added.invalidGiftIds], [['a1', 'a3'], ['nope']]);
      const firstName = await admin.request('PUT', gifts(bigApp, '/a1/languages/en'), { description: 'only' });
      assert.equal(firstName.status, 400);
      assert.match(firstName.body.error.message, /name is required when the en language is first set/);
      const named = await admin.ok('PUT', gifts(bigApp, '/a1/languages/zh-Hans'), { name: '玫瑰', description: '花' });
      assert.deepEqual(named.gift.languages, [{ language: 'zh-Hans', name: '玫瑰', description: '花' }]);
      await admin.ok('PUT', categories(bigApp, '/hot/languages/en'), { name: 'Hot!' });

      const listed = await allPages(admin, gifts(bigApp), 2);
      assertNewestFirst(listed, byGift, created);
      const a1 = listed.find((g) => g.giftId === 'a1');
      assert.deepEqual([a1.categoryIds, a1.languages.length], [['hot'], 1]);
      const cats = await allPages(admin, categories(bigApp), 1);
      assert.deepEqual(
        cats.map((c) => [c.categoryId, c.giftIds, c.languages]),
        [
          ['new', [], []],
          ['hot', ['a1', 'a3'], [{ language: 'en', name: 'Hot!', description: '' }]],
        ],
      );
      const info = (await f.other.ok(srv('get_gift_info_list'), {})).Response;
      assert.deepEqual(
        info.CategoryList.find((c: any) => c.CategoryId === 'hot').GiftIdList,
        ['a1', 'a3'],
        'the Tencent surface reads the same catalog',
      );

      const removed = await admin.ok('DELETE', categories(bigApp, '/hot/gifts/a1'));
      assert.deepEqual(removed.category.giftIds, ['a3']);
      await admin.ok('DELETE', gifts(bigApp, '/a1/languages/zh-Hans'));
      const again = await admin.request('DELETE', gifts(bigApp, '/a1/languages/zh-Hans'));
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'translation_not_found');
      const patched = await admin.ok('PATCH', categories(bigApp, '/hot'), { defaultName: 'Hotter' });
      assert.equal(patched.category.defaultName, 'Hotter');
      const tooLong = await admin.request('PATCH', categories(bigApp, '/hot'), { defaultDesc: 'd'.repeat(61) });
      assert.equal(tooLong.status, 400);
      assert.match(tooLong.body.error.message, /defaultDesc must be at most 60 bytes/);
      const dup = await admin.request('POST', categories(bigApp), { categoryId: 'hot', defaultName: 'x' });
      assert.equal(dup.body.error.code, 'category_exists');
      assert.deepEqual(await admin.ok('DELETE', categories(bigApp, '/hot')), { deleted: 'hot' });
      const gone = await admin.request('GET', categories(bigApp, '/hot'));
      assert.equal(gone.body.error.code, 'category_not_found');
      assertNoSecrets([listed, cats], secrets);
    });

    it('moves a gift within a category: the order get_gift_info_list gives, later additions after', async () => {
      for (const id of ['o1', 'o2', 'o3', 'o4'])
        await admin.ok('POST', gifts(bigApp), { giftId: id, coins: 1, defaultName: id });
      await admin.ok('POST', categories(bigApp), { categoryId: 'order', defaultName: 'Order' });
      await admin.ok('POST', categories(bigApp, '/order/gifts'), { giftIds: ['o1', 'o2', 'o3'] });
      const move = (giftId: string, position: number) =>
        admin.request('PUT', categories(bigApp, `/order/gifts/${giftId}/position`), { position });

      const first = await move('o3', 0);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body.category.giftIds, ['o3', 'o1', 'o2']);
      assert.deepEqual((await move('o3', 99)).body.category.giftIds, ['o1', 'o2', 'o3'], 'past the end is last');
      assert.deepEqual((await move('o2', 0)).body.category.giftIds, ['o2', 'o1', 'o3']);
      await admin.ok('POST', categories(bigApp, '/order/gifts'), { giftIds: ['o4'] });
      const tencent = new TencentClient(f.server.url, bigApp);
      const info = (await tencent.ok(srv('get_gift_info_list'), {})).Response;
      assert.deepEqual(info.CategoryList.find((c: any) => c.CategoryId === 'order').GiftIdList, [
        'o2',
        'o1',
        'o3',
        'o4',
      ]);

      const refusals: Array<[string, number, number, string, RegExp]> = [
        ['o4', 1, 200, '', /./],
        ['o9', 0, 404, 'gift_not_found', /gift o9 is not in category order/],
        ['o1', -1, 400, 'invalid_parameter', /invalid body: position/],
      ];
      for (const [giftId, position, status, code, message] of refusals) {
        const reply = await move(giftId, position);
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        if (code) {
          assert.equal(reply.body.error.code, code);
          assert.match(reply.body.error.message, message);
        }
      }
      const ghost = await admin.request('PUT', categories(bigApp, '/ghost/gifts/o1/position'), { position: 0 });
      assert.equal(ghost.body.error.code, 'category_not_found');
      const state = await admin.ok('GET', categories(bigApp, '/order'));
      assert.deepEqual(state.category.giftIds, ['o2', 'o4', 'o1', 'o3'], 'refusals changed nothing');
    });

    it('never skips nor repeats a gift while gifts are being added', async () => {
      for (let i = 0; i < 5; i++)
        await admin.ok('POST', gifts(bigApp), { giftId: `w${i}`, coins: 1, defaultName: 'w' });
      const before = (await allPages(admin, gifts(bigApp), 500)).map(byGift);
      let next = 0;
      const walked = await walkWhileInserting(admin, gifts(bigApp), 2, () =>
        admin.ok('POST', gifts(bigApp), { giftId: `m${next++}`, coins: 1, defaultName: 'm' }),
      );
      assertWalk(walked, before, byGift, created);
    });
  });
}
