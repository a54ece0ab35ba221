/** A Postgres server to test against; each test file gets its own fresh database on it. Unset: PGlite in-process. */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}
