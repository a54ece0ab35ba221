import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    // Pure functions only (formatting, money arithmetic): no DOM.
    environment: 'node',
    include: ['src/**/*.test.ts', '*.test.ts'],
    // Times are formatted in the reader's zone; the tests read them in UTC.
    env: { TZ: 'UTC' },
  },
});
