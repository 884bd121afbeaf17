import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify, SignJWT, generateKeyPair, createRemoteJWKSet } from 'jose';
import { backends } from '../../support/backends.js';
import {
  GameClient,
  getJson,
  type OklpFixture,
  oklpFixture,
  pollGame,
  REALM,
  realmPublicKey,
} from '../../support/oklp.js';
import { startServer } from '../../support/servers.js';
import { sleep } from '../../support/wait.js';

const PUBLIC_URL = 'https://oklp.example.test';
const ISSUER = `${PUBLIC_URL}/auth/realms/${REALM}`;

const credentials = {
  grant_type: 'client_credentials',
  scope: 'olp-report-api',
  client_id: pollGame.clientId,
  client_secret: pollGame.clientSecret,
};

for (const backend of backends) {
  describe(`OkLetsPlay tokens and keys [${backend.name}]`, () => {
    let f: OklpFixture;
    before(async () => {
      f = await oklpFixture(backend, { oklp: { publicUrl: PUBLIC_URL } });
    });
    after(() => f.close());

    it('issues an RS256 access token that verifies with the published public_key', async () => {
      const reply = await f.game.requestToken(credentials);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.token_type, 'Bearer');
      assert.equal(reply.body.expires_in, 300);
      assert.equal(reply.body.scope, 'olp-report-api');
      assert.equal(reply.headers.get('cache-control'), 'no-store');

      const realm = await getJson(`${f.server.url}/auth/realms/${REALM}`);
      assert.equal(realm.realm, REALM);
      assert.match(realm.public_key, /^MIIB[A-Za-z0-9+/]+=*$/, 'base64 DER SubjectPublicKeyInfo');
      const { payload, protectedHeader } = await jwtVerify(
        reply.body.access_token,
        await realmPublicKey(f.server.url),
        {
          algorithms: ['RS256'],
          issuer: ISSUER,
        },
      );
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.azp, pollGame.clientId);
      assert.equal(payload.scope, 'olp-report-api');
      assert.equal(payload.exp! - payload.iat!, 300);
      assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 60);
      assert.match(String(payload.jti), /^[0-9a-f]{32}$/);
      const second = await f.game.requestToken(credentials);
      const { payload: again } = await jwtVerify(second.body.access_token, await realmPublicKey(f.server.url));
      assert.notEqual(again.jti, payload.jti, 'every token has its own jti');
    });

    it('accepts client_secret_basic and a missing scope; publishes discovery and the key set', async () => {
      const basic = Buffer.from(`${pollGame.clientId}:${pollGame.clientSecret}`).toString('base64');
      const reply = await f.game.requestToken(
        { grant_type: 'client_credentials' },
        { authorization: `Basic ${basic}` },
      );
      assert.equal(reply.status, 200, JSON.stringify(reply.body));

      const discovery = await getJson(`${f.server.url}/auth/realms/${REALM}/.well-known/openid-configuration`);
      assert.equal(discovery.issuer, ISSUER);
      assert.equal(discovery.token_endpoint, `${ISSUER}/protocol/openid-connect/token`);
      const jwks = createRemoteJWKSet(new URL(`${f.server.url}/auth/realms/${REALM}/protocol/openid-connect/certs`));
      const { payload } = await jwtVerify(reply.body.access_token, jwks, { issuer: ISSUER });
      assert.equal(payload.azp, pollGame.clientId);
      assert.equal(
        decodeProtectedHeader(reply.body.access_token).kid,
        (await getJson(`${f.server.url}/auth/realms/${REALM}/protocol/openid-connect/certs`)).keys[0].kid,
      );
    });

    it('refuses bad client credentials, grants and scopes with OAuth2 errors', async () => {
      const cases: Array<[Record<string, string>, number, string]> = [
        [{ ...credentials, client_secret: 'wrong-secret-wrong-secret' }, 401, 'invalid_client'],
        [{ ...credentials, client_id: 'no-such-game' }, 401, 'invalid_client'],
        [{ ...credentials, client_secret: '' }, 401, 'invalid_client'],
        [{ grant_type: 'client_credentials', client_secret: 'x' }, 400, 'invalid_request'],
        [{ ...credentials, grant_type: 'password' }, 400, 'unsupported_grant_type'],
        [{ ...credentials, grant_type: '' }, 400, 'invalid_request'],
        [{ ...credentials, scope: 'openid admin' }, 400, 'invalid_scope'],
      ];
      for (const [form, status, error] of cases) {
        const reply = await f.game.requestToken(form);
        assert.equal(reply.status, status, JSON.stringify(form));
        assert.equal(reply.body.error, error, JSON.stringify(form));
        assert.equal(typeof reply.body.error_description, 'string');
      }
      const json = await fetch(`${f.server.url}/auth/realms/${REALM}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      assert.equal(json.status, 400);
      assert.equal(((await json.json()) as any).error, 'invalid_request');
      const unknownRealm = await new GameClient(f.server.url, pollGame, 'nope').requestToken(credentials);
      assert.equal(unknownRealm.status, 404);
      assert.equal((await fetch(`${f.server.url}/auth/realms/nope`)).status, 404);
    });

    it('checks the Bearer token on every game API call: presence, form, signature, algorithm', async () => {
      const path = '/matches/active';
      const missing = await f.game.call('GET', path, undefined, { token: null });
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error.code, 'unauthorized');
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await f.game.call('GET', path, undefined, { token: 'not-a-jwt' })).status, 401);

      // Signed with another key, everything else right.
      const { privateKey } = await generateKeyPair('RS256');
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ azp: pollGame.clientId, scope: 'olp-report-api' })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(privateKey);
      const refused = await f.game.call('GET', path, undefined, { token: forged });
      assert.equal(refused.status, 401);
      assert.match(refused.body.error.message, /signature/);

      // An alg=none token with the real claims.
      const real = await f.game.accessToken();
      const [, payload] = real.split('.');
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      assert.equal((await f.game.call('GET', path, undefined, { token: none })).status, 401);

      assert.equal((await f.game.call('GET', path)).status, 200, 'the real token passes');
    });

    it('refuses a token from a server with another issuer, though signed with the same stored key', async () => {
      const sameDatabase = await startServer({
        storage: f.database.storage,
        oklp: { realm: REALM, publicUrl: 'https://elsewhere.example.test', clients: [pollGame] },
      });
      try {
        const elsewhere = new GameClient(sameDatabase.url, pollGame);
        const foreign = await elsewhere.accessToken();
        const { payload } = await jwtVerify(foreign, await realmPublicKey(f.server.url), { algorithms: ['RS256'] });
        assert.equal(payload.iss, `https://elsewhere.example.test/auth/realms/${REALM}`, 'same key: it verifies');
        const reply = await f.game.call('GET', '/matches/active', undefined, { token: foreign });
        assert.equal(reply.status, 401);
        assert.match(reply.body.error.message, /iss/);
      } finally {
        await sameDatabase.close();
      }
    });

    it('keeps the key pair in the database: a restarted server publishes the same key', async () => {
      const before = (await getJson(`${f.server.url}/auth/realms/${REALM}`)).public_key;
      const restarted = await startServer({ storage: f.database.storage, oklp: { realm: REALM, clients: [pollGame] } });
      try {
        const after = (await getJson(`${restarted.url}/auth/realms/${REALM}`)).public_key;
        assert.equal(after, before);
      } finally {
        await restarted.close();
      }
    });

    it('refuses an expired access token', async () => {
      const shortLived = await startServer({
        storage: f.database.storage,
        oklp: { realm: REALM, clients: [pollGame], tokenLifetimeSeconds: 1 },
      });
      try {
        const game = new GameClient(shortLived.url, pollGame);
        const token = await game.accessToken();
        assert.equal((await game.call('GET', '/matches/active')).status, 200);
        await sleep(2100);
        const reply = await game.call('GET', '/matches/active', undefined, { token });
        assert.equal(reply.status, 401);
        assert.match(reply.body.error.message, /expired/);
      } finally {
        await shortLived.close();
      }
    });
  });
}
