import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/io/duckdb.js';
import { loadScorer } from '../../src/models/scorer.js';
import { rocAuc } from '../../src/models/metrics.js';
import { agreementChange, agreementOf, cohensKappa, labelAgreement, wilson, type Agreement, type LabelledDecision } from '../../src/refinement/agreement.js';
import { openReviewEngine, readFinishedRun } from '../../src/refinement/finished-run.js';
import { LabelFileError, parseCsv, readLabels } from '../../src/refinement/labels.js';
import { retrainFromLabels, runModel } from '../../src/refinement/retrain.js';
import { FULL, parquetGlob, ROOT, rows, sharedDryRun, tempDir, thrownBy, winnow } from '../helpers.js';

const REVIEW = join(ROOT, 'fixtures', 'labels', 'dry-run-review.csv');

function labelFile(name: string, body: string | Buffer): string {
  const file = join(tempDir('labels-'), name);
  writeFileSync(file, body);
  return file;
}

const errorOf = (fn: () => unknown): LabelFileError => thrownBy(LabelFileError, fn);

describe('label files', () => {
  it('reads CSV: quoted commas, doubled quotes and line breaks, CRLF, a byte-order mark, labels in any case, extra columns', () => {
    const file = labelFile(
      'review.csv',
      '\uFEFFid,kept,label,note\r\n' +
        'a,true,keep,plain\r\n' +
        'b,false, DROP ,"spam, with a comma"\r\n' +
        '"c,1",true,Keep,"said ""buy now""\nover two lines"\r\n' +
        'd,true,,\r\n' +
        'a,true,keep,again\r\n',
    );
    const read = readLabels(file);
    expect(read.format).toBe('csv');
    expect(read.labels).toEqual([
      { id: 'a', label: 'keep', note: 'plain', line: 2 },
      { id: 'b', label: 'drop', note: 'spam, with a comma', line: 3 },
      { id: 'c,1', label: 'keep', note: 'said "buy now"\nover two lines', line: 4 },
    ]);
    expect(read.unlabelled).toBe(1);
    expect(read.repeated).toBe(1);
    expect(read.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    // Without a note column, and without a final line break.
    expect(readLabels(labelFile('two.csv', 'label,id\ndrop,x')).labels).toEqual([{ id: 'x', label: 'drop', line: 2 }]);
  });

  it('reads JSON lines: blank lines skipped, numeric ids as text, notes optional', () => {
    const file = labelFile('review.jsonl', '{"id":"a","label":"KEEP","note":"fine"}\n\n{"id":7,"label":"drop"}\n{"id":"z","label":null}\n');
    const read = readLabels(file);
    expect(read.format).toBe('jsonl');
    expect(read.labels).toEqual([
      { id: 'a', label: 'keep', note: 'fine', line: 1 },
      { id: '7', label: 'drop', line: 3 },
    ]);
    expect(read.unlabelled).toBe(1);
  });

  it('names the file, the line and the bad value in one line', () => {
    // Line numbers count the lines a quoted field spans.
    const bad = labelFile('bad.csv', 'id,label,note\na,keep,"two\nlines"\nb,maybe,\n');
    const e = errorOf(() => readLabels(bad));
    expect(e.message).toBe(`${bad}, line 4: label "maybe" of id "b": expected keep or drop`);
    expect(e.message).not.toContain('\n');

    const conflict = labelFile('conflict.jsonl', '{"id":"a","label":"keep"}\n{"id":"b","label":"drop"}\n{"id":"a","label":"drop"}\n');
    expect(errorOf(() => readLabels(conflict)).message).toBe(`${conflict}, line 3: id "a" is labelled drop here and keep on line 1: keep one`);

    const cases: [string, string, RegExp][] = [
      ['j.jsonl', '{"id":"a","label":"keep"}\n{"id":"b", label:"keep"}\n', /, line 2: not JSON \(/],
      ['j.jsonl', '["a","keep"]\n', /, line 1: expected an object \{"id", "label", "note"\?\}$/],
      ['j.jsonl', '{"label":"keep"}\n', /, line 1: "id": expected a string, got nothing$/],
      ['j.jsonl', '{"id":"a","label":true}\n', /, line 1: "label" of id "a": expected "keep" or "drop", got true$/],
      ['h.csv', 'doc,verdict\na,keep\n', /, line 1: the header has no column "id" \(it has "doc", "verdict"\); expected id,label\[,note\]$/],
      ['f.csv', 'id,label\na,keep,extra note, with comma\n', /, line 2: 4 fields where the header has 2 \(quote a field that holds a comma\)$/],
      ['q.csv', 'id,label,note\na,keep,"never closed\n', /, line 2: a quoted field is never closed$/],
      ['q.csv', 'id,label,note\na,keep,say "hi"\n', /, line 2: a quote inside an unquoted field/],
      ['e.csv', 'id,label\n,keep\n', /, line 2: empty id$/],
      ['x.txt', 'id,label\n', /x\.txt: unknown format: expected \.csv/],
      ['u.csv', Buffer.from([0x69, 0x64, 0x2c, 0xff, 0x0a]) as unknown as string, /u\.csv: not UTF-8 text$/],
      ['empty.csv', '', /empty\.csv: empty: expected a header/],
    ];
    for (const [name, body, message] of cases) expect(errorOf(() => readLabels(labelFile(name, body))).message, `${name}: ${body}`).toMatch(message);
    expect(errorOf(() => readLabels('/nonexistent/labels.csv')).message).toBe('/nonexistent/labels.csv: no such file');
  });

  it('parses RFC 4180 as written by winnow sample (CRLF, quoted fields) into records with their first line', () => {
    expect(parseCsv('f', 'a,b\r\n"x\r\ny",z\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\r\ny', 'z'] },
    ]);
  });
});

describe('agreement metrics', () => {
  it("gives Wilson's 95% score interval", () => {
    const at = (k: number, n: number) => wilson(k, n)!.map((x) => Number(x.toFixed(3)));
    expect(at(8, 10)).toEqual([0.49, 0.943]);
    expect(at(0, 10)).toEqual([0, 0.278]);
    expect(at(10, 10)).toEqual([0.722, 1]);
    expect(at(1, 1)).toEqual([0.207, 1]);
    expect(at(50, 100)).toEqual([0.404, 0.596]);
    expect(wilson(0, 0)).toBeNull();
  });

  it("gives Cohen's kappa, null when chance agreement is certain", () => {
    // Agreement 0.7, chance 0.4 x 0.5 + 0.6 x 0.5 = 0.5: kappa (0.7 - 0.5) / 0.5.
    expect(cohensKappa({ keepKeep: 3, keepDrop: 1, dropKeep: 2, dropDrop: 4 })).toBeCloseTo(0.4, 12);
    expect(cohensKappa({ keepKeep: 5, keepDrop: 0, dropKeep: 0, dropDrop: 5 })).toBe(1);
    expect(cohensKappa({ keepKeep: 4, keepDrop: 0, dropKeep: 0, dropDrop: 0 })).toBeNull();
  });

  // Ten documents worked out by hand: the run keeps d1-d4, drops d5-d10; reviewers keep d1-d3, d5 and d9.
  const doc = (n: number, kept: boolean, label: 'keep' | 'drop', rules: string[], source: string | null): LabelledDecision => ({ id: `d${n}`, key: `s#${n}`, source, label, kept, rules });
  const decisions = [
    doc(1, true, 'keep', [], 'medquad/GHR'),
    doc(2, true, 'keep', [], 'medquad/GHR'),
    doc(3, true, 'keep', [], 'medquad/GHR'),
    doc(4, true, 'drop', [], 'medquad/GHR'),
    doc(5, false, 'keep', ['a'], 'medquad/GHR'),
    doc(6, false, 'drop', ['a', 'b'], 'spam/x'),
    doc(7, false, 'drop', ['b'], 'spam/x'),
    doc(8, false, 'drop', ['a'], 'spam/x'),
    doc(9, false, 'keep', ['dup'], 'medquad/GARD'),
    doc(10, false, 'drop', ['b'], null),
  ];
  const meta = (level: number) => ({ run: 'r', iteration: 0, level, labels: { file: 'f', sha256: 'h', labelled: 10, unlabelled: 0, not_in_run: 0, not_in_run_examples: [], ambiguous: 0 } });

  it('counts agreement, false drops and keeps, per rule and per source, as worked out by hand', () => {
    const a = agreementOf(decisions, ['bad_input', 'a', 'b', 'dup'], meta(0.25));
    expect(a.documents).toBe(10);
    expect(a.reviewers).toEqual({ keep: 5, drop: 5 });
    expect(a.decisions).toEqual({ kept: 4, dropped: 6 });
    expect(a.agreement.count).toBe(7);
    expect(a.agreement.rate).toBe(0.7);
    expect(a.agreement.interval).toEqual(wilson(7, 10));
    expect(a.false_drops).toBe(2);
    expect(a.false_keeps).toBe(1);
    expect(a.kappa).toBeCloseTo(0.4, 12);

    const rule = (name: string) => a.rules.find((r) => r.rule === name)!;
    expect(a.rules.map((r) => r.rule)).toEqual(['bad_input', 'a', 'b', 'dup']);
    // bad_input drops none: no rates, never flagged.
    expect(rule('bad_input').false_drops).toEqual({ count: 0, of: 0, rate: null, interval: null });
    expect(rule('bad_input').false_keeps).toMatchObject({ count: 5, of: 10 });
    // a drops d5, d6, d8; reviewers keep d5; alone on d5 and d8. It passes 7, of which d4, d7, d10 are labelled drop.
    expect(rule('a').false_drops).toMatchObject({ count: 1, of: 3, rate: 1 / 3 });
    expect(rule('a').false_drops.interval).toEqual(wilson(1, 3));
    expect(rule('a').alone).toEqual({ documents: 2, false_drops: 1 });
    expect(rule('a').false_keeps).toMatchObject({ count: 3, of: 7, rate: 3 / 7 });
    // b drops d6, d7, d10, all labelled drop; alone on d7 and d10; passes 7 with d4 and d8 labelled drop.
    expect(rule('b').false_drops).toMatchObject({ count: 0, of: 3, rate: 0 });
    expect(rule('b').alone).toEqual({ documents: 2, false_drops: 0 });
    expect(rule('b').false_keeps).toMatchObject({ count: 2, of: 7 });
    // dup drops d9 alone, labelled keep: 1 of 1, interval 0.207..1.
    expect(rule('dup').false_drops).toMatchObject({ count: 1, of: 1, rate: 1 });
    expect(rule('dup').alone).toEqual({ documents: 1, false_drops: 1 });
    expect(rule('dup').false_keeps).toMatchObject({ count: 5, of: 9 });
    // Flagged when the interval's lower end is above the level.
    expect(a.rules.filter((r) => r.flagged)).toEqual([]);
    expect(agreementOf(decisions, ['bad_input', 'a', 'b', 'dup'], meta(0.2)).rules.filter((r) => r.flagged).map((r) => r.rule)).toEqual(['dup']);

    expect(a.sources).toEqual([
      { name: '(none)', documents: 1, agree: 1, false_drops: 0, false_keeps: 0 },
      { name: 'medquad', documents: 6, agree: 3, false_drops: 2, false_keeps: 1 },
      { name: 'spam', documents: 3, agree: 3, false_drops: 0, false_keeps: 0 },
    ]);
  });

  it('says how agreement moved between two iterations', () => {
    const before = agreementOf(decisions, ['a', 'b', 'dup'], meta(0.25));
    const fixed = decisions.map((d) => (d.id === 'd9' ? { ...d, kept: true, rules: [] } : d));
    const after = agreementOf(fixed, ['a', 'b', 'dup'], meta(0.25));
    const change = agreementChange(before, after);
    expect(change.accuracy).toBeCloseTo(0.1, 12);
    expect(change.false_drops).toBe(1);
    expect(change.false_keeps).toBe(0);
    expect(change.improved).toBe(true);
    expect(agreementChange(after, after).improved).toBe(false);
  });
});

describe('labels on the dry run', () => {
  let run = '';
  let agreement: Agreement;

  beforeAll(async () => {
    const dry = await sharedDryRun();
    expect(dry.code, dry.stderr).toBe(0);
    run = dry.dir;
    const { con, close } = await openReviewEngine();
    try {
      agreement = await labelAgreement(con, readFinishedRun(run), readLabels(REVIEW));
    } finally {
      close();
    }
  });

  it('matches every label of the committed review file to a document and counts as the rejected files say', async () => {
    const labels = readLabels(REVIEW);
    expect(labels.labels.length).toBeGreaterThanOrEqual(90);
    expect(agreement.labels.not_in_run).toBe(0);
    expect(agreement.documents).toBe(labels.labels.length);

    // Brute force from the run's files: a document is kept when it has no rejected row.
    const truth = await rows<{ id: string; label: string; kept: boolean; rules: string[] | null }>(
      `SELECT l.id, l.label, r.key IS NULL AS kept, list_transform(r.reasons, x -> x.rule) AS rules
       FROM read_csv(${sqlString(REVIEW)}, all_varchar = true) l
       JOIN read_parquet(${sqlString(join(run, 'work/signals/*/*/*.parquet'))}) s ON s.id = l.id
       LEFT JOIN read_parquet(${parquetGlob(join(run, 'rejected'))}) r ON r.key = s.key`,
    );
    expect(truth).toHaveLength(labels.labels.length);
    expect(agreement.agreement.count).toBe(truth.filter((t) => t.kept === (t.label === 'keep')).length);
    expect(agreement.false_drops).toBe(truth.filter((t) => !t.kept && t.label === 'keep').length);
    expect(agreement.false_keeps).toBe(truth.filter((t) => t.kept && t.label === 'drop').length);
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
    expect(agreement.rules.map((r) => r.rule)).toEqual(Object.keys(manifest.counts.rules));
    for (const r of agreement.rules) {
      const drops = truth.filter((t) => (t.rules ?? []).includes(r.rule));
      expect(r.false_drops.of, r.rule).toBe(drops.length);
      expect(r.false_drops.count, r.rule).toBe(drops.filter((t) => t.label === 'keep').length);
      expect(r.alone.documents, r.rule).toBe(drops.filter((t) => t.rules!.length === 1).length);
      expect(r.false_keeps.count, r.rule).toBe(truth.filter((t) => !(t.rules ?? []).includes(r.rule) && t.label === 'drop').length);
    }
    // The review file was chosen over kept documents, many reasons and every source.
    expect(agreement.decisions.kept).toBeGreaterThanOrEqual(30);
    expect(agreement.rules.filter((r) => r.false_drops.of > 0).length).toBeGreaterThanOrEqual(20);
    expect(agreement.sources.map((s) => s.name)).toEqual(['medquad', 'spamassassin', 'udhr']);
  });

  it('winnow labels prints the report, or JSON; ids not in the run are counted, not fatal', () => {
    const extra = labelFile('extra.csv', `${readFileSync(REVIEW, 'utf8')}no-such-document,keep,\n`);
    const r = winnow(['labels', '--run', run, '--labels', extra]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 ids not in the run (e.g. "no-such-document")');
    expect(r.stdout).toContain(`agreement ${(100 * agreement.agreement.rate!).toFixed(1)}% (${agreement.agreement.count} of ${agreement.documents}`);
    for (const rule of agreement.rules.filter((x) => x.false_drops.of > 0)) expect(r.stdout).toMatch(new RegExp(`\\n  ${rule.rule} +${rule.false_drops.of} +${rule.false_drops.count} `));
    const json = winnow(['labels', '--run', run, '--labels', REVIEW, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(agreement)));

    const bad = labelFile('bad.csv', 'id,label\nx,perhaps\n');
    const failed = winnow(['labels', '--run', run, '--labels', bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(`winnow: ${bad}, line 2: label "perhaps" of id "x": expected keep or drop\n`);
    expect(winnow(['labels', '--run', run, '--labels', REVIEW, '--level', '1']).stderr).toMatch(/--level.*expected a share/);
  });

  it('retrains a classifier from the labels: the same bytes twice, labelled keeps above labelled drops', async () => {
    const manifest = readFinishedRun(run).manifest;
    const model = runModel(manifest, 'quality_score');
    // A third of the labels and ten pseudo-labels a class: a minute's worth of k-means less than all of them.
    const some = labelFile('some.csv', readFileSync(REVIEW, 'utf8').split('\n').filter((_, i) => i % 3 === 0).join('\n'));
    const dir = tempDir('retrain-');
    const first = await retrainFromLabels({ run, labels: readLabels(some), model, pseudo: 10, out: join(dir, 'a.ftz') });
    // The second training, for determinism, under `npm run test:full` (CI runs it): as long as the first.
    if (FULL) {
      const second = await retrainFromLabels({ run, labels: readLabels(some), model, pseudo: 10, out: join(dir, 'b.ftz') });
      expect(readFileSync(second.file)).toEqual(readFileSync(first.file));
      const card = (f: string) => ({ ...JSON.parse(readFileSync(f, 'utf8')), model: { ...JSON.parse(readFileSync(f, 'utf8')).model, file: 'x' } });
      expect(card(second.card.json)).toEqual(card(first.card.json));
    }
    expect(first.review.pseudo).toEqual({ asked: 10, positive: 10, negative: 10 });

    const labels = readLabels(some);
    const written = JSON.parse(readFileSync(first.card.json, 'utf8'));
    expect(written.review.labels).toEqual({ file: 'some.csv', sha256: labels.sha256 });
    expect(written.review.replaces).toEqual({ name: 'quality_score', file: 'quality.ftz', sha256: model.sha256 });
    expect(written.review.labelled.keep + written.review.labelled.drop).toBe(labels.labels.length);
    expect(written.review.examples.positive + written.review.examples.negative).toBe(labels.labels.length + 20);
    expect(written.model.labels.sort()).toEqual(['__label__high', '__label__low']);
    expect(written.model.positive_label).toBe('__label__high');
    expect(written.preprocessing).toEqual(model.preprocessing);
    expect(written.description).toContain(labels.sha256);
    expect(readFileSync(first.card.markdown, 'utf8')).toContain('## Review labels');

    // On its training set, the labelled keeps score above the labelled drops.
    const texts = await rows<{ label: string; text: string }>(
      `SELECT l.label, s.text FROM read_csv(${sqlString(some)}, all_varchar = true) l JOIN read_parquet(${sqlString(join(run, 'work/signals/*/*/*.parquet'))}) s ON s.id = l.id`,
    );
    const score = await loadScorer({ ...model, path: first.file, preprocessing_from: 'card', bytes: 0 });
    // (every text here has words: none goes unscored)
    const scores = texts.map((t) => score(t.text)!);
    const positive = texts.map((t) => (t.label === 'keep' ? 1 : 0));
    const mean = (keep: number) => scores.filter((_, i) => positive[i] === keep).reduce((a, b) => a + b, 0) / positive.filter((p) => p === keep).length;
    expect(mean(1)).toBeGreaterThan(mean(0));
    expect(rocAuc(scores, positive)!).toBeGreaterThan(0.95);
  });

  it('refuses labels of one verdict only, and a model without two labels', async () => {
    const model = runModel(readFinishedRun(run).manifest, 'quality_score');
    const keeps = labelFile('keeps.csv', 'id,label\nmedquad-GHR-0000282-3,keep\nno-such,drop\n');
    await expect(retrainFromLabels({ run, labels: readLabels(keeps), model, out: join(tempDir(), 'm.ftz') })).rejects.toThrow(
      /keeps\.csv: retraining needs documents labelled keep and drop; the run has 1 labelled keep and 0 drop \(1 labelled ids are not in it\)/,
    );
    await expect(retrainFromLabels({ run, labels: readLabels(REVIEW), model: { ...model, label: '__label__other' }, out: join(tempDir(), 'm.ftz') })).rejects.toThrow(
      /quality\.ftz: has no label __label__other \(it has __label__high, __label__low\)/,
    );
  });
});
