import { loadPipeline } from '../../config/load.js';
import { WinnowError } from '../../config/errors.js';
import { runPipeline } from '../../execution/runner.js';
import { RunAborted } from '../../execution/tasks.js';
import { progressReporter } from '../progress.js';
import { formatSummary } from '../summary.js';

export interface RunFlags {
  input?: string;
  output?: string;
  workers?: number;
  quiet?: boolean;
}

/** Stopped by a signal: the exit code a shell expects (128 + the signal's number). */
class Interrupted extends WinnowError {
  constructor(
    signal: NodeJS.Signals,
    override readonly exitCode: number,
  ) {
    super(`stopped by ${signal}: completed tasks are kept; run the same command again to resume`);
    this.name = 'Interrupted';
  }
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export async function runCommand(pipelineFile: string, flags: RunFlags): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input, output: flags.output, workers: flags.workers });
  const events = progressReporter({ quiet: !!flags.quiet, tty: !!process.stderr.isTTY });
  // The first signal stops the run between engine calls (a thread killed inside one aborts the
  // process) and releases the run folder; a second one exits at once.
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(SIGNALS[signal] ?? 1);
    received = signal;
    process.stderr.write(`winnow: ${signal} received, stopping after the running tasks' current batch (again to exit at once)\n`);
    controller.abort();
  };
  for (const s of Object.keys(SIGNALS) as NodeJS.Signals[]) process.on(s, onSignal);
  try {
    const { manifest, layout } = await runPipeline(pipeline, { events, signal: controller.signal });
    process.stdout.write(`${formatSummary(manifest, layout)}\n`);
  } catch (err) {
    if (err instanceof RunAborted && received) throw new Interrupted(received, SIGNALS[received] ?? 1);
    throw err;
  } finally {
    for (const s of Object.keys(SIGNALS) as NodeJS.Signals[]) process.off(s, onSignal);
  }
}
