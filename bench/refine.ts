/**
 * `npm run bench:refine` (and the end of `npm run bench`): what an iteration of `winnow refine`
 * costs against the full run it refines, on the generated bench corpus. The pipeline is the rule
 * stack of bench/pipeline.ts plus the shipped quality classifier with a quantile rule on it. Then:
 * a fixed threshold changed (decide only), and the classifier replaced by another model file
 * (score for that model, quantiles, decide). Each row is one process, start to exit.
 * Usage: node dist/bench/refine.js [--docs 200000] [--shards 16] [--workers 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { writeModelFile } from '../src/models/fasttext-file.js';
import { trainSupervised } from '../src/models/fasttext-train.js';
import { fastTextLine } from '../src/models/preprocess.js';
import type { RunManifest } from '../src/phases/report.js';
import { benchCorpus } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200000' },
    shards: { type: 'string', default: '16' },
    workers: { type: 'string', default: '2' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const workers = Number(values.workers);
const bench = join(PACKAGE_ROOT, '.bench', 'refine');
rmSync(bench, { recursive: true, force: true });
mkdirSync(bench, { recursive: true });

const corpus = await benchCorpus(Number(values.docs), Number(values.shards), values.shared!);
const run = join(bench, 'run');
const rules = (minWords: number) =>
  `name: bench-refine\nrules:\n  - { name: min_words, signal: word_count, op: ">=", threshold: ${minWords} }\n` +
  '  - { name: low_quality, signal: quality_score, op: ">=", threshold: { quantile: 0.25 } }\n';
const pipeline = (name: string, minWords: number) => {
  writeFileSync(join(bench, `${name}-rules.yaml`), rules(minWords));
  const file = join(bench, `${name}.yaml`);
  writeFileSync(
    file,
    `name: bench-refine
input: { path: ${JSON.stringify(corpus.dir)}, columns: { text: text, id: id, source: source } }
signals:
  families: [gopher_quality, gopher_repetition, c4, fineweb, url]
  models: [{ name: quality_score, path: quality, label: high }]
c4: { terminal_punctuation: false }
dedup: { exact: { enabled: true, partitions: 4 } }
rules: [gopher-repetition, gopher-quality, c4, fineweb, ${name}-rules.yaml]
output: { path: ${JSON.stringify(run)} }
`,
  );
  return file;
};

/** Runs winnow in a process of its own: wall seconds, and the phases' timings from the manifest it wrote. */
function timed(args: string[]): { seconds: number; manifest: RunManifest } {
  const start = performance.now();
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), ...args, '--quiet', '--workers', String(workers)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - start) / 1000;
  return { seconds, manifest: JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as RunManifest };
}

/** Another model with the quality model's labels: a small one trained on the corpus itself, by word count. */
async function otherModel(): Promise<string> {
  const con = await openEngine();
  const sample = await queryRows<{ text: string }>(con, `SELECT text FROM read_parquet(${sqlString(join(corpus.dir, '*.parquet'))}) USING SAMPLE 4000 ROWS (reservoir, 7)`);
  con.closeSync();
  const lines = sample.map((s) => `__label__${s.text.split(/\s+/).length > 300 ? 'high' : 'low'} ${fastTextLine(s.text, { lowercase: true, max_chars: 2000 })}`);
  const file = join(bench, 'other-quality.bin');
  writeFileSync(file, writeModelFile(trainSupervised(lines, { lr: 0.5, dim: 16, epoch: 3, minCount: 2, wordNgrams: 1, bucket: 50_000, lrUpdateRate: 100, seed: 1 })));
  return file;
}

const full = timed(['run', pipeline('first', 50)]);
const decideOnly = timed(['refine', '--run', run, '--pipeline', pipeline('second', 60)]);
const rescore = timed(['refine', '--run', run, '--model', `quality_score=${await otherModel()}`]);

const cpu = (m: RunManifest) => Object.values(m.timings).reduce((a, t) => a + t.cpu_seconds, 0);
const ran = (m: RunManifest) =>
  Object.entries(m.timings)
    .filter(([, t]) => t.tasks_run > 0)
    .map(([p, t]) => `${p} ${t.tasks_run}`)
    .join(', ');
console.log(
  `corpus: ${corpus.docs.toLocaleString('en-US')} documents, ${(corpus.textBytes / 1e6).toFixed(0)} MB of text, ${corpus.shards} shards (${corpus.source}); ` +
    `${workers} workers; machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}\n`,
);
console.log('| what | tasks run | wall s | phases CPU s | share of the full run (wall) |');
console.log('|---|---|---:|---:|---:|');
for (const [what, r] of [
  ['full run (annotate, score, dedup, quantiles, decide)', full],
  ['refine: a fixed threshold changed (decide only)', decideOnly],
  ['refine: the classifier replaced (score, quantiles, decide)', rescore],
] as const) {
  console.log(`| ${what} | ${ran(r.manifest)} | ${r.seconds.toFixed(1)} | ${cpu(r.manifest).toFixed(1)} | ${((100 * r.seconds) / full.seconds).toFixed(1)}% |`);
}
const score = full.manifest.timings.score!;
console.log(
  `\nscore phase in the full run: ${score.seconds.toFixed(1)} s wall, ${((corpus.textBytes / 1e6) / score.cpu_seconds).toFixed(1)} MB/s per core ` +
    `(annotate: ${((corpus.textBytes / 1e6) / full.manifest.timings.annotate!.cpu_seconds).toFixed(1)} MB/s per core)`,
);
writeFileSync(
  join(PACKAGE_ROOT, '.bench', 'refine-results.json'),
  `${JSON.stringify({ corpus, workers, full: full.seconds, decideOnly: decideOnly.seconds, rescore: rescore.seconds, date: new Date().toISOString() }, null, 2)}\n`,
);
