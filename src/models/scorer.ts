import { readFileSync } from 'node:fs';
import type { ResolvedModel } from '../config/models.js';
import { loadClassifier } from './fasttext-runtime.js';
import { fastTextWords } from './preprocess.js';

/** A model's score of one final text: the probability of its label, read through its preprocessing. */
export type Scorer = (text: string) => number;

/**
 * Loads a pipeline model for scoring. The annotate-time family and the score phase both score
 * through this, so a score is the same number wherever it is computed.
 */
export async function loadScorer(model: ResolvedModel): Promise<Scorer> {
  const classifier = await loadClassifier(readFileSync(model.path));
  const at = classifier.labels.indexOf(model.label);
  if (at < 0) throw new Error(`${model.path}: no label ${model.label} (it has ${classifier.labels.join(', ')})`);
  return (text) => classifier.predictWords(fastTextWords(text, model.preprocessing))[at]!;
}
