import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../../support/backends.js';
import { type TencentFixture, tencentFixture } from '../../support/fixture.js';
import { LiveClient } from '../../support/liveClient.js';
import { absentOddId, oddIds } from '../../support/oddIds.js';
import { officialUserSig, pk, srv, type TencentClient, testApp } from '../../support/tencent.js';

const byKey = (a: { Key: string }, b: { Key: string }) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0);

async function allRooms(client: TencentClient): Promise<string[]> {
  const ids: string[] = [];
  let next = '';
  do {
    const page = (await client.ok(srv('get_room_list'), { Next: next, Count: 4 })).Response;
    ids.push(...page.RoomList.map((room: any) => room.RoomId));
    next = page.Next;
  } while (next !== '');
  return ids;
}

for (const backend of backends) {
  describe(`Tencent rooms, metadata, battles and gifts with ids named like sentinels or object keys [${backend.name}]`, () => {
    let f: TencentFixture;
    const live: LiveClient[] = [];
    const connect = async (identifier: string) => {
      const userSig = officialUserSig(testApp, identifier);
      const url = `${f.server.url.replace(/^http/, 'ws')}/v4/live_events?sdkappid=${testApp.sdkAppId}&identifier=${identifier}&usersig=${userSig}`;
      const client = await LiveClient.connect(url);
      live.push(client);
      return client;
    };
    before(async () => {
      f = await tencentFixture(backend);
    });
    after(async () => {
      await Promise.all(live.map((client) => client.close()));
      await f.close();
    });

    // The rooms this test creates are those of the tests after it (room ids are per app).
    it('creates, reads, lists and updates rooms of any id, each owned by a user of any id', async () => {
      for (const id of oddIds) {
        await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: id, RoomType: 'Live', Owner_Account: id } });
      }
      for (const id of oddIds) {
        const info = (await f.client.ok(srv('get_room_info'), { RoomId: id })).Response.RoomInfo;
        assert.equal(info.RoomId, id);
        assert.equal(info.Owner_Account, id);
        assert.equal(info.RoomName, id);
      }
      const listed = await allRooms(f.client);
      assert.deepEqual([...listed].sort(), [...oddIds].sort());

      await f.client.ok(srv('update_room_info'), {
        RoomInfo: { RoomId: '__proto__', RoomName: 'constructor', Notice: 'x' },
      });
      const updated = (await f.client.ok(srv('get_room_info'), { RoomId: '__proto__' })).Response.RoomInfo;
      assert.equal(updated.RoomName, 'constructor');
      assert.equal(updated.Notice, 'x');
      assert.equal(
        (await f.client.ok(srv('get_room_info'), { RoomId: 'constructor' })).Response.RoomInfo.Notice,
        '',
        'only the room named changed',
      );

      const again = await f.client.call(srv('create_room'), { RoomInfo: { RoomId: '__proto__', RoomType: 'Live' } });
      assert.equal(again.ErrorCode, 100003, again.ErrorInfo);
      for (const command of ['get_room_info', 'destroy_room']) {
        const missing = await f.client.call(srv(command), { RoomId: absentOddId });
        assert.equal(missing.ErrorCode, 100004, `${command}: ${missing.ErrorInfo}`);
      }
      const otherApp = await f.other.call(srv('get_room_info'), { RoomId: '__proto__' });
      assert.equal(otherApp.ErrorCode, 100004, 'rooms are per app');
    });

    it('sets, reads and deletes metadata keys of any name, in the room named only', async () => {
      const room = 'constructor';
      const metadata = oddIds.map((key) => ({ Key: key, Value: `value of ${key}` }));
      await f.client.ok(srv('set_room_metadata'), { RoomId: room, Metadata: metadata });
      const all = (await f.client.ok(srv('get_room_metadata'), { RoomId: room })).Response.Metadata;
      assert.deepEqual([...all].sort(byKey), [...metadata].sort(byKey));

      const some = await f.client.ok(srv('get_room_metadata'), {
        RoomId: room,
        Keys: ['__proto__', 'toString', absentOddId],
      });
      assert.deepEqual([...some.Response.Metadata].sort(byKey), [
        { Key: '__proto__', Value: 'value of __proto__' },
        { Key: 'toString', Value: 'value of toString' },
      ]);
      const none = await f.client.ok(srv('get_room_metadata'), { RoomId: room, Keys: [absentOddId] });
      assert.deepEqual(none.Response.Metadata, []);

      await f.client.ok(srv('set_room_metadata'), {
        RoomId: room,
        Metadata: [{ Key: '__proto__', Value: 'replaced' }],
      });
      await f.client.ok(srv('del_room_metadata'), { RoomId: room, Keys: ['constructor', absentOddId] });
      const left = (await f.client.ok(srv('get_room_metadata'), { RoomId: room })).Response.Metadata;
      assert.deepEqual(left.map((e: any) => e.Key).sort(), oddIds.filter((key) => key !== 'constructor').sort());
      assert.equal(left.find((e: any) => e.Key === '__proto__').Value, 'replaced');
      const gone = await f.client.call(srv('del_room_metadata'), { RoomId: room, Keys: ['constructor'] });
      assert.equal(gone.ErrorCode, 100503, gone.ErrorInfo);

      const elsewhere = await f.client.ok(srv('get_room_metadata'), { RoomId: '__proto__' });
      assert.deepEqual(elsewhere.Response.Metadata, [], 'another room has none');
      // A room holds at most 10 keys, whatever their names.
      const tooMany = await f.client.call(srv('set_room_metadata'), {
        RoomId: room,
        Metadata: ['constructor', 'isPrototypeOf', absentOddId].map((key) => ({ Key: key, Value: '' })),
      });
      assert.equal(tooMany.ErrorCode, 100500, tooMany.ErrorInfo);
    });

    it('battles rooms of any id: scores, live events to owners and subscribers of any id, destruction', async () => {
      const owner = await connect('__proto__');
      assert.equal(owner.messages[0].Identifier, '__proto__');
      const subscriber = await connect('valueOf');
      subscriber.send({ Action: 'Subscribe', RoomIdList: ['tie', 'hasOwnProperty'] });
      await subscriber.waitFor((m) => m.some((e) => e.Event === 'Subscribed'));
      assert.deepEqual(subscriber.events('Subscribed')[0].RoomIdList, ['tie', 'hasOwnProperty']);

      const created = await f.client.ok(pk('create_battle'), {
        FromRoomId: '__proto__',
        ToRoomIdList: ['aborted', 'tie', absentOddId],
        Duration: 60_000,
      });
      const battleId = created.Response.BattleId as string;
      assert.deepEqual(
        created.Response.Result.map((r: any) => [r.RoomId, r.ResultCode]),
        [
          ['aborted', 0],
          ['tie', 0],
          [absentOddId, 100004],
        ],
      );
      const busy = await f.client.call(pk('create_battle'), {
        FromRoomId: 'constructor',
        ToRoomIdList: ['aborted'],
        Duration: 60_000,
      });
      assert.equal(busy.ErrorCode, 100412, `aborted is in a battle already: ${busy.ErrorInfo}`);

      const added = await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 1,
        ScoreList: [
          { RoomId: '__proto__', Score: 5 },
          { RoomId: 'aborted', Score: 3 },
          { RoomId: 'toString', Score: 9 },
        ],
      });
      assert.deepEqual(
        added.Response.Result.map((r: any) => [r.RoomId, r.ResultCode]),
        [
          ['__proto__', 0],
          ['aborted', 0],
          ['toString', 1],
        ],
      );
      await f.client.ok(pk('set_battle_score'), {
        BattleId: battleId,
        OpType: 2,
        ScoreList: [{ RoomId: 'tie', Score: 7 }],
      });
      const info = (await f.client.ok(pk('get_battle_info'), { RoomId: 'aborted' })).Response;
      assert.equal(info.BattleId, battleId);
      assert.deepEqual(
        [info.FromRoomInfo, ...info.ToRoomList].map((r: any) => [r.RoomId, r.Score, r.Owner_Account]),
        [
          ['__proto__', 5, '__proto__'],
          ['aborted', 3, 'aborted'],
          ['tie', 7, 'tie'],
        ],
      );
      for (const client of [owner, subscriber]) {
        const messages = await client.waitFor((m) =>
          m.some((e) => e.Event === 'BattleScoreChanged' && e.ScoreList.some((s: any) => s.Score === 7)),
        );
        assert.ok(messages.some((e) => e.Event === 'BattleStarted' && e.BattleInfo.BattleId === battleId));
      }

      const destroyed = await f.client.ok(srv('destroy_room'), { RoomId: '__proto__' });
      assert.equal(destroyed.Response.Statistic.TotalGiftsSent, 0);
      assert.equal((await f.client.call(srv('get_room_info'), { RoomId: '__proto__' })).ErrorCode, 100004);
      const ended = (await f.client.ok(pk('get_battle_info'), { BattleId: battleId })).Response;
      assert.equal(ended.Status, 3);
      assert.equal(ended.EndReason, 'RoomDestroyed');
      await owner.waitFor((m) => m.some((e) => e.Event === 'BattleEnded' && e.BattleInfo.BattleId === battleId));
      assert.deepEqual(
        await allRooms(f.client).then((ids) => ids.sort()),
        oddIds.filter((id) => id !== '__proto__').sort(),
      );

      await f.client.ok(srv('create_room'), { RoomInfo: { RoomId: '__proto__', RoomType: 'Live' } });
      const fresh = (await f.client.ok(srv('get_room_info'), { RoomId: '__proto__' })).Response.RoomInfo;
      assert.equal(fresh.Owner_Account, testApp.admins[0], 'a new room of the same id');
    });

    // The gift tests use the second app, whose catalog and rooms are its own.
    it('keeps gifts and categories of any id, with their relations and languages', async () => {
      for (const [i, id] of oddIds.entries()) {
        await f.other.ok(srv('add_gift'), { GiftId: id, Coins: i + 1, DefaultName: `gift ${i}` });
        await f.other.ok(srv('add_gift_category'), { CategoryId: id, DefaultName: `category ${i}` });
      }
      for (const [i, id] of oddIds.entries()) {
        assert.equal((await f.other.ok(srv('get_gift'), { GiftId: id })).GiftInfo.Coins, i + 1, id);
        assert.equal((await f.other.ok(srv('get_gift_category'), { CategoryId: id })).GiftCategoryInfo.CategoryId, id);
      }
      const dup = await f.other.call(srv('add_gift'), { GiftId: 'constructor', Coins: 1, DefaultName: 'x' });
      assert.equal(dup.ErrorCode, 100002, dup.ErrorInfo);
      const missing = await f.other.call(srv('get_gift'), { GiftId: absentOddId });
      assert.equal(missing.ErrorCode, 102002, missing.ErrorInfo);
      const noCategory = await f.other.call(srv('get_gift_category'), { CategoryId: absentOddId });
      assert.equal(noCategory.ErrorCode, 100002, noCategory.ErrorInfo);

      const related = await f.other.ok(srv('add_gift_category_relations'), {
        CategoryId: '__proto__',
        GiftIdList: ['constructor', 'toString', absentOddId],
      });
      assert.deepEqual(related.Response.InvalidGiftIdList, [absentOddId]);
      const relation = async (categoryId: string) =>
        (await f.other.ok(srv('get_gift_category_relations'), { CategoryId: categoryId })).Response.Relation.GiftIdList;
      assert.deepEqual(await relation('__proto__'), ['constructor', 'toString']);
      assert.deepEqual(await relation('constructor'), []);

      await f.other.ok(srv('set_gift_language'), { GiftId: '__proto__', Language: 'en', Name: 'Proto', Desc: 'p' });
      await f.other.ok(srv('set_gift_category_language'), {
        CategoryId: 'toString',
        Language: 'en',
        CategoryName: 'Strings',
      });
      const language = await f.other.ok(srv('get_gift_language'), { GiftId: '__proto__', Language: 'en' });
      assert.deepEqual(language.GiftInfo, { Name: 'Proto', Desc: 'p' });
      const notSet = await f.other.call(srv('get_gift_language'), { GiftId: 'constructor', Language: 'en' });
      assert.notEqual(notSet.ErrorCode, 0, 'the language of another gift is not set');

      const list = (await f.other.ok(srv('get_gift_info_list'), { Language: 'en' })).Response;
      assert.deepEqual(list.GiftList.map((g: any) => g.GiftId).sort(), [...oddIds].sort());
      const gift = (id: string) => list.GiftList.find((g: any) => g.GiftId === id);
      const category = (id: string) => list.CategoryList.find((c: any) => c.CategoryId === id);
      assert.equal(gift('__proto__').Name, 'Proto');
      assert.equal(gift('constructor').Name, `gift ${oddIds.indexOf('constructor')}`);
      assert.deepEqual(gift('toString').CategoryIdList, ['__proto__']);
      assert.deepEqual(gift('valueOf').CategoryIdList, []);
      assert.deepEqual(category('__proto__').GiftIdList, ['constructor', 'toString']);
      assert.equal(category('toString').CategoryName, 'Strings');
      assert.deepEqual(category('hasOwnProperty').LanguageList, []);

      await f.other.ok(srv('del_gift_category_relations'), { CategoryId: '__proto__', GiftIdList: ['toString'] });
      assert.deepEqual(await relation('__proto__'), ['constructor']);
      await f.other.ok(srv('del_gift'), { GiftId: 'constructor' });
      assert.equal((await f.other.call(srv('get_gift'), { GiftId: 'constructor' })).ErrorCode, 102002);
      assert.deepEqual(await relation('__proto__'), []);
      await f.other.ok(srv('del_gift_category'), { CategoryId: '__proto__' });
      assert.equal((await f.other.call(srv('get_gift_category'), { CategoryId: '__proto__' })).ErrorCode, 100002);
    });

    it('sends gifts of any id into rooms of any id, from senders of any id, with their own totals', async () => {
      for (const room of ['toString', 'hasOwnProperty']) {
        await f.other.ok(srv('create_room'), { RoomInfo: { RoomId: room, RoomType: 'Live' } });
      }
      // Gifts of the test before: `aborted` costs 1, `tied` 2, `valueOf` 9.
      const send = (room: string, gift: string, from: string, count = 1) =>
        f.other.call(srv('send_gift'), { RoomId: room, GiftId: gift, Count: count, From_Account: from });
      const sends = await Promise.all([
        send('toString', 'aborted', '__proto__', 2),
        send('toString', 'tied', '__proto__'),
        send('toString', 'valueOf', 'constructor'),
        send('toString', 'constructor', 'toString'),
        send('hasOwnProperty', 'valueOf', '__proto__'),
      ]);
      assert.deepEqual(
        sends.map((r) => r.ErrorCode),
        [0, 0, 0, 102002, 0],
        'constructor was deleted',
      );
      assert.deepEqual(
        sends
          .slice(0, 3)
          .map((r) => r.Response.Sequence)
          .sort(),
        [1, 2, 3],
      );
      const count = async (room: string, from?: string) =>
        (await f.other.ok(srv('get_gift_count'), { RoomId: room, ...(from ? { From_Account: from } : {}) })).Response;
      assert.deepEqual(await count('toString'), { Sequence: 3, TotalCount: 4, TotalCoins: 13, GiftSenderCount: 2 });
      assert.deepEqual(await count('toString', '__proto__'), {
        Sequence: 3,
        TotalCount: 3,
        TotalCoins: 4,
        GiftSenderCount: 1,
      });
      assert.deepEqual(await count('toString', 'constructor'), {
        Sequence: 3,
        TotalCount: 1,
        TotalCoins: 9,
        GiftSenderCount: 1,
      });
      assert.deepEqual(await count('toString', 'toString'), {
        Sequence: 3,
        TotalCount: 0,
        TotalCoins: 0,
        GiftSenderCount: 0,
      });
      assert.deepEqual(await count('hasOwnProperty'), {
        Sequence: 1,
        TotalCount: 1,
        TotalCoins: 9,
        GiftSenderCount: 1,
      });
      const destroyed = await f.other.ok(srv('destroy_room'), { RoomId: 'toString' });
      assert.equal(destroyed.Response.Statistic.TotalGiftCoins, 13);
      assert.equal(destroyed.Response.Statistic.TotalUniqueGiftSenders, 2);
    });
  });
}
