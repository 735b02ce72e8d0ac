import { EOS, fastTextHash, wordNgramBuckets } from '../../src/models/fasttext-train.js';
import type { DenseMatrix, FastTextModelFile } from '../../src/models/fasttext-file.js';
import { dequantize } from '../../src/models/quantize.js';

const inputs = new WeakMap<FastTextModelFile, DenseMatrix>();
const vocabularies = new WeakMap<FastTextModelFile, Map<string, number>>();
const pruneIndexes = new WeakMap<FastTextModelFile, Map<number, number>>();

/**
 * A model's label probabilities for one line, computed here from the file alone: the features
 * fastText computes (known words, `</s>`, hashed word n-grams, mapped through the prune index of
 * a pruned model), the mean of their input rows (dequantized for a `.ftz`), a softmax over the
 * output rows. Tests compare it with fastText's own predictions: equal values show that winnow
 * writes the features, the pruning and the quantized rows the way fastText reads them.
 */
export function forward(model: FastTextModelFile, line: string): Float64Array {
  if (model.output.kind !== 'dense') throw new Error('quantized output matrices are not used by winnow');
  let input = inputs.get(model);
  if (!input) {
    input = model.input.kind === 'dense' ? model.input : dequantize(model.input);
    inputs.set(model, input);
  }
  const { dictionary: d, args } = model;
  let words = vocabularies.get(model);
  if (!words) {
    const decoder = new TextDecoder();
    words = new Map(d.entries.slice(0, d.nwords).map((e, i) => [decoder.decode(e.word), i]));
    vocabularies.set(model, words);
  }
  // Built once per model: a pruned model's index has thousands of entries, and tests score hundreds of lines.
  let pruned = pruneIndexes.get(model);
  if (!pruned) {
    pruned = new Map(d.pruneidx);
    pruneIndexes.set(model, pruned);
  }
  const features: number[] = [];
  const hashes: number[] = [];
  for (const t of [...line.split(' ').filter(Boolean), EOS]) {
    if (t.startsWith('__label__')) continue;
    const id = words.get(t);
    if (id !== undefined) features.push(id);
    hashes.push(fastTextHash(t));
  }
  const buckets: number[] = [];
  wordNgramBuckets(hashes, args.wordNgrams, args.bucket, buckets, 0);
  for (const b of buckets) {
    if (d.pruneidxSize < 0n) features.push(d.nwords + b);
    else if (pruned.has(b)) features.push(d.nwords + pruned.get(b)!);
  }
  const dim = args.dim;
  const hidden = new Float64Array(dim);
  for (const f of features) for (let j = 0; j < dim; j++) hidden[j]! += input.data[f * dim + j]!;
  for (let j = 0; j < dim; j++) hidden[j]! /= Math.max(1, features.length);
  const out = model.output;
  const scores = Array.from({ length: out.rows }, (_, k) => hidden.reduce((s, h, j) => s + h * out.data[k * dim + j]!, 0));
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const z = exps.reduce((a, b) => a + b, 0);
  return Float64Array.from(exps, (e) => e / z);
}
