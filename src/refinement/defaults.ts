// The refinement commands' limits and defaults, apart from the code that uses them so that the
// command line can show and check them without loading the engine.

/** The most documents one review set holds: annotators label hundreds, and the choice is made in memory from 2 x size candidates per stratum. */
export const MAX_SAMPLE = 10_000;

/** `labels --level`: flag a rule when its false-drop rate is above this with 95% confidence. */
export const DEFAULT_LEVEL = 0.25;
