import { readFileSync } from 'node:fs';
import type { ResolvedModel } from '../config/models.js';
import { loadClassifier } from './fasttext-runtime.js';
import { fastTextWords } from './preprocess.js';

/** A model's score of one final text: the probability of its label, read through its preprocessing; null for a text with no word to read. */
export type Scorer = (text: string) => number | null;

/**
 * A letter or digit: a text without one (empty, spaces, a rule of dashes) gives a classifier
 * nothing to go on. fastText would still answer: every line ends in its end-of-line token `</s>`,
 * and with no other word the score is that token's alone (1.0 for the old medical model, which saw
 * `</s>` end far more medical lines than others).
 */
const WORD = /[\p{L}\p{N}]/u;

/**
 * Loads a pipeline model for scoring. The annotate-time family and the score phase both score
 * through this, so a score is the same number wherever it is computed. A text with no letter or
 * digit gets no score: a missing signal, which fails the rules on it (docs/models.md).
 */
export async function loadScorer(model: ResolvedModel): Promise<Scorer> {
  const classifier = await loadClassifier(readFileSync(model.path));
  const at = classifier.labels.indexOf(model.label);
  if (at < 0) throw new Error(`${model.path}: no label ${model.label} (it has ${classifier.labels.join(', ')})`);
  return (text) => {
    const words = fastTextWords(text, model.preprocessing);
    return WORD.test(words) ? classifier.predictWords(words)[at]! : null;
  };
}
