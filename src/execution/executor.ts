import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Pipeline } from '../config/load.js';
import type { PhaseName, RunLayout } from '../io/layout.js';
import type { PhaseTiming } from '../phases/report.js';
import { completedResult } from './markers.js';
import type { PhaseOutcome } from './phase-table.js';
import { isTaskFailure, RunAborted, RunError, type ProgressMessage, type TaskMessage } from './tasks.js';
import type { WorkerSetup } from './worker.js';

export interface RunEvents {
  onPhaseStart?(phase: PhaseName, tasks: number, reused: number): void;
  onProgress?(phase: PhaseName, progress: { tasksDone: number; docs: number; bytes: number }): void;
  onPhaseEnd?(phase: PhaseName, timing: PhaseTiming): void;
}

/** Runs the tasks of each phase in a worker pool, reusing completed ones, and times the phases. */
export class Executor {
  readonly timings: Record<string, PhaseTiming> = {};
  private pool: Piscina | undefined;
  private readonly channel: BroadcastChannel;
  private readonly channelName = `winnow-progress-${process.pid}-${randomBytes(4).toString('hex')}`;
  private progress = { phase: 'annotate' as PhaseName, tasksDone: 0, docs: 0, bytes: 0 };
  private readonly abortFlag = new SharedArrayBuffer(4);
  /** Names this executor's spill folders (layout.spillDir), unique across processes and machines. */
  private readonly spillToken = randomBytes(6).toString('hex');

  constructor(
    private readonly pipeline: Pipeline,
    private readonly layout: RunLayout,
    private readonly events: RunEvents,
  ) {
    this.channel = new BroadcastChannel(this.channelName);
    this.channel.onmessage = (event) => {
      const msg = (event as { data: ProgressMessage }).data;
      if (msg.phase !== this.progress.phase) return;
      this.progress.docs += msg.docs;
      this.progress.bytes += msg.bytes;
      this.emitProgress();
    };
  }

  async phase<R>(name: PhaseName, tasks: TaskMessage[], stillValid: (result: R, task: TaskMessage) => Promise<boolean> = async () => true): Promise<PhaseOutcome<R>> {
    this.throwIfStopped();
    const start = { wall: performance.now(), cpu: process.cpuUsage() };
    const results: (R | undefined)[] = await Promise.all(
      tasks.map(async (t) => {
        const done = await completedResult<R>(this.layout, name, t.task, t.fingerprint);
        return done !== undefined && (await stillValid(done, t)) ? done : undefined;
      }),
    );
    const pending = tasks.filter((_, i) => results[i] === undefined);
    this.progress = { phase: name, tasksDone: tasks.length - pending.length, docs: 0, bytes: 0 };
    this.events.onPhaseStart?.(name, tasks.length, tasks.length - pending.length);
    // Every task is waited for, failed or not: a worker thread may only be stopped when it is idle,
    // because stopping it inside a native DuckDB call aborts the whole process.
    const failures: { index: number; error: unknown }[] = [];
    const fail = (index: number, error: unknown) => {
      failures.push({ index, error });
      this.stop();
    };
    await Promise.all(
      tasks.map(async (task, i) => {
        if (results[i] !== undefined) return;
        try {
          const result = await this.workers().run(task);
          if (isTaskFailure(result)) return fail(i, result.name === 'RunAborted' ? new RunAborted() : new RunError(result.message));
          results[i] = result as R;
          this.progress.tasksDone++;
          this.emitProgress();
        } catch (err) {
          fail(i, err);
        }
      }),
    );
    if (failures.length > 0) throw firstFailure(failures);
    const timing = this.timing(start, pending.length, tasks.length - pending.length);
    this.timings[name] = timing;
    this.events.onPhaseEnd?.(name, timing);
    return { tasks, results: results as R[] };
  }

  private timing(start: { wall: number; cpu: NodeJS.CpuUsage }, run: number, reused: number): PhaseTiming {
    const cpu = process.cpuUsage(start.cpu);
    return {
      seconds: Math.round(performance.now() - start.wall) / 1000,
      cpu_seconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      tasks_run: run,
      tasks_reused: reused,
    };
  }

  /** Asks running tasks to stop at their next check (an interrupted run); phase() then throws RunAborted. */
  stop(): void {
    Atomics.store(new Int32Array(this.abortFlag), 0, 1);
  }

  throwIfStopped(): void {
    if (Atomics.load(new Int32Array(this.abortFlag), 0) !== 0) throw new RunAborted();
  }

  /** Only called once no task is running (phase() waits for every task), so every thread is idle. */
  async close(): Promise<void> {
    this.channel.close();
    await this.pool?.close();
    // The threads' DuckDB engines are closed with them; their spill folders are this executor's
    // alone. Best effort: a file system that keeps a removed file busy (NFS's .nfs files) must not
    // turn a finished or stopped run into a failed one.
    try {
      const spill = dirname(this.layout.spillDir(this.spillToken, 0));
      if (existsSync(spill)) for (const e of readdirSync(spill)) if (e.startsWith(`${this.spillToken}-`)) rmSync(join(spill, e), { recursive: true, force: true });
    } catch {
      // left for the next run to find; it is in work/spill/, which nothing reads
    }
  }

  private emitProgress(): void {
    const { phase, ...progress } = this.progress;
    this.events.onProgress?.(phase, progress);
  }

  private workers(): Piscina {
    const threads = this.pipeline.execution.workers;
    this.pool ??= new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      // Threads start as tasks arrive, so a phase of 3 tasks never starts 64 threads (each with
      // its own DuckDB engine and models).
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      closeTimeout: 3_600_000,
      // A worker's young generation sized for batches of documents: with V8's default (16 MB
      // semi-spaces) a batch's texts outlive several scavenges and are copied by each; 64 MB
      // semi-spaces (three of them make the young generation) cut annotate's CPU by about a fifth
      // for some 60 MB more per worker (`npm run bench`, docs/benchmarks.md). 128 MB gained nothing.
      resourceLimits: { maxYoungGenerationSizeMb: 3 * 64 },
      workerData: { pipeline: this.pipeline, progressChannel: this.channelName, abortFlag: this.abortFlag, spillToken: this.spillToken } satisfies WorkerSetup,
    });
    return this.pool;
  }
}

/**
 * The error a failed phase reports: the failure of the first task in plan order (not the first to
 * finish, which depends on timing), with a count of the others; a task that only stopped because
 * another failed is not a failure of its own.
 */
function firstFailure(failures: { index: number; error: unknown }[]): unknown {
  const real = failures.filter((f) => !(f.error instanceof RunAborted)).sort((a, b) => a.index - b.index);
  if (real.length === 0) return failures[0]!.error;
  const first = real[0]!.error;
  if (real.length > 1 && first instanceof RunError) return new RunError(`${first.message}\n(${real.length - 1} more task(s) of this phase failed too; fix this one and run again)`);
  return first;
}
