import { InputError } from '../io/errors.js';
import { RunKeys, type RunLayout } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';

/** One finished iteration of a run: its manifest, and where its outputs (curated/, rejected/, ...) are. */
export interface IterationOutputs {
  /** Run-key prefix of its outputs: '' for the latest iteration (the top of the run folder), `iterations/<n>/` for an earlier one. */
  prefix: string;
  manifest: RunManifest;
  /** The latest iteration's manifest: what later iterations recomputed is in its `iterations`. */
  latest: RunManifest;
}

/**
 * Where iteration `n` of a run is (the latest when `n` is undefined). The latest iteration's
 * outputs are at the top of the run folder; `winnow refine` moves each earlier one's under
 * iterations/<n>/. The work folder (signals, dedup, the tree's coverage) is shared: what a later
 * iteration recomputed there is the later one's (see `recomputedSince`).
 */
export async function iterationOutputs(layout: RunLayout, n?: number): Promise<IterationOutputs> {
  const latest = await layout.storage.readJson<RunManifest>(RunKeys.manifest);
  if (!latest) throw new InputError(layout.root, 'not a finished winnow run (no manifest.json): run `winnow run` first');
  if (n === undefined || latest.iteration === n) return { prefix: '', manifest: latest, latest };
  const archived = await layout.storage.readJson<RunManifest>(`${RunKeys.iteration(n)}/${RunKeys.manifest}`);
  if (!archived) {
    const last = latest.iteration;
    throw new InputError(layout.root, `has no iteration ${n}${last === undefined ? '' : ` (its iterations are 0 to ${last})`}`);
  }
  return { prefix: `${RunKeys.iteration(n)}/`, manifest: archived, latest };
}

/**
 * The phases that iterations after `n` ran again (not reused), with the first iteration that did:
 * their files in the work folder are no longer iteration n's.
 */
export function recomputedSince(latest: RunManifest, n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const record of latest.iterations ?? []) {
    if (record.iteration <= n) continue;
    for (const [phase, counts] of Object.entries(record.recomputed ?? {})) {
      if (counts.run > 0 && !out.has(phase)) out.set(phase, record.iteration);
    }
  }
  return out;
}
