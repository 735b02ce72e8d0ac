import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:full` (CI runs it after `npm test`): the test files that size themselves by
 * WINNOW_TEST_FULL (they import FULL or slice from test/helpers.ts), with WINNOW_TEST_FULL=1: the
 * byte-for-byte retraining of the shipped models, and kernel and signal parity over every text
 * rather than a fixed slice of them.
 */
const sized = (readdirSync('test', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', f))
  .filter((f) => {
    const imports = [...readFileSync(f, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'(?:\.\.\/)+helpers\.js'/g)];
    return imports.some((m) => /\b(FULL|slice)\b/.test(m[1]!));
  })
  .sort();

export default defineConfig({
  ...base,
  test: { ...base.test, include: sized, env: { WINNOW_TEST_FULL: '1' } },
});
