import { type Db, forUpdate, newId, type User } from '@tradepool/db';
import { type AdminUserPageView, type AdminUserView, AppError } from '@tradepool/domain';
import { and, asc, count, desc, eq, isNotNull, isNull, like, or, type SQL } from 'drizzle-orm';
import { type Context, type Role, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { hashPassword } from '../auth/passwords';
import { revokeSessions } from '../auth/refresh-tokens';
import { displayNameFromEmail, findUserByEmail, findUserById, publicUser } from '../auth/users';

export function adminUser(user: User, deps: Pick<ServiceDeps, 'clock'>): AdminUserView {
  return {
    ...publicUser(user, deps.clock),
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export interface UserQuery {
  search?: string | undefined;
  role?: Role | undefined;
  status?: 'active' | 'disabled' | undefined;
  page: number;
  pageSize: number;
}

export async function listUsers(ctx: Context, query: UserQuery): Promise<AdminUserPageView> {
  const { users } = ctx.database.schema;
  const conditions: SQL[] = [];
  if (query.search?.trim()) {
    const term = `%${query.search
      .trim()
      .toLowerCase()
      .replace(/[%_\\]/g, '')}%`;
    const match = or(like(users.email, term), like(users.displayName, term));
    if (match) {
      conditions.push(match);
    }
  }
  if (query.role) {
    conditions.push(eq(users.role, query.role));
  }
  if (query.status) {
    conditions.push(query.status === 'disabled' ? isNotNull(users.disabledAt) : isNull(users.disabledAt));
  }
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [rows, totals] = await Promise.all([
    ctx.database.db
      .select()
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), asc(users.email))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    ctx.database.db.select({ total: count() }).from(users).where(where),
  ]);
  return {
    items: rows.map((u) => adminUser(u, ctx)),
    total: Number(totals[0]?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

export interface UserUpdate {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  /** Adds this many days of subscription, from the later of now and the current expiry. */
  grantSubscriptionDays?: number | undefined;
}

/**
 * Refuses (409) a change that would leave no enabled ADMIN. The enabled admins' rows are locked first (`FOR UPDATE`,
 * in id order so two admins acting at once cannot deadlock): a concurrent demotion of another admin waits here, and
 * once it commits its row no longer matches, so the second one sees it was the last and is refused. On SQLite the
 * transaction already excludes every other writer.
 */
async function keepAnotherAdmin(ctx: Context, tx: Db, leavingId: string): Promise<void> {
  const { users } = ctx.database.schema;
  const admins = await forUpdate(
    tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'ADMIN'), isNull(users.disabledAt)))
      .orderBy(asc(users.id)),
  );
  if (!admins.some((admin) => admin.id !== leavingId)) {
    throw new AppError(
      'CONFLICT',
      'The last enabled admin cannot be demoted or disabled: make another admin first',
    );
  }
}

/**
 * Admin changes to a user, in one transaction with their audit entry. A role change or disabling bumps the token
 * version and revokes every session, so the user's tokens, sockets and streams stop at once.
 */
export async function updateUser(ctx: Context, userId: string, change: UserUpdate): Promise<AdminUserView> {
  const actor = requireUser(ctx);
  if (
    change.role === undefined &&
    change.disabled === undefined &&
    change.grantSubscriptionDays === undefined
  ) {
    throw new AppError('BAD_REQUEST', 'Nothing to change: give role, disabled or grantSubscriptionDays');
  }
  if (
    userId === actor.id &&
    (change.disabled === true || (change.role !== undefined && change.role !== 'ADMIN'))
  ) {
    throw new AppError('CONFLICT', 'You cannot disable yourself or remove your own admin role');
  }
  const { users } = ctx.database.schema;
  const now = ctx.clock.now();
  const result = await ctx.database.transaction(async (tx) => {
    const before = await findUserById(tx, ctx.database, userId);
    if (!before) {
      throw new AppError('NOT_FOUND', 'No such user');
    }
    const roleChanged = change.role !== undefined && change.role !== before.role;
    const disabledChanged = change.disabled !== undefined && change.disabled !== (before.disabledAt !== null);
    const endsSessions = roleChanged || (disabledChanged && change.disabled === true);
    const removesAnAdmin =
      before.role === 'ADMIN' &&
      before.disabledAt === null &&
      ((change.role !== undefined && change.role !== 'ADMIN') || change.disabled === true);
    if (removesAnAdmin) {
      await keepAnotherAdmin(ctx, tx, userId);
    }
    let subscriptionExpiresAt = before.subscriptionExpiresAt;
    if (change.grantSubscriptionDays !== undefined) {
      const from = Math.max(now.getTime(), before.subscriptionExpiresAt?.getTime() ?? 0);
      subscriptionExpiresAt = new Date(from + change.grantSubscriptionDays * 24 * 60 * 60_000);
    }
    const [after] = await tx
      .update(users)
      .set({
        role: change.role ?? before.role,
        disabledAt:
          change.disabled === undefined
            ? before.disabledAt
            : change.disabled
              ? (before.disabledAt ?? now)
              : null,
        tokenVersion: endsSessions ? before.tokenVersion + 1 : before.tokenVersion,
        subscriptionExpiresAt,
        hasActiveSubscription:
          subscriptionExpiresAt !== null && subscriptionExpiresAt.getTime() > now.getTime(),
        updatedAt: now,
      })
      .where(eq(users.id, userId))
      .returning();
    if (!after) {
      throw new AppError('NOT_FOUND', 'No such user');
    }
    if (endsSessions) {
      await revokeSessions(ctx, tx, { userId, reason: roleChanged ? 'role_changed' : 'disabled' });
    }
    await recordAudit(ctx, tx, {
      actor: { id: actor.id, email: actor.email },
      action: 'admin.user_updated',
      target: { type: 'user', id: userId },
      before: {
        role: before.role,
        disabled: before.disabledAt !== null,
        subscriptionExpiresAt: before.subscriptionExpiresAt?.toISOString() ?? null,
      },
      after: {
        role: after.role,
        disabled: after.disabledAt !== null,
        subscriptionExpiresAt: after.subscriptionExpiresAt?.toISOString() ?? null,
        ...(change.grantSubscriptionDays !== undefined ? { grantedDays: change.grantSubscriptionDays } : {}),
      },
      ip: ctx.ip,
    });
    return { after, endsSessions, reason: roleChanged ? 'role_changed' : 'disabled' };
  });
  if (result.endsSessions) {
    ctx.sessionEvents.emit('revoked', { userId, reason: result.reason });
  }
  return adminUser(result.after, ctx);
}

/**
 * Creates a user with a given role unless the email is taken (ADMIN_EMAIL bootstrap, demo data). Returns whether it
 * was created; never changes an existing account.
 */
export async function ensureUser(
  deps: ServiceDeps,
  input: { email: string; password: string; role: Role; displayName?: string; action: string },
): Promise<{ created: boolean; user: User }> {
  const existing = await findUserByEmail(deps.database.db, deps.database, input.email);
  if (existing) {
    return { created: false, user: existing };
  }
  const { users } = deps.database.schema;
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const email = input.email.trim().toLowerCase();
  return deps.database.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: newId(),
        email,
        passwordHash,
        displayName: input.displayName ?? displayNameFromEmail(email),
        role: input.role,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) {
      const raced = await findUserByEmail(tx, deps.database, email);
      if (!raced) {
        throw new Error(`could not create or find ${email}`);
      }
      return { created: false, user: raced };
    }
    await recordAudit(deps, tx, {
      actor: null,
      action: input.action,
      target: { type: 'user', id: user.id },
      after: { email: user.email, role: user.role },
    });
    return { created: true, user };
  });
}
