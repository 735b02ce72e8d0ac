/** `winnow met build` on the command line: a small tree, and problems printed as one line with exit code 2. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMetTree } from '../../src/met/tree.js';
import { tempDir, winnow } from '../helpers.js';

describe('winnow met build', () => {
  const dir = tempDir('met-cli-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'organs.tsv'), 'id\tlabel\tsynonyms\tparents\nMY:1\torgan system\t\t\nMY:2\tliver\thepar|LIV\tMY:1\n');
  const yaml = (files: string) =>
    `name: mine\nsources:\n  - name: organs\n    kind: tsv\n    type: anatomy\n    description: my organs\n    origin: me\n    licence: CC0 1.0\n    files: [${files}]\n`;

  it('builds a tree from a TSV and says what it wrote', () => {
    writeFileSync(join(dir, 'ok.yaml'), yaml('organs.tsv'));
    const r = winnow(['met', 'build', join(dir, 'ok.yaml'), '-o', join(dir, 'out', 'tree.json.gz')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^winnow met build "mine": 3 nodes \(2 anatomy, 1 branch\)/);
    const tree = loadMetTree(join(dir, 'out', 'tree.json.gz'));
    expect(tree.byId.get('MY:2')).toMatchObject({ parents: ['MY:1'], depth: 2, synonyms: ['LIV', 'hepar'], source: 'organs' });
    expect(tree.byId.get('MY:1')!.parents).toEqual(['MET:anatomy']);
  });

  it('reports a missing file in one line, naming the sources file, the line and the key', () => {
    writeFileSync(join(dir, 'missing.yaml'), yaml('organs.tsv, nowhere.tsv'));
    const r = winnow(['met', 'build', join(dir, 'missing.yaml'), '-o', join(dir, 'x.json.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`winnow: ${join(dir, 'missing.yaml')}: line 9: sources.0.files.1: cannot read nowhere.tsv (ENOENT)\n`);
  });

  it('reports an unknown key in one line', () => {
    writeFileSync(join(dir, 'key.yaml'), yaml('organs.tsv').replace('    licence:', '    license:'));
    const r = winnow(['met', 'build', join(dir, 'key.yaml'), '-o', join(dir, 'x.json.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`winnow: ${join(dir, 'key.yaml')}: line 3: sources.0`);
    expect(r.stderr).toContain('unknown key "license"');
  });
});
