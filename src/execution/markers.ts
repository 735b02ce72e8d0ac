import { readJsonIfExists, writeJsonAtomic } from '../io/files.js';
import type { PhaseName, RunLayout } from '../io/layout.js';

interface Marker<R> {
  fingerprint: string;
  result: R;
}

/**
 * A task is complete when its marker exists and was written for the same fingerprint (the
 * inputs and configuration the task's outputs depend on). Markers are written last, after the
 * task's outputs are renamed into place, so a killed task has none and runs again.
 */
export function completedResult<R>(layout: RunLayout, phase: PhaseName, task: string, fingerprint: string): R | undefined {
  let marker: Marker<R> | undefined;
  try {
    marker = readJsonIfExists<Marker<R>>(layout.marker(phase, task));
  } catch {
    return undefined; // unreadable marker: treat the task as not done
  }
  return marker?.fingerprint === fingerprint ? marker.result : undefined;
}

/** The result a task's marker holds, whatever fingerprint it was written for. */
export function previousResult<R>(layout: RunLayout, phase: PhaseName, task: string): R | undefined {
  try {
    return readJsonIfExists<Marker<R>>(layout.marker(phase, task))?.result;
  } catch {
    return undefined;
  }
}

export function markCompleted<R>(layout: RunLayout, phase: PhaseName, task: string, fingerprint: string, result: R): void {
  writeJsonAtomic(layout.marker(phase, task), { fingerprint, result } satisfies Marker<R>);
}
