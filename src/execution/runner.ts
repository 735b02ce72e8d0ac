import { randomBytes } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { resultConfig } from '../config/identity.js';
import type { Pipeline } from '../config/load.js';
import { lockRunFolder } from '../io/run-lock.js';
import { RunKeys, RunLayout, type PhaseName } from '../io/layout.js';
import type { RunPlan } from '../phases/context.js';
import type { IterationFacts, PhaseTiming, RunManifest } from '../phases/report.js';
import { checkPipeline } from './check.js';
import { completedResult } from './markers.js';
import { emptyOutcomes, phaseOrder, stepOf, type AnyStep, type PhaseOutcome, type StepName, type StepResults } from './phase-table.js';
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
  /** The refinement iteration this run makes (src/refinement/refine.ts); a plain run makes iteration 0. */
  iteration?: IterationFacts;
  /**
   * Work on the run folder that must happen under its lock, before planning: refinement moves the
   * latest iteration's outputs aside there, so that two refines started together cannot both move them.
   */
  beforeRun?: (layout: RunLayout) => Promise<void>;
}

/**
 * Runs a pipeline on this machine: annotate every shard, deduplicate globally, find the
 * thresholds of quantile rules, decide every shard, then write the run manifest. Tasks run in a
 * pool of worker threads; a task whose completion marker matches its fingerprint is reused, which
 * is how a killed run resumes. The run folder is checked (apart from the input, new or a run of
 * winnow's) and locked before anything is written.
 */
export async function runPipeline(pipeline: Pipeline, options: RunOptions = {}): Promise<RunResult> {
  const { events = {}, signal, iteration = { n: 0 }, beforeRun } = options;
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
    if (iteration.n === 0) await checkNotRefined(layout);
    await beforeRun?.(layout);
    const plan = await planRun(inputs, layout);
    return await runPhases(pipeline, layout, plan, executor, iteration);
  } catch (err) {
    throw lost ?? err;
  } finally {
    signal?.removeEventListener('abort', stop);
    await executor?.close();
    await lock.release();
  }
}

/**
 * Runs the phase table's phases in order, the report last; a phase's steps plan from the outcomes
 * of those before it, and the report's manifest is the run's result.
 */
async function runPhases(pipeline: Pipeline, layout: RunLayout, plan: RunPlan, executor: Executor, iteration: IterationFacts): Promise<RunResult> {
  const done = emptyOutcomes();
  // The executor's timings fill in as each phase ends, so the report plans with all before it.
  const run = { pipeline, plan, config: resultConfig(pipeline), startedAt: new Date().toISOString(), timings: executor.timings, iteration };
  for (const { phase, steps } of phaseOrder()) {
    const running = steps.filter((s) => s.when?.(pipeline) ?? true);
    if (running.length === 0) continue;
    const tasks = running.flatMap((s) => s.plan(run, done).map((t): TaskMessage => ({ step: s.name, phase, ...t })));
    const outcome = await executor.phase(phase, tasks, (result, task) => stillValid(stepOf(task), result, layout));
    for (const s of running) record(done, s.name, outcome);
  }
  // The report runs in every pipeline, as one task.
  return { manifest: done.report.results[0]!, layout };
}

/**
 * A refined run's answer is its latest iteration: running the pipeline again as iteration 0 would
 * replace it with the first decision while the chain says otherwise.
 */
async function checkNotRefined(layout: RunLayout): Promise<void> {
  const refining = await layout.storage.exists(RunKeys.refineState);
  if (refining || (await layout.storage.list('iterations/')).length > 0) {
    throw new RunError(`${layout.root} has been refined (winnow refine): continue with \`winnow refine --run ${layout.root}\`, or choose a new --output for a fresh run`);
  }
}

/** Whether a completed task's result can be reused, by its step's `stillValid`. */
const stillValid = async (step: AnyStep, result: unknown, layout: RunLayout): Promise<boolean> =>
  // The result is the one a task of this step returned (its marker's), so it has the step's result type.
  (await step.stillValid?.(result as never, layout)) ?? true;

/** Keeps a step's tasks and their results from its phase's outcome, in plan order. */
function record<K extends StepName>(done: { [P in K]: PhaseOutcome<StepResults[P]> }, name: K, outcome: PhaseOutcome<unknown>): void {
  const at = outcome.tasks.flatMap((t, i) => (t.step === name ? [i] : []));
  // Each result is what a task of this step returned (StepResults[name]).
  done[name] = { tasks: at.map((i) => outcome.tasks[i]!), results: at.map((i) => outcome.results[i] as StepResults[K]) };
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

/** Annotate's tasks (exported for the fingerprint tests). */
export { annotateTasks } from './phase-table.js';

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

  async phase<R>(name: PhaseName, tasks: TaskMessage[], stillValid: (result: R, task: TaskMessage) => Promise<boolean> = async () => true): Promise<PhaseOutcome<R>> {
    this.throwIfStopped();
    const start = { wall: performance.now(), cpu: process.cpuUsage() };
    const results: (R | undefined)[] = await Promise.all(
      tasks.map(async (t) => {
        const done = await completedResult<R>(this.layout, name, t.task, t.fingerprint);
        return done !== undefined && (await stillValid(done, t)) ? done : undefined;
      }),
    );
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

  private timing(start: { wall: number; cpu: NodeJS.CpuUsage }, run: number, reused: number): PhaseTiming {
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
