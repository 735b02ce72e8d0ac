/**
 * A failure winnow expects and explains: bad configuration, bad input, a refused layout, a run
 * that was stopped. Its message is complete and meant for users, so the command line prints it
 * as is (one cause and the fix, no stack trace); anything else is an internal error.
 */
export class WinnowError extends Error {
  /** The process exit code for this failure. */
  readonly exitCode: number = 1;
}

/**
 * A problem with a pipeline or rule-set file, reported before any work starts. The message names
 * the file, the key and what was expected, so it can be printed as is.
 */
export class ConfigError extends WinnowError {
  override readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
