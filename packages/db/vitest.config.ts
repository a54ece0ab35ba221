import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'db',
    include: ['src/**/*.test.ts'],
    // PGlite takes seconds to start and a real Postgres database is created per file.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
