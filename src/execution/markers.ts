import { RunKeys, type PhaseName, type RunLayout } from '../io/layout.js';

interface Marker<R> {
  fingerprint: string;
  result: R;
}

/**
 * A task is complete when its marker exists and was written for the same fingerprint (the
 * inputs and configuration the task's outputs depend on). The marker is the commit (RunStorage):
 * it is written last, after the task's outputs are committed, so a killed task has none and runs
 * again, overwriting what it had committed.
 */
export async function completedResult<R>(layout: RunLayout, phase: PhaseName, task: string, fingerprint: string): Promise<R | undefined> {
  let marker: Marker<R> | undefined;
  try {
    marker = await layout.storage.readJson<Marker<R>>(RunKeys.marker(phase, task));
  } catch {
    return undefined; // unreadable marker: treat the task as not done
  }
  return marker?.fingerprint === fingerprint ? marker.result : undefined;
}

/** The result a task's marker holds, whatever fingerprint it was written for. */
export async function previousResult<R>(layout: RunLayout, phase: PhaseName, task: string): Promise<R | undefined> {
  try {
    return (await layout.storage.readJson<Marker<R>>(RunKeys.marker(phase, task)))?.result;
  } catch {
    return undefined;
  }
}

/** Commits a task: call it only once every output the result names is committed. */
export async function markCompleted<R>(layout: RunLayout, phase: PhaseName, task: string, fingerprint: string, result: R): Promise<void> {
  await layout.storage.writeJson(RunKeys.marker(phase, task), { fingerprint, result } satisfies Marker<R>);
}
