import type { Clock } from '@tradepool/domain';
import { errors as JoseErrors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../context';

export const ACCESS_TOKEN_TTL_SEC = 15 * 60;
const ALGORITHM = 'HS256';
const AUDIENCE = 'tradepool:api';
const ISSUER = 'tradepool';
const TOKEN_TYPE = 'at+jwt';
/** Verified tokens remembered per process; beyond this the oldest are forgotten (and verified again if seen). */
const VERIFIED_CACHE_SIZE = 10_000;

export interface AccessClaims {
  userId: string;
  role: Role;
  /** Session = refresh-token family. Revoking it ends this token too. */
  sessionId: string;
  /** users.tokenVersion when issued: password, role or status changes bump it, ending every older token. */
  version: number;
  /** Set while an ADMIN/MANAGER must still enrol 2FA: the token only opens the enrolment procedures. */
  pendingTotpEnrollment: boolean;
  expiresAt: Date;
}

/** A verified token's claims and the time window (Unix seconds) in which they hold. */
interface Verified {
  claims: AccessClaims;
  exp: number;
  nbf: number | undefined;
}

/**
 * Short-lived JWTs for API calls. The algorithm, audience, issuer and header `typ` are pinned on verification, so
 * `alg: none`, another algorithm, a token minted for another audience, or a refresh token passed as an access token
 * are all refused.
 *
 * A client sends the same token with every call for its 15 minutes, so each token's signature is checked once per
 * process: what a signature proves about an exact string never changes under one key. Only the time checks depend on
 * the moment, and they are made again on every use, as jose makes them (`nbf > now` and `exp <= now` refuse). Nothing
 * about the account or session is remembered here: `authenticate` checks those in the database on every call.
 */
export class AccessTokens {
  readonly #key: Uint8Array;
  readonly #verified = new Map<string, Verified>();

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  async issue(claims: Omit<AccessClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: Date }> {
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    const exp = nowSec + ACCESS_TOKEN_TTL_SEC;
    const token = await new SignJWT({
      role: claims.role,
      sid: claims.sessionId,
      ver: claims.version,
      ...(claims.pendingTotpEnrollment ? { mfa: 'enroll' } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(claims.userId)
      .setAudience(AUDIENCE)
      .setIssuer(ISSUER)
      .setIssuedAt(nowSec)
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or null for anything else (bad signature, expired, wrong type, malformed). */
  async verify(token: string): Promise<AccessClaims | null> {
    const known = this.#verified.get(token);
    if (known) {
      const nowSec = Math.floor(this.clock.now().getTime() / 1000);
      if (known.exp <= nowSec) {
        this.#verified.delete(token);
        return null;
      }
      return known.nbf !== undefined && known.nbf > nowSec ? null : known.claims;
    }
    const verified = await this.#verifySignature(token);
    if (!verified) {
      return null;
    }
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
      const oldest = this.#verified.keys().next();
      if (!oldest.done) {
        this.#verified.delete(oldest.value);
      }
    }
    this.#verified.set(token, verified);
    return verified.claims;
  }

  async #verifySignature(token: string): Promise<Verified | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [ALGORITHM],
        audience: AUDIENCE,
        issuer: ISSUER,
        typ: TOKEN_TYPE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, role, sid, ver, exp, nbf, mfa } = payload;
      if (
        typeof sub !== 'string' ||
        (role !== 'INVESTOR' && role !== 'MANAGER' && role !== 'ADMIN') ||
        typeof sid !== 'string' ||
        typeof ver !== 'number' ||
        typeof exp !== 'number'
      ) {
        return null;
      }
      const claims: AccessClaims = {
        userId: sub,
        role,
        sessionId: sid,
        version: ver,
        pendingTotpEnrollment: mfa === 'enroll',
        expiresAt: new Date(exp * 1000),
      };
      return { claims, exp, nbf };
    } catch (error) {
      if (error instanceof JoseErrors.JOSEError) {
        return null;
      }
      throw error;
    }
  }
}
