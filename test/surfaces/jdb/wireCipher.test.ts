import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AgentCipher } from '../../../src/surfaces/jdb/cipher.js';

/**
 * JDB's `x` cipher on its own. The AES on the test's side is written here with node:crypto
 * directly (not the server's helper, not test/support's), so that a mistake shared by both
 * sides cannot make them agree.
 */

const KEY = 'Unit-test-key-16';
const IV = 'Unit-test-iv--16';

type Padding = 'spaces' | 'zeros' | 'pkcs7';
const paddings: Padding[] = ['spaces', 'zeros', 'pkcs7'];

/** AES-128-CBC of the UTF-8 text, padded as asked, as standard base64 (with `=`). */
function encrypt(plaintext: string, padding: Padding, key = KEY, iv = IV): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(key, 'latin1'), Buffer.from(iv, 'latin1'));
  const data = Buffer.from(plaintext, 'utf8');
  if (padding === 'pkcs7') {
    // Node's own padding is PKCS#7: a whole block of 0x10 when the text fills its blocks.
    return Buffer.concat([cipher.update(data), cipher.final()]).toString('base64');
  }
  cipher.setAutoPadding(false);
  const blocks = Math.max(1, Math.ceil(data.length / 16));
  const padded = Buffer.alloc(blocks * 16, padding === 'spaces' ? ' ' : '\0');
  data.copy(padded);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Standard base64 in JDB's URL-safe alphabet, with or without its `=`. */
function urlSafe(base64: string, keepEquals: boolean): string {
  const safe = base64.replace(/\+/g, '-').replace(/\//g, '_');
  return keepEquals ? safe : safe.replace(/=+$/, '');
}

/** The raw plaintext bytes of an `x`, padding included. */
function rawDecrypt(x: string): Buffer {
  const data = Buffer.from(x.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(KEY, 'latin1'), Buffer.from(IV, 'latin1'));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const cipher = new AgentCipher(KEY, IV);

/** `{}` and JSON objects of 8 to 49 bytes: one, two and three blocks, and each block boundary. */
const objectsOfEveryLength = ['{}', ...Array.from({ length: 42 }, (_, n) => `{"a":"${'x'.repeat(n)}"}`)];

describe('JDB x cipher', () => {
  it('reads every padding, in either alphabet, with or without `=`, at every length around the block size', () => {
    for (const plaintext of objectsOfEveryLength) {
      for (const padding of paddings) {
        const base64 = encrypt(plaintext, padding);
        for (const x of [base64, base64.replace(/=+$/, ''), urlSafe(base64, true), urlSafe(base64, false)]) {
          assert.equal(cipher.decrypt(x), plaintext, `${padding}, ${plaintext.length} bytes, x=${x}`);
        }
      }
    }
  });

  it('reads a PKCS#7 text that fills its blocks (a whole block of padding after it)', () => {
    const plaintext = `{"k":"${'z'.repeat(8)}"}`;
    assert.equal(Buffer.byteLength(plaintext), 16);
    const x = urlSafe(encrypt(plaintext, 'pkcs7'), false);
    assert.deepEqual([...rawDecrypt(x).subarray(16)], Array(16).fill(0x10), 'a second block, all padding');
    assert.equal(cipher.decrypt(x), plaintext);
  });

  it('reads non-ASCII text, whatever the padding (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 20 }), {
          maxKeys: 4,
        }),
        fc.constantFrom(...paddings),
        fc.boolean(),
        (object, padding, keepEquals) => {
          const plaintext = JSON.stringify(object);
          assert.equal(cipher.decrypt(urlSafe(encrypt(plaintext, padding), keepEquals)), plaintext);
        },
      ),
    );
  });

  it('writes space-padded AES in URL-safe base64 without `=`, which the other side reads', () => {
    for (const plaintext of [...objectsOfEveryLength, '{"s":"é"}', '{"s":"éééé"}', '{"s":"€€€€€€€€"}']) {
      const x = cipher.encrypt(plaintext);
      assert.match(x, /^[A-Za-z0-9_-]+$/, 'URL-safe alphabet, no `=`');
      const raw = rawDecrypt(x);
      const bytes = Buffer.byteLength(plaintext);
      assert.equal(raw.length, Math.max(16, Math.ceil(bytes / 16) * 16), 'whole blocks, at least one');
      assert.equal(raw.subarray(0, bytes).toString('utf8'), plaintext);
      assert.ok(
        raw.subarray(bytes).every((byte) => byte === 0x20),
        'padded with spaces only',
      );
    }
  });

  it('reads back what it writes (property)', () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        const plaintext = JSON.stringify({ v: JSON.parse(json) });
        assert.equal(cipher.decrypt(cipher.encrypt(plaintext)), plaintext);
      }),
    );
  });

  it('refuses what is not base64 of whole AES blocks', () => {
    const good = urlSafe(encrypt('{"action":49}', 'spaces'), false);
    const refused: Array<[string, string]> = [
      ['', 'empty'],
      ['====', 'padding only'],
      [`${good}===`, 'three `=`'],
      [`${good.slice(0, 10)}=${good.slice(10)}`, '`=` inside'],
      [`${good} `, 'a trailing space'],
      [` ${good}`, 'a leading space'],
      [`${good.slice(0, 10)} ${good.slice(11)}`, 'a space where a `+` was (form-decoded standard base64)'],
      [`${good}.`, 'a dot'],
      [`${good}\n`, 'a newline'],
      [good.slice(0, -1), 'one character short: not a whole block'],
      [`${good}AAAA`, 'three bytes more: not a whole block'],
      ['AAAAAAAAAAAAAAAAAAAA', '15 bytes'],
      [Buffer.alloc(8).toString('base64'), 'half a block'],
    ];
    for (const [x, why] of refused) assert.equal(cipher.decrypt(x), undefined, why);
  });

  it('refuses a text that does not decrypt to UTF-8', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]); // `{`, two bytes no UTF-8 text has, `}`
    const aes = createCipheriv('aes-128-cbc', Buffer.from(KEY, 'latin1'), Buffer.from(IV, 'latin1'));
    const x = urlSafe(Buffer.concat([aes.update(bytes), aes.final()]).toString('base64'), false);
    assert.equal(cipher.decrypt(x), undefined);
  });

  it('does not read another key’s text as the plaintext', () => {
    const plaintext = '{"action":49,"parent":"testag"}';
    for (const padding of paddings) {
      const x = urlSafe(encrypt(plaintext, padding, 'Another-key-0016'), false);
      assert.notEqual(cipher.decrypt(x), plaintext, padding);
      const wrongIv = urlSafe(encrypt(plaintext, padding, KEY, 'Another-iv--0016'), false);
      const read = cipher.decrypt(wrongIv);
      assert.notEqual(read, plaintext, `${padding}: a wrong IV garbles the first block`);
    }
  });
});
