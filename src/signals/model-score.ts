import type { ResolvedModel } from '../config/models.js';
import { loadScorer, type Scorer } from '../models/scorer.js';
import { defineFamily } from './signal.js';

/**
 * A fastText classifier's score for each document: the probability of one label, from the final
 * text (what curated rows carry) made into one line by the model's preprocessing. A run computes it
 * in the score phase (src/phases/score.ts), not in annotate, so a retrained model re-scores
 * without measuring anything else again; the family declares the signal for rules, and measures
 * it where a caller scores inside the annotator (the family contract test).
 */
export function modelFamily(model: ResolvedModel) {
  let scorer: Scorer | undefined;
  return defineFamily({
    name: `model:${model.name}`,
    stage: 'final',
    // 2: rows projected onto the output layer (the scores move in their last bits).
    // 3: no score (null) for a text without a letter or digit.
    version: 3,
    description: `fastText classifier ${model.name}: probability of ${model.label}`,
    signals: [{ name: model.name, type: 'DOUBLE', description: `probability of ${model.label} (${model.path.split(/[\\/]/).pop()})` }],
    async prepare() {
      scorer ??= await loadScorer(model);
    },
    bindWriter(out) {
      const score = out[model.name]!;
      return (doc) => {
        if (!scorer) throw new Error(`model ${model.name} used before prepare()`);
        score(scorer(doc.text));
      };
    },
  });
}
