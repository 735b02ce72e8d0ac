import { WinnowError } from '../config/errors.js';
import { RunAborted } from '../execution/tasks.js';
import { describeMachineError, duckMessage } from '../io/errors.js';

/**
 * Prints an error as users should see it and returns the exit code. Expected failures (bad
 * configuration or input, refused layouts, file-system errors) are one line of cause and fix;
 * anything else is a bug, said to be one. The stack trace only with --debug (or WINNOW_DEBUG=1).
 */
export function reportError(err: unknown, options: { debug: boolean }): number {
  const say = (line: string) => process.stderr.write(`winnow: ${line}\n`);
  const trace = () => {
    if (options.debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  };
  if (err instanceof WinnowError) {
    say(err.message);
    trace();
    return err.exitCode;
  }
  if (err instanceof RunAborted) {
    say('the run stopped before it finished; run the same command again to resume');
    trace();
    return 1;
  }
  const system = describeMachineError(err);
  if (system) {
    say(system);
    trace();
    return 1;
  }
  const message = err instanceof Error ? duckMessage(err) : String(err);
  say(`internal error: ${message}`);
  if (options.debug) trace();
  else process.stderr.write('This is a bug in winnow. Run again with --debug (or WINNOW_DEBUG=1) for the stack trace, and report it.\n');
  return 70; // EX_SOFTWARE
}
