import { readFileSync } from 'node:fs';
import type { ResolvedModel } from '../config/models.js';
import { loadClassifier, type FastTextClassifier } from '../models/fasttext-runtime.js';
import { fastTextLine } from '../models/preprocess.js';
import { defineFamily } from './signal.js';

/**
 * A fastText classifier's score for each document: the probability of one label, from the final
 * text (what curated rows carry) made into one line by the model's preprocessing. The model is
 * loaded once per worker thread. Rules threshold the score, or keep a top share of the corpus
 * with a quantile threshold.
 */
export function modelFamily(model: ResolvedModel) {
  let classifier: FastTextClassifier | undefined;
  let at = -1;
  return defineFamily({
    name: `model:${model.name}`,
    stage: 'final',
    version: 1,
    description: `fastText classifier ${model.name}: probability of ${model.label}`,
    signals: [{ name: model.name, type: 'DOUBLE', description: `probability of ${model.label} (${model.path.split(/[\\/]/).pop()})` }],
    async prepare() {
      if (classifier) return;
      classifier = await loadClassifier(readFileSync(model.path));
      at = classifier.labels.indexOf(model.label);
      if (at < 0) throw new Error(`${model.path}: no label ${model.label} (it has ${classifier.labels.join(', ')})`);
    },
    bindWriter(out) {
      const score = out[model.name]!;
      return (doc) => {
        if (!classifier) throw new Error(`model ${model.name} used before prepare()`);
        score(classifier.predict(fastTextLine(doc.text, model.preprocessing))[at]!);
      };
    },
  });
}
