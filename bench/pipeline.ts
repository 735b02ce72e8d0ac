/**
 * `npm run bench`: throughput of each phase, per core, and peak memory, on a generated corpus of
 * real text; plus a pass-through (read and write only) as the floor to compare annotate with, and
 * annotate with no signal family (the backbone), which splits annotate's cost above that floor
 * into the backbone's and the families'.
 * The pipeline computes the Gopher, C4 and FineWeb signals (language identification is measured
 * on its own by bench/rules.ts) and applies their rule sets.
 * Usage: node dist/bench/pipeline.js [--docs 200000] [--shards 16] [--workers 1,2]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine } from '../src/io/duckdb.js';
import { readShard } from '../src/io/parquet-reader.js';
import { ParquetPartWriter } from '../src/io/parquet-writer.js';
import type { PhaseTiming, RunManifest } from '../src/phases/report.js';
import { benchCorpus, shardFiles, type Corpus } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200000' },
    shards: { type: 'string', default: '16' },
    workers: { type: 'string', default: '1,2' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const workerCounts = values.workers!.split(',').map(Number);
const MB = 1e6;

interface Row {
  what: string;
  workers: number;
  seconds: number;
  cpuSeconds: number;
  /** Text throughput divided by the CPU time the process used: what one core delivers. */
  mbPerCpuSecond: number;
  docsPerCpuSecond: number;
  /** Text throughput divided by the worker count (wall clock). */
  mbPerSecPerWorker: number;
  peakRssMB: number;
}

/** Read the text and id of every shard and write them back: the I/O every annotate pays. */
async function passThrough(corpus: Corpus): Promise<Row> {
  const out = join(PACKAGE_ROOT, '.bench', 'pass-through');
  rmSync(out, { recursive: true, force: true });
  const con = await openEngine();
  const start = performance.now();
  const cpu = process.cpuUsage();
  let docs = 0;
  for (const [i, file] of shardFiles(corpus.dir).entries()) {
    const dir = join(out, String(i));
    mkdirSync(dir, { recursive: true });
    const writer = await ParquetPartWriter.open(con, dir, [{ name: 'id', type: 'VARCHAR' }, { name: 'text', type: 'VARCHAR' }], {
      partRows: 50_000,
      partBytes: 64e6,
      rowGroupRows: 10_000,
    });
    for await (const batch of readShard(con, file, ['id', 'text'])) {
      await writer.append(batch.columns, batch.rows.length);
      docs += batch.rows.length;
    }
    await writer.close();
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  con.closeSync();
  const cpuSeconds = (used.user + used.system) / 1e6;
  return row('pass-through (read + write text and id)', 1, seconds, cpuSeconds, corpus.textBytes, docs, process.resourceUsage().maxRSS * 1024);
}

function row(what: string, workers: number, seconds: number, cpuSeconds: number, bytes: number, docs: number, rss: number): Row {
  return {
    what,
    workers,
    seconds: round(seconds, 2),
    cpuSeconds: round(cpuSeconds, 2),
    mbPerCpuSecond: round(bytes / MB / cpuSeconds, 1),
    docsPerCpuSecond: Math.round(docs / cpuSeconds),
    mbPerSecPerWorker: round(bytes / MB / seconds / workers, 1),
    peakRssMB: Math.round(rss / MB),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs the bench pipeline with these signal families and rule sets; returns its manifest and wall seconds. */
function runBench(corpus: Corpus, workers: number, name: string, families: string, rules: string): { m: RunManifest; total: number } {
  const out = join(PACKAGE_ROOT, '.bench', name);
  rmSync(out, { recursive: true, force: true });
  const pipeline = join(PACKAGE_ROOT, '.bench', `${name}.yaml`);
  writeFileSync(
    pipeline,
    `name: bench
input: { path: ${JSON.stringify(corpus.dir)}, columns: { text: text, id: id, source: source } }
signals: { families: [${families}] }
c4: { terminal_punctuation: false }
dedup: { exact: { enabled: true, partitions: 4 } }
rules: [${rules}]
output: { path: ${JSON.stringify(out)} }
`,
  );
  const start = performance.now();
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), 'run', pipeline, '--quiet', '--workers', String(workers)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const total = (performance.now() - start) / 1000;
  return { m: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as RunManifest, total };
}

/**
 * The backbone alone (no signal family, no rule): what annotate costs above the pass-through before
 * any family runs: normalization, the core counts, the content hash, the signals file's fixed
 * columns. The FineWeb row less this one is what the families cost.
 */
function backboneRun(corpus: Corpus): Row {
  const { m } = runBench(corpus, 1, 'backbone-w1', '', '');
  const p = m.timings.annotate!;
  return row('annotate, backbone only (read, normalize, counts, hash, write)', 1, p.seconds, p.cpu_seconds, m.counts.annotate.text_bytes, m.counts.documents.input, p.peak_rss_bytes);
}

function pipelineRun(corpus: Corpus, workers: number): Row[] {
  const { m, total } = runBench(corpus, workers, `run-w${workers}`, 'gopher_quality, gopher_repetition, c4, fineweb, url', 'gopher-repetition, gopher-quality, c4, fineweb');
  const bytes = m.counts.annotate.text_bytes;
  const docs = m.counts.documents.input;
  const t = m.timings;
  const phase = (what: string, p: PhaseTiming) => row(what, workers, p.seconds, p.cpu_seconds, bytes, docs, p.peak_rss_bytes);
  const all = Object.values(t).reduce((a, p) => a + p.cpu_seconds, 0);
  return [
    phase('annotate (read, normalize, Gopher, C4, FineWeb, hash, write signals)', t.annotate!),
    phase('dedup (exact, global)', t.dedup!),
    phase('decide (rules, write curated + rejected)', t.decide!),
    row('whole run (wall: process start to exit; CPU: the phases)', workers, total, all, bytes, docs, t.decide!.peak_rss_bytes),
  ];
}

/**
 * The dry run's pipeline (pipelines/dry-run.yaml: normalization, PII, Gopher, C4, FineWeb,
 * language ID, URL, MinHash, the Medical Entity Tree's tagging, the two shipped classifiers) on the
 * bench corpus, which has no url column. The rows are the phases that read every document's text:
 * annotate (everything but the classifiers) and score (the classifiers), and their sum; then the
 * entity tally (decide's judgement per shard joined with the mentions annotate found: SQL).
 */
function dryRunPipeline(corpus: Corpus, workers: number): Row[] {
  const out = join(PACKAGE_ROOT, '.bench', `dry-run-w${workers}`);
  rmSync(out, { recursive: true, force: true });
  const pipeline = join(PACKAGE_ROOT, 'pipelines', 'bench-dry-run.yaml');
  writeFileSync(pipeline, readFileSync(join(PACKAGE_ROOT, 'pipelines', 'dry-run.yaml'), 'utf8').replace(/^ {4}url: url\n/m, ''));
  try {
    execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), 'run', pipeline, '--input', corpus.dir, '--output', out, '--quiet', '--workers', String(workers)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(pipeline, { force: true });
  }
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as RunManifest;
  const bytes = m.counts.annotate.text_bytes;
  const docs = m.counts.documents.input;
  const t = m.timings;
  const phase = (what: string, p: PhaseTiming) => row(what, workers, p.seconds, p.cpu_seconds, bytes, docs, p.peak_rss_bytes);
  const perDocument = [t.annotate!, t.score!];
  const sum = (k: 'seconds' | 'cpu_seconds') => perDocument.reduce((a, p) => a + p[k], 0);
  return [
    phase('dry-run pipeline: annotate (normalize, PII, Gopher, C4, FineWeb, language ID, URL, MinHash, entity tagging, hash)', t.annotate!),
    phase('dry-run pipeline: score (the medical and quality classifiers)', t.score!),
    row('dry-run pipeline: annotate + score (every per-document computation)', workers, sum('seconds'), sum('cpu_seconds'), bytes, docs, Math.max(...perDocument.map((p) => p.peak_rss_bytes))),
    phase('dry-run pipeline: entities (the tree tally: SQL over signals and judgement)', t.entities!),
  ];
}

const corpus = await benchCorpus(Number(values.docs), Number(values.shards), values.shared!);
console.log(
  `corpus: ${corpus.docs.toLocaleString('en-US')} documents, ${(corpus.textBytes / MB).toFixed(0)} MB of text, ${corpus.shards} shards ` +
    `(${corpus.source}); machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
);
const rows: Row[] = [await passThrough(corpus), backboneRun(corpus)];
for (const w of workerCounts) rows.push(...pipelineRun(corpus, w));
for (const w of workerCounts) rows.push(...dryRunPipeline(corpus, w));

const header = '| what | workers | wall s | CPU s | MB/s per core | docs/s per core | MB/s per worker | peak RSS MB |';
console.log(`\n${header}\n|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of rows) {
  console.log(
    `| ${r.what} | ${r.workers} | ${r.seconds} | ${r.cpuSeconds} | ${r.mbPerCpuSecond} | ${r.docsPerCpuSecond.toLocaleString('en-US')} | ${r.mbPerSecPerWorker} | ${r.peakRssMB} |`,
  );
}
console.log('\nper core = text bytes / CPU seconds of the process (all threads); per worker = text bytes / wall seconds / workers.');
writeFileSync(join(PACKAGE_ROOT, '.bench', 'results.json'), `${JSON.stringify({ corpus, rows, date: new Date().toISOString() }, null, 2)}\n`);
