import { type Db, newId, type User } from '@tradepool/db';
import { AppError, type ChangePasswordInput, type LoginInput, type RegisterInput } from '@tradepool/domain';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps, type SessionUser } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { hashRefreshToken, insertToken, revokeSessions, startSession } from './refresh-tokens';
import {
  checkSecondFactor,
  createEnrollment,
  lockedError,
  matchingStep,
  openSeed,
  replaceRecoveryCodes,
} from './totp';
import { displayNameFromEmail, findUserByEmail, findUserById, type PublicUser, publicUser } from './users';

export interface IssuedSession {
  user: PublicUser;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

function needsTotpEnrollment(deps: ServiceDeps, user: User): boolean {
  return (
    deps.config.requireAdmin2fa &&
    (user.role === 'ADMIN' || user.role === 'MANAGER') &&
    user.totpEnabledAt === null
  );
}

function actorOf(user: Pick<User, 'id' | 'email'>) {
  return { id: user.id, email: user.email };
}

async function issueAccess(deps: ServiceDeps, user: User, sessionId: string) {
  return deps.tokens.issue({
    userId: user.id,
    role: user.role as SessionUser['role'],
    sessionId,
    version: user.tokenVersion,
    pendingTotpEnrollment: needsTotpEnrollment(deps, user),
  });
}

async function sessionFor(
  deps: ServiceDeps,
  user: User,
  refresh: { token: string; sessionId: string; expiresAt: Date },
): Promise<IssuedSession> {
  const access = await issueAccess(deps, user, refresh.sessionId);
  return {
    user: publicUser(user, deps.clock),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt,
    sessionId: refresh.sessionId,
  };
}

function throttled(retryAfterSec: number, what: string): AppError {
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Too many ${what}: try again in ${Math.ceil(retryAfterSec / 60)} minute(s)`,
    {
      retryAfterSec,
    },
  );
}

/**
 * Runs one password check under the sign-in throttles (CONTRACT §8). The attempt is counted against the client IP and
 * the account *before* the hash is verified, in one atomic step each, so attempts arriving at once or in one batch
 * cannot all pass a check that has not counted them yet: with LOGIN_FAILURES_PER_15_MIN=N at most N wrong passwords
 * for one account are verified per 15-minute window (the window starts at the first attempt counted after the last one
 * ended), and the right password after that is refused too. A correct password gives both attempts back. Unknown
 * emails are counted per email and per IP like any other, so spraying them cannot spend more than the IP's budget of
 * password hashes either.
 */
async function throttledPasswordCheck(
  ctx: Context,
  accountKey: string,
  verify: () => Promise<boolean>,
): Promise<boolean> {
  const ipKey = ctx.ip ?? 'unknown';
  // A refused attempt verifies no hash, so it is given back: the counts are the passwords actually checked.
  const perIp = await ctx.limits.loginPerIp.hit(ipKey);
  if (!perIp.allowed) {
    await ctx.limits.loginPerIp.refund(ipKey);
    throw throttled(perIp.retryAfterSec, 'failed sign-ins from this address');
  }
  const perAccount = await ctx.limits.loginPerAccount.hit(accountKey);
  if (!perAccount.allowed) {
    await Promise.all([ctx.limits.loginPerIp.refund(ipKey), ctx.limits.loginPerAccount.refund(accountKey)]);
    throw throttled(perAccount.retryAfterSec, 'failed sign-ins for this account');
  }
  const ok = await verify();
  if (ok) {
    await Promise.all([ctx.limits.loginPerIp.refund(ipKey), ctx.limits.loginPerAccount.refund(accountKey)]);
  }
  return ok;
}

/** Creates an INVESTOR account and signs it in. Only "email taken" reveals that an account exists. */
export async function register(ctx: Context, input: RegisterInput): Promise<IssuedSession> {
  const gate = await ctx.limits.registrationsPerIp.hit(ctx.ip ?? 'unknown');
  if (!gate.allowed) {
    throw throttled(gate.retryAfterSec, 'new accounts from this address');
  }
  const { users } = ctx.database.schema;
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const result = await ctx.database.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        id: newId(),
        email: input.email,
        passwordHash,
        displayName: input.displayName ?? displayNameFromEmail(input.email),
        role: 'INVESTOR',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    const user = inserted[0];
    if (!user) {
      return null;
    }
    const refresh = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.registered',
      target: { type: 'user', id: user.id },
      after: { email: user.email, role: user.role, displayName: user.displayName },
      ip: ctx.ip,
    });
    return { user, refresh };
  });
  if (!result) {
    throw new AppError('CONFLICT', 'An account with this email already exists', {
      fields: { email: 'is already registered' },
    });
  }
  return sessionFor(ctx, result.user, result.refresh);
}

/**
 * Password (and, when enabled, TOTP or a recovery code) for a session. Unknown email and wrong password answer the
 * same; attempts are throttled per account whatever the client IP, and per IP (`throttledPasswordCheck`).
 */
export async function login(ctx: Context, input: LoginInput): Promise<IssuedSession> {
  const user = await findUserByEmail(ctx.database.db, ctx.database, input.email);
  const passwordOk = await throttledPasswordCheck(ctx, input.email, () =>
    user ? verifyPassword(user.passwordHash, input.password) : verifyAgainstDummy(input.password),
  );
  if (!user || !passwordOk) {
    await ctx.database.transaction((tx) =>
      recordAudit(ctx, tx, {
        actor: user ? actorOf(user) : null,
        action: 'auth.login_failed',
        target: user ? { type: 'user', id: user.id } : null,
        after: { email: input.email, reason: user ? 'password' : 'unknown_email' },
        ip: ctx.ip,
      }),
    );
    throw new AppError('UNAUTHORIZED', INVALID_CREDENTIALS);
  }
  if (user.disabledAt) {
    throw new AppError('FORBIDDEN', 'This account is disabled. Contact support.');
  }
  if (user.totpEnabledAt) {
    if (!input.totp) {
      throw new AppError('UNAUTHORIZED', 'Two-factor code required', { details: { totpRequired: true } });
    }
    const code = input.totp;
    const outcome = await ctx.database.transaction(async (tx) => {
      const fresh = await findUserById(tx, ctx.database, user.id);
      if (!fresh) {
        return { ok: false as const, locked: false };
      }
      const check = await checkSecondFactor(ctx, tx, fresh, code);
      if (!check.ok && !check.locked) {
        await recordAudit(ctx, tx, {
          actor: actorOf(user),
          action: 'auth.totp_failed',
          target: { type: 'user', id: user.id },
          ip: ctx.ip,
        });
      }
      return check;
    });
    if (!outcome.ok) {
      if (outcome.locked) {
        const locked = await findUserById(ctx.database.db, ctx.database, user.id);
        throw lockedError(locked ?? user, ctx.clock.now());
      }
      throw new AppError('UNAUTHORIZED', 'Invalid two-factor code', { details: { totpRequired: true } });
    }
  }
  const refresh = await ctx.database.transaction(async (tx) => {
    const issued = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'auth.login',
      target: { type: 'session', id: issued.sessionId },
      ip: ctx.ip,
    });
    return issued;
  });
  return sessionFor(ctx, user, refresh);
}

type RefreshOutcome =
  | { kind: 'ok'; user: User; token: string; sessionId: string; expiresAt: Date }
  | { kind: 'reuse'; userId: string; sessionId: string }
  | { kind: 'invalid' };

/**
 * Spends a refresh token for a new pair. A token that was already spent means it leaked (or was replayed): the whole
 * family is revoked, ending the legitimate session too, which is the point.
 */
export async function refresh(ctx: Context, refreshToken: string): Promise<IssuedSession> {
  const { refreshTokens } = ctx.database.schema;
  const now = ctx.clock.now();
  const outcome = await ctx.database.transaction(async (tx): Promise<RefreshOutcome> => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)))
      .limit(1);
    if (!row || row.revokedAt) {
      return { kind: 'invalid' };
    }
    const spend = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    if (spend.length === 0) {
      await revokeSessions(ctx, tx, {
        userId: row.userId,
        familyId: row.familyId,
        reason: 'refresh_token_reuse',
      });
      const owner = await findUserById(tx, ctx.database, row.userId);
      await recordAudit(ctx, tx, {
        actor: owner ? actorOf(owner) : null,
        action: 'auth.refresh_reuse_detected',
        target: { type: 'session', id: row.familyId },
        ip: ctx.ip,
      });
      return { kind: 'reuse', userId: row.userId, sessionId: row.familyId };
    }
    if (row.expiresAt.getTime() <= now.getTime() || row.familyExpiresAt.getTime() <= now.getTime()) {
      return { kind: 'invalid' };
    }
    const user = await findUserById(tx, ctx.database, row.userId);
    if (!user || user.disabledAt) {
      return { kind: 'invalid' };
    }
    const next = await insertToken(ctx, tx, {
      userId: user.id,
      familyId: row.familyId,
      familyExpiresAt: row.familyExpiresAt,
      now,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    await tx.update(refreshTokens).set({ replacedById: next.id }).where(eq(refreshTokens.id, row.id));
    return { kind: 'ok', user, token: next.token, sessionId: next.sessionId, expiresAt: next.expiresAt };
  });
  if (outcome.kind === 'reuse') {
    ctx.sessionEvents.emit('revoked', {
      userId: outcome.userId,
      sessionId: outcome.sessionId,
      reason: 'refresh_token_reuse',
    });
    throw new AppError('UNAUTHORIZED', 'Session expired: sign in again');
  }
  if (outcome.kind === 'invalid') {
    throw new AppError('UNAUTHORIZED', 'Session expired: sign in again');
  }
  return sessionFor(ctx, outcome.user, outcome);
}

/** Ends the caller's session, and the session of `refreshToken` when given (it must be the caller's own). */
export async function logout(ctx: Context, input: { refreshToken?: string | undefined }): Promise<void> {
  const { refreshTokens } = ctx.database.schema;
  const families = new Map<string, string>();
  if (ctx.user) {
    families.set(ctx.user.sessionId, ctx.user.id);
  }
  if (input.refreshToken) {
    const [row] = await ctx.database.db
      .select({ familyId: refreshTokens.familyId, userId: refreshTokens.userId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(input.refreshToken)))
      .limit(1);
    if (row && (!ctx.user || row.userId === ctx.user.id)) {
      families.set(row.familyId, row.userId);
    }
  }
  if (families.size === 0) {
    return;
  }
  await ctx.database.transaction(async (tx) => {
    for (const [familyId, userId] of families) {
      const ended = await revokeSessions(ctx, tx, { userId, familyId, reason: 'logout' });
      if (ended > 0) {
        const user = await findUserById(tx, ctx.database, userId);
        await recordAudit(ctx, tx, {
          actor: user ? actorOf(user) : null,
          action: 'auth.logout',
          target: { type: 'session', id: familyId },
          ip: ctx.ip,
        });
      }
    }
  });
  for (const [sessionId, userId] of families) {
    ctx.sessionEvents.emit('revoked', { userId, sessionId, reason: 'logout' });
  }
}

/**
 * Resolves an access token to its user, checking what a signature alone cannot: the account still exists and is
 * enabled, the token predates no password/role change (tokenVersion), and its session has not been revoked.
 */
export async function authenticate(deps: ServiceDeps, token: string): Promise<SessionUser | null> {
  const claims = await deps.tokens.verify(token);
  if (!claims) {
    return null;
  }
  const { users, refreshTokens } = deps.database.schema;
  const [user] = await deps.database.db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
      tokenVersion: users.tokenVersion,
    })
    .from(users)
    .where(eq(users.id, claims.userId))
    .limit(1);
  if (!user || user.disabledAt || user.tokenVersion !== claims.version || user.role !== claims.role) {
    return null;
  }
  const [live] = await deps.database.db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.familyId, claims.sessionId),
        eq(refreshTokens.userId, user.id),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.familyExpiresAt, deps.clock.now()),
      ),
    )
    .limit(1);
  if (!live) {
    return null;
  }
  return {
    id: user.id,
    email: user.email,
    role: claims.role,
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
    pendingTotpEnrollment: claims.pendingTotpEnrollment,
  };
}

async function loadSelf(ctx: Context, handle: Db = ctx.database.db): Promise<User> {
  const sessionUser = requireUser(ctx);
  const user = await findUserById(handle, ctx.database, sessionUser.id);
  if (!user) {
    throw new AppError('UNAUTHORIZED', 'Sign in required');
  }
  return user;
}

export async function me(ctx: Context): Promise<PublicUser> {
  return publicUser(await loadSelf(ctx), ctx.clock);
}

export async function updateProfile(ctx: Context, input: { displayName: string }): Promise<PublicUser> {
  const { users } = ctx.database.schema;
  const updated = await ctx.database.transaction(async (tx) => {
    const before = await loadSelf(ctx, tx);
    const [after] = await tx
      .update(users)
      .set({ displayName: input.displayName, updatedAt: ctx.clock.now() })
      .where(eq(users.id, before.id))
      .returning();
    await recordAudit(ctx, tx, {
      actor: actorOf(before),
      action: 'user.profile_updated',
      target: { type: 'user', id: before.id },
      before: { displayName: before.displayName },
      after: { displayName: input.displayName },
      ip: ctx.ip,
    });
    return after ?? before;
  });
  return publicUser(updated, ctx.clock);
}

/**
 * Changes the password and ends every session (open sockets and streams included); the caller gets a fresh session
 * so the person who just changed it stays signed in on this device.
 */
export async function changePassword(ctx: Context, input: ChangePasswordInput): Promise<IssuedSession> {
  const { users } = ctx.database.schema;
  const current = await loadSelf(ctx);
  // A stolen access token gets no more password guesses than the sign-in form: the same per-account budget.
  if (
    !(await throttledPasswordCheck(ctx, current.email, () =>
      verifyPassword(current.passwordHash, input.currentPassword),
    ))
  ) {
    throw new AppError('BAD_REQUEST', 'Current password is incorrect', {
      fields: { currentPassword: 'is incorrect' },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const result = await ctx.database.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, tokenVersion: current.tokenVersion + 1, updatedAt: ctx.clock.now() })
      .where(eq(users.id, current.id))
      .returning();
    if (!user) {
      throw new AppError('NOT_FOUND', 'Account not found');
    }
    await revokeSessions(ctx, tx, { userId: user.id, reason: 'password_changed' });
    const refreshed = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.password_changed',
      target: { type: 'user', id: user.id },
      ip: ctx.ip,
    });
    return { user, refreshed };
  });
  ctx.sessionEvents.emit('revoked', { userId: current.id, reason: 'password_changed' });
  return sessionFor(ctx, result.user, result.refreshed);
}

export interface SessionSummary {
  id: string;
  current: boolean;
  startedAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** The caller's live sessions: one per token family that still has an unspent, unrevoked, unexpired token. */
export async function listSessions(ctx: Context): Promise<SessionSummary[]> {
  const user = requireUser(ctx);
  const { refreshTokens } = ctx.database.schema;
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .select()
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.userId, user.id),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.familyExpiresAt, now),
      ),
    );
  const families = new Map<string, typeof rows>();
  for (const row of rows) {
    families.set(row.familyId, [...(families.get(row.familyId) ?? []), row]);
  }
  const sessions: SessionSummary[] = [];
  for (const [familyId, tokens] of families) {
    const live = tokens.find((t) => t.usedAt === null && t.expiresAt.getTime() > now.getTime());
    if (!live) {
      continue;
    }
    const started = new Date(Math.min(...tokens.map((t) => t.createdAt.getTime())));
    sessions.push({
      id: familyId,
      current: familyId === user.sessionId,
      startedAt: started.toISOString(),
      lastUsedAt: live.createdAt.toISOString(),
      expiresAt: live.familyExpiresAt.toISOString(),
      ip: live.ip,
      userAgent: live.userAgent,
    });
  }
  return sessions.sort((a, b) => (a.current ? -1 : b.current ? 1 : b.lastUsedAt.localeCompare(a.lastUsedAt)));
}

export async function revokeSession(ctx: Context, sessionId: string): Promise<void> {
  const user = requireUser(ctx);
  const ended = await ctx.database.transaction(async (tx) => {
    const count = await revokeSessions(ctx, tx, {
      userId: user.id,
      familyId: sessionId,
      reason: 'revoked_by_user',
    });
    if (count > 0) {
      await recordAudit(ctx, tx, {
        actor: actorOf(user),
        action: 'session.revoked',
        target: { type: 'session', id: sessionId },
        ip: ctx.ip,
      });
    }
    return count;
  });
  if (ended === 0) {
    throw new AppError('NOT_FOUND', 'No such session');
  }
  ctx.sessionEvents.emit('revoked', { userId: user.id, sessionId, reason: 'revoked_by_user' });
}

/** Starts (or restarts) enrolment: a new secret, kept sealed until a code proves the authenticator has it. */
export async function beginTotpEnrollment(ctx: Context) {
  const { users } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
  }
  const enrollment = await createEnrollment(user.email);
  await ctx.database.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        totpSecretEnc: ctx.secrets.seal(enrollment.secret),
        totpLastUsedStep: null,
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)));
  });
  return enrollment;
}

/** Confirms enrolment with a code from the authenticator; returns the recovery codes, shown this once. */
export async function confirmTotpEnrollment(
  ctx: Context,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const { users } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
  }
  if (!user.totpSecretEnc) {
    throw new AppError('CONFLICT', 'Start two-factor setup first');
  }
  const step = matchingStep(openSeed(ctx, user.totpSecretEnc), user.email, code.trim(), ctx.clock.now());
  if (step === null) {
    throw new AppError(
      'BAD_REQUEST',
      'That code does not match: check the time on your device and try again',
      {
        fields: { code: 'does not match' },
      },
    );
  }
  const recoveryCodes = await ctx.database.transaction(async (tx) => {
    const enabled = await tx
      .update(users)
      .set({
        totpEnabledAt: ctx.clock.now(),
        totpLastUsedStep: step,
        totpFailures: 0,
        totpLockedUntil: null,
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)))
      .returning({ id: users.id });
    if (enabled.length === 0) {
      throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
    }
    const codes = await replaceRecoveryCodes(ctx, tx, user.id);
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.totp_enabled',
      target: { type: 'user', id: user.id },
      ip: ctx.ip,
    });
    return codes;
  });
  return { recoveryCodes };
}

/** The error for a refused code on an account page: 429 with the lock's remaining time, or 400 naming `code`. */
async function secondFactorRefusal(ctx: Context, user: User, result: { locked: boolean }): Promise<AppError> {
  if (result.locked) {
    return lockedError((await findUserById(ctx.database.db, ctx.database, user.id)) ?? user, ctx.clock.now());
  }
  return new AppError('BAD_REQUEST', 'Invalid two-factor code', { fields: { code: 'is invalid' } });
}

/** Turns 2FA off: needs the password and a current code (or a recovery code). */
export async function disableTotp(ctx: Context, input: { password: string; code: string }): Promise<void> {
  const { users, recoveryCodes } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (!user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is not enabled');
  }
  if (ctx.config.requireAdmin2fa && (user.role === 'ADMIN' || user.role === 'MANAGER')) {
    throw new AppError(
      'FORBIDDEN',
      'Two-factor authentication is required for your role and cannot be turned off',
    );
  }
  if (
    !(await throttledPasswordCheck(ctx, user.email, () => verifyPassword(user.passwordHash, input.password)))
  ) {
    throw new AppError('BAD_REQUEST', 'Password is incorrect', { fields: { password: 'is incorrect' } });
  }
  const outcome = await ctx.database.transaction(async (tx) => {
    const check = await checkSecondFactor(ctx, tx, user, input.code);
    if (!check.ok) {
      return check;
    }
    await tx
      .update(users)
      .set({ totpEnabledAt: null, totpSecretEnc: null, totpLastUsedStep: null, updatedAt: ctx.clock.now() })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.totp_disabled',
      target: { type: 'user', id: user.id },
      ip: ctx.ip,
    });
    return check;
  });
  if (!outcome.ok) {
    throw await secondFactorRefusal(ctx, user, outcome);
  }
}

/** Replaces the recovery codes (after a fresh TOTP code): the old ones stop working. */
export async function regenerateRecoveryCodes(
  ctx: Context,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await loadSelf(ctx);
  if (!user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is not enabled');
  }
  const outcome = await ctx.database.transaction(async (tx) => {
    const check = await checkSecondFactor(ctx, tx, user, code);
    if (!check.ok) {
      return { check, codes: [] as string[] };
    }
    const codes = await replaceRecoveryCodes(ctx, tx, user.id);
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.recovery_codes_regenerated',
      target: { type: 'user', id: user.id },
      ip: ctx.ip,
    });
    return { check, codes };
  });
  if (!outcome.check.ok) {
    throw await secondFactorRefusal(ctx, user, outcome.check);
  }
  return { recoveryCodes: outcome.codes };
}

export async function recoveryCodesLeft(ctx: Context): Promise<number> {
  const user = requireUser(ctx);
  const { recoveryCodes } = ctx.database.schema;
  const rows = await ctx.database.db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
