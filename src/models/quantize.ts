import { seededRandom, shuffle } from './random.js';
import { KSUB, type DenseMatrix, type Dictionary, type FastTextModelFile, type ProductQuantizer, type QuantMatrix } from './fasttext-file.js';

/**
 * fastText's `quantize` for supervised models (Joulin et al. 2016, "FastText.zip"), which turns a
 * `.bin` into a `.ftz`:
 *  1. with `cutoff`, keep only the `cutoff` input rows of largest norm (and the end-of-line word), drop the other words from the dictionary and map the kept n-gram buckets to new rows;
 *  2. with `qnorm`, divide each row by its norm and quantize the norms with a one-dimensional
 *     quantizer of 256 values;
 *  3. product-quantize the rows: split them into sub-vectors of `dsub` values and replace each by
 *     the nearest of 256 centroids found by k-means (25 iterations, at most 65,536 points), one byte
 *     a sub-vector.
 * The output matrix stays dense (fastText's default, `-qout` off); it has one row per label.
 *
 * Differences from fastText, none of which changes the file format: fastText shuffles with the C++
 * standard library's `std::shuffle` and `minstd_rand`, whose results differ between standard
 * libraries; winnow uses its own seeded generator, so its `.ftz` files are the same on every
 * machine. fastText can also retrain after the cutoff (`-retrain`); winnow does not (the wasm build
 * of fastText exposes no retraining of a pruned model).
 */
export interface QuantizeOptions {
  /** Input rows (words and n-gram buckets) to keep; 0 keeps all. */
  cutoff: number;
  /** Values per sub-vector. */
  dsub: number;
  /** Quantize row norms separately. */
  qnorm: boolean;
  /** Quantize the output matrix too (fastText's -qout: sub-vectors of 2; it needs 256 labels or more). */
  qout?: boolean;
  seed: number;
}

export const QUANTIZE_DEFAULTS: QuantizeOptions = { cutoff: 0, dsub: 2, qnorm: false, seed: 1234 };

const NITER = 25;

/** The seeded generator, with the shuffle k-means needs. */
class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  shuffle(a: Int32Array): void {
    shuffle(a, this.next);
  }
}
const MAX_POINTS = 256 * KSUB;
const EPS = 1e-7;

export function quantizeModel(model: FastTextModelFile, options: Partial<QuantizeOptions> = {}): FastTextModelFile {
  const o = { ...QUANTIZE_DEFAULTS, ...options };
  if (model.args.model !== 3) throw new Error('only supervised models can be quantized');
  if (model.input.kind !== 'dense') throw new Error('the model is already quantized');
  let input = model.input;
  let dictionary = model.dictionary;
  if (o.cutoff > 0 && o.cutoff < input.rows) ({ input, dictionary } = prune(input, dictionary, o.cutoff));
  if (input.rows < KSUB) throw new Error(`the input matrix has ${input.rows} rows; quantization needs at least ${KSUB}`);
  if (o.qout && model.output.kind === 'dense' && model.output.rows < KSUB) throw new Error(`the output matrix has ${model.output.rows} rows; quantizing it needs at least ${KSUB}`);
  const quantized = quantizeMatrix(input, o.dsub, o.qnorm, new Random(o.seed));
  // fastText gives the output its own quantizer, seeded alike.
  const output = o.qout && model.output.kind === 'dense' ? quantizeMatrix(model.output, 2, o.qnorm, new Random(o.seed)) : model.output;
  return { ...model, dictionary, input: quantized, output };
}

/** fastText's selectEmbeddings + Dictionary::prune: the `cutoff` rows of largest norm, words kept in their order. */
function prune(input: DenseMatrix, dict: Dictionary, cutoff: number): { input: DenseMatrix; dictionary: Dictionary } {
  const norms = rowNorms(input);
  // "</s>", fastText's end of line, is always kept (it is in every line's features).
  const eos = dict.entries.findIndex((e) => e.type === 0 && e.word.length === 4 && new TextDecoder().decode(e.word) === '</s>');
  const order = Array.from({ length: input.rows }, (_, i) => i);
  // Ties by row: a total order, so the selection never depends on the sort's stability.
  order.sort((a, b) => (a === eos ? -1 : b === eos ? 1 : norms[b]! - norms[a]! || a - b));
  const chosen = order.slice(0, cutoff);
  const words = chosen.filter((i) => i < dict.nwords).sort((a, b) => a - b);
  const ngrams = chosen.filter((i) => i >= dict.nwords);
  const rows = [...words, ...ngrams];
  const data = new Float32Array(rows.length * input.cols);
  rows.forEach((row, i) => data.set(input.data.subarray(row * input.cols, (row + 1) * input.cols), i * input.cols));
  const labels = dict.entries.slice(dict.nwords);
  return {
    input: { kind: 'dense', rows: rows.length, cols: input.cols, data },
    dictionary: {
      ...dict,
      nwords: words.length,
      entries: [...words.map((i) => dict.entries[i]!), ...labels],
      pruneidxSize: BigInt(ngrams.length),
      // fastText writes its hash map in whatever order it iterates; sorted here, for identical bytes everywhere.
      pruneidx: ngrams.map((row, j): [number, number] => [row - dict.nwords, j]).sort((a, b) => a[0] - b[0]),
    },
  };
}

function rowNorms(m: DenseMatrix): Float32Array {
  const norms = new Float32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = i * m.cols, end = j + m.cols; j < end; j++) s += m.data[j]! * m.data[j]!;
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

function quantizeMatrix(m: DenseMatrix, dsub: number, qnorm: boolean, rng: Random): QuantMatrix {
  const data = Float32Array.from(m.data);
  let normCodes: Uint8Array | undefined;
  let npq: ProductQuantizer | undefined;
  if (qnorm) {
    const norms = rowNorms(m);
    for (let i = 0; i < m.rows; i++) {
      // fastText divides by the norm as is; a zero row stays zero instead of becoming NaN.
      if (norms[i]! > 0) for (let j = i * m.cols, end = j + m.cols; j < end; j++) data[j]! /= norms[i]!;
    }
    npq = newQuantizer(1, 1);
    trainQuantizer(npq, norms, m.rows, rng);
    normCodes = computeCodes(npq, norms, m.rows);
  }
  const pq = newQuantizer(m.cols, dsub);
  trainQuantizer(pq, data, m.rows, rng);
  const codes = computeCodes(pq, data, m.rows);
  return { kind: 'quantized', qnorm, rows: m.rows, cols: m.cols, codes, pq, ...(qnorm ? { normCodes, npq } : {}) };
}

function newQuantizer(dim: number, dsub: number): ProductQuantizer {
  let nsubq = Math.floor(dim / dsub);
  let lastdsub = dim % dsub;
  if (lastdsub === 0) lastdsub = dsub;
  else nsubq++;
  return { dim, nsubq, dsub, lastdsub, centroids: new Float32Array(dim * KSUB) };
}

/** Where sub-quantizer m's centroids start, and how wide they are (the last may be narrower). */
function centroidsAt(pq: ProductQuantizer, m: number): { offset: number; d: number } {
  return { offset: m * KSUB * pq.dsub, d: m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub };
}

function trainQuantizer(pq: ProductQuantizer, x: Float32Array, n: number, rng: Random): void {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const np = Math.min(n, MAX_POINTS);
  const slice = new Float32Array(np * pq.dsub);
  for (let m = 0; m < pq.nsubq; m++) {
    const { offset, d } = centroidsAt(pq, m);
    if (np !== n) rng.shuffle(perm);
    for (let j = 0; j < np; j++) {
      const from = perm[j]! * pq.dim + m * pq.dsub;
      for (let k = 0; k < d; k++) slice[j * d + k] = x[from + k]!;
    }
    kmeans(slice, pq.centroids.subarray(offset, offset + KSUB * d), np, d, rng);
  }
}

function kmeans(x: Float32Array, c: Float32Array, n: number, d: number, rng: Random): void {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(perm);
  for (let i = 0; i < KSUB; i++) for (let k = 0; k < d; k++) c[i * d + k] = x[perm[i]! * d + k]!;
  const codes = new Uint8Array(n);
  const nelts = new Int32Array(KSUB);
  for (let iter = 0; iter < NITER; iter++) {
    const search = new NearestCentroid(c, d);
    for (let i = 0; i < n; i++) codes[i] = search.nearest(x, i * d);
    // M step: means of the assigned points; an empty cluster splits a populous one.
    c.fill(0);
    nelts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = codes[i]!;
      for (let j = 0; j < d; j++) c[k * d + j]! += x[i * d + j]!;
      nelts[k]!++;
    }
    for (let k = 0; k < KSUB; k++) if (nelts[k]! > 0) for (let j = 0; j < d; j++) c[k * d + j]! /= nelts[k]!;
    for (let k = 0; k < KSUB; k++) {
      if (nelts[k] !== 0) continue;
      let m = 0;
      while (rng.next() * (n - KSUB) >= nelts[m]! - 1) m = (m + 1) % KSUB;
      for (let j = 0; j < d; j++) {
        const sign = (j % 2) * 2 - 1;
        c[k * d + j] = c[m * d + j]! + sign * EPS;
        c[m * d + j]! -= sign * EPS;
      }
      nelts[k] = Math.floor(nelts[m]! / 2);
      nelts[m]! -= nelts[k]!;
    }
  }
}

/**
 * The nearest of 256 centroids, the first of equals as in fastText's scan, found without
 * scanning them all: centroids sorted by their first value, a search outwards from the point's
 * place in that order stops where the first value alone is farther than the best distance. Exact:
 * the same answer as the scan, about fifteen times sooner for fastText's two-value sub-vectors.
 */
class NearestCentroid {
  private readonly order: Int32Array;
  private readonly first: Float64Array;
  constructor(
    private readonly c: Float32Array,
    private readonly d: number,
  ) {
    this.order = Int32Array.from({ length: KSUB }, (_, k) => k).sort((a, b) => c[a * d]! - c[b * d]! || a - b);
    this.first = Float64Array.from(this.order, (k) => c[k * d]!);
  }

  nearest(x: Float32Array, at: number): number {
    const { c, d, order, first } = this;
    const x0 = x[at]!;
    let lo = 0;
    let hi = KSUB;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (first[mid]! < x0) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    let bestDist = Infinity;
    const visit = (k: number): void => {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const t = x[at + j]! - c[k * d + j]!;
        dist += t * t;
      }
      if (dist < bestDist || (dist === bestDist && k < best)) {
        bestDist = dist;
        best = k;
      }
    };
    let left = lo - 1;
    let right = lo;
    while (left >= 0 || right < KSUB) {
      const dl = left >= 0 ? x0 - first[left]! : Infinity;
      const dr = right < KSUB ? first[right]! - x0 : Infinity;
      if (dl <= dr) {
        if (dl * dl > bestDist) break;
        visit(order[left--]!);
      } else {
        if (dr * dr > bestDist) break;
        visit(order[right++]!);
      }
    }
    return best;
  }
}

function computeCodes(pq: ProductQuantizer, x: Float32Array, n: number): Uint8Array {
  const codes = new Uint8Array(n * pq.nsubq);
  for (let m = 0; m < pq.nsubq; m++) {
    const { offset, d } = centroidsAt(pq, m);
    const search = new NearestCentroid(pq.centroids.subarray(offset, offset + KSUB * d), d);
    // The search reads a sub-vector from its start: copy it out of the row.
    const sub = new Float32Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) sub[j] = x[i * pq.dim + m * pq.dsub + j]!;
      codes[i * pq.nsubq + m] = search.nearest(sub, 0);
    }
  }
  return codes;
}

/** Reconstructs a quantized matrix's rows (for measuring what quantization lost). */
export function dequantize(m: QuantMatrix): DenseMatrix {
  const data = new Float32Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    const norm = m.qnorm ? m.npq!.centroids[m.normCodes![i]!]! : 1;
    for (let s = 0; s < m.pq.nsubq; s++) {
      const { offset, d } = centroidsAt(m.pq, s);
      const c = offset + m.codes[i * m.pq.nsubq + s]! * d;
      for (let j = 0; j < d; j++) data[i * m.cols + s * m.pq.dsub + j] = m.pq.centroids[c + j]! * norm;
    }
  }
  return { kind: 'dense', rows: m.rows, cols: m.cols, data };
}
