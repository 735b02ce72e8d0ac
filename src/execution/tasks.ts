import { WinnowError } from '../config/errors.js';
import type { InputShard } from '../io/inputs.js';
import type { PhaseName } from '../io/layout.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import type { AnnotateResult } from '../phases/annotate.js';

/** The messages the main thread sends to worker threads; each names one idempotent task. */
export type TaskMessage =
  | { phase: 'annotate'; task: string; fingerprint: string; contentKey: string; shard: InputShard }
  | { phase: 'dedup'; kind: 'exact' | 'near' | 'lines'; task: string; fingerprint: string; partition: number; partitions: number; signalFiles: string[] }
  | { phase: 'cluster'; task: string; fingerprint: string; pairFiles: string[]; signalFiles: string[] }
  | { phase: 'quantiles'; task: string; fingerprint: string; signalFiles: string[]; dedupFiles: string[]; nearFile?: string }
  | {
      phase: 'decide';
      task: string;
      fingerprint: string;
      shard: InputShard;
      annotated: AnnotateResult;
      dedupFiles: string[];
      nearFile?: string;
      boilerplateFiles?: string[];
      quantiles: QuantileThreshold[];
    };

/** A task failure caused by its input (bad data, bad config), as opposed to a bug. */
export interface TaskFailure {
  failed: true;
  name: string;
  message: string;
}

export interface ProgressMessage {
  phase: PhaseName;
  docs: number;
  bytes: number;
}

export const isTaskFailure = (value: unknown): value is TaskFailure =>
  typeof value === 'object' && value !== null && (value as TaskFailure).failed === true;

/** Thrown in the main thread for a task that failed on its input; its message says it all. */
export class RunError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

/** Ends a task early because the run is stopping; never reported as the run's error. */
export class RunAborted extends Error {
  constructor() {
    super('run stopped');
    this.name = 'RunAborted';
  }
}
