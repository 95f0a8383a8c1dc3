import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two suites. fast (`npm test`): every test but those below. slow (`npm run test:slow`): soak, crash, multi-instance
// and hang tests, the ones that must wait on real time or real processes; their files end in `.slow.test.ts`. The slow
// suite runs one file at a time (--no-file-parallelism in package.json): the soak measures throughput and would fail beside
// a crash test.
export default defineConfig({
  test: {
    pool: 'forks',
    // The tests mostly wait (on PostgreSQL, HTTP, the outbox), so two files per core overlap those waits. vitest's
    // default on 2 cores is one file at a time: the fast suite measured 214 s so, 94 s at 4, 69 s at 8; but at 8, on a
    // machine that others load too, tests with short real-time waits (expect.poll's 1 s) time out.
    maxWorkers: 2 * availableParallelism(),
    // One module graph per worker, reused by the files it runs: importing Bolt, Express, kysely and pg anew for each of
    // 70 files cost 148 s of the 2-core machine's time (fast suite 123 s → 80 s). Safe because no module keeps state of
    // its own (dependencies are built per app) and no test swaps modules.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.slow.test.ts'],
          globalSetup: ['test/global-setup.ts', 'test/browser-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: ['test/**/*.slow.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
