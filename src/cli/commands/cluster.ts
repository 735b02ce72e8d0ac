import { loadPipeline } from '../../config/load.js';
import { PACKAGE_ROOT } from '../../config/version.js';
import { runPhaseSlice } from '../../execution/slice.js';
import { phaseName, planCluster, plannedPipeline, type ClusterPlan } from '../../cluster/plan.js';
import { RunError } from '../../execution/tasks.js';
import { sliceFrom } from '../../cluster/slice-env.js';
import { forecastRun } from '../../cluster/forecast.js';
import { k8sDir, k8sJobs, writeK8sJobs, type K8sOptions } from '../../cluster/k8s.js';
import { formatBytes } from '../../config/bytes.js';
import { sbatchArgs, shellWord, slurmDir, slurmJobs, submitSlurmJobs, writeSlurmJobs, type SlurmOptions } from '../../cluster/slurm.js';
import { writeJsonAtomic } from '../../io/files.js';
import { progressReporter } from '../progress.js';
import { stoppable } from '../signals.js';
import { formatSummary } from '../summary.js';
import { RunLayout } from '../../io/layout.js';
import { join } from 'node:path';
import { isS3Url } from '../../storage/s3.js';

const n = (x: number): string => x.toLocaleString('en-US');

function describePlan(plan: ClusterPlan): string {
  return [
    `winnow plan: ${n(plan.shards)} shards, ${plan.phases.length} phases, in ${plan.output}`,
    ...plan.phases.map((p) => `  ${p.phase.padEnd(10)} ${n(p.tasks.length).padStart(6)} task${p.tasks.length === 1 ? '' : 's'}`),
    `  run each phase in this order, every slice of one before the next: winnow task <phase> --run ${plan.output} [--index I --count N]`,
  ].join('\n');
}

/** `winnow plan <pipeline> --output DIR`. */
export async function planCommand(pipelineFile: string, flags: { input?: string; output?: string; json?: boolean }): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input, output: flags.output });
  const plan = await planCluster(pipeline, flags.input);
  process.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : `${describePlan(plan)}\n`);
}

/** `winnow task <phase> --run DIR [--index I --count N]`. */
export async function taskCommand(phase: string, flags: { run: string; index?: number; count?: number; workers?: number; quiet?: boolean }): Promise<void> {
  const name = phaseName(phase);
  const slice = sliceFrom(flags);
  const { pipeline } = await plannedPipeline(flags.run, flags.workers);
  const events = progressReporter({ quiet: !!flags.quiet, tty: !!process.stderr.isTTY });
  const result = await stoppable((signal) => runPhaseSlice(pipeline, name, slice, { events, signal }));
  const t = result.timing;
  process.stdout.write(
    `winnow task ${name} ${slice.index + 1} of ${slice.count}: ${n(result.owned.length)} of the phase's ${n(result.tasks)} tasks (${n(t.tasks_run)} run, ${n(t.tasks_reused)} reused), ${t.seconds.toFixed(1)} s\n`,
  );
  if (result.manifest) process.stdout.write(`${formatSummary(result.manifest, new RunLayout(pipeline.output.path), result.report)}\n`);
}

/** The command line's: the script options as `slurmJobs` takes them, with what `winnow slurm` does besides. */
export type SlurmFlags = Omit<SlurmOptions, 'command' | 'requeue' | 'extra'> & {
  input?: string;
  output?: string;
  requeue?: boolean;
  sbatch?: string[];
  command?: string;
  from?: string;
  after?: string;
  dryRun?: boolean;
};

/** `winnow slurm <pipeline>`: plan, write the sbatch scripts, submit them chained (or print them). */
export async function slurmCommand(pipelineFile: string, flags: SlurmFlags): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input, output: flags.output });
  const plan = await planCluster(pipeline, flags.input);
  const command = flags.command ?? `${shellWord(process.execPath)} ${shellWord(join(PACKAGE_ROOT, 'bin', 'winnow.js'))}`;
  const jobs = slurmJobs(plan, { ...flags, command, requeue: !!flags.requeue, extra: flags.sbatch ?? [] });
  writeSlurmJobs(plan, jobs, flags.scripts);
  const from = flags.from === undefined ? 0 : jobs.findIndex((j) => j.phase === phaseName(flags.from!));
  if (from < 0) throw new RunError(`--from ${flags.from}: this pipeline has no ${flags.from} phase; its phases are ${jobs.map((j) => j.phase).join(', ')}`);
  if (flags.after !== undefined && !/^\d+(:\d+)*$/.test(flags.after)) throw new RunError(`--after ${JSON.stringify(flags.after.slice(0, 40))}: expected a Slurm job id, or ids joined by ':'`);
  const submitted = jobs.slice(from);
  if (flags.dryRun) {
    for (const [i, job] of submitted.entries()) {
      process.stdout.write(`# ${job.file}\n${job.script}\n`);
      process.stdout.write(`# submit: sbatch ${sbatchArgs(job, i === 0 ? flags.after : `<job id of ${submitted[i - 1]!.phase}>`).join(' ')}\n\n`);
    }
    return;
  }
  const ids = submitSlurmJobs(submitted, flags.after === undefined ? {} : { after: flags.after });
  writeJsonAtomic(join(slurmDir(plan, flags.scripts), 'jobs.json'), submitted.map((j, i) => ({ phase: j.phase, job: ids[i], tasks: j.tasks, script: j.file })));
  process.stdout.write(
    [
      `winnow slurm: ${submitted.length} jobs submitted for ${plan.output}, each after the one before succeeded`,
      ...submitted.map((j, i) => `  ${j.phase.padEnd(10)} job ${ids[i]}${j.tasks > 1 ? ` (array of ${j.tasks})` : ''}`),
      `  logs in ${join(slurmDir(plan, flags.scripts), 'logs')}; the manifest is ${plan.output}/manifest.json when the report job ends`,
      '  a failed array task can be submitted again alone (sbatch --array=<index> <script>) and the phases after it with --from <next phase> --after <its job id>; submitting the whole chain again reuses every completed task',
    ].join('\n') + '\n',
  );
}

export type K8sFlags = K8sOptions & { input?: string; output?: string };

/** `winnow k8s <pipeline>`: plan, and write one Indexed Job per phase and the script that applies them in order. */
export async function k8sCommand(pipelineFile: string, flags: K8sFlags): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input, output: flags.output });
  const under = (path: string) => path.startsWith(flags.mount.endsWith('/') ? flags.mount : `${flags.mount}/`);
  // What is on S3 the pods reach through the store; the rest must be on the volume (or, without one, in the image).
  const local = ([['the run folder', pipeline.output.path], ['the input', pipeline.input.path]] as const).filter(([, path]) => !isS3Url(path));
  if (!flags.claim) {
    if (local.length > 0) throw new RunError(`${local[0]![0]} ${local[0]![1]} is not on S3, and no volume is mounted (--claim): give --claim NAME, or put the input and the run folder on S3`);
  } else {
    for (const [what, path] of [...local, ['the pipeline', pipeline.file]] as const) {
      if (!under(path)) throw new RunError(`${what} ${path} is not under --mount ${flags.mount}: the pods see only the volume mounted there, so plan on a machine that mounts it at the same path`);
    }
  }
  const plan = await planCluster(pipeline, flags.input);
  const jobs = k8sJobs(plan, flags);
  const script = writeK8sJobs(plan, jobs, flags.namespace, flags.scripts);
  process.stdout.write(
    [
      `winnow k8s: ${jobs.length} Indexed Jobs for ${plan.output}, in ${k8sDir(plan, flags.scripts)}`,
      ...(flags.claim ? [] : [`  no volume: each pod loads ${pipeline.file} (and its rules and models) from the image ${flags.image}, which must hold them at those paths`]),
      ...jobs.map((j) => `  ${j.phase.padEnd(10)} ${j.name}${j.tasks > 1 ? ` (${j.tasks} indexes)` : ''}`),
      `  apply them in order, each after the one before completed: ${script}`,
    ].join('\n') + '\n',
  );
}

/** `winnow forecast <pipeline> --sample K`: what the whole run will take, from K shards run for real. */
export async function forecastCommand(pipelineFile: string, flags: { input?: string; sample: number; cpusPerTask: number; json?: boolean }): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input });
  // Stopped (^C), the scratch run is removed as the forecast unwinds.
  const f = await stoppable((signal) => forecastRun(pipeline, flags.sample, { cpusPerTask: flags.cpusPerTask, signal }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
    return;
  }
  const lines = [
    `winnow forecast "${pipeline.name}": ${n(f.input.shards)} shards, ${n(f.input.rows)} rows, ${formatBytes(f.input.text_bytes)} of text; ` +
      `sample: ${f.sample.shards.length} shards, ${formatBytes(f.sample.text_bytes)} (x${f.scale}), run in ${f.sample.seconds} s`,
    `  ${'phase'.padEnd(10)} ${'tasks'.padStart(6)} ${'core-hours'.padStart(11)} ${'min/task'.padStart(9)} ${'peak RSS'.padStart(9)}`,
    ...f.phases.map((p) => `  ${p.phase.padEnd(10)} ${n(p.tasks).padStart(6)} ${p.core_hours.toFixed(3).padStart(11)} ${p.task_minutes.toFixed(2).padStart(9)} ${formatBytes(p.peak_rss_bytes).padStart(9)}`),
    `  total      ${f.core_hours.toFixed(3).padStart(18)} core-hours; outputs about ${formatBytes(f.outputs_bytes)}, work folder about ${formatBytes(f.work_bytes)}`,
    `  slurm      --cpus-per-task ${f.slurm.cpus_per_task} --mem ${f.slurm.mem} --time ${f.slurm.time}; arrays: ${Object.entries(f.slurm.array_tasks).map(([p, k]) => `${p} ${k}`).join(', ')}`,
    '  assuming:',
    ...f.assumptions.map((a) => `    - ${a}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
