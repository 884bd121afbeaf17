import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, exportJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { OklpClient, OklpConfig } from '../../config/schema.js';
import type { Clock } from '../../platform/clock.js';
import { uniqueHex32 } from '../../platform/ids.js';
import type { SigningKey } from '../../platform/signingKey.js';

/** The one scope of the game API. */
export const REPORT_SCOPE = 'olp-report-api';

/** A bearer token the game API does not accept, and why. */
export class TokenRefusal extends Error {}

/** Verified tokens kept so each is checked with RSA once; bounded, cleared when full. */
const VERIFIED_CACHE_SIZE = 10_000;
/** A webhook token is reused until this long before it expires. */
const WEBHOOK_TOKEN_SECONDS = 300;

/**
 * The platform's RS256 tokens, Keycloak style: access tokens for games (client credentials),
 * and the tokens on webhooks to games, all signed with the realm's one key pair.
 */
export class PlatformTokens {
  readonly keyId: string;
  /** Each client with the SHA-256 of its secret, so secrets of any length compare in constant time. */
  private readonly clients: Map<string, { client: OklpClient; secretDigest: Buffer }>;
  private jwksCache?: Promise<{ keys: JWK[] }>;
  private readonly verified = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly webhookTokens = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly key: SigningKey,
    private readonly oklp: OklpConfig,
    private readonly clock: Clock,
  ) {
    this.clients = new Map(
      oklp.clients.map((client) => [client.clientId, { client, secretDigest: sha256(client.clientSecret) }]),
    );
    this.keyId = createHash('sha256').update(key.publicKeyDer).digest('base64url').slice(0, 22);
  }

  /** The client whose id and secret these are, or undefined (compared in constant time). */
  authenticateClient(clientId: string, secret: string): OklpClient | undefined {
    const known = this.clients.get(clientId);
    if (!known) return undefined;
    return timingSafeEqual(sha256(secret), known.secretDigest) ? known.client : undefined;
  }

  async issueAccessToken(clientId: string): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = this.oklp.tokenLifetimeSeconds;
    const token = await this.sign(
      { typ: 'Bearer', azp: clientId, scope: REPORT_SCOPE },
      { subject: `service-account-${clientId}`, lifetime: expiresIn },
    );
    return { token, expiresIn };
  }

  /** The Bearer token on webhooks to `clientId`, addressed to it (`aud`). */
  async webhookToken(clientId: string): Promise<string> {
    const now = this.clock.now();
    const cached = this.webhookTokens.get(clientId);
    if (cached && cached.renewAt > now) return cached.token;
    const token = await this.sign(
      { typ: 'Bearer', azp: this.oklp.realm },
      { subject: this.oklp.realm, audience: clientId, lifetime: WEBHOOK_TOKEN_SECONDS },
    );
    this.webhookTokens.set(clientId, { token, renewAt: now + (WEBHOOK_TOKEN_SECONDS / 2) * 1000 });
    return token;
  }

  /**
   * The client an access token was issued to. Checks the RS256 signature with the realm key,
   * the expiry, the issuer, the scope, and that the client is still configured.
   */
  async verifyAccessToken(token: string): Promise<string> {
    const now = this.clock.now();
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt <= now) {
        this.verified.delete(token);
        throw new TokenRefusal('the access token has expired; request a new one');
      }
      return this.knownClient(cached.clientId);
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: ['RS256'],
        issuer: this.oklp.issuer,
        requiredClaims: ['exp', 'azp'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw new TokenRefusal(describeJoseError(error));
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(REPORT_SCOPE)) throw new TokenRefusal(`the access token lacks the ${REPORT_SCOPE} scope`);
    const clientId = String(payload.azp);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, { clientId, expiresAt: Number(payload.exp) * 1000 });
    return this.knownClient(clientId);
  }

  /** The realm's public key as a JSON Web Key Set (`/protocol/openid-connect/certs`). */
  jwks(): Promise<{ keys: JWK[] }> {
    this.jwksCache ??= exportJWK(this.key.publicKey).then((jwk) => ({
      keys: [{ ...jwk, kid: this.keyId, alg: 'RS256', use: 'sig' }],
    }));
    return this.jwksCache;
  }

  private knownClient(clientId: string): string {
    if (!this.clients.has(clientId)) throw new TokenRefusal(`client ${clientId} is not known to this server`);
    return clientId;
  }

  private sign(
    claims: Record<string, unknown>,
    options: { subject: string; audience?: string; lifetime: number },
  ): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keyId })
      .setIssuer(this.oklp.issuer)
      .setSubject(options.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + options.lifetime)
      .setJti(uniqueHex32());
    if (options.audience !== undefined) jwt.setAudience(options.audience);
    return jwt.sign(this.key.privateKey);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the access token has expired; request a new one';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'the access token signature does not verify with the realm key';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the access token is not valid: ${error.message}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the access token must be signed with RS256';
  return 'the access token is not a well-formed JWT';
}
