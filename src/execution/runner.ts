import { mkdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { resultConfig, type Pipeline } from '../config/load.js';
import { hashOf } from '../config/hash.js';
import { PHASE_VERSIONS } from '../phases/versions.js';
import { pipelineFamilies } from '../signals/registry.js';
import { openEngine } from '../io/duckdb.js';
import { lockRunFolder } from '../io/run-lock.js';
import { RunLayout, shardLabel, type PhaseName } from '../io/layout.js';
import { signalsExist, type AnnotateResult } from '../phases/annotate.js';
import type { RunPlan } from '../phases/context.js';
import type { ShardManifest } from '../phases/decide.js';
import type { BoilerplateResult } from '../phases/boilerplate.js';
import type { ExactDedupResult } from '../phases/exact-dedup.js';
import type { NearClustersResult, NearPairsResult } from '../phases/near-dedup.js';
import { quantileRules } from '../phases/quantiles.js';
import { writeRunManifest, type PhaseTiming, type RunManifest } from '../phases/report.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import { checkPipeline } from './check.js';
import { completedResult } from './markers.js';
import { checkRunFolder, checkSeparate, listInputs, planRun } from './plan.js';
import { isTaskFailure, RunAborted, RunError, type ProgressMessage, type TaskMessage } from './tasks.js';
import type { WorkerSetup } from './worker.js';

export interface RunEvents {
  onPhaseStart?(phase: PhaseName, tasks: number, reused: number): void;
  onProgress?(phase: PhaseName, progress: { tasksDone: number; docs: number; bytes: number }): void;
  onPhaseEnd?(phase: PhaseName, timing: PhaseTiming): void;
}

export interface RunResult {
  manifest: RunManifest;
  layout: RunLayout;
}

export interface RunOptions {
  events?: RunEvents;
  /** Aborting it stops the run: running tasks end at their next check, completed ones are kept. */
  signal?: AbortSignal;
}

/**
 * Runs a pipeline on this machine: annotate every shard, deduplicate globally, find the
 * thresholds of quantile rules, decide every shard, then write the run manifest. Tasks run in a
 * pool of worker threads; a task whose completion marker matches its fingerprint is reused, which
 * is how a killed run resumes. The run folder is checked (apart from the input, new or a run of
 * winnow's) and locked before anything is written.
 */
export async function runPipeline(pipeline: Pipeline, options: RunOptions = {}): Promise<RunResult> {
  const { events = {}, signal } = options;
  checkPipeline(pipeline);
  const layout = new RunLayout(pipeline.output.path);
  const inputs = await listInputs(pipeline.input.path);
  checkSeparate(pipeline.input.path, inputs, layout.root);
  checkRunFolder(layout);
  let lost: Error | undefined;
  let executor: Executor | undefined;
  // The pool exists only while the lock is held: a refused run must leave nothing running.
  const lock = await lockRunFolder(layout, (err) => {
    lost = new RunError(`lost the lock on ${layout.root} (${err.message}): was the folder removed, or taken over by another run? This run stops; run it again to resume`);
    executor?.stop();
  });
  const stop = () => executor?.stop();
  signal?.addEventListener('abort', stop);
  try {
    executor = new Executor(pipeline, layout, events);
    if (signal?.aborted || lost) executor.stop();
    mkdirSync(layout.workDir, { recursive: true });
    const plan = planRun(inputs, layout);
    return await runPhases(pipeline, layout, plan, executor, events);
  } catch (err) {
    throw lost ?? err;
  } finally {
    signal?.removeEventListener('abort', stop);
    await executor?.close();
    await lock.release();
  }
}

async function runPhases(pipeline: Pipeline, layout: RunLayout, plan: RunPlan, executor: Executor, events: RunEvents): Promise<RunResult> {
  const startedAt = new Date();
  const annotated = await executor.phase('annotate', annotateTasks(pipeline, plan), (r: AnnotateResult) =>
    signalsExist(layout.root, r.signalFiles),
  );
  const dedupPhase = await executor.phase<ExactDedupResult | NearPairsResult | BoilerplateResult>('dedup', dedupTasks(pipeline, annotated.results));
  const dedup = pick<ExactDedupResult>(dedupPhase, 'exact');
  const nearPairs = pick<NearPairsResult>(dedupPhase, 'near');
  const boilerplate = pick<BoilerplateResult>(dedupPhase, 'lines');
  const near = pipeline.dedup.near.enabled
    ? await executor.phase<NearClustersResult>('cluster', [clusterTask(pipeline, annotated, nearPairs)])
    : emptyPhase<NearClustersResult>();
  const quantiles = quantileRules(pipeline).length > 0
    ? await executor.phase<QuantileThreshold[]>('quantiles', [quantilesTask(pipeline, annotated, dedup, near)])
    : emptyPhase<QuantileThreshold[]>();
  const decided = await executor.phase<ShardManifest>('decide', decideTasks(pipeline, plan, annotated, dedup, near, boilerplate, quantiles));
  executor.throwIfStopped();

  const reportStart = { wall: performance.now(), cpu: process.cpuUsage() };
  const con = await openEngine({ memoryLimit: pipeline.execution.memory_per_worker, tempDir: layout.spillDir(0) });
  try {
    const textBytes = annotated.results.reduce((a, r) => a + r.textBytes, 0);
    const timings = { ...executor.timings };
    const manifest = await writeRunManifest(con, pipeline, layout, plan, decided.results, { exact: dedup.results, near: near.results[0], boilerplate: boilerplate.results }, quantiles.results[0] ?? [], textBytes, {
      startedAt,
      workers: pipeline.execution.workers,
      timings,
    });
    events.onPhaseEnd?.('report', executor.timing(reportStart, 1, 0));
    return { manifest, layout };
  } finally {
    con.closeSync();
  }
}

/**
 * The error a failed phase reports: the failure of the first task in plan order (not the first to
 * finish, which depends on timing), with a count of the others; a task that only stopped because
 * another failed is not a failure of its own.
 */
function firstFailure(failures: { index: number; error: unknown }[]): unknown {
  const real = failures.filter((f) => !(f.error instanceof RunAborted)).sort((a, b) => a.index - b.index);
  if (real.length === 0) return failures[0]!.error;
  const first = real[0]!.error;
  if (real.length > 1 && first instanceof RunError) return new RunError(`${first.message}\n(${real.length - 1} more task(s) of this phase failed too; fix this one and run again)`);
  return first;
}

interface PhaseOutcome<R> {
  tasks: TaskMessage[];
  results: R[];
}

const emptyPhase = <R>(): PhaseOutcome<R> => ({ tasks: [], results: [] });

/** A task's fingerprint: what it computes from, and the version of the code that computes it (src/phases/versions.ts). */
function fingerprint(code: unknown, value: unknown): string {
  return hashOf({ code, ...(value as object) });
}

/** Annotate's tasks, one per shard, each with its fingerprint (exported for the fingerprint tests). */
export function annotateTasks(pipeline: Pipeline, plan: RunPlan): TaskMessage[] {
  const config = resultConfig(pipeline);
  const annotateCode = { annotate: PHASE_VERSIONS.annotate, families: pipelineFamilies(pipeline).map((f) => [f.name, f.version]) };
  return plan.shards.map((shard) => {
    const stat = statSync(shard.path);
    // Everything annotate computes from but the file: the text passes, the signal families and
    // their settings, and the MinHash signature near-dedup needs (but not its global settings).
    const computed = {
      phase: 'annotate',
      shard: { name: shard.name, index: shard.index },
      input: config.input,
      normalize: config.normalize,
      c4: config.c4,
      pii: config.pii,
      signals: config.signals,
      minhash: minhashSettings(config.dedup.near),
      row_group_rows: config.output.row_group_rows,
    };
    return {
      phase: 'annotate',
      task: shardLabel(shard.index),
      // The quick check: size and mtime. When only they changed, the task hashes the file and
      // keeps its annotation if the content is the same (worker.ts); later phases key on content.
      fingerprint: fingerprint(annotateCode, { ...computed, file: { bytes: stat.size, mtime: stat.mtimeMs } }),
      contentKey: fingerprint(annotateCode, computed),
      shard,
    };
  });
}

/** What of near-dedup's settings the signatures depend on: nothing when it is off. */
function minhashSettings(near: Pipeline['dedup']['near']) {
  if (!near.enabled) return null;
  const { shingle, bands, rows, seed, verify } = near;
  return { shingle, bands, rows, seed, signature: verify !== 'none' };
}

/** The dedup phase's tasks: exact dedup's hash-range partitions, near-dedup's band-key partitions, boilerplate's line-hash partitions. */
function dedupTasks(pipeline: Pipeline, annotated: AnnotateResult[]): TaskMessage[] {
  const signalFiles = annotated.flatMap((r) => r.signalFiles);
  const upstream = annotated.map((r) => r.content);
  const { exact, near, lines } = resultConfig(pipeline).dedup;
  const tasks = (kind: 'exact' | 'near' | 'lines', partitions: number, config: unknown): TaskMessage[] =>
    Array.from({ length: partitions }, (_, partition) => ({
      phase: 'dedup',
      kind,
      task: `${kind}-${shardLabel(partition)}`,
      fingerprint: fingerprint(PHASE_VERSIONS.dedup[kind], { phase: 'dedup', kind, partition, config, upstream }),
      partition,
      partitions,
      signalFiles,
    }));
  return [
    ...(exact.enabled ? tasks('exact', exact.partitions, exact) : []),
    ...(near.enabled ? tasks('near', near.partitions, near) : []),
    ...(lines.enabled ? tasks('lines', lines.partitions, lines) : []),
  ];
}

/** The results of one kind of dedup task, in partition order. */
function pick<R>(phase: PhaseOutcome<unknown>, kind: 'exact' | 'near' | 'lines'): PhaseOutcome<R> {
  const at = phase.tasks.flatMap((t, i) => (t.phase === 'dedup' && t.kind === kind ? [i] : []));
  return { tasks: at.map((i) => phase.tasks[i]!), results: at.map((i) => phase.results[i] as R) };
}

function clusterTask(pipeline: Pipeline, annotated: PhaseOutcome<AnnotateResult>, pairs: PhaseOutcome<NearPairsResult>): TaskMessage {
  return {
    phase: 'cluster',
    task: 'near',
    fingerprint: fingerprint(PHASE_VERSIONS.cluster, { phase: 'cluster', near: resultConfig(pipeline).dedup.near, upstream: pairs.tasks.map((t) => t.fingerprint) }),
    pairFiles: pairs.results.map((r) => r.file),
    signalFiles: annotated.results.flatMap((r) => r.signalFiles),
  };
}

/** One task: the corpus-wide thresholds of quantile rules, over the documents dedup keeps. */
function quantilesTask(
  pipeline: Pipeline,
  annotated: PhaseOutcome<AnnotateResult>,
  dedup: PhaseOutcome<ExactDedupResult>,
  near: PhaseOutcome<NearClustersResult>,
): TaskMessage {
  const nearFile = near.results[0]?.file;
  return {
    phase: 'quantiles',
    task: 'all',
    fingerprint: fingerprint(PHASE_VERSIONS.quantiles, {
      phase: 'quantiles',
      rules: quantileRules(pipeline),
      upstream: [...annotated.results.map((r) => r.content), ...[...dedup.tasks, ...near.tasks].map((t) => t.fingerprint)],
    }),
    signalFiles: annotated.results.flatMap((r) => r.signalFiles),
    dedupFiles: dedup.results.map((r) => r.file),
    ...(nearFile ? { nearFile } : {}),
  };
}

function decideTasks(
  pipeline: Pipeline,
  plan: RunPlan,
  annotated: PhaseOutcome<AnnotateResult>,
  dedup: PhaseOutcome<ExactDedupResult>,
  near: PhaseOutcome<NearClustersResult>,
  boilerplate: PhaseOutcome<BoilerplateResult>,
  quantiles: PhaseOutcome<QuantileThreshold[]>,
): TaskMessage[] {
  const config = resultConfig(pipeline);
  const dedupFiles = dedup.results.map((r) => r.file);
  const boilerplateFiles = boilerplate.results.map((r) => r.file);
  const thresholds = quantiles.results[0] ?? [];
  const upstreamDedup = [...dedup.tasks, ...near.tasks, ...boilerplate.tasks].map((t) => t.fingerprint);
  const nearFile = near.results[0]?.file;
  return plan.shards.map((shard, i) => ({
    phase: 'decide',
    task: shardLabel(shard.index),
    fingerprint: fingerprint(PHASE_VERSIONS.decide, {
      phase: 'decide',
      upstream: [annotated.results[i]!.content, ...upstreamDedup],
      columns: config.input.columns,
      rules: config.rules,
      output: config.output,
      exact: config.dedup.exact.enabled,
      near: config.dedup.near.enabled ? config.dedup.near.threshold : false,
      lines: config.dedup.lines.enabled ? config.dedup.lines : false,
      quantiles: thresholds,
    }),
    shard,
    annotated: annotated.results[i]!,
    dedupFiles,
    ...(nearFile ? { nearFile } : {}),
    ...(boilerplateFiles.length > 0 ? { boilerplateFiles } : {}),
    quantiles: thresholds,
  }));
}

/** Runs the tasks of each phase in a worker pool, reusing completed ones, and times the phases. */
class Executor {
  readonly timings: Record<string, PhaseTiming> = {};
  private pool: Piscina | undefined;
  private readonly channel: BroadcastChannel;
  private readonly channelName = `winnow-progress-${process.pid}-${randomBytes(4).toString('hex')}`;
  private progress = { phase: 'annotate' as PhaseName, tasksDone: 0, docs: 0, bytes: 0 };
  private readonly abortFlag = new SharedArrayBuffer(4);

  constructor(
    private readonly pipeline: Pipeline,
    private readonly layout: RunLayout,
    private readonly events: RunEvents,
  ) {
    this.channel = new BroadcastChannel(this.channelName);
    this.channel.onmessage = (event) => {
      const msg = (event as { data: ProgressMessage }).data;
      if (msg.phase !== this.progress.phase) return;
      this.progress.docs += msg.docs;
      this.progress.bytes += msg.bytes;
      this.emitProgress();
    };
  }

  async phase<R>(name: PhaseName, tasks: TaskMessage[], stillValid: (result: R) => boolean = () => true): Promise<PhaseOutcome<R>> {
    this.throwIfStopped();
    const start = { wall: performance.now(), cpu: process.cpuUsage() };
    const results: (R | undefined)[] = tasks.map((t) => {
      const done = completedResult<R>(this.layout, name, t.task, t.fingerprint);
      return done !== undefined && stillValid(done) ? done : undefined;
    });
    const pending = tasks.filter((_, i) => results[i] === undefined);
    this.progress = { phase: name, tasksDone: tasks.length - pending.length, docs: 0, bytes: 0 };
    this.events.onPhaseStart?.(name, tasks.length, tasks.length - pending.length);
    // Every task is waited for, failed or not: a worker thread may only be stopped when it is idle,
    // because stopping it inside a native DuckDB call aborts the whole process.
    const failures: { index: number; error: unknown }[] = [];
    const fail = (index: number, error: unknown) => {
      failures.push({ index, error });
      this.stop();
    };
    await Promise.all(
      tasks.map(async (task, i) => {
        if (results[i] !== undefined) return;
        try {
          const result = await this.workers().run(task);
          if (isTaskFailure(result)) return fail(i, result.name === 'RunAborted' ? new RunAborted() : new RunError(result.message));
          results[i] = result as R;
          this.progress.tasksDone++;
          this.emitProgress();
        } catch (err) {
          fail(i, err);
        }
      }),
    );
    if (failures.length > 0) throw firstFailure(failures);
    const timing = this.timing(start, pending.length, tasks.length - pending.length);
    this.timings[name] = timing;
    this.events.onPhaseEnd?.(name, timing);
    return { tasks, results: results as R[] };
  }

  timing(start: { wall: number; cpu: NodeJS.CpuUsage }, run: number, reused: number): PhaseTiming {
    const cpu = process.cpuUsage(start.cpu);
    return {
      seconds: Math.round(performance.now() - start.wall) / 1000,
      cpu_seconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      tasks_run: run,
      tasks_reused: reused,
    };
  }

  /** Asks running tasks to stop at their next check (an interrupted run); phase() then throws RunAborted. */
  stop(): void {
    Atomics.store(new Int32Array(this.abortFlag), 0, 1);
  }

  throwIfStopped(): void {
    if (Atomics.load(new Int32Array(this.abortFlag), 0) !== 0) throw new RunAborted();
  }

  /** Only called once no task is running (phase() waits for every task), so every thread is idle. */
  async close(): Promise<void> {
    this.channel.close();
    await this.pool?.close();
  }

  private emitProgress(): void {
    const { phase, ...progress } = this.progress;
    this.events.onProgress?.(phase, progress);
  }

  private workers(): Piscina {
    const threads = this.pipeline.execution.workers;
    this.pool ??= new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      // Threads start as tasks arrive, so a phase of 3 tasks never starts 64 threads (each with
      // its own DuckDB engine and models).
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      closeTimeout: 3_600_000,
      workerData: { pipeline: this.pipeline, progressChannel: this.channelName, abortFlag: this.abortFlag } satisfies WorkerSetup,
    });
    return this.pool;
  }
}
