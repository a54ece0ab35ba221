import type { Database, Investment } from '@tradepool/db';
import type { InvestmentView } from '@tradepool/domain';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';
import { investmentView } from './investments';
import { afterCursor, DEFAULT_PAGE, type Page, pageOf } from './paging';

// A type, not an interface: drizzle's execute() takes a Record<string, unknown>.
type NewestPageParams = { userId: string; limit: number };
type NewestPageStatement = { execute(params: NewestPageParams): PromiseLike<Investment[]> };

const newestPageStatements = new WeakMap<Database, NewestPageStatement>();

/**
 * The newest page of a user's investments (what the portfolio asks for on every visit), from a statement prepared
 * once per database; older pages, asked for by cursor, build theirs per call. Same SQL and order either way.
 */
function newestPage(database: Database): NewestPageStatement {
  const known = newestPageStatements.get(database);
  if (known) {
    return known;
  }
  const { investments } = database.schema;
  const statement: NewestPageStatement = database.db
    .select()
    .from(investments)
    .where(eq(investments.userId, sql.placeholder('userId')))
    .orderBy(desc(investments.createdAt), desc(investments.id))
    .limit(sql.placeholder('limit'))
    .prepare('investments_newest_page');
  newestPageStatements.set(database, statement);
  return statement;
}

/** The caller's investments, newest first, one page at a time (an investor may hold thousands). */
export async function listInvestments(
  ctx: Context,
  input: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<InvestmentView>> {
  const user = requireUser(ctx);
  const limit = input.limit ?? DEFAULT_PAGE;
  if (!input.cursor) {
    const rows = await newestPage(ctx.database).execute({ userId: user.id, limit: limit + 1 });
    return pageOf(rows, limit, investmentView);
  }
  const { investments } = ctx.database.schema;
  const rows = await ctx.database.db
    .select()
    .from(investments)
    .where(
      and(eq(investments.userId, user.id), afterCursor(input.cursor, investments.createdAt, investments.id)),
    )
    .orderBy(desc(investments.createdAt), desc(investments.id))
    .limit(limit + 1);
  return pageOf(rows, limit, investmentView);
}
