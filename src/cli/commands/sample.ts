import { join, resolve } from 'node:path';
import { openReviewEngine, readFinishedRun } from '../../refinement/finished-run.js';
import { formatSample, sampleRun } from '../../refinement/sample.js';

export interface SampleFlags {
  run: string;
  size: number;
  seed: number;
  out?: string;
}

/** `winnow sample --run DIR`: a stratified review set of the run's latest iteration, as JSON lines and CSV. */
export async function sampleCommand(flags: SampleFlags): Promise<number> {
  const run = readFinishedRun(flags.run);
  const out = resolve(flags.out ?? join(run.root, 'review', 'sample'));
  const { con, close } = await openReviewEngine();
  try {
    const result = await sampleRun(con, run, { size: flags.size, seed: flags.seed, out });
    process.stdout.write(`${formatSample(result)}\n`);
    return 0;
  } finally {
    close();
  }
}
