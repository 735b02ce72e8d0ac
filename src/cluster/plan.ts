import { join, resolve } from 'node:path';
import { configHash } from '../config/identity.js';
import { loadPipeline, type Pipeline } from '../config/load.js';
import { checkPipeline } from '../execution/check.js';
import { phaseTaskNames, type TaskNamesInput } from '../execution/phase-table.js';
import { checkRunFolder, checkSeparate, listInputs, planRun } from '../execution/plan.js';
import { checkNotRefined } from '../execution/runner.js';
import { RunError } from '../execution/tasks.js';
import { resultConfig } from '../config/identity.js';
import { PHASE_NAMES, RunKeys, RunLayout, type PhaseName } from '../io/layout.js';
import { lockRunFolder } from '../io/run-lock.js';
import { isS3Url } from '../storage/s3.js';

export const CLUSTER_PLAN_VERSION = 1;

/** A phase of a planned run: its tasks (at most these), run as one job array, or one job when it has one task. */
export interface PlannedPhase {
  phase: PhaseName;
  tasks: string[];
}

/**
 * `work/cluster/plan.json`: what a cluster engine needs to run a pipeline as batch jobs, one phase
 * after another. Each job runs `winnow task <phase> --run <output>`, which loads the pipeline from
 * here. Nothing in it depends on when or where it was made, so planning again gives the same file.
 */
export interface ClusterPlan {
  version: number;
  /** The pipeline file and the input given on the command line, as `winnow task` loads them again. */
  pipeline: { file: string; input: string | null };
  output: string;
  /** The pipeline's config hash when planned: a task refuses a pipeline changed since. */
  config_hash: string;
  shards: number;
  phases: PlannedPhase[];
}

/**
 * `winnow plan`: checks the pipeline and its folders as `winnow run` does, pins the input shards
 * (work/plan.json), and writes the phases' task lists (work/cluster/plan.json). Under the run
 * folder's lock, briefly: a plan must not change under a local run.
 */
export async function planCluster(pipeline: Pipeline, input: string | undefined): Promise<ClusterPlan> {
  checkPipeline(pipeline);
  const layout = new RunLayout(pipeline.output.path);
  const inputs = await listInputs(pipeline.input.path);
  checkSeparate(pipeline.input.path, inputs, layout.root);
  await checkRunFolder(layout);
  const lock = await lockRunFolder(layout, () => undefined);
  try {
    await checkNotRefined(layout);
    const plan = await planRun(inputs, layout, pipeline);
    const names: TaskNamesInput = { pipeline, plan, config: resultConfig(pipeline) };
    const phases = phaseTaskNames(names);
    const clusterPlan: ClusterPlan = {
      version: CLUSTER_PLAN_VERSION,
      pipeline: { file: pipeline.file, input: input === undefined ? null : isS3Url(input) ? input : resolve(input) },
      output: layout.root,
      config_hash: configHash(pipeline),
      shards: plan.shards.length,
      phases,
    };
    await layout.storage.writeJson(RunKeys.clusterPlan, clusterPlan);
    return clusterPlan;
  } finally {
    await lock.release();
  }
}

/**
 * The pipeline of a planned run, loaded again as it was planned (its file, the input given then,
 * the run folder as output), with this task's worker count. Refused when the file now says
 * something else: tasks of one run must all run the same pipeline.
 */
export async function plannedPipeline(runDir: string, workers: number | undefined): Promise<{ pipeline: Pipeline; plan: ClusterPlan }> {
  const layout = new RunLayout(isS3Url(runDir) ? runDir.replace(/\/+$/, '') : resolve(runDir));
  let plan: ClusterPlan | undefined;
  try {
    plan = await layout.storage.readJson<ClusterPlan>(RunKeys.clusterPlan);
  } catch (err) {
    if ((err as Error).name === 'StorageError') throw err; // the store's answer (credentials, access) says more than "plan again"
    throw new RunError(`${layout.root}'s cluster plan (${RunKeys.clusterPlan}) cannot be read (${(err as Error).message.slice(0, 120)}): plan again`);
  }
  if (!plan) throw new RunError(`${layout.root} holds no cluster plan (${RunKeys.clusterPlan}): run \`winnow plan <pipeline> --output ${layout.root}\` first`);
  if (plan.version !== CLUSTER_PLAN_VERSION) throw new RunError(`${layout.root}'s cluster plan is of version ${plan.version}; this winnow reads version ${CLUSTER_PLAN_VERSION}: plan again`);
  const pipeline = loadPipeline(plan.pipeline.file, { ...(plan.pipeline.input ? { input: plan.pipeline.input } : {}), output: layout.root, ...(workers ? { workers } : {}) });
  if (configHash(pipeline) !== plan.config_hash) {
    throw new RunError(`${plan.pipeline.file} has changed since ${layout.root} was planned: plan again (\`winnow plan ${plan.pipeline.file} --output ${layout.root}\`), and run the phases from the first again (completed tasks are reused)`);
  }
  return { pipeline, plan };
}

/**
 * Where the job files of a planned run go for an engine (`slurm`, `k8s`): the folder given
 * (`--scripts`), else the run folder's work/cluster/<engine>/. A run on S3 has no folder the nodes
 * can write logs to, so it needs one given.
 */
export function jobsDir(plan: ClusterPlan, engine: 'slurm' | 'k8s', scripts?: string): string {
  if (scripts !== undefined) return resolve(scripts);
  if (isS3Url(plan.output)) {
    throw new RunError(`the run is on S3 (${plan.output}): give --scripts DIR, a folder for the ${engine === 'slurm' ? "job scripts and logs, on storage every node sees" : 'Job manifests and the script that applies them'}`);
  }
  return join(plan.output, 'work', 'cluster', engine);
}

/** A phase name from the command line. */
export function phaseName(value: string): PhaseName {
  if ((PHASE_NAMES as readonly string[]).includes(value)) return value as PhaseName;
  throw new RunError(`no phase named ${JSON.stringify(value.slice(0, 40))}; the phases are ${PHASE_NAMES.join(', ')}`);
}
