import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainSupervised } from '../../src/models/fasttext-train.js';
import { writeModelFile } from '../../src/models/fasttext-file.js';
import { iterationOutputs } from '../../src/audit/iteration.js';
import { RunLayout } from '../../src/io/layout.js';
import { archivedData, reportData, type ReportData } from '../../src/report/data.js';
import { writeReport } from '../../src/report/write.js';
import { accounting, db, fixtureSlice, ROOT, fixtureTexts, parquetGlob, pipelineYaml, readManifest, rows, snapshot, tempDir, winnow, winnowAsync, writePipeline } from '../helpers.js';

/**
 * `winnow refine` and `winnow diff` on a fifth of the sample shards, with a quality score and a
 * quantile rule on it: each iteration runs only what its change touches, and equals a fresh run
 * of its final config.
 */
const MODELS = '[gopher_quality]\n  models:\n    - { name: quality_score, path: quality, label: high }\n    - { name: medical_score, path: medical, label: medical }';
const rulesBody = (quantile: number) =>
  `name: t\nrules:\n  - { name: few_words, signal: word_count, op: ">=", threshold: 30 }\n  - { name: low_quality, signal: quality_score, op: ">=", threshold: { quantile: ${quantile} } }\n`;

describe('iterations of a run', () => {
  const dir = tempDir();
  let input = '';
  const base = join(dir, 'base');
  const pipelines = { first: '', stricter: '' };
  /** The run refined once with the stricter pipeline, uninterrupted (the first test makes it). */
  let refined = '';

  const pipeline = (name: string, quantile: number, output: string) => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'rules.yaml'), rulesBody(quantile));
    return writePipeline(d, pipelineYaml({ input, output, families: MODELS, rules: '[rules.yaml]', extra: 'dedup:\n  exact: { enabled: true, partitions: 2 }\n' }));
  };
  const copyOf = (name: string) => {
    const to = join(tempDir(), name);
    cpSync(base, to, { recursive: true });
    return to;
  };
  const refine = (run: string, ...args: string[]) => winnow(['refine', '--run', run, '--quiet', ...args]);

  beforeAll(async () => {
    input = await fixtureSlice(5);
    pipelines.first = pipeline('first', 0.25, base);
    pipelines.stricter = pipeline('stricter', 0.5, base);
    const r = winnow(['run', pipelines.first, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a stricter quantile decides again from cached signals and scores, and equals a fresh run of the final config', async () => {
    const run = copyOf('stricter');
    const r = refine(run, '--pipeline', pipelines.stricter);
    expect(r.code, r.stderr).toBe(0);
    refined = run;
    expect(r.stdout).toMatch(/iteration 1 of .*: config \w+ \(was \w+\)/);
    expect(r.stdout).toMatch(/recomputed: quantiles 1, decide 5 \(tasks\); reused annotate, score, dedup/);
    const manifest = readManifest(run);
    expect(manifest.iteration).toBe(1);
    for (const phase of ['annotate', 'score', 'dedup']) expect(manifest.timings[phase].tasks_run, phase).toBe(0);
    expect(manifest.timings.decide.tasks_run).toBe(5);
    // The chain: iteration 0 as `winnow run` made it, then this one, with what changed.
    expect(manifest.iterations.map((i: { iteration: number }) => i.iteration)).toEqual([0, 1]);
    const [first, second] = manifest.iterations;
    expect(first.changed).toBeNull();
    expect(second.recomputed.annotate).toEqual({ run: 0, reused: 5 });
    expect(second.changed.newly_kept).toBe(0);
    expect(second.changed.newly_dropped).toBeGreaterThan(0);
    expect(second.documents.curated).toBe(first.documents.curated - second.changed.newly_dropped);

    // Iteration 0's outputs moved, unchanged, under iterations/0/.
    const before = snapshot(base);
    const archived = snapshot(join(run, 'iterations', '0'));
    expect([...archived.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, bytes] of before) expect(bytes.equals(archived.get(file)!), file).toBe(true);

    // A fresh run of the final config: the same curated bytes; rejected rows differ only in their iteration.
    const fresh = join(tempDir(), 'fresh');
    expect(winnow(['run', pipelines.stricter, '--quiet', '--output', fresh]).code).toBe(0);
    const a = snapshot(run, ['curated']);
    const b = snapshot(fresh, ['curated']);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
    const rejected = (r: string) => rows(`SELECT * EXCLUDE (iteration) FROM read_parquet(${parquetGlob(join(r, 'rejected'))}) ORDER BY key`);
    expect(await rejected(run)).toEqual(await rejected(fresh));
    expect(await rows(`SELECT DISTINCT iteration FROM read_parquet(${parquetGlob(join(run, 'rejected'))})`)).toEqual([{ iteration: 1 }]);

    // Conservation in both iterations.
    for (const r of [run, join(run, 'iterations', '0')]) {
      const { input: ids, curated, rejected: dropped } = await accounting(input, r);
      expect([...curated, ...dropped].sort()).toEqual(ids.sort());
    }

    // diff: the documents whose fate changed, by rule, against a count over the two iterations' rejected rows.
    const d = winnow(['diff', '--run', run, '--json']);
    expect(d.code, d.stderr).toBe(0);
    const diff = JSON.parse(d.stdout);
    const keys = async (r: string) => new Set((await rows<{ key: string }>(`SELECT key FROM read_parquet(${parquetGlob(join(r, 'rejected'))})`)).map((x) => x.key));
    const [was, now] = [await keys(join(run, 'iterations', '0')), await keys(run)];
    const newlyDropped = [...now].filter((k) => !was.has(k));
    expect(diff).toMatchObject({ a: 0, b: 1, newly_dropped: { total: newlyDropped.length }, newly_kept: { total: 0 } });
    expect(diff.newly_dropped.rules.map((r: { rule: string }) => r.rule)).toEqual(['low_quality']);
    expect(diff.newly_dropped.rules[0].examples[0].reasons[0]).toMatchObject({ rule: 'low_quality', threshold: expect.stringContaining('quantile 0.5') });
    expect(winnow(['diff', '--run', run]).stdout).toMatch(/newly dropped\s+\d+, newly kept 0/);

    // Iteration 0's report, drawn after the fact: its own counts and fates; signals and scores are
    // still its own (only quantiles and decide ran again), so nothing is replaced.
    const old = await reportData(await db(), run, await iterationOutputs(new RunLayout(run), 0));
    expect(old.run.iteration).toBe(0);
    expect(old.replaced).toEqual([]);
    expect(old.documents).toEqual(readManifest(base).counts.documents);
    const keptIn = (data: ReportData, signal: string) => data.histograms.find((h) => h.signal === signal)!.bins.reduce((a, b) => a + b.kept, 0);
    expect(keptIn(old, 'quality_score')).toBe(readManifest(base).counts.documents.curated);
    expect(keptIn(await reportData(await db(), run, await iterationOutputs(new RunLayout(run))), 'quality_score')).toBe(manifest.counts.documents.curated);
    const w = winnow(['report', '--run', run, '--iteration', '0']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain(join(run, 'iterations', '0', 'report.html'));
    rmSync(join(run, 'iterations', '0', 'report.html')); // the later tests compare this run's files with others'
    expect(winnow(['audit', '--run', run, '--iteration', '0', '--reason', 'low_quality', '--json']).stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(winnow(['report', '--run', run, '--iteration', '7']).stderr).toMatch(/has no iteration 7 \(its iterations are 0 to 1\)/);
  });

  it('a replaced model scores again alone: no rule signal is measured again', async () => {
    const run = copyOf('model');
    // A small classifier with the quality model's labels, trained on sample texts.
    const texts = (await fixtureTexts()).slice(0, 400);
    const lines = texts.map((t, i) => `__label__${i % 3 === 0 ? 'low' : 'high'} ${t.text.toLowerCase().replace(/\s+/g, ' ').slice(0, 500)}`);
    // Iteration 0's report drawn before the refine, archived with its outputs.
    await writeReport(await db(), run);
    const model = join(dir, 'other-quality.bin');
    writeFileSync(model, writeModelFile(trainSupervised(lines, { lr: 0.5, dim: 8, epoch: 2, minCount: 1, wordNgrams: 1, bucket: 10_000, lrUpdateRate: 100, seed: 1 })));
    const r = refine(run, '--model', `quality_score=${model}`);
    expect(r.code, r.stderr).toBe(0);
    const manifest = readManifest(run);
    expect(manifest.timings.annotate.tasks_run).toBe(0);
    expect(manifest.timings.score).toMatchObject({ tasks_run: 5, tasks_reused: 5 }); // quality again, medical reused
    expect(manifest.models.find((m: { name: string }) => m.name === 'quality_score').path).toBe(model);
    // Scored with the replaced model's preprocessing, since the new file has no card.
    expect(manifest.models.find((m: { name: string }) => m.name === 'quality_score').preprocessing).toEqual(readManifest(base).models[0].preprocessing);

    // Iteration 0's scores were recomputed by iteration 1: its report takes them from the report drawn then.
    const archived = archivedData(join(run, 'iterations', '0', 'report.html'))!;
    const old = await reportData(await db(), run, await iterationOutputs(new RunLayout(run), 0));
    expect(old.replaced).toEqual([{ section: 'scores', by_iteration: 1, phase: 'score', from: 'archived report' }]);
    const scores = (d: Partial<ReportData>) => d.histograms!.filter((h) => h.kind === 'score');
    expect(scores(old)).toEqual(scores(archived));
    expect(old.histograms.filter((h) => h.kind === 'rule')).toEqual(archived.histograms!.filter((h) => h.kind === 'rule'));
    // Drawn again over its archived page: the scores it took from there are still there to take.
    await writeReport(await db(), run, { iteration: 0 });
    const again = await reportData(await db(), run, await iterationOutputs(new RunLayout(run), 0));
    expect(again.replaced).toEqual(old.replaced);
    expect(scores(again)).toEqual(scores(archived));
    // Without an archived page, the scores are left out, and a page drawn so is no source for them.
    rmSync(join(run, 'iterations', '0', 'report.html'));
    await writeReport(await db(), run, { iteration: 0 });
    for (let i = 0; i < 2; i++) {
      const none = await reportData(await db(), run, await iterationOutputs(new RunLayout(run), 0));
      expect(none.replaced).toEqual([{ section: 'scores', by_iteration: 1, phase: 'score', from: null }]);
      expect(scores(none)).toEqual([]);
      await writeReport(await db(), run, { iteration: 0 });
    }
  });

  it('a refine killed mid-way is finished by the same command, and gives what an uninterrupted one gives', async () => {
    const run = copyOf('killed');
    const child = winnowAsync(['refine', '--run', run, '--pipeline', pipelines.stricter, '--quiet']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let killed = false;
    const state = join(run, 'work', 'refine.json');
    for (;;) {
      if (child.exitCode !== null) break;
      if (existsSync(state) && readFileSync(state, 'utf8').includes('"stage": "run"')) {
        killed = child.kill('SIGKILL');
        break;
      }
      await sleep(2);
    }
    await exited;
    expect(killed).toBe(true);
    // Another change may not finish this iteration; a plain run may not overwrite it.
    const other = refine(run, '--pipeline', pipelines.first);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/iteration 1 of .* is unfinished \(started by: winnow refine --run .* --pipeline .*stricter.*\); run that again to finish it first/);
    expect(winnow(['run', pipelines.first, '--quiet', '--output', run]).stderr).toMatch(/has been refined \(winnow refine\)/);

    const again = refine(run, '--pipeline', pipelines.stricter);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('(finished after an interruption)');
    const whole = refined || copyOf('whole');
    if (!refined) expect(refine(whole, '--pipeline', pipelines.stricter).code).toBe(0);
    for (const sub of [['curated', 'rejected', 'manifests'], ['iterations']]) {
      const [a, b] = [snapshot(run, sub), snapshot(whole, sub)];
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      for (const [file, bytes] of a) if (!file.endsWith('manifest.json')) expect(bytes.equals(b.get(file)!), file).toBe(true);
    }
  });

  it('learns from review labels: agreement before and after, the quality model retrained, all in the chain', () => {
    const run = copyOf('labels');
    const labels = join(ROOT, 'fixtures', 'labels', 'dry-run-review.csv');
    const r = refine(run, '--labels', labels);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/review .*dry-run-review\.csv \(\d+ labelled documents\): agreement [\d.]+% -> [\d.]+%/);
    const model = join(run, 'iterations', '1', 'models', 'quality_score.ftz');
    expect(r.stdout).toContain(`retrained quality_score from the labels: ${model}`);
    const manifest = readManifest(run);
    const record = manifest.iterations[1];
    expect(record.labels).toEqual({ file: labels, sha256: createHash('sha256').update(readFileSync(labels)).digest('hex') });
    expect(record.retrained).toEqual([{ name: 'quality_score', path: model }]);
    // The retrained model scores; the medical model and every rule signal are reused.
    expect(manifest.models.find((m: { name: string }) => m.name === 'quality_score').path).toBe(model);
    expect(manifest.timings.score).toMatchObject({ tasks_run: 5, tasks_reused: 5 });
    expect(manifest.timings.annotate.tasks_run).toBe(0);
    const review = JSON.parse(readFileSync(join(run, 'iterations', '1', 'review.json'), 'utf8'));
    expect(review.before.iteration).toBe(0);
    expect(review.after.iteration).toBe(1);
    expect(review.after.documents).toBe(review.before.documents);
    expect(review.after.documents).toBeGreaterThan(10);
    expect(existsSync(join(run, 'iterations', '1', 'models', 'quality_score.card.json'))).toBe(true);

    // The next iteration, with a changed pipeline, keeps scoring with the retrained model: nothing is scored again.
    expect(refine(run, '--pipeline', pipelines.stricter).code).toBe(0);
    const next = readManifest(run);
    expect(next.models.find((m: { name: string }) => m.name === 'quality_score').path).toBe(model);
    expect(next.iterations[2].replaced_models).toEqual([{ name: 'quality_score', path: model }]);
    expect(next.timings.score).toMatchObject({ tasks_run: 0, tasks_reused: 10 });
  });

  it('two refines started together: one makes the iteration, the other is refused by the lock and moves nothing', async () => {
    const run = copyOf('together');
    const started = [0, 1].map(() => {
      const child = winnowAsync(['refine', '--run', run, '--pipeline', pipelines.stricter, '--quiet']);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
    });
    const results = await Promise.all(started);
    const made = results.filter((r) => r.code === 0).length;
    expect(made).toBeGreaterThanOrEqual(1);
    // The other waited for nothing: refused by the lock, or (had the first finished before it
    // took the lock) by what it read having changed; on a very slow machine, made the next.
    for (const r of results.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(1);
      // The holder is named once it has written its note; a refusal in the moment between its lock
      // and its note says so (seen on a loaded machine).
      expect(r.stderr).toMatch(/^winnow: .*(is in use by another winnow run \((pid \d+ on host |holder unknown: it has only just started)|changed while this refine started).*\n$/);
    }
    const manifest = readManifest(run);
    expect(manifest.iteration).toBe(made);
    expect(existsSync(join(run, 'work', 'refine.json'))).toBe(false);
    const { input: ids, curated, rejected } = await accounting(input, run);
    expect([...curated, ...rejected].sort()).toEqual(ids.sort());
  });

  it('refuses what it cannot refine, in one line', () => {
    const none = refine(join(dir, 'nothing-here'));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^winnow: .*nothing-here is not a finished run \(no manifest.json\): run the pipeline first \(winnow run\)\n$/);
    const model = refine(copyOf('bad-model'), '--model', 'nope=x.ftz');
    expect(model.stderr).toMatch(/--model nope: not a model of this pipeline \(it has quality_score, medical_score\)/);
    const pipeline = refine(copyOf('bad-pipeline'), '--pipeline', join(dir, 'nope.yaml'));
    expect(pipeline.stderr).toMatch(/^winnow: --pipeline .*nope\.yaml: no such file\n$/);
    const diff = winnow(['diff', '--run', base]);
    expect(diff.stderr).toMatch(/has one iteration \(0\): nothing to compare yet/);
  });
});
