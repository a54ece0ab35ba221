import { AppError } from '@tradepool/domain';
import { and, type Column, eq, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';

/** Default and largest page of a cursor-paged list (investments, withdrawals). */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 200;

/** `?cursor=&limit=` of a paged list; both optional, so a bare call answers the newest page. */
export const PageInput = {
  cursor: z.string().min(1).max(200).optional().describe("the previous page's nextCursor"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .optional()
    .describe(`page size (default ${DEFAULT_PAGE})`),
  /** Sent by tRPC's infinite queries; pages always go from newest to oldest. */
  direction: z.enum(['forward', 'backward']).optional(),
};

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Opaque to clients: (createdAt, id) of the last row returned, so paging is stable while new rows arrive. */
function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.getTime()}:${row.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15}):([\w-]{1,64})$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new AppError('BAD_REQUEST', 'cursor is not one this API returned', {
      fields: { cursor: 'is not one this API returned' },
    });
  }
  return { at: new Date(Number(match[1])), id: match[2] };
}

/** Rows strictly after the cursor in (createdAt desc, id desc) order; undefined without a cursor. */
export function afterCursor(cursor: string | undefined, createdAt: Column, id: Column): SQL | undefined {
  if (!cursor) {
    return undefined;
  }
  const after = decodeCursor(cursor);
  return or(lt(createdAt, after.at), and(eq(createdAt, after.at), lt(id, after.id)));
}

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function pageOf<R extends { createdAt: Date; id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): Page<T> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
