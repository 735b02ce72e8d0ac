import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import type { Pipeline } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { createEngine } from '../io/duckdb.js';
import { describeEngineError, describeSystemError, InputError } from '../io/errors.js';
import { sha256File } from '../io/files.js';
import { RunLayout, type PhaseName } from '../io/layout.js';
import { annotateShard, annotationContent, signalsExist, type AnnotateResult } from '../phases/annotate.js';
import type { TaskContext } from '../phases/context.js';
import { decideShard } from '../phases/decide.js';
import { boilerplatePartition } from '../phases/boilerplate.js';
import { exactDedupPartition } from '../phases/exact-dedup.js';
import { nearClusters, nearPairsPartition } from '../phases/near-dedup.js';
import { quantileThresholds } from '../phases/quantiles.js';
import { createAnnotator, type Annotator } from '../signals/annotator.js';
import { markCompleted, previousResult } from './markers.js';
import { RunAborted, type ProgressMessage, type TaskFailure, type TaskMessage } from './tasks.js';

export interface WorkerSetup {
  pipeline: Pipeline;
  progressChannel: string;
  /** Set to 1 by the main thread when the run stops: tasks end at their next check. */
  abortFlag: SharedArrayBuffer;
}

const setup = workerData as WorkerSetup;
const layout = new RunLayout(setup.pipeline.output.path);
const channel = new BroadcastChannel(setup.progressChannel);
const abortFlag = new Int32Array(setup.abortFlag);
let phase: PhaseName = 'annotate';
let context: Promise<TaskContext> | undefined;

async function makeContext(): Promise<TaskContext> {
  let annotator: Promise<Annotator> | undefined;
  const engine = await createEngine({ memoryLimit: setup.pipeline.execution.memory_per_worker, tempDir: layout.spillDir(threadId) });
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

function run(ctx: TaskContext, task: TaskMessage): Promise<unknown> {
  switch (task.phase) {
    case 'annotate':
      return annotate(ctx, task);
    case 'dedup':
      if (task.kind === 'exact') return exactDedupPartition(ctx, task.partition, task.partitions, task.signalFiles);
      if (task.kind === 'near') return nearPairsPartition(ctx, task.partition, task.partitions, task.signalFiles);
      return boilerplatePartition(ctx, task.partition, task.partitions, task.signalFiles);
    case 'cluster':
      return nearClusters(ctx, task.pairFiles, task.signalFiles);
    case 'quantiles':
      return quantileThresholds(ctx, task.signalFiles, { exact: task.dedupFiles, ...(task.nearFile ? { near: task.nearFile } : {}) });
    case 'decide':
      return decideShard(ctx, task.shard, task.annotated, { exact: task.dedupFiles, near: task.nearFile, boilerplate: task.boilerplateFiles ?? [] }, task.quantiles);
  }
}

/**
 * A shard whose file changed by mtime only (touched, copied) is hashed, and when its content and
 * everything else annotate computes from are what the last annotation was made of, that
 * annotation stands: its signals are kept and no later phase runs again.
 */
async function annotate(ctx: TaskContext, task: Extract<TaskMessage, { phase: 'annotate' }>): Promise<AnnotateResult> {
  const sha256 = await sha256File(task.shard.path);
  const content = annotationContent(task.contentKey, sha256);
  const previous = previousResult<AnnotateResult>(layout, 'annotate', task.task);
  if (previous?.content === content && signalsExist(layout.root, previous.signalFiles)) return previous;
  return annotateShard(ctx, task.shard, { sha256, content });
}

/** Runs one task in this worker thread, then commits it by writing its completion marker. */
export default async function runTask(task: TaskMessage): Promise<unknown> {
  // A task queued before the run began to stop starts nothing: no engine call may be left in flight.
  if (Atomics.load(abortFlag, 0) !== 0) return aborted();
  const ctx = await (context ??= makeContext());
  phase = task.phase;
  try {
    const result = await run(ctx, task);
    markCompleted(layout, task.phase, task.task, task.fingerprint, result);
    return result;
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError || err instanceof RunAborted) {
      return { failed: true, name: err.name, message: err.message } satisfies TaskFailure;
    }
    // Errors cross to the main thread without their code and path: say what they mean here.
    const machine = describeSystemError(err) ?? describeEngineError(err);
    if (machine) return { failed: true, name: 'SystemError', message: machine } satisfies TaskFailure;
    throw err;
  }
}

const aborted = (): TaskFailure => ({ failed: true, name: 'RunAborted', message: new RunAborted().message });
