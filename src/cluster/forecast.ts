import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Pipeline } from '../config/load.js';
import { resultConfig } from '../config/identity.js';
import { phaseTaskNames } from '../execution/phase-table.js';
import { listInputs } from '../execution/plan.js';
import { runPipeline } from '../execution/runner.js';
import { RunError } from '../execution/tasks.js';
import { openEngine, sqlString } from '../io/duckdb.js';
import { localShard, type InputShard, type ShardPart } from '../io/inputs.js';
import { readShardLayout } from '../io/parquet-layout.js';
import { splitRowGroups } from '../execution/parts.js';
import { isS3Url } from '../storage/s3.js';
import type { PhaseName } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';
import { makeDirs } from '../storage/dirs.js';

/** What a whole run is forecast to take, phase by phase, from a sample of its shards run for real. */
export interface Forecast {
  input: { shards: number; rows: number; text_bytes: number };
  sample: { shards: string[]; rows: number; text_bytes: number; documents_kept: number; seconds: number };
  /** Whole input ÷ sample, by the text column's uncompressed bytes (Parquet footers). */
  scale: number;
  phases: { phase: PhaseName; tasks: number; core_seconds: number; core_hours: number; task_minutes: number; peak_rss_bytes: number }[];
  core_hours: number;
  outputs_bytes: number;
  work_bytes: number;
  slurm: { cpus_per_task: number; mem: string; time: string; array_tasks: Record<string, number> };
  assumptions: string[];
}

/**
 * The text column's rows and uncompressed bytes per shard, from the Parquet footers alone (local
 * files by position, S3 objects with ranged GETs), a few at a time.
 */
async function footerSizes(shards: readonly InputShard[], column: string, partBytes: number): Promise<{ rows: number; bytes: number; parts: ShardPart[] }[]> {
  const out: { rows: number; bytes: number; parts: ShardPart[] }[] = new Array(shards.length);
  let next = 0;
  const worker = async () => {
    while (next < shards.length) {
      const i = next++;
      const s = shards[i]!;
      try {
        const layout = await readShardLayout(s.path, column, s.object);
        out[i] = { rows: layout.rows, bytes: layout.rowGroups.reduce((a, rg) => a + rg.textBytes, 0), parts: splitRowGroups(layout, partBytes) };
      } catch (err) {
        if ((err as Error).name === 'StorageError') throw err;
        throw new RunError(`${s.path}: cannot read its Parquet footer (${(err as Error).message.slice(0, 120)}); run winnow validate on the input`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, shards.length) }, worker));
  return out;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(path);
    else if (e.isFile()) total += statSync(path).size;
  }
  return total;
}

/**
 * `winnow forecast`: runs `sample` of the input's shards (spread evenly over the sorted list) through
 * the real pipeline with one worker thread, in a scratch run folder, and scales what it measured to
 * the whole input by the text's uncompressed bytes.
 */
export async function forecastRun(pipeline: Pipeline, sample: number, options: { cpusPerTask: number; signal?: AbortSignal }): Promise<Forecast> {
  const inputs = await listInputs(pipeline.input.path);
  const k = Math.min(sample, inputs.shards.length);
  if (k < 1) throw new RunError('--sample must be at least 1');
  const sizes = await footerSizes(inputs.shards, pipeline.input.columns.text, pipeline.execution.part_bytes);
  // With their parts, so that annotate's task count is the whole run's.
  const all = inputs.shards.map((s, i) => ({ ...s, parts: sizes[i]!.parts }));
  const picked = Array.from({ length: k }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / k)]!);
  const sum = (xs: { rows: number; bytes: number }[]) => xs.reduce((a, x) => ({ rows: a.rows + x.rows, bytes: a.bytes + x.bytes }), { rows: 0, bytes: 0 });
  const whole = sum(sizes);
  const part = sum(picked.map((s) => sizes[s.index]!));
  if (part.bytes === 0) throw new RunError(`the sampled shards hold no text in column ${pipeline.input.columns.text}: sample more (--sample)`);
  const scale = whole.bytes / part.bytes;

  const scratch = mkdtempSync(join(tmpdir(), 'winnow-forecast-'));
  try {
    const run = async (name: string, input: string) => {
      const output = join(scratch, name);
      const started = performance.now();
      const { manifest } = await runPipeline(
        { ...pipeline, input: { ...pipeline.input, path: input }, output: { ...pipeline.output, path: output }, execution: { ...pipeline.execution, workers: 1 } },
        options.signal ? { signal: options.signal } : {},
      );
      return { manifest, output, seconds: (performance.now() - started) / 1000 };
    };
    // A run of one document: what every run pays whatever its size (threads, engines, models).
    // The sampled shards as a local input: links to local files, downloads of those on S3.
    const input = join(scratch, 'input');
    const local: string[] = [];
    for (const s of picked) {
      const at = join(input, s.name);
      makeDirs(dirname(at));
      if (isS3Url(s.path)) renameSync((await localShard(s, join(scratch, 'download'))).path, at);
      else symlinkSync(s.path, at);
      local.push(at);
    }
    const one = join(scratch, 'one');
    mkdirSync(one);
    const con = await openEngine();
    try {
      await con.run(`COPY (SELECT * FROM read_parquet(${sqlString(local[0]!)}) LIMIT 1) TO ${sqlString(join(one, 'one.parquet'))} (FORMAT parquet)`);
    } finally {
      con.closeSync();
    }
    const fixed = await run('fixed', one);
    const sampled = await run('sample', input);
    const outputs = ['curated', 'rejected', 'manifests'].reduce((a, d) => a + folderBytes(join(sampled.output, d)), 0);
    const work = folderBytes(join(sampled.output, 'work'));
    return shape(pipeline, sampled.manifest, fixed.manifest, { all, picked, whole, part, scale, seconds: sampled.seconds, outputs, work, cpusPerTask: options.cpusPerTask });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function shape(
  pipeline: Pipeline,
  manifest: RunManifest,
  fixed: RunManifest,
  m: { all: InputShard[]; picked: InputShard[]; whole: { rows: number; bytes: number }; part: { rows: number; bytes: number }; scale: number; seconds: number; outputs: number; work: number; cpusPerTask: number },
): Forecast {
  // Task counts of the whole run, as `winnow plan` would give them.
  const names = { pipeline, plan: { inputRoot: '', shards: m.all }, config: resultConfig(pipeline) };
  const tasks = new Map(phaseTaskNames(names).map((p) => [p.phase, p.tasks.length]));
  const phases = Object.entries(manifest.timings).map(([phase, t]) => {
    const n = tasks.get(phase as PhaseName) ?? 1;
    // What the sample cost beyond a one-document run grows with the text; the rest is paid once per process.
    const base = Math.min(t.cpu_seconds, fixed.timings[phase]?.cpu_seconds ?? 0);
    const coreSeconds = base + (t.cpu_seconds - base) * m.scale;
    return {
      phase: phase as PhaseName,
      tasks: n,
      core_seconds: round(coreSeconds, 2),
      core_hours: round(coreSeconds / 3600, 4),
      // One task's CPU time, run on one core: the slices' time limit scales from it.
      task_minutes: round(coreSeconds / n / 60, 2),
      peak_rss_bytes: t.peak_rss_bytes,
    };
  });
  const peak = Math.max(...phases.map((p) => p.peak_rss_bytes));
  // A slice of C threads holds C engines: the sample's one-thread peak, C times, and a margin.
  const memGiB = Math.max(1, Math.ceil(((peak * m.cpusPerTask) / 2 ** 30) * 1.5));
  // A slice runs its share of a phase's tasks C at a time; the limit is three times the longest.
  const sliceMinutes = (p: (typeof phases)[number]) => Math.ceil(Math.ceil(p.tasks / Math.min(p.tasks, 100)) / m.cpusPerTask) * p.task_minutes;
  const minutes = Math.max(10, Math.ceil(3 * Math.max(...phases.map(sliceMinutes))));
  return {
    input: { shards: m.all.length, rows: m.whole.rows, text_bytes: m.whole.bytes },
    sample: { shards: m.picked.map((s) => s.name), rows: m.part.rows, text_bytes: m.part.bytes, documents_kept: manifest.counts.documents.curated, seconds: round(m.seconds, 1) },
    scale: round(m.scale, 3),
    phases,
    core_hours: round(phases.reduce((a, p) => a + p.core_seconds, 0) / 3600, 4),
    outputs_bytes: Math.round(m.outputs * m.scale),
    work_bytes: Math.round(m.work * m.scale),
    slurm: {
      cpus_per_task: m.cpusPerTask,
      mem: `${memGiB}G`,
      time: `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:00`,
      array_tasks: Object.fromEntries(phases.map((p) => [p.phase, Math.min(p.tasks, 100)])),
    },
    assumptions: [
      `each phase's CPU time is what a run of one document costs (threads, engines, models: paid once per process, so once per cluster slice) plus a part that grows in proportion to the text's bytes (the sample's ${round(m.scale, 2)}x): true of the per-shard phases; the global ones (dedup's sorts, near-dedup's components, quantiles, coverage) grow a little faster`,
      'duplicates across shards the sample left out are not seen: the whole run keeps fewer documents and writes smaller outputs than the sample scaled',
      `the sample's shards are typical: ${m.picked.length} of ${m.all.length}, spread evenly over the sorted list`,
      'peak memory is the sample run\'s process (one worker thread) at its highest up to the end of each phase; a slice of C threads holds about C times it, and the global steps grow with the corpus',
      'the time limit is three times the longest slice\'s CPU time at the suggested array size (cores as fast as this one)',
    ],
  };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
