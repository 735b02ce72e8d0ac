/**
 * Each phase's implementation version. Task markers key on these (with the config and the
 * upstream tasks' fingerprints), not on winnow's git revision: a commit that changes no output
 * (documentation, tests, refactoring) reuses a run's work, and a change that does changes the
 * version. Raise a phase's number with any change to its code, or to code it runs, that changes
 * what its tasks write; test/execution/code-versions.test.ts fails when the dry run's outputs
 * change while every version stays the same.
 *
 * Annotate's version covers the text passes (normalization, C4's line cleanup, PII redaction,
 * the tokenizer and word kernel) and the signals files' layout; each signal family has its own
 * version besides (`SignalFamily.version`).
 */
export const PHASE_VERSIONS = {
  annotate: 7,
  score: 3,
  dedup: { exact: 1, near: 1, lines: 1 },
  cluster: 1,
  quantiles: 1,
  metTally: 1,
  metCoverage: 2,
  decide: 5,
} as const;
