import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { openReviewEngine, readFinishedRun } from '../../refinement/finished-run.js';
import { formatSample, MAX_SAMPLE, sampleRun } from '../../refinement/sample.js';

export interface SampleFlags {
  run: string;
  size: number;
  seed: number;
  out?: string;
}

/** `--size`: how many documents, 1 to MAX_SAMPLE. */
export function sampleSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_SAMPLE.toLocaleString('en-US')}`);
  return n;
}

/** `--seed`: any whole number from 0. */
export function sampleSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number from 0');
  return n;
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
