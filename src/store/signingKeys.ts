import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

export interface StoredKeyPair {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** SubjectPublicKeyInfo DER, base64. */
  publicKey: string;
}

/** Key pairs every process signs with, made once and shared through the database. */
export class SigningKeyRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Stores the pair unless one with this name exists, then returns the stored one (the first made wins). */
  async insertIfAbsent(name: string, pair: StoredKeyPair, now: number): Promise<StoredKeyPair> {
    await this.db
      .insertInto('signing_keys')
      .values({ name, private_key: pair.privateKey, public_key: pair.publicKey, created_at: now })
      .onConflict((c) => c.column('name').doNothing())
      .execute();
    const stored = await this.find(name);
    if (!stored) throw new Error(`signing key ${name} vanished after it was stored`);
    return stored;
  }

  async find(name: string): Promise<StoredKeyPair | undefined> {
    const row = await this.db.selectFrom('signing_keys').selectAll().where('name', '=', name).executeTakeFirst();
    return row && { privateKey: row.private_key, publicKey: row.public_key };
  }
}
