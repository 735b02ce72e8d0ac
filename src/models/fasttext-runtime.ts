import { readModelFile } from './fasttext-file.js';
import { FastTextModel } from './fasttext-model.js';

/**
 * A fastText classifier for scoring: winnow's fastText kernel (fasttext-model.ts), which gives
 * fastText 0.9's probabilities, to the bit or, for a softmax classifier of few labels (its rows projected
 * onto the output layer), to within fastText's own float rounding. The model file is read whole
 * here; a pipeline's files were already checked before any work started (src/execution/check.ts).
 */
export interface FastTextClassifier {
  /** The model's labels, in output order ("__label__medical", ...). */
  readonly labels: readonly string[];
  /**
   * The probability of every label for one line of text (as fastText reads a line: a newline
   * separates words here, where fastText would stop), in the order of `labels`. fastText adds
   * 1e-5 to probabilities before taking logs; the values are given back as fastText computes
   * them, clamped to [0, 1].
   */
  predict(line: string): Float64Array;
  /** The same for text whose every whitespace character (JavaScript's \s) separates words: fastTextWords' output. */
  predictWords(words: string): Float64Array;
}

export async function loadClassifier(bytes: Uint8Array): Promise<FastTextClassifier> {
  const model = new FastTextModel(readModelFile(bytes));
  return {
    labels: model.labels,
    predict: (line) => model.probabilities(line, false),
    predictWords: (words) => model.probabilities(words, true),
  };
}
