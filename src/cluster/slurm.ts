import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunError } from '../execution/tasks.js';
import { jobsDir, type ClusterPlan } from './plan.js';
import { makeDirs } from '../storage/dirs.js';

export interface SlurmOptions {
  /** The command that starts winnow on the compute nodes (shell words), e.g. `winnow` when it is on their PATH. */
  command: string;
  partition?: string;
  account?: string;
  qos?: string;
  /** CPUs of each task: its worker threads. */
  cpusPerTask: number;
  /** Memory of each task, as sbatch reads it (`8G`). */
  mem?: string;
  /** Time limit of each task, as sbatch reads it (`2:00:00`). */
  time?: string;
  /** The most array tasks one phase is split into; a phase of fewer tasks gets one array task each. */
  maxArrayTasks: number;
  /** Requeue a task whose node fails or is preempted (`--requeue`): completed tasks are reused when it starts again. */
  requeue: boolean;
  /** Further `#SBATCH` options, each as written after `#SBATCH ` (`--constraint=avx2`). */
  extra: string[];
  /** The folder for the scripts and logs (jobsDir): by default the run folder's work/cluster/slurm/. */
  scripts?: string;
}

/** One sbatch job: a phase of the plan, as a job array or a single job. */
export interface SlurmJob {
  phase: string;
  /** Array tasks (1: a single job). */
  tasks: number;
  file: string;
  script: string;
}

/** The folder of a run's Slurm scripts, job ids and logs. */
export const slurmDir = (plan: ClusterPlan, scripts?: string): string => jobsDir(plan, 'slurm', scripts);

/** A word for a shell script, quoted unless it needs no quoting. */
export const shellWord = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * The sbatch scripts of a planned run, one per phase in run order. A phase of several tasks is a
 * job array of at most `maxArrayTasks` tasks, each running its slice (`winnow task <phase> --count
 * N`, the index from SLURM_ARRAY_TASK_ID). The count is written into the script rather than read from
 * SLURM_ARRAY_TASK_COUNT, so that a failed task re-submitted alone (`sbatch --array=7 <script>`)
 * still runs slice 7 of N.
 */
export function slurmJobs(plan: ClusterPlan, options: SlurmOptions): SlurmJob[] {
  const dir = slurmDir(plan, options.scripts);
  // #SBATCH lines are not shell: no quoting there, and '%' is a file-name pattern.
  if (/[\s%'"\\]/.test(dir)) throw new RunError(`the folder ${JSON.stringify(dir)} has a space, quote, backslash or '%', which sbatch's --output cannot hold: choose a plainer --output (or --scripts) for a Slurm run`);
  const name = (plan.output.split('/').filter(Boolean).at(-1) ?? 'run').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return plan.phases.map(({ phase, tasks: planned }, i) => {
    const tasks = Math.max(1, Math.min(planned.length, options.maxArrayTasks));
    const file = join(dir, `${String(i + 1).padStart(2, '0')}-${phase}.sbatch`);
    const directives = [
      `--job-name=winnow-${name}-${phase}`,
      ...(tasks > 1 ? [`--array=0-${tasks - 1}`] : []),
      '--ntasks=1',
      `--cpus-per-task=${options.cpusPerTask}`,
      ...(options.mem ? [`--mem=${options.mem}`] : []),
      ...(options.time ? [`--time=${options.time}`] : []),
      ...(options.partition ? [`--partition=${options.partition}`] : []),
      ...(options.account ? [`--account=${options.account}`] : []),
      ...(options.qos ? [`--qos=${options.qos}`] : []),
      options.requeue ? '--requeue' : '--no-requeue',
      // One log per array task; a requeued task appends to its own.
      `--output=${join(dir, 'logs', tasks > 1 ? `${phase}-%A_%a.log` : `${phase}-%j.log`)}`,
      '--open-mode=append',
      ...options.extra,
    ];
    const slice = tasks > 1 ? `--count ${tasks}` : '--index 0 --count 1';
    const script = [
      '#!/bin/bash',
      ...directives.map((d) => `#SBATCH ${d}`),
      `# winnow ${plan.phases.length > 1 ? `phase ${i + 1} of ${plan.phases.length}` : 'phase'}: ${phase}, ${planned.length} task(s) in ${tasks} slice(s). Written by \`winnow slurm\`.`,
      'set -euo pipefail',
      `exec ${options.command} task ${phase} --run ${shellWord(plan.output)} ${slice} --workers "\${SLURM_CPUS_PER_TASK:-${options.cpusPerTask}}" --quiet`,
      '',
    ].join('\n');
    return { phase, tasks, file, script };
  });
}

/** Writes the scripts (executable) and the logs folder. */
export function writeSlurmJobs(plan: ClusterPlan, jobs: SlurmJob[], scripts?: string): void {
  makeDirs(join(slurmDir(plan, scripts), 'logs'));
  for (const job of jobs) {
    writeFileSync(job.file, job.script);
    chmodSync(job.file, 0o755);
  }
}

/** The sbatch command line of each job: after the one before it succeeded in full (every array task). */
export const sbatchArgs = (job: SlurmJob, after: string | undefined): string[] => ['--parsable', ...(after ? [`--dependency=afterok:${after}`] : []), job.file];

/**
 * Submits the jobs in order, each depending on the one before (`--dependency=afterok`), the first
 * on `after` when given (a job id, or ids joined by ':'), and returns their job ids. Slurm runs a phase only when the whole previous phase succeeded; when a
 * task fails, the later jobs never start (and Slurm cancels them or leaves them pending, as its
 * `kill_invalid_depend` setting says).
 */
export function submitSlurmJobs(jobs: SlurmJob[], options: { after?: string; sbatch?: string } = {}): string[] {
  const sbatch = options.sbatch ?? 'sbatch';
  const ids: string[] = [];
  for (const job of jobs) {
    let out: string;
    try {
      out = execFileSync(sbatch, sbatchArgs(job, ids.at(-1) ?? options.after), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new RunError(`${sbatch} was not found: run \`winnow slurm\` on a machine that submits to Slurm, or give --dry-run to write the scripts only`);
      const why = (e.stderr ?? '').trim().split('\n')[0]?.slice(0, 300) || e.message;
      throw new RunError(`sbatch refused ${job.file}${ids.length > 0 ? ` (jobs ${ids.join(', ')} of the earlier phases are submitted; cancel them with scancel, or let them run)` : ''}: ${why}`);
    }
    // --parsable prints "<id>" or "<id>;<cluster>".
    const id = out.trim().split(';')[0]!;
    if (!/^\d+$/.test(id)) throw new RunError(`sbatch answered ${JSON.stringify(out.trim().slice(0, 80))} for ${job.file}, not a job id`);
    ids.push(id);
  }
  return ids;
}
