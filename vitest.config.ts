import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // Two workers on a two-core machine: a test waits on PostgreSQL or Chromium much of the time.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    // expect.poll waits for something another process or worker does (a page in Chromium, an
    // outbox worker reaching its handler); a second, the default, is too short with both cores busy.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
