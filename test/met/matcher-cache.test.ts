import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEEP, loadMatcher, matcherCacheFile } from '../../src/met/matcher-cache.js';
import { MetMatcher } from '../../src/met/matcher.js';
import { loadMetTree, type MetTree } from '../../src/met/tree.js';
import { fixtureTexts, ROOT, slice, tempDir } from '../helpers.js';

const TREE = join(ROOT, 'fixtures', 'met', 'met.json.gz');
let tree: MetTree;
let compiled: MetMatcher;
let texts: string[];
const before = process.env.WINNOW_CACHE_DIR;

beforeAll(async () => {
  tree = loadMetTree(TREE);
  compiled = MetMatcher.fromTree(tree);
  texts = slice((await fixtureTexts()).map((d) => d.text), 3);
});

afterEach(() => {
  if (before === undefined) delete process.env.WINNOW_CACHE_DIR;
  else process.env.WINNOW_CACHE_DIR = before;
});

const sameMatches = (a: MetMatcher, b: MetMatcher) => {
  for (const text of texts) expect(a.matches(text)).toEqual(b.matches(text));
  expect(texts.some((t) => a.matches(t).length > 0)).toBe(true);
};

describe("the entity matcher's bytes", () => {
  it('give back a matcher that finds what the compiled one finds, with its rare flags and sizes', () => {
    const bytes = compiled.toBytes();
    const back = MetMatcher.fromBytes(bytes);
    sameMatches(back, compiled);
    expect(back.stats).toEqual(compiled.stats);
    expect([...back.rareFlags]).toEqual(tree.nodes.map((n) => (n.rare ? 1 : 0)));
    expect(back.nodeIds).toEqual(tree.nodes.map((n) => n.id));
    // From an unaligned copy too (the arrays are copied out).
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    sameMatches(MetMatcher.fromBytes(shifted.subarray(3)), compiled);
  });

  it('are refused when they are not a matcher or are cut short', () => {
    const bytes = compiled.toBytes();
    expect(() => MetMatcher.fromBytes(new Uint8Array([1, 2, 3]))).toThrow(/not a compiled entity matcher/);
    expect(() => MetMatcher.fromBytes(bytes.subarray(0, bytes.length >> 1))).toThrow(/truncated/);
    expect(() => MetMatcher.fromBytes(bytes.subarray(0, 12))).toThrow(/truncated/);
  });
});

describe('the compiled-matcher cache', () => {
  it('compiles once, then reads the same matcher back; a damaged entry is compiled again and replaced', () => {
    process.env.WINNOW_CACHE_DIR = tempDir('met-cache-');
    const planned = { path: TREE, sha256: tree.hash };
    const first = loadMatcher(planned);
    expect(first.cached).toBe(false);
    const file = matcherCacheFile(tree.hash);
    expect(readdirSync(process.env.WINNOW_CACHE_DIR)).toEqual([file.split('/').pop()]);
    const second = loadMatcher(planned);
    expect(second.cached).toBe(true);
    sameMatches(second.matcher, compiled);

    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const again = loadMatcher(planned);
    expect(again.cached).toBe(false);
    sameMatches(again.matcher, compiled);
    expect(loadMatcher(planned).cached).toBe(true);
  });

  it(`keeps the ${KEEP} entries used last: older versions' entries go when a new one is written, a used one is kept`, () => {
    const dir = (process.env.WINNOW_CACHE_DIR = tempDir('met-cache-'));
    // Entries of other trees and code versions, used an hour ago and before.
    const old = Array.from({ length: KEEP + 2 }, (_, i) => `met-matcher-${String(i).padStart(32, '0')}-${'c'.repeat(16)}.bin`);
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x');
      const when = new Date(Date.now() - 3_600_000 - i * 60_000);
      utimesSync(join(dir, name), when, when);
    });
    writeFileSync(join(dir, 'notes.txt'), 'not an entry');
    const planned = { path: TREE, sha256: tree.hash };
    expect(loadMatcher(planned).cached).toBe(false);
    const file = matcherCacheFile(tree.hash).split('/').pop()!;
    // The new entry and the KEEP - 1 most recent of the old; other files untouched.
    expect(readdirSync(dir).sort()).toEqual([...old.slice(0, KEEP - 1), file, 'notes.txt'].sort());
    // A hit marks the entry used.
    const long = new Date(Date.now() - 86_400_000);
    utimesSync(join(dir, file), long, long);
    expect(loadMatcher(planned).cached).toBe(true);
    expect(statSync(join(dir, file)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('names entries by the tree and refuses a tree file that changed since the run planned it', () => {
    process.env.WINNOW_CACHE_DIR = tempDir('met-cache-');
    expect(matcherCacheFile('a'.repeat(64))).not.toBe(matcherCacheFile('b'.repeat(64)));
    expect(() => loadMatcher({ path: TREE, sha256: 'c'.repeat(64) })).toThrow(`${TREE} changed since the run started`);
  });

  it('uses an entry only when it says it holds this tree and this code: one put in its place is compiled over', () => {
    process.env.WINNOW_CACHE_DIR = tempDir('met-cache-');
    const planned = { path: TREE, sha256: tree.hash };
    expect(loadMatcher(planned).cached).toBe(false);
    const file = matcherCacheFile(tree.hash);
    const bytes = readFileSync(file);
    // The same bytes claiming another tree: not used.
    writeFileSync(file, Buffer.from(bytes.toString('latin1').replace(tree.hash, 'd'.repeat(64)), 'latin1'));
    expect(loadMatcher(planned).cached).toBe(false);
    expect(loadMatcher(planned).cached).toBe(true);
    // A bare matcher without its owner record: not used.
    writeFileSync(file, compiled.toBytes());
    expect(loadMatcher(planned).cached).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self'))('passes over a cache folder that cannot be made under /proc (a recursive mkdir spun there forever)', () => {
    process.env.WINNOW_CACHE_DIR = '/proc/winnow-no-such-folder';
    expect(loadMatcher({ path: TREE, sha256: tree.hash }).cached).toBe(false);
  });

  it('works without a usable cache folder: the matcher is compiled each time', () => {
    const blocked = join(tempDir('met-cache-'), 'a-file');
    writeFileSync(blocked, 'not a folder');
    process.env.WINNOW_CACHE_DIR = join(blocked, 'cache');
    const planned = { path: TREE, sha256: tree.hash };
    expect(loadMatcher(planned).cached).toBe(false);
    const again = loadMatcher(planned);
    expect(again.cached).toBe(false);
    sameMatches(again.matcher, compiled);
  });
});
