import { resultConfig } from '../config/identity.js';
import type { Pipeline } from '../config/load.js';
import { lockRunFolder } from '../io/run-lock.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { RunPlan } from '../phases/context.js';
import type { IterationFacts, RunManifest } from '../phases/report.js';
import { checkPipeline } from './check.js';
import { Executor, type RunEvents } from './executor.js';
import { checkRunFolder, checkSeparate, listInputs, planRun } from './plan.js';
import { RunError } from './tasks.js';
import { reusable, walkPhases } from './walk.js';

export type { RunEvents } from './executor.js';

export interface RunResult {
  manifest: RunManifest;
  layout: RunLayout;
  /** Where the run's report.html is (a path, or an s3:// address), when the pipeline draws one. */
  report?: string;
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
  await checkRunFolder(layout);
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
    const plan = await planRun(inputs, layout, pipeline);
    const result = await runPhases(pipeline, layout, plan, executor, iteration);
    // Loaded only here: the report's modules and the charting library are for the end of a run.
    const { reportAfterRun } = await import('../report/write.js');
    const report = await reportAfterRun(layout, pipeline.output.report);
    return report ? { ...result, report } : result;
  } catch (err) {
    throw lost ?? err;
  } finally {
    signal?.removeEventListener('abort', stop);
    try {
      await executor?.close();
    } finally {
      await lock.release();
    }
  }
}

/**
 * Runs the phase table's phases in order, the report last; a phase's steps plan from the outcomes
 * of those before it, and the report's manifest is the run's result.
 */
async function runPhases(pipeline: Pipeline, layout: RunLayout, plan: RunPlan, executor: Executor, iteration: IterationFacts): Promise<RunResult> {
  // The executor's timings fill in as each phase ends, so the report plans with all before it.
  const run = { pipeline, plan, config: resultConfig(pipeline), startedAt: new Date().toISOString(), timings: executor.timings, iteration };
  const done = await walkPhases(run, (phase, tasks) => executor.phase(phase, tasks, reusable(layout)));
  // The report runs in every pipeline, as one task.
  return { manifest: done.report.results[0]!, layout };
}

/**
 * A refined run's answer is its latest iteration: running the pipeline again as iteration 0 would
 * replace it with the first decision while the chain says otherwise.
 */
export async function checkNotRefined(layout: RunLayout): Promise<void> {
  const refining = await layout.storage.exists(RunKeys.refineState);
  if (refining || (await layout.storage.list('iterations/')).length > 0) {
    throw new RunError(`${layout.root} has been refined (winnow refine): continue with \`winnow refine --run ${layout.root}\`, or choose a new --output for a fresh run`);
  }
}

/** Annotate's tasks (exported for the fingerprint tests). */
export { annotateTasks } from './phase-table.js';
