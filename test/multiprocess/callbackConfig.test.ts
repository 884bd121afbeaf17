/**
 * Issue 11, item 8: "A configuration made over REST takes effect on every process sharing
 * the database within a second." `set_callback` through one process, a battle created through
 * the other: the callback arrives at the new URL; after `delete_callback`, no further callback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends } from '../support/backends.js';
import { twoProcessFixture, type TwoProcessFixture } from '../support/fixture.js';
import { callbackCommand, Receiver } from '../support/receiver.js';
import { createBattle, liveConfig, pk, testApp } from '../support/tencent.js';
import { sleep } from '../support/wait.js';

/** The documented time a change takes to reach every process. */
const TAKES_EFFECT_MS = 1000;

for (const backend of backends) {
  describe(`callback configuration across two server processes [${backend.name}]`, () => {
    let f: TwoProcessFixture;
    let receiver: Receiver;
    before(async () => {
      receiver = await Receiver.start();
      // No callback in the config file: only the REST configuration sends anything.
      f = await twoProcessFixture(backend, testApp);
    });
    after(async () => {
      await f.close();
      await receiver.close();
    });

    it('set_callback on one process reaches battles created on the other; after delete_callback nothing more is sent', async () => {
      const { battleId: before } = await createBattle(f.b);
      await f.b.ok(pk('end_battle'), { BattleId: before });

      const setAt = Date.now();
      await f.a.ok(liveConfig('set_callback'), {
        Url: `${receiver.url}/new-url`,
        CallbackCommandList: ['Live.CallbackAfterCreateBattle', 'Live.CallbackAfterEndBattle'],
      });
      await sleep(setAt + TAKES_EFFECT_MS - Date.now());
      const { battleId } = await createBattle(f.b);
      await f.b.ok(pk('end_battle'), { BattleId: battleId });
      const arrived = await receiver.waitFor((all) =>
        all.some((r) => callbackCommand(r) === 'Live.CallbackAfterEndBattle' && r.json.BattleId === battleId),
      );
      const ofBattle = arrived.filter((r) => r.json.BattleId === battleId);
      assert.deepEqual(ofBattle.map(callbackCommand).sort(), [
        'Live.CallbackAfterCreateBattle',
        'Live.CallbackAfterEndBattle',
      ]);
      for (const request of ofBattle) {
        assert.equal(request.url.pathname, '/new-url');
        assert.equal(request.url.searchParams.get('SdkAppid'), String(testApp.sdkAppId));
      }
      assert.ok(!arrived.some((r) => r.json.BattleId === before), 'the battle before the configuration sent nothing');
      // Process b answers get_callback from the shared database too.
      assert.equal((await f.b.ok(liveConfig('get_callback'), {})).Response.Url, `${receiver.url}/new-url`);

      const deletedAt = Date.now();
      await f.a.ok(liveConfig('delete_callback'), {});
      await sleep(deletedAt + TAKES_EFFECT_MS - Date.now());
      const count = receiver.requests.length;
      const { battleId: afterDelete } = await createBattle(f.b);
      await f.b.ok(pk('end_battle'), { BattleId: afterDelete });
      // Both processes poll the outbox four times a second: anything queued would be sent by now.
      await sleep(1500);
      assert.equal(receiver.requests.length, count, 'no callback after delete_callback');
      assert.equal((await f.b.call(liveConfig('get_callback'), {})).ErrorCode, 100301);
    });
  });
}
