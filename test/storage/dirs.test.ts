import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/storage/dirs.js';
import { tempDir } from '../helpers.js';

// The CLI's side (a folder under /proc fails at once, in one line): test/cli/errors.test.ts.
describe('makeDirs', () => {
  it('makes every missing folder, accepts one that exists, and refuses a file in the way', () => {
    const dir = tempDir('makedirs-');
    makeDirs(join(dir, 'a', 'b', 'c'));
    makeDirs(join(dir, 'a', 'b', 'c'));
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'file'), '');
    expect(() => makeDirs(join(dir, 'x', 'file'))).toThrow(/EEXIST/);
    expect(() => makeDirs(join(dir, 'x', 'file', 'd'))).toThrow(/ENOTDIR/);
    // "link/.." is the link's target's parent, as the file system reads it, not the link's folder.
    mkdirSync(join(dir, 'deep', 'target'), { recursive: true });
    symlinkSync(join(dir, 'deep', 'target'), join(dir, 'link'));
    makeDirs(join(dir, 'link') + '/../made');
    expect(existsSync(join(dir, 'deep', 'made'))).toBe(true);
    expect(existsSync(join(dir, 'made'))).toBe(false);
  });
});
