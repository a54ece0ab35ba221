import { ManualClock } from '@tradepool/domain';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_SEC, AccessTokens } from './access-tokens';

const SECRET = 'access-token-test-secret-0123456789abcdef';
const CLAIMS = {
  userId: 'u1',
  role: 'INVESTOR',
  sessionId: 's1',
  version: 0,
  pendingTotpEnrollment: false,
} as const;

describe('AccessTokens.verify', () => {
  it('a token verified before is still refused from the second its exp names, and again after', async () => {
    const clock = new ManualClock(new Date('2026-11-28T10:00:00Z'));
    const tokens = new AccessTokens(SECRET, clock);
    const { token, expiresAt } = await tokens.issue(CLAIMS);
    expect(await tokens.verify(token)).toEqual({ ...CLAIMS, expiresAt });
    clock.set(expiresAt.getTime() - 1);
    expect(await tokens.verify(token)).toEqual({ ...CLAIMS, expiresAt });
    clock.set(expiresAt);
    expect(await tokens.verify(token)).toBeNull();
    // Seen again after expiry (and after the clock went back, as a test clock may): checked like a new one.
    clock.set(expiresAt.getTime() - ACCESS_TOKEN_TTL_SEC * 1000);
    expect(await tokens.verify(token)).toEqual({ ...CLAIMS, expiresAt });
  });

  it('honours nbf on every use, not only the first', async () => {
    const clock = new ManualClock(new Date('2026-11-28T10:00:00Z'));
    const tokens = new AccessTokens(SECRET, clock);
    const nowSec = Math.floor(clock.now().getTime() / 1000);
    const token = await new SignJWT({ role: 'INVESTOR', sid: 's1', ver: 0 })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('u1')
      .setAudience('tradepool:api')
      .setIssuer('tradepool')
      .setIssuedAt(nowSec)
      .setNotBefore(nowSec + 60)
      .setExpirationTime(nowSec + 600)
      .sign(new TextEncoder().encode(SECRET));
    expect(await tokens.verify(token)).toBeNull();
    clock.advance(60_000);
    expect(await tokens.verify(token)).not.toBeNull();
    clock.advance(-1000);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a tampered copy of a token it accepted, and tokens signed with another secret', async () => {
    const clock = new ManualClock(new Date('2026-11-28T10:00:00Z'));
    const tokens = new AccessTokens(SECRET, clock);
    const { token } = await tokens.issue(CLAIMS);
    expect(await tokens.verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const admin = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
    expect(await tokens.verify(`${header}.${admin}.${signature}`)).toBeNull();
    expect(await tokens.verify(`${token}x`)).toBeNull();
    const other = new AccessTokens(`${SECRET}-other`, clock);
    expect(await other.verify(token)).toBeNull();
  });
});
