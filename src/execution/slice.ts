import { hostname } from 'node:os';
import { configHash, resultConfig } from '../config/identity.js';
import type { Pipeline } from '../config/load.js';
import { RunKeys, RunLayout, type PhaseName } from '../io/layout.js';
import { runLockHeld } from '../io/run-lock.js';
import type { RunPlan } from '../phases/context.js';
import type { PhaseTiming, RunManifest } from '../phases/report.js';
import { checkPipeline } from './check.js';
import { Executor, type RunEvents } from './executor.js';
import { RunError } from './tasks.js';
import { completedPhase, reusable, walkPhases } from './walk.js';

/** Which share of a phase's tasks one process runs: those at positions `index`, `index + count`, ... */
export interface Slice {
  index: number;
  count: number;
}

/** What one slice did: its phase's tasks, those it owned, and its timing (also kept in the run folder). */
export interface SliceResult {
  phase: PhaseName;
  tasks: number;
  owned: string[];
  timing: PhaseTiming;
  /** The run's manifest, when the slice ran the report. */
  manifest?: RunManifest;
  /** Where the run's report.html is, when the report phase drew one. */
  report?: string;
}

/** A slice's timing as the report reads it back: the phase timing and when the slice ran. */
export interface SliceTiming extends PhaseTiming {
  /** The config the slice ran: the report sums only those of the pipeline it reports on. */
  config_hash: string;
  started_at: string;
  finished_at: string;
  host: string;
}

/**
 * Runs one slice of one phase of a planned run (`winnow plan`): the batch-job entry point of
 * `winnow task`. The phases before it were run by other processes, perhaps on other machines: their
 * results are read from their completion markers, and must all be there. This phase's tasks are
 * planned exactly as `winnow run` plans them, and this process runs those at its slice's positions
 * (round robin, so shards of uneven size spread over the slices), reusing any already complete, in
 * a pool of `execution.workers` threads. Slices of a phase may run at the same time: each task
 * writes only its own files and commits with its own marker.
 */
export async function runPhaseSlice(pipeline: Pipeline, phase: PhaseName, slice: Slice, options: { events?: RunEvents; signal?: AbortSignal } = {}): Promise<SliceResult> {
  const { events = {}, signal } = options;
  checkPipeline(pipeline);
  if (!Number.isInteger(slice.count) || slice.count < 1 || !Number.isInteger(slice.index) || slice.index < 0 || slice.index >= slice.count) {
    throw new RunError(`task index ${slice.index} of ${slice.count}: the index must be a whole number from 0 to the count less one`);
  }
  const layout = new RunLayout(pipeline.output.path);
  const plan = await layout.storage.readJson<RunPlan>(RunKeys.plan);
  if (!plan) throw new RunError(`${layout.root} has not been planned: run \`winnow plan <pipeline> --output ${layout.root}\` first`);
  await refuseIfRunning(layout);
  const started = new Date();
  const executor = new Executor(pipeline, layout, events);
  const stop = () => executor.stop();
  signal?.addEventListener('abort', stop);
  if (signal?.aborted) executor.stop();
  try {
    const hash = configHash(pipeline);
    const timings = phase === 'report' ? await sliceTimings(layout, hash) : {};
    const startedAt = earliestStart(timings) ?? started.toISOString();
    const run = { pipeline, plan, config: resultConfig(pipeline), startedAt, timings: phaseTimings(timings), iteration: { n: 0 } };
    let result: SliceResult | undefined;
    const done = await walkPhases(
      run,
      async (name, tasks) => {
        if (name !== phase) return completedPhase(layout, name, tasks);
        const owned = tasks.filter((_, j) => j % slice.count === slice.index);
        const outcome = await executor.phase(name, owned, reusable(layout));
        const timing = executor.timings[name]!;
        const record: SliceTiming = { ...timing, config_hash: hash, started_at: started.toISOString(), finished_at: new Date().toISOString(), host: hostname() };
        await layout.storage.writeJson(RunKeys.sliceTiming(name, slice.index, slice.count), record);
        // The phase run again in another number of slices replaces the records of the earlier split.
        for (const key of await layout.storage.list(`${RunKeys.sliceTimings}${name}/`)) {
          if (!key.endsWith(`-of-${slice.count}.json`)) await layout.storage.remove(key);
        }
        result = { phase: name, tasks: tasks.length, owned: owned.map((t) => t.task), timing };
        return outcome;
      },
      phase,
    );
    if (!result) return { phase, tasks: 0, owned: [], timing: { seconds: 0, cpu_seconds: 0, peak_rss_bytes: 0, tasks_run: 0, tasks_reused: 0 } };
    if (phase !== 'report' || !done.report.results[0]) return result;
    const { reportAfterRun } = await import('../report/write.js');
    const report = await reportAfterRun(layout, pipeline.output.report);
    return { ...result, manifest: done.report.results[0], ...(report ? { report } : {}) };
  } finally {
    signal?.removeEventListener('abort', stop);
    await executor.close();
  }
}

/**
 * A `winnow run` holds the folder: its tasks and a cluster's would write the same files. `winnow
 * plan` (and `slurm`, `k8s`) hold it for a moment too, while a chain may already be running: a
 * lock that stays for 10 s is a run's.
 */
async function refuseIfRunning(layout: RunLayout): Promise<void> {
  for (let waited = 0; await runLockHeld(layout); waited += 500) {
    if (waited >= 10_000) throw new RunError(`${layout.root} is in use by a \`winnow run\` (see ${layout.where('.winnow.lock.json')}); a cluster task must not write beside it: wait for it to finish`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The latest timing of each slice of each phase run for this config, by phase. A slice run again
 * (re-submitted, or the chain submitted again) replaces its record, as a resumed local run times
 * what it did last.
 */
async function sliceTimings(layout: RunLayout, hash: string): Promise<Record<string, SliceTiming[]>> {
  const out: Record<string, SliceTiming[]> = {};
  for (const key of await layout.storage.list(RunKeys.sliceTimings)) {
    const phase = key.slice(RunKeys.sliceTimings.length).split('/')[0]!;
    const timing = await layout.storage.readJson<SliceTiming>(key).catch(() => undefined);
    if (timing?.config_hash === hash) (out[phase] ??= []).push(timing);
  }
  return out;
}

const earliestStart = (timings: Record<string, SliceTiming[]>): string | undefined =>
  Object.values(timings)
    .flat()
    .map((t) => t.started_at)
    .sort()[0];

/**
 * A phase's timing over its slices, as the manifest records a local run's: wall seconds from the
 * first slice's start to the last one's end (the phase as the cluster ran it, queueing included),
 * CPU seconds and tasks summed, the largest peak memory of one process.
 */
function phaseTimings(timings: Record<string, SliceTiming[]>): Record<string, PhaseTiming> {
  const out: Record<string, PhaseTiming> = {};
  for (const [phase, slices] of Object.entries(timings)) {
    const start = Math.min(...slices.map((s) => Date.parse(s.started_at)));
    const end = Math.max(...slices.map((s) => Date.parse(s.finished_at)));
    out[phase] = {
      seconds: Math.round(end - start) / 1000,
      cpu_seconds: Math.round(slices.reduce((a, s) => a + s.cpu_seconds, 0) * 1000) / 1000,
      peak_rss_bytes: Math.max(...slices.map((s) => s.peak_rss_bytes)),
      tasks_run: slices.reduce((a, s) => a + s.tasks_run, 0),
      tasks_reused: slices.reduce((a, s) => a + s.tasks_reused, 0),
    };
  }
  return out;
}
