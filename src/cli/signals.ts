import { WinnowError } from '../config/errors.js';
import { RunAborted } from '../execution/tasks.js';

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

/**
 * Runs `work` so that SIGINT, SIGTERM or SIGHUP (a terminal's ^C, a batch system's cancel or time
 * limit) stop it cleanly: the first signal stops the tasks between engine calls (a thread killed
 * inside one aborts the process) and keeps the completed ones; a second one exits at once. A run
 * so stopped ends with the exit code a shell expects (128 + the signal's number).
 */
export async function stoppable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
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
    return await work(controller.signal);
  } catch (err) {
    if (err instanceof RunAborted && received) throw new Interrupted(received, SIGNALS[received] ?? 1);
    throw err;
  } finally {
    for (const s of Object.keys(SIGNALS) as NodeJS.Signals[]) process.off(s, onSignal);
  }
}
