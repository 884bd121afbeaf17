import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { officialUserSig, srv, testApp, TencentClient } from '../../support/tencent.js';

const seedGift = {
  GiftId: 'GId1',
  IconUrl: 'https://www.xxx.com/xxx1.png',
  ResourceUrl: 'https://www.xxx.com/xxx2.png',
  Coins: 10,
  Level: 1,
  ExtensionInfo: '{"key": "value"}',
  DefaultName: '',
  DefaultDesc: '',
};

let giftCounter = 0;
const giftId = () => `g${process.pid % 1000}x${++giftCounter}`;
const addGift = (client: TencentClient, id: string, coins = 10, extra: Record<string, unknown> = {}) =>
  client.ok(srv('add_gift'), { GiftId: id, Coins: coins, DefaultName: id, ...extra });

for (const backend of backends) {
  describe(`Tencent gift catalog [${backend.name}]`, () => {
    let f: TencentFixture;
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(() => f.close());

    it('adds a gift exactly as the seed and reads it back, at the top level and under Response', async () => {
      const added = await f.client.ok(srv('add_gift'), seedGift);
      assert.equal(added.Response, undefined, 'add_gift answers with the envelope only');
      const reply = await f.client.ok(srv('get_gift'), { GiftId: 'GId1' });
      const { GiftId, IconUrl, ResourceUrl, Coins, Level, ExtensionInfo, DefaultName, DefaultDesc } = seedGift;
      const expected = { GiftId, IconUrl, ResourceUrl, Coins, Level, ExtensionInfo, DefaultName, DefaultDesc };
      assert.deepEqual(reply.GiftInfo, expected);
      assert.deepEqual(reply.Response.GiftInfo, expected);
    });

    it('fills the defaults: Level 0, empty URLs, descriptions and extension', async () => {
      const id = giftId();
      await f.client.ok(srv('add_gift'), { GiftId: id, Coins: 0, DefaultName: 'Free' });
      const info = (await f.client.ok(srv('get_gift'), { GiftId: id })).GiftInfo;
      assert.deepEqual(info, {
        GiftId: id,
        IconUrl: '',
        ResourceUrl: '',
        Coins: 0,
        Level: 0,
        ExtensionInfo: '',
        DefaultName: 'Free',
        DefaultDesc: '',
      });
    });

    it('refuses an existing GiftId (100002) without touching the gift', async () => {
      const id = giftId();
      await addGift(f.client, id, 5);
      const again = await f.client.call(srv('add_gift'), { GiftId: id, Coins: 99, DefaultName: 'other' });
      assert.equal(again.ErrorCode, 100002);
      assert.match(again.ErrorInfo, /already exists/);
      assert.equal((await f.client.ok(srv('get_gift'), { GiftId: id })).GiftInfo.Coins, 5);
    });

    it('counts names in UTF-8 bytes: 20 accepted, 21 refused, naming the field', async () => {
      const name20 = `${'礼'.repeat(6)}ab`; // 18 + 2 bytes
      await f.client.ok(srv('add_gift'), { GiftId: giftId(), Coins: 1, DefaultName: name20, DefaultDesc: name20 });
      const name21 = `${'礼'.repeat(6)}abc`;
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ DefaultName: name21 }, /DefaultName must be at most 20 bytes/],
        [{ DefaultDesc: name21 }, /DefaultDesc must be at most 20 bytes/],
        [{ GiftId: '礼'.repeat(7) }, /GiftId must be at most 20 bytes/],
        [{ IconUrl: `https://x/${'é'.repeat(96)}` }, /IconUrl must be at most 200 bytes/],
        [{ ResourceUrl: 'r'.repeat(201) }, /ResourceUrl must be at most 200 bytes/],
        [{ ExtensionInfo: 'not json' }, /ExtensionInfo must be a JSON text/],
        [{ ExtensionInfo: JSON.stringify({ k: 'v'.repeat(100) }) }, /ExtensionInfo must be at most 100 bytes/],
        [{ Coins: -1 }, /Coins must be at least 0/],
        [{ Coins: 1.5 }, /Coins must be an integer/],
        [{ Coins: '10' }, /Coins must be an integer/],
        [{ Coins: undefined }, /Coins is required/],
        [{ DefaultName: undefined }, /DefaultName is required/],
        [{ GiftId: '' }, /GiftId must not be empty/],
        [{ Level: -2 }, /Level must be at least 0/],
      ];
      for (const [change, message] of cases) {
        const id = giftId();
        const body = { GiftId: id, Coins: 1, DefaultName: 'n', ...change };
        const reply = await f.client.call(srv('add_gift'), body);
        assert.equal(reply.ErrorCode, 100002, `${JSON.stringify(change)}: ${reply.ErrorInfo}`);
        assert.match(reply.ErrorInfo, message);
        if (!('GiftId' in change)) {
          assert.equal(
            (await f.client.call(srv('get_gift'), { GiftId: body.GiftId })).ErrorCode,
            102002,
            'nothing was added',
          );
        }
      }
    });

    it('edits only the fields given; 102002 for an unknown gift', async () => {
      const id = giftId();
      await addGift(f.client, id, 10, { IconUrl: 'https://a/icon.png', Level: 2 });
      await f.client.ok(srv('edit_gift'), { GiftId: id, Coins: 25, DefaultDesc: 'shiny' });
      const info = (await f.client.ok(srv('get_gift'), { GiftId: id })).GiftInfo;
      assert.equal(info.Coins, 25);
      assert.equal(info.DefaultDesc, 'shiny');
      assert.equal(info.IconUrl, 'https://a/icon.png');
      assert.equal(info.Level, 2);
      assert.equal((await f.client.call(srv('edit_gift'), { GiftId: 'nope', Coins: 1 })).ErrorCode, 102002);
      assert.equal((await f.client.call(srv('edit_gift'), { GiftId: id, ExtensionInfo: '{bad' })).ErrorCode, 100002);
      assert.equal((await f.client.call(srv('get_gift'), { GiftId: 'nope' })).ErrorCode, 102002);
    });

    it('manages categories: add, duplicate, edit, get in both places, delete', async () => {
      await f.client.ok(srv('add_gift_category'), {
        CategoryId: 'cat-a',
        DefaultName: 'A',
        DefaultDesc: 'd'.repeat(60),
        ExtensionInfo: 'x',
      });
      const dup = await f.client.call(srv('add_gift_category'), { CategoryId: 'cat-a', DefaultName: 'again' });
      assert.equal(dup.ErrorCode, 100002);
      assert.match(dup.ErrorInfo, /already exists/);
      assert.equal(
        (
          await f.client.call(srv('add_gift_category'), {
            CategoryId: 'cat-b',
            DefaultName: 'B',
            DefaultDesc: 'd'.repeat(61),
          })
        ).ErrorCode,
        100002,
      );
      await f.client.ok(srv('edit_gift_category'), { CategoryId: 'cat-a', DefaultName: 'Alpha' });
      const got = await f.client.ok(srv('get_gift_category'), { CategoryId: 'cat-a' });
      const expected = { CategoryId: 'cat-a', ExtensionInfo: 'x', DefaultName: 'Alpha', DefaultDesc: 'd'.repeat(60) };
      assert.deepEqual(got.GiftCategoryInfo, expected);
      assert.deepEqual(got.Response.GiftCategoryInfo, expected);
      await f.client.ok(srv('del_gift_category'), { CategoryId: 'cat-a' });
      for (const command of ['get_gift_category', 'del_gift_category', 'get_gift_category_relations']) {
        const reply = await f.client.call(srv(command), { CategoryId: 'cat-a' });
        assert.equal(reply.ErrorCode, 100002, command);
        assert.match(reply.ErrorInfo, /does not exist/);
      }
      assert.equal(
        (await f.client.call(srv('edit_gift_category'), { CategoryId: 'cat-a', DefaultName: 'x' })).ErrorCode,
        100002,
      );
    });

    it('appends gifts to a category, reports the ids that are not gifts, and refuses when none is', async () => {
      const [g1, g2, g3] = [giftId(), giftId(), giftId()];
      for (const id of [g1, g2, g3]) await addGift(f.client, id);
      await f.client.ok(srv('add_gift_category'), { CategoryId: 'rel', DefaultName: 'Rel' });
      const first = await f.client.ok(srv('add_gift_category_relations'), {
        CategoryId: 'rel',
        GiftIdList: [g2, 'ghost', g1],
      });
      assert.deepEqual(first.InvalidGiftIdList, ['ghost']);
      assert.deepEqual(first.Response.InvalidGiftIdList, ['ghost']);
      await f.client.ok(srv('add_gift_category_relations'), { CategoryId: 'rel', GiftIdList: [g1, g3] });
      const relations = await f.client.ok(srv('get_gift_category_relations'), { CategoryId: 'rel' });
      assert.deepEqual(
        relations.Relation,
        { CategoryId: 'rel', GiftIdList: [g2, g1, g3] },
        'appended in order, no duplicates',
      );
      assert.deepEqual(relations.Response.Relation, relations.Relation);

      const none = await f.client.call(srv('add_gift_category_relations'), {
        CategoryId: 'rel',
        GiftIdList: ['ghost', 'phantom'],
      });
      assert.equal(none.ErrorCode, 102002);
      assert.match(none.ErrorInfo, /ghost/);
      const noCategory = await f.client.call(srv('add_gift_category_relations'), {
        CategoryId: 'nocat',
        GiftIdList: [g1],
      });
      assert.equal(noCategory.ErrorCode, 100002);
      assert.equal(
        (await f.client.call(srv('add_gift_category_relations'), { CategoryId: 'rel', GiftIdList: [] })).ErrorCode,
        100002,
      );

      await f.client.ok(srv('del_gift_category_relations'), { CategoryId: 'rel', GiftIdList: [g1, 'ghost'] });
      assert.deepEqual(
        (await f.client.ok(srv('get_gift_category_relations'), { CategoryId: 'rel' })).Relation.GiftIdList,
        [g2, g3],
      );
    });

    it('sets, partially updates, reads and deletes gift and category languages', async () => {
      const id = giftId();
      await addGift(f.client, id);
      const noName = await f.client.call(srv('set_gift_language'), { GiftId: id, Language: 'en', Desc: 'only desc' });
      assert.equal(noName.ErrorCode, 100002, 'Name is required the first time');
      await f.client.ok(srv('set_gift_language'), { GiftId: id, Language: 'en', Name: 'Rose', Desc: 'red' });
      await f.client.ok(srv('set_gift_language'), { GiftId: id, Language: 'en', Desc: 'very red' });
      await f.client.ok(srv('set_gift_language'), { GiftId: id, Language: 'zh-Hans', Name: '玫瑰' });
      const en = await f.client.ok(srv('get_gift_language'), { GiftId: id, Language: 'en' });
      assert.deepEqual(en.GiftInfo, { Name: 'Rose', Desc: 'very red' });
      assert.deepEqual(en.Response.Language, { Name: 'Rose', Desc: 'very red', Language: 'en' });
      assert.equal(
        (await f.client.call(srv('get_gift_language'), { GiftId: id, Language: 'zh-Hant' })).ErrorCode,
        100002,
      );
      const unknownLanguage = await f.client.call(srv('set_gift_language'), {
        GiftId: id,
        Language: 'fr',
        Name: 'Rose',
      });
      assert.equal(unknownLanguage.ErrorCode, 100002);
      assert.match(unknownLanguage.ErrorInfo, /Language must be one of "en", "zh-Hans", "zh-Hant"/);
      assert.equal(
        (await f.client.call(srv('set_gift_language'), { GiftId: 'ghost', Language: 'en', Name: 'x' })).ErrorCode,
        102002,
      );
      assert.equal(
        (await f.client.call(srv('set_gift_language'), { GiftId: id, Language: 'en', Name: '礼'.repeat(7) })).ErrorCode,
        100002,
      );
      await f.client.ok(srv('del_gift_language'), { GiftId: id, Language: 'en' });
      assert.equal((await f.client.call(srv('get_gift_language'), { GiftId: id, Language: 'en' })).ErrorCode, 100002);
      assert.equal((await f.client.call(srv('del_gift_language'), { GiftId: id, Language: 'en' })).ErrorCode, 100002);

      await f.client.ok(srv('add_gift_category'), { CategoryId: 'lang-cat', DefaultName: 'Cat' });
      await f.client.ok(srv('set_gift_category_language'), {
        CategoryId: 'lang-cat',
        Language: 'zh-Hant',
        CategoryName: '熱門',
      });
      await f.client.ok(srv('set_gift_category_language'), {
        CategoryId: 'lang-cat',
        Language: 'zh-Hant',
        CategoryDesc: '最多',
      });
      const cat = await f.client.ok(srv('get_gift_category_language'), { CategoryId: 'lang-cat', Language: 'zh-Hant' });
      assert.deepEqual(cat.CategoryInfo, { CategoryName: '熱門', CategoryDesc: '最多' });
      assert.deepEqual(cat.Response.Language, { CategoryName: '熱門', CategoryDesc: '最多', Language: 'zh-Hant' });
      await f.client.ok(srv('del_gift_category_language'), { CategoryId: 'lang-cat', Language: 'zh-Hant' });
      assert.equal(
        (await f.client.call(srv('get_gift_category_language'), { CategoryId: 'lang-cat', Language: 'zh-Hant' }))
          .ErrorCode,
        100002,
      );
    });

    it('deletes a gift with its languages and category links; 102002 for an unknown gift', async () => {
      const [keep, gone] = [giftId(), giftId()];
      await addGift(f.client, keep);
      await addGift(f.client, gone);
      await f.client.ok(srv('set_gift_language'), { GiftId: gone, Language: 'en', Name: 'Gone' });
      await f.client.ok(srv('add_gift_category'), { CategoryId: 'cascade', DefaultName: 'C' });
      await f.client.ok(srv('add_gift_category_relations'), { CategoryId: 'cascade', GiftIdList: [keep, gone] });
      await f.client.ok(srv('del_gift'), { GiftId: gone });
      assert.equal((await f.client.call(srv('get_gift'), { GiftId: gone })).ErrorCode, 102002);
      assert.deepEqual(
        (await f.client.ok(srv('get_gift_category_relations'), { CategoryId: 'cascade' })).Relation.GiftIdList,
        [keep],
      );
      assert.equal((await f.client.call(srv('del_gift'), { GiftId: gone })).ErrorCode, 102002);
      // Re-created, it has no language left over.
      await addGift(f.client, gone);
      assert.equal((await f.client.call(srv('get_gift_language'), { GiftId: gone, Language: 'en' })).ErrorCode, 100002);
    });

    it('answers 100006 (not 60010) to a non-admin on the gift configuration APIs', async () => {
      const options = { identifier: 'viewer_1', userSig: officialUserSig(testApp, 'viewer_1') };
      const config = await f.client.call(srv('add_gift'), { GiftId: giftId(), Coins: 1, DefaultName: 'x' }, options);
      assert.equal(config.ErrorCode, 100006);
      assert.equal((await f.client.call(srv('get_gift_info_list'), {}, options)).ErrorCode, 100006);
      assert.equal((await f.client.call(srv('send_gift'), {}, options)).ErrorCode, 60010);
    });
  });

  describe(`Tencent gift catalog limits and defaults [${backend.name}]`, () => {
    let f: TencentFixture;
    const small = { ...testApp, sdkAppId: 1400000303, limits: { gifts: 3, rateLimits: false } };
    const off = { ...testApp, sdkAppId: 1400000404, gifting: { enabled: false } };
    const fresh = { ...testApp, sdkAppId: 1400000505 };
    before(async () => {
      f = await tencentFixture(backend, { apps: [testApp, small, off, fresh] });
    });
    after(() => f.close());
    const clientOf = (app: typeof testApp) => new TencentClient(f.server.url, app);

    it('holds an app to 16 gifts (102006), and frees a place when one is deleted', async () => {
      for (let i = 0; i < 16; i++) await addGift(f.client, `limit-${i}`);
      const over = await f.client.call(srv('add_gift'), { GiftId: 'limit-16', Coins: 1, DefaultName: 'x' });
      assert.equal(over.ErrorCode, 102006);
      await f.client.ok(srv('del_gift'), { GiftId: 'limit-3' });
      await addGift(f.client, 'limit-16');
      assert.equal(
        (await f.client.call(srv('add_gift'), { GiftId: 'limit-17', Coins: 1, DefaultName: 'x' })).ErrorCode,
        102006,
      );
      const list = await f.client.ok(srv('get_gift_info_list'), {});
      assert.equal(list.Response.TotalCount, 16);
    });

    it('keeps the limit exact under concurrent adds (limits.gifts 3)', async () => {
      const client = clientOf(small);
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          client.call(srv('add_gift'), { GiftId: `race-${i}`, Coins: 1, DefaultName: 'r' }),
        ),
      );
      assert.equal(replies.filter((r) => r.ErrorCode === 0).length, 3);
      assert.equal(replies.filter((r) => r.ErrorCode === 102006).length, 9);
      assert.equal((await client.ok(srv('get_gift_info_list'), {})).Response.TotalCount, 3);
    });

    it('refuses the default catalog where it does not fit, and installs it once where it does', async () => {
      const tooSmall = await clientOf(small).call(srv('copy_default_gift_config'), {});
      assert.equal(tooSmall.ErrorCode, 100002, 'the small app already has gifts');
      const client = clientOf(fresh);
      await client.ok(srv('copy_default_gift_config'), {});
      const list = (await client.ok(srv('get_gift_info_list'), {})).Response;
      assert.equal(list.GiftList.length, 15);
      assert.equal(list.CategoryList.length, 3);
      for (const category of list.CategoryList) assert.equal(category.GiftIdList.length, 5);
      const again = await client.call(srv('copy_default_gift_config'), {});
      assert.equal(again.ErrorCode, 100002);
      assert.match(again.ErrorInfo, /already has/);
    });

    it('answers 102001 on every gift API of an app with gifting off', async () => {
      const client = clientOf(off);
      for (const [command, body] of [
        ['add_gift', { GiftId: 'x', Coins: 1, DefaultName: 'x' }],
        ['get_gift_info_list', {}],
        ['copy_default_gift_config', {}],
        ['send_gift', { RoomId: 'r', GiftId: 'x', Count: 1, From_Account: 'u' }],
        ['get_gift_count', { RoomId: 'r' }],
      ] as const) {
        const reply = await client.call(srv(command), body);
        assert.equal(reply.ErrorCode, 102001, command);
      }
    });

    it('lists the catalog with languages, categories and localized names', async () => {
      const client = clientOf(fresh);
      await client.ok(srv('set_gift_language'), { GiftId: 'rose', Language: 'zh-Hans', Name: '玫瑰', Desc: '红' });
      const list = (await client.ok(srv('get_gift_info_list'), { Language: 'zh-Hans' })).Response;
      const rose = list.GiftList.find((g: any) => g.GiftId === 'rose');
      assert.equal(rose.Name, '玫瑰');
      assert.equal(rose.DefaultName, 'Rose');
      assert.deepEqual(rose.LanguageList, [{ Name: '玫瑰', Desc: '红', Language: 'zh-Hans' }]);
      assert.deepEqual(rose.CategoryIdList, ['popular']);
      assert.equal(typeof rose.CreateTime, 'number');
      const popular = list.CategoryList.find((c: any) => c.CategoryId === 'popular');
      assert.equal(popular.CategoryName, 'Popular');
      assert.ok(popular.GiftIdList.includes('rose'));
    });
  });
}
