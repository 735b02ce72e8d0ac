import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes, parseBytes } from '../../src/config/bytes.js';
import { FIXTURE_SHARDS, pipelineError, tempDir, winnow } from '../helpers.js';

// A file full of secrets in the shape of a system password file: a pipeline pointing at it by
// mistake must be refused without printing it.
const SECRET_FILE = Array.from({ length: 40 }, (_, i) => `user${i}:x:${1000 + i}:${1000 + i}:S3CRET-TOKEN-${i}-${'q'.repeat(60)}:/home/u${i}:/bin/sh`).join('\n');

/** The error of a pipeline over the fixtures with these lines added (from line 4). */
const problemFor = (pipeline: string, files: Record<string, string> = {}) => pipelineError(`name: t\ninput:\n  path: ${FIXTURE_SHARDS}\n${pipeline}`, files);

describe('configuration errors quote nothing they were not meant to read', () => {
  it('a pii.patterns file that is not a pattern file: names the pipeline line and key, echoes no content', () => {
    const err = problemFor('pii:\n  enabled: true\n  patterns: ./secrets.txt\n', { 'secrets.txt': SECRET_FILE });
    expect(err.message).toMatch(/line 6: pii\.patterns: .*secrets\.txt does not look like a PII pattern file/);
    expect(err.message).not.toMatch(/S3CRET|user\d|bin\/sh/);
    expect(err.message.split('\n').length).toBeLessThanOrEqual(2);
  });

  it('a rule set that is a mapping of secrets: still refused without its values', () => {
    const env = Array.from({ length: 30 }, (_, i) => `API_KEY_${i}: sk-live-${'x'.repeat(40)}${i}`).join('\n');
    const err = problemFor('rules: [./r.yaml]\n', { 'r.yaml': env });
    expect(err.message).toMatch(/line 4: rules\.0: .*r\.yaml does not look like a rule set file/);
    expect(err.message).not.toMatch(/sk-live|API_KEY/);
  });

  it('unknown keys are named briefly, truncated, and counted', () => {
    const long = `k${'y'.repeat(500)}`;
    const err = problemFor(`${long}: 1\nfoo: 2\nbar: 3\n`);
    expect(err.message).toMatch(/\(top level\): unknown keys "ky{20,40}…", "foo" and 1 more/);
    expect(err.message.length).toBeLessThan(400);
  });

  it('a long bad value is quoted as a short excerpt', () => {
    const err = problemFor(`output:\n  target_file_bytes: ${'z'.repeat(5000)}\n`);
    expect(err.message).toMatch(/line 5: output\.target_file_bytes: expected a size such as 64MB.*got "z{10,30}…"/);
    expect(err.message.length).toBeLessThan(400);
  });

  it('an unknown rule op names the ops that exist, with the line', () => {
    const rules = 'name: r\nrules:\n  - name: a\n    signal: word_count\n    op: "=>"\n    threshold: 3\n';
    const err = problemFor('rules: [./r.yaml]\n', { 'r.yaml': rules });
    expect(err.message).toMatch(/line 5: rules\.0\.op: expected one of >=, >, <=, <, ==, !=, in, not_in, in_list, not_in_list/);
  });

  it('an unknown signal, curated signal or model problem found after loading has its line', () => {
    const rules = 'name: r\nrules:\n  - name: a\n    signal: word_count\n    op: ">="\n    threshold: 3\n  - name: b\n    signal: no_such_signal\n    op: ">="\n    threshold: 3\n';
    const err = problemFor('rules: [./r.yaml]\noutput:\n  curated_signals: [word_count, nope]\n', { 'r.yaml': rules });
    expect(err.message).toMatch(/line 7: rules\.1 \(b\): unknown signal "no_such_signal"/);
    expect(err.message).toMatch(/line 6: output\.curated_signals\.1: unknown signal "nope"/);
  });

  it('hundreds of problems are capped with a count', () => {
    const err = problemFor(Array.from({ length: 100 }, (_, i) => `extra_${i}:\n  - 1`).join('\n') + '\nrules: 5\nsignals: 3\n');
    expect(err.problems.length).toBeLessThanOrEqual(13);
  });
});

describe('command-line limits and readable numbers', () => {
  it('--workers is capped as execution.workers is, for run and refine', () => {
    const r = winnow(['run', 'pipelines/dry-run.yaml', '-w', '600', '-o', join(tempDir(), 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expected a whole number from 1 to 512/);
    // refine once took any positive number: 600 threads, each with its own engine and models.
    const refine = winnow(['refine', '--run', tempDir(), '-w', '600']);
    expect(refine.code).toBe(1);
    expect(refine.stderr).toMatch(/expected a whole number from 1 to 512/);
  });

  it('formats sizes and rates as people read them', () => {
    expect(formatBytes(25.706665746900782)).toBe('26 B');
    expect(formatBytes(999.6)).toBe('1 kB');
    expect(formatBytes(25_706_665.7)).toBe('25.71 MB');
    expect(formatBytes(0)).toBe('0 B');
  });

  it('parses sizes with decimal and binary units, and refuses the rest', () => {
    expect(parseBytes('64MB')).toBe(64e6);
    expect(parseBytes('64 mb')).toBe(64e6);
    expect(parseBytes('2TiB')).toBe(2 * 2 ** 40);
    expect(parseBytes('-5MB')).toBeUndefined();
    expect(parseBytes('1e3')).toBeUndefined();
    expect(parseBytes('5 parsecs')).toBeUndefined();
    expect(parseBytes(Number.NaN)).toBeUndefined();
  });
});
