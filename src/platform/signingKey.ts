import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKeyRepository } from '../store/signingKeys.js';
import type { Clock } from './clock.js';

/** An RSA key pair every process shares: made by the first process that needs it, kept in the database. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER, base64: how Keycloak-style realms publish their key. */
  publicKeyDer: string;
}

const makeKeyPair = promisify(generateKeyPair);

/**
 * The stored key pair `name`, or a new one stored first. Two processes starting at once may
 * both make one; the first stored wins and both use it.
 */
export async function loadSigningKey(keys: SigningKeyRepository, name: string, clock: Clock): Promise<SigningKey> {
  let stored = await keys.find(name);
  if (!stored) {
    const pair = await makeKeyPair('rsa', { modulusLength: 2048 });
    stored = await keys.insertIfAbsent(
      name,
      {
        privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      },
      clock.now(),
    );
  }
  return {
    privateKey: createPrivateKey(stored.privateKey),
    publicKey: createPublicKey({ key: Buffer.from(stored.publicKey, 'base64'), format: 'der', type: 'spki' }),
    publicKeyDer: stored.publicKey,
  };
}
