import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import type { Pipeline } from '../config/load.js';
import { WinnowError } from '../config/errors.js';
import { createEngine } from '../io/duckdb.js';
import { describeMachineError } from '../io/errors.js';
import { RunLayout, type PhaseName } from '../io/layout.js';
import type { TaskContext } from '../phases/context.js';
import { createAnnotator, type Annotator } from '../signals/annotator.js';
import { markCompleted } from './markers.js';
import { stepOf } from './phase-table.js';
import { RunAborted, type ProgressMessage, type TaskFailure, type TaskMessage } from './tasks.js';

export interface WorkerSetup {
  pipeline: Pipeline;
  progressChannel: string;
  /** Set to 1 by the main thread when the run stops: tasks end at their next check. */
  abortFlag: SharedArrayBuffer;
  /** Names this pool's spill folders (RunLayout.spillDir). */
  spillToken: string;
}

const setup = workerData as WorkerSetup;
const layout = new RunLayout(setup.pipeline.output.path);
const channel = new BroadcastChannel(setup.progressChannel);
const abortFlag = new Int32Array(setup.abortFlag);
let phase: PhaseName = 'annotate';
let context: Promise<TaskContext> | undefined;

async function makeContext(): Promise<TaskContext> {
  let annotator: Promise<Annotator> | undefined;
  const engine = await createEngine({ memoryLimit: setup.pipeline.execution.memory_per_worker, tempDir: layout.spillDir(setup.spillToken, threadId) });
  return {
    con: await engine.connect(),
    reader: await engine.connect(),
    pipeline: setup.pipeline,
    layout,
    annotator: () => (annotator ??= createAnnotator(setup.pipeline)),
    progress: (docs, bytes) => channel.postMessage({ phase, docs, bytes } satisfies ProgressMessage),
    checkAborted: () => {
      if (Atomics.load(abortFlag, 0) !== 0) throw new RunAborted();
    },
  };
}

/** Runs one task in this worker thread, then commits it by writing its completion marker. */
export default async function runTask(task: TaskMessage): Promise<unknown> {
  // A task queued before the run began to stop starts nothing: no engine call may be left in flight.
  if (Atomics.load(abortFlag, 0) !== 0) return aborted();
  const ctx = await (context ??= makeContext());
  phase = task.phase;
  try {
    // The phase table's step for the task runs it, with the input the step planned.
    const result = await stepOf(task).run(ctx, task.input, task);
    await markCompleted(layout, task.phase, task.task, task.fingerprint, result);
    return result;
  } catch (err) {
    // Every error winnow words for users (bad input, config, storage: a denied object, an expired
    // token) crosses as its message: a thrown error arrives in the main thread stripped of its class.
    if (err instanceof WinnowError || err instanceof RunAborted) {
      return { failed: true, name: err.name, message: err.message } satisfies TaskFailure;
    }
    // Errors cross to the main thread without their code and path: say what they mean here.
    const machine = describeMachineError(err);
    if (machine) return { failed: true, name: 'SystemError', message: machine } satisfies TaskFailure;
    throw err;
  } finally {
    // Best effort: a cache that cannot be removed now is removed by the next task's call.
    await layout.storage.clearCache().catch(() => undefined);
  }
}

const aborted = (): TaskFailure => ({ failed: true, name: 'RunAborted', message: new RunAborted().message });
