import { defineConfig } from 'drizzle-kit';

// `driver: 'pglite'` keeps every drizzle-kit command usable without a Postgres server; `generate` only diffs files.
export default defineConfig({
  dialect: 'postgresql',
  driver: 'pglite',
  dbCredentials: { url: './data/drizzle-kit-pglite' },
  schema: './src/schema/pg/index.ts',
  out: './migrations/pg',
  casing: 'snake_case',
  strict: true,
});
