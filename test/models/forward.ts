import { EOS, fastTextHash, wordNgramBuckets } from '../../src/models/fasttext-train.js';
import type { FastTextModelFile } from '../../src/models/fasttext-file.js';

/**
 * A dense fastText model's label probabilities for one line, computed here from the file's
 * matrices: the features fastText computes (known words, `</s>`, hashed word n-grams), their mean
 * input row, a softmax over the output rows. Tests compare it with fastText's own predictions to
 * show that winnow's training builds the features fastText reads.
 */
export function forward(model: FastTextModelFile, line: string): Float64Array {
  if (model.input.kind !== 'dense' || model.output.kind !== 'dense') throw new Error('dense models only');
  const decoder = new TextDecoder();
  const words = new Map(model.dictionary.entries.slice(0, model.dictionary.nwords).map((e, i) => [decoder.decode(e.word), i]));
  const features: number[] = [];
  const hashes: number[] = [];
  for (const t of [...line.split(' ').filter(Boolean), EOS]) {
    if (t.startsWith('__label__')) continue;
    const id = words.get(t);
    if (id !== undefined) features.push(id);
    hashes.push(fastTextHash(t));
  }
  wordNgramBuckets(hashes, model.args.wordNgrams, model.args.bucket, features, model.dictionary.nwords);
  const dim = model.args.dim;
  const hidden = new Float64Array(dim);
  for (const f of features) for (let j = 0; j < dim; j++) hidden[j]! += model.input.data[f * dim + j]!;
  for (let j = 0; j < dim; j++) hidden[j]! /= Math.max(1, features.length);
  const out = model.output;
  const scores = Array.from({ length: out.rows }, (_, k) => hidden.reduce((s, h, j) => s + h * out.data[k * dim + j]!, 0));
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const z = exps.reduce((a, b) => a + b, 0);
  return Float64Array.from(exps, (e) => e / z);
}
