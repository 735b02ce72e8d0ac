import { WinnowError } from '../config/errors.js';
import type { PhaseName } from '../io/layout.js';
import type { StepName } from './phase-table.js';

/**
 * The message the main thread sends to a worker thread; it names one idempotent task of a step
 * of the phase table (phase-table.ts), with the input that step planned for it.
 */
export interface TaskMessage {
  step: StepName;
  /** The executor phase the step runs in: the marker folder. */
  phase: PhaseName;
  task: string;
  fingerprint: string;
  input: unknown;
}

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
