import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadPiiPatterns } from '../../src/config/load.js';
import { piiPlace, re2Source, withoutLookbehinds } from '../../src/config/pattern-syntax.js';
import { configErrorOf, FIXTURE_SHARDS, ROOT, tempDir, winnow } from '../helpers.js';

const LONG = `(?:${'abcdefghij'.repeat(20)})`;

/** A pattern file with a good pattern first, then the one under test at line 7. */
function patternFile(pattern: string, dir = tempDir()): string {
  const file = join(dir, 'mine.yaml');
  writeFileSync(file, `name: mine\npatterns:\n  - type: GOOD\n    regex: 'ok\\d+'\n  - type: BAD\n    flags: i\n${pattern}\n`);
  return file;
}

const refusal = (pattern: string): ConfigError => configErrorOf(() => loadPiiPatterns(patternFile(pattern)));

describe('PII pattern files: patterns re2js cannot run in linear time are refused when the file is loaded', () => {
  it('accepts the shipped file', () => {
    expect(loadPiiPatterns(join(ROOT, 'rules', 'pii-patterns.yaml')).patterns.length).toBeGreaterThan(5);
  });

  it('a lookahead: file, line, key, the reason and what to write instead, and a short excerpt', () => {
    const err = refusal(`    regex: '${LONG}(?=x)'`);
    expect(err.message).toContain('mine.yaml');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^line 7: patterns\.1\.regex: lookahead \(\(\?= or \(\?!\) is not supported: .*\(\?<pii>.*require in '\(\?:abcdefghij.{20,40}…'$/);
    expect(err.message.length).toBeLessThan(300); // not the whole pattern
  });

  it('a backreference in require, a bad prefilter: each with its own key and line', () => {
    const err = refusal(`    regex: 'x'\n    require: '(a)\\1'\n    prefilter: 'a{2000}'`);
    expect(err.problems).toEqual([
      "line 8: patterns.1.require: backreferences (\\1, \\k<name>) are not supported in '(a)\\1'",
      "line 9: patterns.1.prefilter: invalid repeat count (at most 1000, and at most 1000 for repeats nested in repeats) in 'a{2000}'",
    ]);
  });

  it('other syntax errors, and flags other than i, m and s', () => {
    expect(refusal(`    regex: '[a-z'`).problems).toEqual(["line 7: patterns.1.regex: not RE2 syntax (missing closing ]) in '[a-z'"]);
    expect(refusal(`    regex: '(?<=(a))b'`).problems[0]).toMatch(/lookbehind may not hold a capturing group/);
    const flags = join(tempDir(), 'f.yaml');
    writeFileSync(flags, "name: f\npatterns:\n  - type: X\n    regex: 'a'\n    flags: iu\n");
    expect(() => loadPiiPatterns(flags)).toThrow(/line 5: patterns\.0\.flags: flags may be i, m and s/);
  });

  it('accepts RE2 syntax that JavaScript lacks, and lookbehind', () => {
    const ok = join(tempDir(), 'ok.yaml');
    writeFileSync(ok, "name: ok\npatterns:\n  - type: X\n    regex: '(?<![\\w-])(?P<pii>\\pL+)\\x{e9}(?i:Z)\\z'\n    require: '\\u00e9'\n");
    expect(loadPiiPatterns(ok).patterns).toHaveLength(1);
  });

  it('`winnow validate` and `winnow run` both refuse a pipeline whose pattern file has one, before any work', () => {
    const dir = tempDir();
    patternFile("    regex: '\\b(\\w+) \\1\\b'", dir);
    const pipeline = join(dir, 'p.yaml');
    writeFileSync(pipeline, `name: t\ninput:\n  path: ${FIXTURE_SHARDS}\npii:\n  enabled: true\n  patterns: ./mine.yaml\n`);
    const validate = winnow(['validate', pipeline, '--no-inputs']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(join(dir, 'mine.yaml'));
    expect(validate.stderr).toMatch(/line 7: patterns\.1\.regex: backreferences/);
    expect(validate.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const out = join(dir, 'out');
    const run = winnow(['run', pipeline, '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/line 7: patterns\.1\.regex: backreferences/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('pattern syntax helpers', () => {
  it('spell \\uXXXX as RE2 does, and nothing else', () => {
    expect(re2Source('caf\\u00e9 [\\u2000-\\u200A] \\\\u0041 \\d \\Q\\u0041\\E')).toBe('caf\\x{00e9} [\\x{2000}-\\x{200A}] \\\\u0041 \\d \\Q\\u0041\\E');
  });

  it('take lookbehinds out (for a first test on the DFA), and only lookbehinds', () => {
    expect(withoutLookbehinds('(?<![\\w.])(?<pii>a)(?:$|b)')).toBe('(?:)(?<pii>a)(?:$|b)');
    expect(withoutLookbehinds('(?<=a(?:b|c)[)(]\\))d(?<!x)')).toBe('(?:)d(?:)');
    expect(withoutLookbehinds('[(?<!x)]b')).toBeUndefined();
    expect(withoutLookbehinds('\\Q(?<!x)\\Eb')).toBeUndefined();
    expect(withoutLookbehinds('[[:alpha:](?<!]x')).toBeUndefined();
    expect(withoutLookbehinds('(?<x>a)b')).toBeUndefined();
  });

  it('say where the pii group lies in every match, from the spelling alone, only where it is sure', () => {
    expect(piiPlace('(?<![\\w.])(?<pii>a)(?:$|b)')).toBe('start');
    expect(piiPlace('(?<pii>a)|b')).toBe('start');
    expect(piiPlace('\\bx(?<pii>\\d+)\\b')).toBe('end');
    expect(piiPlace('a|(?<pii>b)$')).toBe('end');
    expect(piiPlace('x(?<pii>a)y')).toBeUndefined();
    expect(piiPlace('(?<pii>a)+')).toBeUndefined(); // the last repetition
    expect(piiPlace('(?:x)(?<pii>a)z')).toBeUndefined();
    expect(piiPlace('[(?<pii>a)]')).toBeUndefined();
    expect(piiPlace('abc')).toBeUndefined();
  });
});

describe('PII files with detectors', () => {
  const load = (body: string) => {
    const file = join(tempDir(), 'mine.yaml');
    writeFileSync(file, `name: mine\n${body}`);
    return configErrorOf(() => loadPiiPatterns(file));
  };

  it('accepts the shipped policy, and refuses an unknown detector, a region libphonenumber does not know, and a file with nothing to run, each on its line', () => {
    expect(loadPiiPatterns(join(ROOT, 'rules', 'pii.yaml')).detectors.length).toBe(7);
    expect(load('detectors: [names, dna]\n').problems[0]).toMatch(/^line 2: detectors\.1: .*"names"/);
    expect(load('detectors: [phones]\nphone_regions: [US, UK]\n').problems).toEqual(['line 3: phone_regions.1: not a region libphonenumber knows (ISO 3166 codes: the UK is GB)']);
    expect(load('description: nothing\n').problems[0]).toMatch(/a PII file needs detectors, patterns or both/);
  });
});
