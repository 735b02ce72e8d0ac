import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import type { Pipeline } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { openEngine } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { RunLayout, type PhaseName } from '../io/layout.js';
import { annotateShard } from '../phases/annotate.js';
import type { TaskContext } from '../phases/context.js';
import { decideShard } from '../phases/decide.js';
import { exactDedupPartition } from '../phases/dedup.js';
import { prepareSignals } from '../signals/registry.js';
import { markCompleted } from './markers.js';
import type { ProgressMessage, TaskFailure, TaskMessage } from './tasks.js';

export interface WorkerSetup {
  pipeline: Pipeline;
  progressChannel: string;
}

const setup = workerData as WorkerSetup;
const layout = new RunLayout(setup.pipeline.output.path);
const channel = new BroadcastChannel(setup.progressChannel);
let phase: PhaseName = 'annotate';
let context: Promise<TaskContext> | undefined;

async function makeContext(): Promise<TaskContext> {
  await prepareSignals();
  const con = await openEngine({ memoryLimit: setup.pipeline.execution.memory_per_worker, tempDir: layout.spillDir(threadId) });
  return {
    con,
    pipeline: setup.pipeline,
    layout,
    progress: (docs, bytes) => channel.postMessage({ phase, docs, bytes } satisfies ProgressMessage),
  };
}

/** Runs one task in this worker thread, then commits it by writing its completion marker. */
export default async function runTask(task: TaskMessage): Promise<unknown> {
  const ctx = await (context ??= makeContext());
  phase = task.phase;
  try {
    const result =
      task.phase === 'annotate'
        ? await annotateShard(ctx, task.shard)
        : task.phase === 'dedup'
          ? await exactDedupPartition(ctx, task.partition, task.partitions, task.signalFiles)
          : await decideShard(ctx, task.shard, task.annotated, task.dedupFiles);
    markCompleted(layout, task.phase, task.task, task.fingerprint, result);
    return result;
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError) {
      return { failed: true, name: err.name, message: err.message } satisfies TaskFailure;
    }
    throw err;
  }
}
