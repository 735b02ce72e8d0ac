import type { Slice } from '../execution/slice.js';
import { RunError } from '../execution/tasks.js';

/**
 * A task's slice: from `--index`/`--count`, else from the engine that started it. Slurm gives a job
 * array's tasks SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT; a Kubernetes Indexed Job gives each
 * pod JOB_COMPLETION_INDEX, and the count is the job's completions, which winnow's manifests pass
 * as WINNOW_TASK_COUNT (Kubernetes has no variable for it). Outside both: the whole phase.
 */
export function sliceFrom(flags: { index?: number; count?: number }, env: NodeJS.ProcessEnv = process.env): Slice {
  const fromEnv = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new RunError(`${name}=${JSON.stringify(value.slice(0, 20))} is not a task index or count`);
    return n;
  };
  const slurm = env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_ID !== '';
  const index = flags.index ?? (slurm ? fromEnv('SLURM_ARRAY_TASK_ID') : fromEnv('JOB_COMPLETION_INDEX') ?? fromEnv('WINNOW_TASK_INDEX')) ?? 0;
  // The whole phase only when nothing gave an index: index 0 of an unknown count would run every task.
  const indexGiven = flags.index !== undefined || ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'WINNOW_TASK_INDEX'].some((v) => env[v] !== undefined && env[v] !== '');
  const count = flags.count ?? (slurm ? fromEnv('SLURM_ARRAY_TASK_COUNT') : fromEnv('WINNOW_TASK_COUNT')) ?? (indexGiven ? undefined : 1);
  if (count === undefined) throw new RunError(`task index ${index} without a count: give --count (or WINNOW_TASK_COUNT), the number of tasks the phase is split into`);
  if (count < 1 || index >= count) throw new RunError(`task index ${index} of ${count}: the index must be from 0 to ${Math.max(0, count - 1)}`);
  return { index, count };
}
