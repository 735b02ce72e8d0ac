import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { thresholdIndex } from '../../src/decisions/quantiles.js';
import { runSignalsSql } from '../../src/phases/signals-sql.js';
import { loadClassifier } from '../../src/models/fasttext-runtime.js';
import { readModelFile, writeModelFile } from '../../src/models/fasttext-file.js';
import { fastTextLine } from '../../src/models/preprocess.js';
import { fixtureTexts, parquetGlob, readManifest, ROOT, rows, tempDir, winnow, writePipeline, writeShard } from '../helpers.js';

const MODELS = join(ROOT, 'fixtures', 'models');

/** Every third sample document (MedQuAD answers, e-mails, UDHR), with ten of them copied: copies must not weigh in quantiles. */
async function writeCorpus(dir: string) {
  const docs = (await fixtureTexts()).filter((_, i) => i % 3 === 0);
  const copies = docs.slice(0, 10).map((d) => ({ ...d, id: `${d.id}~copy` }));
  await writeShard(join(dir, 'in', 'part-0.parquet'), docs.slice(0, 600));
  await writeShard(join(dir, 'in', 'part-1.parquet'), [...docs.slice(600), ...copies]);
  return [...docs, ...copies];
}

const pipelineBody = (quantile: number, rulesFile = 'rules.yaml') => `name: models
input: { path: in, columns: { text: text, id: id, source: source } }
signals:
  families: []
  models:
    - { name: medical_score, path: medical, label: medical }
    - { name: quality_score, path: ${join(MODELS, 'quality.ftz')}, label: __label__high }
rules: [${rulesFile}]
output: { path: run, rejected_text: true, curated_signals: [medical_score, quality_score] }
# quantile ${quantile}
`;

const rulesBody = (quantile: number) => `name: scored
rules:
  - { name: not_medical, signal: medical_score, op: ">=", threshold: 0.5 }
  - { name: low_quality, signal: quality_score, op: ">=", threshold: { quantile: ${quantile} } }
`;

describe('model scores in a run', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  let docs: { id: string; text: string; source: string }[] = [];
  let signals: { id: string; text: string; medical_score: number; quality_score: number; dup: boolean }[] = [];
  let rejected = new Map<string, { rule: string; value: string; threshold: string }[]>();

  const readOutcome = async () => {
    rejected = new Map(
      (await rows<{ id: string; reasons: { rule: string; value: string; threshold: string }[] }>(`SELECT id, reasons FROM read_parquet(${parquetGlob(join(out, 'rejected'))})`)).map((r) => [r.id, r.reasons]),
    );
  };

  beforeAll(async () => {
    docs = await writeCorpus(dir);
    writeFileSync(join(dir, 'rules.yaml'), rulesBody(0.25));
    const r = winnow(['run', writePipeline(dir, pipelineBody(0.25)), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    signals = await rows(
      `SELECT s.id, s.text, s.medical_score, s.quality_score, d."row" IS NOT NULL AS dup
       FROM ${runSignalsSql(out, ['medical_score', 'quality_score'])} s
       LEFT JOIN read_parquet(${parquetGlob(join(out, 'work', 'dedup', 'exact'))}) d ON d.shard = s.shard AND d."row" = s."row"`,
    );
    await readOutcome();
  });

  it("are fastText's probabilities of the label, of the final text read as the model's card says", async () => {
    const medical = await loadClassifier(readFileSync(join(MODELS, 'medical.ftz')));
    const card = JSON.parse(readFileSync(join(MODELS, 'medical.card.json'), 'utf8'));
    const at = medical.labels.indexOf('__label__medical');
    expect(signals).toHaveLength(docs.length);
    for (const s of signals.slice(0, 100)) {
      expect(s.medical_score).toBe(medical.predict(fastTextLine(s.text, card.preprocessing))[at]!);
    }
    // The two kinds of text the sample holds score where they should.
    const mean = (prefix: string) => {
      const xs = signals.filter((s) => s.id.startsWith(prefix)).map((s) => s.medical_score);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('medquad')).toBeGreaterThan(0.9);
    expect(mean('spamassassin')).toBeLessThan(0.1);
  });

  it('drop exactly the documents under a fixed threshold, with the score and threshold as the reason', () => {
    const under = signals.filter((s) => s.medical_score < 0.5).map((s) => s.id).sort();
    const fired = [...rejected].filter(([, reasons]) => reasons.some((r) => r.rule === 'not_medical')).map(([id]) => id).sort();
    expect(fired).toEqual(under);
    const [id, reasons] = [...rejected].find(([, r]) => r.some((x) => x.rule === 'not_medical'))!;
    const reason = reasons.find((r) => r.rule === 'not_medical')!;
    expect(reason.threshold).toBe('0.5');
    expect(Number(reason.value)).toBe(signals.find((s) => s.id === id)!.medical_score);
  });

  it('keep the top share of the deduplicated corpus with a quantile threshold, found over every shard', () => {
    // The population: every document but the removed copies (the ten planted, and the sample's own).
    expect(signals.filter((s) => s.dup && s.id.endsWith('~copy'))).toHaveLength(10);
    const population = signals.filter((s) => !s.dup).map((s) => s.quality_score).sort((a, b) => a - b);
    const expected = population[thresholdIndex('>=', 0.25, population.length)]!;
    const [q] = readManifest(out).quantiles;
    expect(q).toMatchObject({ rule: 'low_quality', signal: 'quality_score', op: '>=', quantile: 0.25, documents: population.length });
    expect(q.value).toBe(expected);
    const fired = new Set([...rejected].filter(([, reasons]) => reasons.some((r) => r.rule === 'low_quality')).map(([id]) => id));
    for (const s of signals) expect(fired.has(s.id), s.id).toBe(s.quality_score < expected);
    // The bottom quarter of the unique documents, give or take the rounding of a quarter.
    const under = population.filter((v) => v < expected).length;
    expect(under).toBe(Math.ceil(0.25 * population.length));
  });

  it('are explained by `winnow why`: the score, the threshold and where a quantile threshold came from', () => {
    const [id] = [...rejected].find(([, r]) => r.some((x) => x.rule === 'low_quality'))!;
    const why = winnow(['why', id, '--run', out]).stdout;
    expect(why).toMatch(/low_quality: quality_score = [0-9.e-]+, must be >= [0-9.e-]+ \(quantile 0\.25 of [0-9,]+ unique documents\)/);
  });

  it('put every model in the manifest with its checksum, label and preprocessing', () => {
    const manifest = readManifest(out);
    const medical = manifest.models.find((m: { name: string }) => m.name === 'medical_score');
    expect(medical.sha256).toBe(createHash('sha256').update(readFileSync(join(MODELS, 'medical.ftz'))).digest('hex'));
    expect(medical).toMatchObject({ label: '__label__medical', preprocessing: { lowercase: true, max_chars: 10_000 }, preprocessing_from: 'card' });
    expect(medical.card).toBe(join(MODELS, 'medical.card.json'));
    expect(manifest.config.resolved.signals.models.map((m: { file: string }) => m.file)).toEqual(['medical.ftz', 'quality.ftz']);
  });

  it('re-decide from cached scores when a quantile changes, and drop exactly what the new threshold says', async () => {
    writeFileSync(join(dir, 'rules.yaml'), rulesBody(0.5));
    const r = winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']);
    expect(r.code).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.timings.annotate.tasks_reused).toBe(2);
    expect(manifest.timings.quantiles.tasks_run).toBe(1);
    await readOutcome();
    const population = signals.filter((s) => !s.dup).map((s) => s.quality_score).sort((a, b) => a - b);
    const t = population[thresholdIndex('>=', 0.5, population.length)]!;
    const fired = [...rejected].filter(([, reasons]) => reasons.some((x) => x.rule === 'low_quality')).length;
    expect(fired).toBe(signals.filter((s) => s.quality_score < t).length);
  });

  it('score again when a model file changes, and measure nothing else again', async () => {
    const local = join(dir, 'medical.ftz');
    copyFileSync(join(MODELS, 'quality.ftz'), local);
    writeFileSync(join(dir, 'swap.yaml'), 'name: swap\nrules:\n  - { name: scored, signal: medical_score, op: ">=", threshold: 0.0 }\n');
    const yaml = pipelineBody(0.5, 'swap.yaml').replace('path: medical,', `path: ${local},`).replace('label: medical }', 'label: high }');
    const r = winnow(['run', writePipeline(dir, yaml), '--quiet']);
    expect(r.stderr).toBe('');
    const { timings, models } = readManifest(out);
    // The rule signals, hashes and MinHash stand; only the replaced model's two shards are scored again.
    expect(timings.annotate).toMatchObject({ tasks_run: 0, tasks_reused: 2 });
    expect(timings.score).toMatchObject({ tasks_run: 2, tasks_reused: 2 });
    expect(timings.dedup.tasks_run).toBe(0);
    const quality = await loadClassifier(readFileSync(local));
    // No card beside the copy: the preprocessing the run resolved (the manifest's) is the defaults'.
    const { preprocessing } = models.find((m: { name: string }) => m.name === 'medical_score');
    const rescored = await rows<{ text: string; medical_score: number }>(`SELECT text, medical_score FROM ${runSignalsSql(out, ['medical_score'])} WHERE text IS NOT NULL LIMIT 50`);
    for (const s of rescored) expect(s.medical_score).toBe(quality.predict(fastTextLine(s.text, preprocessing))[quality.labels.indexOf('__label__high')]);
  });
});

describe('model problems, found before any work starts', () => {
  const dir = tempDir();
  beforeAll(async () => {
    await writeShard(join(dir, 'in', 'part-0.parquet'), [{ id: 'a', text: 'A short document about diabetes and insulin.' }]);
    writeFileSync(join(dir, 'rules.yaml'), rulesBody(0.5));
    writeFileSync(join(dir, 'none.yaml'), 'name: none\nrules: []\n');
  });
  const tryRun = (models: string, rules = 'rules.yaml') => {
    const yaml = `name: broken\ninput: { path: in }\nsignals:\n  families: []\n  models:\n${models}\nrules: [${rules}]\noutput: { path: run }\n`;
    return winnow(['run', writePipeline(dir, yaml), '--quiet']);
  };
  const both = (medical: string) => `    - { name: medical_score, ${medical} }\n    - { name: quality_score, path: quality, label: high }`;

  it('a missing model file', () => {
    const r = tryRun(both('path: models/nope.ftz, label: medical'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/signals\.models\.0\.path: model "models\/nope\.ftz" not found/);
  });

  it('a truncated or foreign file, named with what is wrong', () => {
    const bytes = readFileSync(join(MODELS, 'medical.ftz'));
    writeFileSync(join(dir, 'cut.ftz'), bytes.subarray(0, bytes.length / 2));
    writeFileSync(join(dir, 'text.bin'), 'not a model');
    const cut = tryRun(both(`path: ${join(dir, 'cut.ftz')}, label: medical`));
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/signals\.models\.0 \(medical_score\): .*cut\.ftz: truncated/);
    const text = tryRun(both(`path: ${join(dir, 'text.bin')}, label: medical`));
    expect(text.stderr).toMatch(/text\.bin: not a fastText model/);
  });

  it('a label the model does not have, listing those it has', () => {
    const r = tryRun(both('path: medical, label: cardiology'));
    expect(r.stderr).toMatch(/has no label __label__cardiology; its labels: __label__medical, __label__general/);
  });

  it('a word-vector model, or a score named like a signal the pipeline has', () => {
    const model = readModelFile(readFileSync(join(MODELS, 'medical.ftz')));
    writeFileSync(join(dir, 'vectors.ftz'), writeModelFile({ ...model, args: { ...model.args, model: 2 } }));
    expect(tryRun(both(`path: ${join(dir, 'vectors.ftz')}, label: medical`)).stderr).toMatch(/vectors\.ftz is a skipgram model \(word vectors\), not a classifier/);
    const clash = tryRun(`    - { name: word_count, path: medical, label: medical }`, 'none.yaml');
    expect(clash.stderr).toMatch(/signals\.models\.0 \(word_count\): "word_count" is already a signal of this pipeline/);
  });

  it('a quantile threshold on the wrong comparison or a text signal', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nrules:\n  - { name: q, signal: medical_score, op: ">", threshold: { quantile: 0.5 } }\n');
    expect(tryRun(both('path: medical, label: medical'), 'bad.yaml').stderr).toMatch(/quantile threshold needs op ">=" .* or "<="/);
    writeFileSync(join(dir, 'text.yaml'), 'name: t\nrules:\n  - { name: q, signal: source, op: ">=", threshold: { quantile: 0.5 } }\n');
    const yaml = `name: broken\ninput: { path: in, columns: { text: text, source: source } }\nsignals: { families: [] }\nrules: [text.yaml]\noutput: { path: run }\n`;
    expect(winnow(['run', writePipeline(dir, yaml), '--quiet']).stderr).toMatch(/quantile threshold needs a numeric signal; "source" is VARCHAR/);
  });
});

describe('a text with nothing to read', () => {
  it('gets no score: a missing signal, which fails the rule on it, and `why` says so', async () => {
    const dir = tempDir();
    const medquad = (await fixtureTexts()).find((d) => d.source.startsWith('medquad'))!;
    await writeShard(join(dir, 'in', 'part-0.parquet'), [medquad, { id: 'rule-only', text: '\n---- * * * ----\n', source: 'synthetic' }]);
    writeFileSync(join(dir, 'rules.yaml'), 'name: scored\nrules:\n  - { name: not_medical, signal: medical_score, op: ">=", threshold: 0.5 }\n');
    const body = `name: empty\ninput: { path: in, columns: { text: text, id: id, source: source } }\nsignals:\n  families: []\n  models:\n    - { name: medical_score, path: medical, label: medical }\nrules: [rules.yaml]\noutput: { path: run }\n`;
    const r = winnow(['run', writePipeline(dir, body), '--quiet']);
    expect(r.stderr).toBe('');
    const scores = await rows<{ id: string; medical_score: number | null }>(`SELECT id, medical_score FROM ${runSignalsSql(join(dir, 'run'), ['medical_score'])} ORDER BY id`);
    // (the shipped model alone, asked, gives it a number: fastText's end-of-line token's)
    expect(scores.find((s) => s.id === 'rule-only')!.medical_score).toBeNull();
    expect(scores.find((s) => s.id === medquad.id)!.medical_score).toBeGreaterThan(0.5);
    expect(winnow(['why', 'rule-only', '--run', join(dir, 'run')]).stdout).toMatch(/not_medical: medical_score = null, must be >= 0\.5/);
  });
});
