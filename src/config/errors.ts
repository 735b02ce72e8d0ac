/**
 * A problem with a pipeline or rule-set file, reported before any work starts. The message names
 * the file, the key and what was expected, so it can be printed as is.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
