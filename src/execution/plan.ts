import { existsSync } from 'node:fs';
import { listShards } from '../io/inputs.js';
import { readJson, writeJsonAtomic } from '../io/files.js';
import type { RunLayout } from '../io/layout.js';
import type { RunPlan } from '../phases/context.js';
import { RunError } from './tasks.js';

/**
 * Lists the run's input shards and pins them in work/plan.json. A run folder belongs to one set
 * of inputs: resuming with different shards would mix outputs of two corpora, so it is refused.
 */
export async function planRun(input: string, layout: RunLayout): Promise<RunPlan> {
  const { root, shards } = await listShards(input);
  if (shards.length === 0) throw new RunError(`no Parquet shards found in ${input}`);
  const plan: RunPlan = { inputRoot: root, shards };
  if (existsSync(layout.plan)) {
    const previous = readJson<RunPlan>(layout.plan);
    const names = (p: RunPlan) => p.shards.map((s) => s.name).join('\n');
    if (names(previous) !== names(plan)) {
      throw new RunError(
        `${layout.root} holds a run over other inputs (${previous.shards.length} shards under ${previous.inputRoot}); ` +
          `choose another --output, or delete that folder to start over`,
      );
    }
  }
  writeJsonAtomic(layout.plan, plan);
  return plan;
}
