/** Roles a user can hold; stored as text so adding one needs no enum migration on Postgres. */
export const userRoles = ['INVESTOR', 'MANAGER', 'ADMIN'] as const;
export type UserRole = (typeof userRoles)[number];

/** A JSON object column value (jsonb on Postgres, JSON text on SQLite). */
export type JsonObject = { [key: string]: unknown };
