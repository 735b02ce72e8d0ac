import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests spawn `winnow` runs with worker pools of their own; two files at a time
    // keeps a 2-core CI machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    // Test files run one after another in the same two processes instead of a fresh process
    // each: importing the engine, config and test helpers again for every file was a fifth of the
    // suite's CPU time. No test file relies on fresh module state (a spy restores what it patches).
    isolate: false,
    // Makes a folder for the run that test files share (the one dry run many of them read).
    globalSetup: ['test/global-setup.ts'],
    // Sized for a loaded machine: end-to-end tests spawn real runs, which take a few seconds on an
    // idle 2-core machine and several times that on a busy one. Slow is not broken; a hang still
    // ends. For the same reason no test may hold elapsed time to a fixed limit: time a baseline in
    // the same test and compare (test/text/normalize.test.ts, test/text/pii.test.ts).
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
