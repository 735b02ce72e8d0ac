import { InvalidArgumentError } from 'commander';
import { MAX_WORKERS } from '../config/limits.js';
import { MAX_SAMPLE } from '../refinement/defaults.js';

// The parsers of command-line values. Commander runs them while it reads the arguments, before
// any command's module is loaded, so they and the limits they check live apart from the commands.

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

export const wholeNumber = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number from 0');
  return n;
};

export const number = (min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
  return n;
};

/**
 * `--run` of the commands that read a finished run (why, met, refine, review, diff): they query
 * its files in place, so they take a local folder; a run on S3 is copied down first.
 */
export const localRun = (value: string): string => {
  if (value.startsWith('s3://')) throw new InvalidArgumentError(`this command reads a run folder on this machine; copy the run down first (aws s3 sync ${value} DIR) and give DIR`);
  return value;
};

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--workers`: capped as execution.workers is in the YAML. */
export function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_WORKERS}`);
  return n;
}

/** `sample --size`: how many documents, 1 to MAX_SAMPLE. */
export function sampleSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_SAMPLE.toLocaleString('en-US')}`);
  return n;
}

/** `sample --seed`: any whole number from 0. */
export function sampleSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number from 0');
  return n;
}

/** `labels --level`: a share in [0, 1). */
export function labelsLevel(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || x >= 1) throw new InvalidArgumentError('expected a share from 0 to below 1');
  return x;
}
