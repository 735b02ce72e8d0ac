import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../src/config/bytes.js';
import { configHash } from '../../src/config/identity.js';
import { loadPipeline } from '../../src/config/load.js';
import { checkPipeline } from '../../src/execution/check.js';
import { DRY_RUN, FIXTURE_SHARDS, pipelineError, ROOT } from '../helpers.js';

const loadError = pipelineError;

describe('loadPipeline', () => {
  it('loads the dry run with paths resolved against the pipeline file', () => {
    const p = loadPipeline(DRY_RUN);
    expect(p.input.path).toBe(FIXTURE_SHARDS);
    expect(p.output.path).toBe(join(ROOT, 'runs', 'dry-run'));
    expect(p.ruleSets.map((s) => s.name)).toEqual(['gopher-repetition', 'gopher-quality', 'c4', 'fineweb', 'english', 'classifiers-tail']);
    expect(p.piiPatterns?.detectors).toEqual(['contacts', 'ids', 'names', 'phones', 'addresses', 'dates', 'ages']);
    expect(p.input.max_text_bytes).toBe(16 * 2 ** 20);
    expect(p.output.target_file_bytes).toBe(64e6);
    expect(() => checkPipeline(p)).not.toThrow();
  });

  it('applies command-line overrides relative to the current directory', () => {
    const p = loadPipeline(DRY_RUN, { input: 'x/in', output: 'y/out', workers: 3 }, '/tmp');
    expect(p.input.path).toBe('/tmp/x/in');
    expect(p.output.path).toBe('/tmp/y/out');
    expect(p.execution.workers).toBe(3);
  });

  it('hashes what decides results, not where they go or how fast', () => {
    const a = loadPipeline(DRY_RUN);
    const b = loadPipeline(DRY_RUN, { output: '/elsewhere', workers: 7 });
    expect(configHash(a)).toBe(configHash(b));
    const c = { ...a, normalize: { ...a.normalize, unicode: 'NFKC' as const } };
    expect(configHash(c)).not.toBe(configHash(a));
  });

  it('names the file, line and key of a wrong type', () => {
    const err = loadError('name: t\ninput:\n  path: in\n  max_text_bytes: lots\n');
    expect(err.message).toContain('p.yaml');
    expect(err.message).toMatch(/line 4: input\.max_text_bytes: expected a size/);
  });

  it('rejects unknown keys, so typos do not pass silently', () => {
    const err = loadError('name: t\ninput:\n  path: in\n  colums: {text: body}\n');
    expect(err.message).toMatch(/input.*colums/);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = loadError('name: t\ninput: [unclosed\n');
    expect(err.message).toMatch(/line \d+/);
  });

  it('reports a missing required key', () => {
    expect(loadError('name: t\n').message).toMatch(/input: /);
  });

  it('checks the entity tree settings: a tree that is not there, weights without the met family', () => {
    expect(loadError('name: t\ninput: {path: in}\nsignals: {families: [met]}\nmet:\n  tree: no-such-tree\n').message).toMatch(/line 5: met\.tree: entity tree "no-such-tree" not found/);
    expect(loadError('name: t\ninput: {path: in}\nmet:\n  weights:\n    enabled: true\n').message).toMatch(/line 5: met\.weights\.enabled: .*add met to signals\.families/);
    const p = loadPipeline(DRY_RUN);
    expect(p.metTree?.path).toBe(join(ROOT, 'fixtures', 'met', 'met.json.gz'));
    expect(p.metTree?.sha256).toMatch(/^66ce7dcd03a9/);
  });

  it('checks rule exceptions: the condition\'s op and threshold, and a softer threshold only where one fits', () => {
    const rules = (rule: string) => ({ 'r.yaml': `name: r\nrules:\n  - ${rule}\n` });
    const yaml = 'name: t\ninput: {path: in}\nsignals: {families: [met]}\nrules: [r.yaml]\n';
    expect(loadError(yaml, rules('{ name: a, signal: word_count, op: ">=", threshold: 50, except: { when: { signal: met_rare, op: in, threshold: 1 } } }')).message).toMatch(/op "in" needs a list threshold/);
    expect(loadError(yaml, rules('{ name: a, signal: source, op: in, threshold: [x], except: { when: { signal: met_rare, op: ">=", threshold: 1 }, threshold: 3 } }')).message).toMatch(/a softer threshold applies to a single-threshold rule/);
    expect(loadError(yaml, rules('{ name: a, signal: word_count, op: ">=", threshold: 50, except: { when: { signal: no_such, op: ">=", threshold: 1 } } }')).message).toMatch(/no_such/);
  });

  it('names a rule set that cannot be found', () => {
    expect(loadError('name: t\ninput: {path: in}\nrules: [no_such_rules]\n').message).toMatch(/rule set "no_such_rules" not found/);
  });

  it('checks rules against the signals: unknown signal, wrong threshold type, list ops', () => {
    const rules = `name: r
rules:
  - {name: a, signal: word_cnt, op: ">=", threshold: 5}
  - {name: b, signal: word_count, op: ">=", threshold: "5"}
  - {name: c, signal: word_count, op: in, threshold: 5}
`;
    const err = loadError('name: t\ninput: {path: in}\nrules: [./r.yaml]\n', { 'r.yaml': rules });
    expect(err.message).toContain('r.yaml');
    expect(err.message).toMatch(/rules\.2\.threshold: op "in" needs a list/);
  });

  it('reports unknown signals and mistyped thresholds once the shape is right', () => {
    const rules = `name: r
rules:
  - {name: a, signal: word_cnt, op: ">=", threshold: 5}
  - {name: b, signal: word_count, op: ">=", threshold: "5"}
`;
    const err = loadError('name: t\ninput: {path: in, columns: {text: t, source: s}}\nrules: [./r.yaml]\n', { 'r.yaml': rules });
    expect(err.message).toMatch(/rules\.0 \(a\): unknown signal "word_cnt"; known signals: .*word_count/);
    expect(err.message).toMatch(/rules\.1 \(b\): signal "word_count" is a number/);
  });

  it('names the signal family to enable for a signal the pipeline does not compute', () => {
    const err = loadError('name: t\ninput: {path: in}\nsignals: {families: []}\nrules: [gopher-quality]\n');
    expect(err.message).toMatch(/unknown signal "gopher_words"; it comes from the "gopher_quality" signal family, which this pipeline does not compute/);
  });

  it('checks list rules: text signals only, and the list file must exist', () => {
    const rules = 'name: r\nrules:\n  - {name: a, signal: word_count, op: in_list, list: none.txt}\n';
    const err = loadError('name: t\ninput: {path: in}\nrules: [./r.yaml]\n', { 'r.yaml': rules });
    expect(err.message).toMatch(/op "in_list" compares text; signal "word_count" is INTEGER/);
    expect(err.message).toMatch(/list file .*none\.txt not found/);
  });

  it('refuses a rule name used twice', () => {
    const r1 = 'name: r1\nrules: [{name: a, signal: word_count, op: ">=", threshold: 1}]\n';
    const err = loadError('name: t\ninput: {path: in}\nrules: [./r1.yaml, ./r2.yaml]\n', { 'r1.yaml': r1, 'r2.yaml': r1.replace('r1', 'r2') });
    expect(err.message).toMatch(/rule "a" is defined in more than one rule set/);
  });
});

describe('parseBytes', () => {
  it('reads decimal and binary units', () => {
    expect(parseBytes('64MB')).toBe(64e6);
    expect(parseBytes('16MiB')).toBe(16 * 2 ** 20);
    expect(parseBytes('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseBytes(1234)).toBe(1234);
    expect(parseBytes('12 parsecs')).toBeUndefined();
    expect(parseBytes(-1)).toBeUndefined();
  });
});
