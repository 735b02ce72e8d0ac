import { LABEL_PREFIX } from '../config/fasttext-label.js';
import type { DenseMatrix, FastTextModelFile } from './fasttext-file.js';
import { seededRandom } from './random.js';

/**
 * fastText's supervised training (Joulin et al. 2017, "Bag of Tricks for Efficient Text
 * Classification"; fastText 0.9's `fasttext supervised`) written for winnow, producing standard
 * fastText `.bin` models that fastText itself loads and scores. winnow trains here rather than in
 * fastText's WebAssembly build because that build stops with "Encountered NaN." on ordinary
 * corpora at any learning rate (a defect of the build: native fastText trains the same files).
 *
 * What it does, as fastText does:
 *  - words are the whitespace-separated tokens of each line; tokens starting with `__label__` are
 *    labels; the end of each line is the word `</s>`;
 *  - the dictionary keeps words seen `minCount` times or more, most frequent first, then labels;
 *  - a line's features are its known words (and `</s>`), plus one hashed bucket per word n-gram
 *    (n = 2..wordNgrams) from fastText's 32-bit FNV-1a word hashes, unknown words included, with
 *    fastText's own sign extensions, so fastText computes the same features at prediction time;
 *  - the model averages the features' input rows, applies a softmax over the labels' output rows,
 *    and takes one SGD step per line, the gradient of the input rows divided by the feature count;
 *  - the learning rate falls linearly from `lr` to 0 over `epoch` passes, measured in tokens and
 *    updated every `lrUpdateRate` tokens; the input matrix starts uniform in ±1/dim, the output at 0.
 *
 * Differences, none visible in the file format: one thread (fastText's Hogwild threads make its
 * results vary from run to run; here the same data and settings give the same bytes); the random
 * start comes from winnow's own seeded generator (fastText's std::minstd_rand differs between C++
 * libraries, and fastText 0.9.2 starts only the first tenth of the rows at random, the rest at 0);
 * words of equal count are ordered by first appearance (fastText's unstable sort leaves it open);
 * only the softmax loss, and no character n-grams (`minn` = `maxn` = 0, fastText's default for
 * supervised models).
 */
export interface TrainParams {
  lr: number;
  dim: number;
  epoch: number;
  minCount: number;
  wordNgrams: number;
  bucket: number;
  lrUpdateRate: number;
  seed: number;
}

export const EOS = '</s>';
const LABEL = LABEL_PREFIX;

/** fastText's word hash: FNV-1a over the UTF-8 bytes, each byte sign-extended first (C++ `char` is signed). */
export function fastTextHash(word: string): number {
  return fastTextHashBytes(Buffer.from(word, 'utf8'));
}

/** fastTextHash over a word's UTF-8 bytes. */
export function fastTextHashBytes(bytes: Uint8Array): number {
  let h = 2166136261;
  for (const byte of bytes) {
    h ^= byte >= 0x80 ? byte | 0xffffff00 : byte;
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const M64 = (1n << 64n) - 1n;
const NGRAM_MULTIPLIER = 116049371n;

/** The n-gram buckets of a line's word hashes, as fastText's addWordNgrams: int32 hashes sign-extended to uint64. */
export function wordNgramBuckets(hashes: readonly number[], n: number, bucket: number, out: number[], offset: number): void {
  if (bucket <= 0) return;
  const b = BigInt(bucket);
  const wide = hashes.map((h) => BigInt.asUintN(64, BigInt(h | 0)));
  for (let i = 0; i < wide.length; i++) {
    let h = wide[i]!;
    for (let j = i + 1; j < wide.length && j < i + n; j++) {
      h = (h * NGRAM_MULTIPLIER + wide[j]!) & M64;
      out.push(offset + Number(h % b));
    }
  }
}

interface Entry {
  word: string;
  count: number;
  first: number;
  label: boolean;
}

/** The dictionary as fastText saves it: kept words most frequent first, then the labels. */
interface Vocabulary {
  words: Entry[];
  labels: Entry[];
  /** Every token of the corpus, `</s>` included: the learning rate's schedule counts these. */
  ntokens: number;
}

interface Example {
  features: Int32Array;
  label: number;
  tokens: number;
}

/** The model's two matrices, row-major, `dim` floats a row. */
interface Weights {
  dim: number;
  nlabels: number;
  input: Float32Array;
  output: Float32Array;
}

/** Trains on fastText-format lines ("__label__x words ...", no newlines inside) and returns the model. */
export function trainSupervised(lines: readonly string[], p: TrainParams, onProgress?: (progress: number) => void): FastTextModelFile {
  const { vocabulary, tokenized } = buildVocabulary(lines, p.minCount);
  const examples = lineExamples(tokenized, vocabulary, p);
  const weights = initialWeights(vocabulary, p);
  train(examples, weights, vocabulary.ntokens, p, onProgress);
  return modelFile(vocabulary, weights, p);
}

/** Splits the lines into tokens and counts them; throws unless there are two labels to tell apart. */
function buildVocabulary(lines: readonly string[], minCount: number): { vocabulary: Vocabulary; tokenized: string[][] } {
  // Counted in order of first appearance, the tie-break for equal counts (fastText leaves it to an unstable sort).
  const seen = new Map<string, Entry>();
  let ntokens = 0;
  const add = (word: string) => {
    ntokens++;
    const e = seen.get(word);
    if (e) e.count++;
    else seen.set(word, { word, count: 1, first: seen.size, label: word.startsWith(LABEL) });
  };
  const tokenized = lines.map((line) => {
    const tokens = line.split(' ').filter((t) => t !== '');
    for (const t of tokens) add(t);
    add(EOS);
    return tokens;
  });
  const byCount = (a: Entry, b: Entry) => b.count - a.count || a.first - b.first;
  const entries = [...seen.values()];
  const words = entries.filter((e) => !e.label && e.count >= minCount).sort(byCount);
  const labels = entries.filter((e) => e.label).sort(byCount);
  if (labels.length < 2) throw new Error(`training needs two labels or more; the lines have ${labels.length}`);
  return { vocabulary: { words, labels, ntokens }, tokenized };
}

/** Each line's features and label, computed once: fastText computes the same ones on every pass. */
function lineExamples(tokenized: readonly string[][], vocabulary: Vocabulary, p: TrainParams): Example[] {
  const wordId = new Map(vocabulary.words.map((e, i) => [e.word, i]));
  const labelId = new Map(vocabulary.labels.map((e, i) => [e.word, i]));
  const nwords = vocabulary.words.length;
  // Each distinct word is hashed once: hashing encodes it to UTF-8, and a corpus repeats its words.
  const hashOf = new Map<string, number>();
  return tokenized.map((tokens) => {
    const features: number[] = [];
    const hashes: number[] = [];
    let label = -1;
    for (const t of [...tokens, EOS]) {
      const l = labelId.get(t);
      if (l !== undefined) {
        // fastText draws one of a line's labels at random on each pass; winnow's lines have one.
        if (label < 0) label = l;
        continue;
      }
      const id = wordId.get(t);
      if (id !== undefined) features.push(id);
      // Words below minCount have no row of their own but still take part in the n-grams, as in fastText.
      let h = hashOf.get(t);
      if (h === undefined) hashOf.set(t, (h = fastTextHash(t)));
      hashes.push(h);
    }
    wordNgramBuckets(hashes, p.wordNgrams, p.bucket, features, nwords);
    return { features: Int32Array.from(features), label, tokens: tokens.length + 1 };
  });
}

/** fastText's start: input rows uniform in ±1/dim (from winnow's seeded generator, the same everywhere), output rows at 0. */
function initialWeights(vocabulary: Vocabulary, p: TrainParams): Weights {
  const dim = p.dim;
  const input = new Float32Array((vocabulary.words.length + p.bucket) * dim);
  const random = seededRandom(p.seed);
  for (let i = 0; i < input.length; i++) input[i] = (random() * 2 - 1) / dim;
  const nlabels = vocabulary.labels.length;
  return { dim, nlabels, input, output: new Float32Array(nlabels * dim) };
}

/**
 * The SGD passes, on one thread so that the same data gives the same bytes. The learning rate
 * falls linearly with the tokens seen, a count that moves only every `lrUpdateRate` tokens, as in
 * fastText; progress is reported at most once a percent.
 */
function train(examples: readonly Example[], weights: Weights, ntokens: number, p: TrainParams, onProgress?: (progress: number) => void): void {
  const step = softmaxStep(weights);
  const total = p.epoch * ntokens;
  let tokenCount = 0;
  let local = 0;
  let next = 0;
  let reported = -1;
  while (tokenCount < total) {
    const progress = tokenCount / total;
    const lr = p.lr * (1 - progress);
    const ex = examples[next]!;
    next = (next + 1) % examples.length;
    local += ex.tokens;
    if (ex.label >= 0 && ex.features.length > 0) step(ex, lr);
    if (local > p.lrUpdateRate) {
      tokenCount += local;
      local = 0;
      const pct = Math.floor(progress * 100);
      if (pct > reported) onProgress?.((reported = pct) / 100);
    }
  }
  onProgress?.(1);
}

/**
 * One SGD step on one line, updating the weights in place: the average of the features' input
 * rows, a softmax over the labels, then the output rows' step and the input rows' (its gradient
 * divided by the feature count, as fastText does). The scratch arrays are made once, not per line.
 * The order of the arithmetic, and which sums are stored as float32, are part of the shipped
 * models' bytes: another order rounds differently.
 */
function softmaxStep({ dim, nlabels, input, output }: Weights): (ex: Example, lr: number) => void {
  const hidden = new Float32Array(dim);
  const grad = new Float32Array(dim);
  const scores = new Float32Array(nlabels);
  return (ex, lr) => {
    const { features } = ex;
    hidden.fill(0);
    for (const f of features) for (let j = 0, at = f * dim; j < dim; j++) hidden[j]! += input[at + j]!;
    const scale = 1 / features.length;
    for (let j = 0; j < dim; j++) hidden[j]! *= scale;
    // Less the largest score before exp, so no score overflows.
    let max = -Infinity;
    for (let k = 0; k < nlabels; k++) {
      let s = 0;
      for (let j = 0, at = k * dim; j < dim; j++) s += output[at + j]! * hidden[j]!;
      scores[k] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let k = 0; k < nlabels; k++) z += scores[k] = Math.exp(scores[k]! - max);
    grad.fill(0);
    for (let k = 0; k < nlabels; k++) {
      const alpha = lr * ((k === ex.label ? 1 : 0) - scores[k]! / z);
      for (let j = 0, at = k * dim; j < dim; j++) {
        // The gradient takes the output row before its step, as in fastText.
        grad[j]! += alpha * output[at + j]!;
        output[at + j]! += alpha * hidden[j]!;
      }
    }
    for (let j = 0; j < dim; j++) grad[j]! *= scale;
    for (const f of features) for (let j = 0, at = f * dim; j < dim; j++) input[at + j]! += grad[j]!;
  };
}

/** The trained model as fastText's `.bin` holds it. */
function modelFile(vocabulary: Vocabulary, weights: Weights, p: TrainParams): FastTextModelFile {
  const { words, labels } = vocabulary;
  const { dim } = weights;
  const encoder = new TextEncoder();
  const matrix = (rows: number, data: Float32Array): DenseMatrix => ({ kind: 'dense', rows, cols: dim, data });
  return {
    // fastText's defaults for what supervised training does not use (ws, neg, t).
    args: { dim, ws: 5, epoch: p.epoch, minCount: p.minCount, neg: 5, wordNgrams: p.wordNgrams, loss: 3, model: 3, bucket: p.bucket, minn: 0, maxn: 0, lrUpdateRate: p.lrUpdateRate, t: 1e-4 },
    dictionary: {
      nwords: words.length,
      nlabels: labels.length,
      ntokens: BigInt(vocabulary.ntokens),
      pruneidxSize: -1n,
      entries: [...words, ...labels].map((e) => ({ word: encoder.encode(e.word), count: BigInt(e.count), type: e.label ? 1 : 0 })),
      pruneidx: [],
    },
    input: matrix(words.length + p.bucket, weights.input),
    output: matrix(labels.length, weights.output),
  };
}
