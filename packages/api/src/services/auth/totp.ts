import { createHmac, randomBytes } from 'node:crypto';
import { type Db, newId, type User } from '@tradepool/db';
import { AppError } from '@tradepool/domain';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { ServiceDeps } from '../../context';

export const TOTP_PERIOD_SEC = 30;
/** Consecutive wrong codes before second-factor checks are locked. */
export const TOTP_MAX_FAILURES = 5;
export const TOTP_LOCK_MS = 15 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function totpFor(secretBase32: string, email: string): TOTP {
  return new TOTP({
    issuer: 'Tradepool',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SEC,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** Recovery codes are random enough that a keyed hash (peppered with SECRETS_KEY) is the right store for them. */
export function hashRecoveryCode(deps: Pick<ServiceDeps, 'config'>, code: string): string {
  const normalized = code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return createHmac('sha256', deps.config.secretsKey).update(`recovery:${normalized}`).digest('hex');
}

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export interface TotpEnrollment {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

export async function createEnrollment(email: string): Promise<TotpEnrollment> {
  const secret = new Secret({ size: 20 }).base32;
  const otpauthUrl = totpFor(secret, email).toString();
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, {
    margin: 1,
    width: 240,
    errorCorrectionLevel: 'M',
  });
  return { secret, otpauthUrl, qrCodeDataUrl };
}

/** The time step a code matches (±1 step of drift), or null. */
export function matchingStep(secretBase32: string, email: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) {
    return null;
  }
  const delta = totpFor(secretBase32, email).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) {
    return null;
  }
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SEC) + delta;
}

/** Issues a fresh set of recovery codes, replacing any earlier set. Returns the plain codes: shown once, never stored. */
export async function replaceRecoveryCodes(deps: ServiceDeps, tx: Db, userId: string): Promise<string[]> {
  const { recoveryCodes } = deps.database.schema;
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = deps.clock.now();
  await tx
    .insert(recoveryCodes)
    .values(
      codes.map((code) => ({ id: newId(), userId, codeHash: hashRecoveryCode(deps, code), createdAt: now })),
    );
  return codes;
}

/**
 * The TOTP seed, or a clear refusal when it was sealed under another SECRETS_KEY (JWT_SECRET changed without
 * SECRETS_KEY being set): the code cannot be checked, and saying so beats a bare 500.
 */
export function openSeed(deps: Pick<ServiceDeps, 'secrets' | 'log'>, sealed: string): string {
  try {
    return deps.secrets.open(sealed);
  } catch {
    deps.log.error('a TOTP seed cannot be decrypted with the current SECRETS_KEY');
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'Two-factor codes cannot be checked on this server right now (its secrets key changed); contact support',
    );
  }
}

export type SecondFactorResult = { ok: true; method: 'totp' | 'recovery' } | { ok: false; locked: boolean };

/**
 * Checks a TOTP or recovery code for a user with 2FA enabled, inside the caller's transaction, and records the
 * outcome: a TOTP step is accepted once (replays are refused), a recovery code is spent, failures count towards a
 * lockout. Callers must commit even when the result is a failure, so failures are remembered.
 */
export async function checkSecondFactor(
  deps: ServiceDeps,
  tx: Db,
  user: User,
  code: string,
): Promise<SecondFactorResult> {
  const { users, recoveryCodes } = deps.database.schema;
  const now = deps.clock.now();
  if (user.totpLockedUntil && user.totpLockedUntil.getTime() > now.getTime()) {
    return { ok: false, locked: true };
  }
  if (!user.totpSecretEnc || !user.totpEnabledAt) {
    return { ok: false, locked: false };
  }
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    const step = matchingStep(openSeed(deps, user.totpSecretEnc), user.email, trimmed, now);
    if (step !== null && (user.totpLastUsedStep === null || step > user.totpLastUsedStep)) {
      // Conditional on the last step seen, so two logins racing with one code cannot both win.
      const won = await tx
        .update(users)
        .set({ totpLastUsedStep: step, totpFailures: 0, totpLockedUntil: null })
        .where(
          and(
            eq(users.id, user.id),
            unlockedAt(deps, now),
            user.totpLastUsedStep === null
              ? isNull(users.totpLastUsedStep)
              : eq(users.totpLastUsedStep, user.totpLastUsedStep),
          ),
        )
        .returning({ id: users.id });
      if (won.length === 1) {
        return { ok: true, method: 'totp' };
      }
    }
  } else {
    // A lock set by a concurrent wrong guess after `user` was read still holds for recovery codes.
    const [unlocked] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, user.id), unlockedAt(deps, now)));
    if (!unlocked) {
      return { ok: false, locked: true };
    }
    const spent = await tx
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, hashRecoveryCode(deps, trimmed)),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    if (spent.length === 1) {
      await tx.update(users).set({ totpFailures: 0, totpLockedUntil: null }).where(eq(users.id, user.id));
      return { ok: true, method: 'recovery' };
    }
  }
  // Counted in SQL, not read and written back from here: concurrent wrong guesses each add one (the row lock orders
  // them), so the lockout triggers however many arrive at once. The statement that reaches the limit starts the lock.
  const reachesLimit = sql`${users.totpFailures} + 1 >= ${TOTP_MAX_FAILURES}`;
  const [counted] = await tx
    .update(users)
    .set({
      totpFailures: sql`case when ${reachesLimit} then 0 else ${users.totpFailures} + 1 end`,
      totpLockedUntil: sql`case when ${reachesLimit} then ${lockUntilSql(deps, now)} else ${users.totpLockedUntil} end`,
    })
    .where(eq(users.id, user.id))
    .returning({ lockedUntil: users.totpLockedUntil });
  const locked = (counted?.lockedUntil?.getTime() ?? 0) > now.getTime();
  return { ok: false, locked };
}

/** The lock's end as a SQL value of the dialect's instant column (timestamptz on Postgres, milliseconds on SQLite). */
function lockUntilSql(deps: ServiceDeps, now: Date) {
  const until = new Date(now.getTime() + TOTP_LOCK_MS);
  return deps.database.dialect === 'postgres'
    ? sql`${until.toISOString()}::timestamptz`
    : sql`${until.getTime()}`;
}

/** Whether the second factor is unlocked at `now`, as a condition, so a lock set by a concurrent guess is seen. */
function unlockedAt(deps: ServiceDeps, now: Date) {
  const { users } = deps.database.schema;
  return or(isNull(users.totpLockedUntil), lte(users.totpLockedUntil, now));
}

export function lockedError(user: Pick<User, 'totpLockedUntil'>, now: Date): AppError {
  const retryAfterSec = Math.max(
    1,
    Math.ceil(((user.totpLockedUntil?.getTime() ?? now.getTime()) - now.getTime()) / 1000),
  );
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Too many invalid two-factor codes: try again in ${Math.ceil(retryAfterSec / 60)} minute(s)`,
    { retryAfterSec },
  );
}
