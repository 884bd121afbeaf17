import { createCipheriv, createDecipheriv } from 'node:crypto';

const BLOCK = 16;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JDB's `x`: a JSON text, AES-128-CBC with the agent's key and IV (16-character strings used
 * as raw bytes), in URL-safe base64. Clients pad the plaintext with spaces (the documented
 * way), zero bytes or PKCS#7; all three are read.
 */
export class AgentCipher {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(key: string, iv: string) {
    this.key = Buffer.from(key, 'utf8');
    this.iv = Buffer.from(iv, 'utf8');
  }

  /** Pads with spaces to whole blocks, as JDB documents; base64url without `=`. */
  encrypt(plaintext: string): string {
    const data = Buffer.from(plaintext, 'utf8');
    const padded = Buffer.alloc(Math.max(BLOCK, Math.ceil(data.length / BLOCK) * BLOCK), 0x20);
    data.copy(padded);
    const cipher = createCipheriv('aes-128-cbc', this.key, this.iv).setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64url');
  }

  /**
   * The plaintext, or undefined when `x` is not base64 (either alphabet, `=` optional) of whole
   * AES blocks or does not decrypt to UTF-8. Trailing bytes up to 0x20 are dropped: that
   * removes space, zero-byte and PKCS#7 padding (pad bytes 0x01–0x10) alike.
   */
  decrypt(x: string): string | undefined {
    if (!/^[A-Za-z0-9_+/-]+={0,2}$/.test(x)) return undefined;
    const data = Buffer.from(x, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) return undefined;
    const decipher = createDecipheriv('aes-128-cbc', this.key, this.iv).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    let end = plain.length;
    while (end > 0 && plain[end - 1]! <= 0x20) end -= 1;
    try {
      return strictUtf8.decode(plain.subarray(0, end));
    } catch {
      return undefined;
    }
  }
}
