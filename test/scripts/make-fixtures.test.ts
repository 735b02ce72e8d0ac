import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHARED, tempDir } from '../helpers.js';

const hasShared = existsSync(join(SHARED, 'data', 'medquad', 'medquad.jsonl.gz'));
if (!hasShared) console.warn(`skipping fixture reproduction: ${SHARED}/data is absent (it is present in CI)`);

describe.skipIf(!hasShared)('fixtures/', () => {
  it('are reproduced byte for byte by scripts/make-fixtures.ts from the shared data', () => {
    const out = tempDir();
    execFileSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'make-fixtures.js'), '--shared', SHARED, '--out', out], { stdio: 'ignore' });
    const committed = join(ROOT, 'fixtures');
    for (const f of readdirSync(join(committed, 'shards'))) {
      expect(readFileSync(join(out, 'shards', f)).equals(readFileSync(join(committed, 'shards', f))), f).toBe(true);
    }
    expect(readFileSync(join(out, 'planted-duplicates.json'), 'utf8')).toBe(readFileSync(join(committed, 'planted-duplicates.json'), 'utf8'));
  });
});
