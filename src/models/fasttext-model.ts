import { KSUB, ModelFileError, modelLabels, type FastTextModelFile, type Matrix, type ProductQuantizer } from './fasttext-file.js';
import { KERNEL_BASE64 } from './fasttext-kernel.js';
import { fastTextHashBytes } from './fasttext-train.js';

/**
 * fastText's prediction, by winnow's own kernel (fasttext-kernel.as.ts, WebAssembly): the labels
 * and probabilities fastText 0.9 gives for a line (`predict-prob`), computed the same way in the
 * same float arithmetic, at several times its speed. Why not fastText itself: native fastText and
 * its WebAssembly build tokenize into heap-allocated strings, look every n-gram's product
 * quantization up again on every use, and copy each text through C++ streams; here a line is
 * encoded once into the module's memory and the model's rows are expanded once at load. A
 * softmax classifier of few labels goes further: each row is held as its products with the output layer
 * (`project`), which costs fastText's float32 order of operations (not the bit; its rounding).
 *
 * Each model gets a module instance of its own (its own memory). A model too large to expand
 * (more than `MAX_EXPANDED_BYTES` of float rows) keeps its product-quantization codes and is
 * scored from them, as fastText does.
 *
 * The reference it is held to is fastText's own WebAssembly build (fasttext.wasm.js), in
 * test/models/fasttext-model.test.ts, and Debian's native `fasttext` where installed.
 */

export const MAX_EXPANDED_BYTES = 512 * 2 ** 20;
const EXPAND_ALL_BYTES = 64 * 2 ** 20;
const LOSS_HS = 1;
const LOSS_SOFTMAX = 3;

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  base(): number;
  configure(...args: number[]): number;
  line(bytes: number): number;
  dynamic(): number;
  predict(len: number, folded: number, top: number, threshold: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: object | undefined;

export interface Prediction {
  /** Index into `labels`. */
  label: number;
  probability: number;
}

/** Where the product quantizer keeps centroid `code` of sub-quantizer m (ProductQuantizer::get_centroids). */
function centroidAt(pq: ProductQuantizer, m: number, code: number): number {
  return m === pq.nsubq - 1 ? m * KSUB * pq.dsub + code * pq.lastdsub : (m * KSUB + code) * pq.dsub;
}

/** A quantized matrix's row norms as floats (1 without qnorm). */
function norms(matrix: Matrix): Float32Array {
  const out = new Float32Array(matrix.rows).fill(1);
  if (matrix.kind === 'quantized' && matrix.qnorm) {
    for (let r = 0; r < matrix.rows; r++) out[r] = matrix.npq!.centroids[centroidAt(matrix.npq!, 0, matrix.normCodes![r]!)]!;
  }
  return out;
}

/**
 * A matrix as float rows: dense as it is; quantized, each value `scale[row] * centroid` rounded to
 * float once, which is what fastText's addcode adds on each lookup (`withNorms`), or the
 * centroids alone (mulcode multiplies the dot product by the norm afterwards).
 */
function expandRows(matrix: Matrix, withNorms: boolean, order: ArrayLike<number> = identity(matrix.rows), rowNorms?: Float32Array): Float32Array {
  const { cols } = matrix;
  const out = new Float32Array(order.length * cols);
  if (matrix.kind === 'dense') {
    for (let i = 0; i < order.length; i++) out.set(matrix.data.subarray(order[i]! * cols, (order[i]! + 1) * cols), i * cols);
    return out;
  }
  const { pq, codes } = matrix;
  const scale = withNorms ? (rowNorms ?? norms(matrix)) : new Float32Array(matrix.rows).fill(1);
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    for (let m = 0; m < pq.nsubq; m++) {
      const d = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      const c = centroidAt(pq, m, codes[r * pq.nsubq + m]!);
      for (let n = 0; n < d; n++) out[i * cols + m * pq.dsub + n] = Math.fround(scale[r]! * pq.centroids[c + n]!);
    }
  }
  return out;
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** HierarchicalSoftmaxLoss::buildTree: the Huffman tree over the labels' counts, as [left, right] per node. */
function huffmanTree(counts: number[]): Int32Array {
  const osz = counts.length;
  const n = 2 * osz - 1;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const count = new Float64Array(n).fill(1e15);
  counts.forEach((c, i) => (count[i] = c));
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < n; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf]! < count[node]!) mini[j] = leaf--;
      else mini[j] = node++;
    }
    left[i] = mini[0]!;
    right[i] = mini[1]!;
    count[i] = count[mini[0]!]! + count[mini[1]!]!;
  }
  const tree = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    tree[2 * i] = left[i]!;
    tree[2 * i + 1] = right[i]!;
  }
  return tree;
}

/**
 * Each input row's dot products with the output rows the prediction reads, as fastText's dot
 * would take them (the row as addcode adds it, the output row's centroids, times its norm), in
 * float64: `stride` values a row, `outputs` of them used. `b` and `scale`: the output matrix's
 * rows (centroids alone) and norms, as the constructor expands them. The sum of a line's projected rows over
 * their count is then the output layer's input, without the hidden vector: a feature costs
 * `outputs` additions instead of `dim`. The arithmetic is not fastText's float32 order, so the
 * probabilities are fastText's to within its own rounding, not to the bit.
 */
function project(input: Matrix, b: Float32Array, scale: Float32Array, order: Int32Array, out: Float64Array, outputs: number, stride: number): void {
  const dim = input.cols;
  const CHUNK = 16_384;
  const rowNorms = norms(input);
  for (let from = 0; from < order.length; from += CHUNK) {
    const rows = expandRows(input, true, order.subarray(from, Math.min(order.length, from + CHUNK)), rowNorms);
    for (let i = 0; i * dim < rows.length; i++) {
      for (let j = 0; j < outputs; j++) {
        let d = 0;
        for (let k = 0; k < dim; k++) d += rows[i * dim + k]! * b[j * dim + k]!;
        out[(from + i) * stride + j] = d * scale[j]!;
      }
    }
  }
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(16, n)));


export interface FastTextModelOptions {
  /** A quantized model's rows held as floats: every row (default up to 64 MB of them), the words' (default past it) or none; the rest scored from their codes. */
  expand?: 'all' | 'words' | 'none';
  /** The most bytes of expanded rows (default MAX_EXPANDED_BYTES); past it every row is scored from its codes. */
  maxExpandedBytes?: number;
  /**
   * Hold each row as its products with the output layer when that is at most half its size, for
   * a softmax classifier of a few labels (not lid.176, not one-vs-all, negative sampling or
   * hierarchical softmax, whose outputs step at thresholds) within `maxExpandedBytes`: several
   * times less work a feature, probabilities within fastText's own float rounding (default).
   * `false`: fastText's arithmetic to the bit.
   */
  project?: boolean;
}

export class FastTextModel {
  /** The model's labels, in output order ("__label__en", ...). */
  readonly labels: readonly string[];
  /** Bytes of WebAssembly memory the model takes before any text (the kernel's own tables included). */
  readonly modelBytes: number;
  /** Rows held as their products with the output layer (`project`): probabilities to float rounding, not the bit. */
  readonly projected: boolean;
  private readonly kernel: Exports;
  private readonly probsAt: number;
  private readonly encoder = new TextEncoder();
  private lineAt = 0;
  private lineBytes = -1;
  private buffer: ArrayBuffer | undefined;
  private bytesView = new Uint8Array(0);

  constructor(model: FastTextModelFile, options: FastTextModelOptions = {}) {
    const { args, dictionary, input, output } = model;
    if (args.model !== 3) throw new ModelFileError(`a ${args.model === 1 ? 'cbow' : 'skipgram'} model has no labels to predict: only supervised models can score`);
    if (dictionary.nlabels === 0) throw new ModelFileError('the model has no labels');
    this.labels = modelLabels(model);
    const osz = dictionary.nlabels;
    const dim = args.dim;
    // Words and labels: the kernel looks every token up, and a token the dictionary calls a label is no word.
    const words = dictionary.entries;
    const nwords = dictionary.nwords;
    const pruneMode = dictionary.pruneidxSize < 0n ? -1 : dictionary.pruneidxSize === 0n ? 0 : 1;
    const pruned = Number(dictionary.pruneidxSize);
    // fastText's prune index is a map: a repeated bucket keeps its last row.
    const kept = new Map<number, number>();
    for (const [key, row] of dictionary.pruneidx) {
      if (key < 0 || row < 0 || row >= pruned) throw new ModelFileError(`the prune index maps bucket ${key} to row ${row}, outside the ${pruned} kept`);
      kept.set(key, row);
    }
    // Without buckets there are no n-gram rows; fastText would divide by zero.
    const bucket = args.bucket > 0 ? args.bucket : 0;
    const maxn = bucket > 0 ? args.maxn : 0;
    const wordNgrams = bucket > 0 ? args.wordNgrams : 1;
    // The rows as the kernel holds them: the words, then a pruned model's kept buckets in bucket
    // order (a bucket's row is its rank among the kept, found from a bitmap), else as in the file.
    const keys = Int32Array.from(kept.keys()).sort();
    const order = pruneMode === 1 ? Int32Array.from({ length: nwords + keys.length }, (_, i) => (i < nwords ? i : nwords + kept.get(keys[i - nwords]!)!)) : identity(input.rows);
    if (args.loss === LOSS_HS && output.rows < osz - 1) throw new ModelFileError(`the output matrix has ${output.rows} rows; hierarchical softmax over ${osz} labels needs ${osz - 1}`);
    // The output rows a prediction reads: one per label, or per inner node of the tree.
    const outputs = args.loss === LOSS_HS ? osz - 1 : osz;
    // Softmax alone: its outputs are continuous in the dot products. One-vs-all and negative
    // sampling read fastText's sigmoid table, a step every 1/32, and hierarchical softmax prunes
    // at a threshold: a last-bit difference there can move a probability by far more than 1e-6.
    const projRowBytes = Math.ceil(outputs / 2) * 16;
    const projected =
      (options.project ?? true) && args.loss === LOSS_SOFTMAX && 2 * outputs <= dim && projRowBytes * order.length <= (options.maxExpandedBytes ?? MAX_EXPANDED_BYTES);
    const projBytes = projected ? projRowBytes : 0;
    this.projected = projected;
    // Rows held expanded: all of a dense model's; of a quantized one, by `expand` (within MAX_EXPANDED_BYTES), the rest scored from their codes.
    // By default a small model's every row (lid.176: 50,000 rows, 3 MB) is expanded: a row from
    // one cache line costs less than its sub-quantizers' centroids; a large one's words alone.
    const expand = projected ? 'none' : input.kind === 'dense' ? 'all' : options.expand ?? (order.length * dim * 4 <= EXPAND_ALL_BYTES ? 'all' : 'words');
    let expandedRows = expand === 'all' ? order.length : expand === 'words' ? nwords : 0;
    if (input.kind === 'quantized' && expandedRows * dim * 4 > (options.maxExpandedBytes ?? MAX_EXPANDED_BYTES)) expandedRows = 0;
    const quantizedInput = !projected && input.kind === 'quantized' && expandedRows < order.length;

    compiled ??= new wasm.Module(Buffer.from(KERNEL_BASE64, 'base64'));
    this.kernel = new wasm.Instance(compiled, {}).exports as Exports;
    // The layout: everything the kernel reads, 16-byte aligned, after its own constants.
    let end = this.kernel.base();
    const alloc = (bytes: number) => {
      const at = Math.ceil(end / 16) * 16;
      end = at + bytes;
      return at;
    };
    const wordSlots = nextPow2(2 * words.length);
    const wordSlotsAt = alloc(wordSlots * 32);
    const entriesAt = alloc(words.length * 8);
    const wordBytesAt = alloc(words.reduce((a, w) => a + w.word.length, 0));
    const bitmapWords = pruneMode === 1 ? Math.ceil(bucket / 64) : 0;
    const keptAt = alloc(bitmapWords * 8);
    const rankAt = alloc(bitmapWords * 4);
    const pq = input.kind === 'quantized' ? input.pq : undefined;
    const inputAt = alloc(expandedRows * dim * 4);
    const codesAt = quantizedInput ? alloc(order.length * pq!.nsubq) : 0;
    const normsAt = quantizedInput && input.kind === 'quantized' && input.qnorm ? alloc(order.length * 4) : 0;
    const centroidsAt = quantizedInput ? alloc(pq!.centroids.length * 4) : 0;
    const outputAt = alloc(output.rows * dim * 4);
    const outNormsAt = alloc(output.rows * 4);
    const treeAt = args.loss === LOSS_HS ? alloc((2 * osz - 1) * 8) : 0;
    const projAt = projected ? alloc(order.length * projBytes) : 0;
    const vectorsAt = alloc(0);

    // WebAssembly's 32-bit memory: 4 GB, less room for the texts.
    if (end > 2 ** 32 - 2 ** 28) throw new ModelFileError(`the model needs ${(end / 2 ** 30).toFixed(1)} GB once loaded; the fastText kernel holds at most 3.75 GB: quantize it`);
    const have = this.kernel.memory.buffer.byteLength;
    try {
      if (end > have) this.kernel.memory.grow(Math.ceil((end - have) / 65536));
    } catch {
      throw new Error(`cannot load the model: WebAssembly gives no ${(end / 2 ** 20).toFixed(0)} MB of memory here`);
    }
    const memory = this.kernel.memory.buffer;

    // Slots of 32 bytes: hash, id, length, 4 spare, the first 16 bytes (zero padded).
    const slots = new Int32Array(memory, wordSlotsAt, wordSlots * 8);
    for (let s = 0; s < wordSlots; s++) slots[8 * s + 1] = -1;
    const entries = new Int32Array(memory, entriesAt, words.length * 2);
    const blob = new Uint8Array(memory);
    let at = wordBytesAt;
    words.forEach((w, id) => {
      blob.set(w.word, at);
      entries[2 * id] = at;
      entries[2 * id + 1] = w.word.length;
      at += w.word.length;
      const h = fastTextHashBytes(w.word);
      let s = h & (wordSlots - 1);
      // A word the dictionary holds twice resolves to its last entry, as fastText's loading leaves it.
      while (slots[8 * s + 1]! >= 0 && !(slots[8 * s] === (h | 0) && Buffer.compare(words[slots[8 * s + 1]!]!.word, w.word) === 0)) s = (s + 1) & (wordSlots - 1);
      slots[8 * s] = h | 0;
      slots[8 * s + 1] = id;
      slots[8 * s + 2] = w.word.length;
      blob.fill(0, wordSlotsAt + 32 * s + 16, wordSlotsAt + 32 * s + 32);
      blob.set(w.word.subarray(0, 16), wordSlotsAt + 32 * s + 16);
    });
    if (bitmapWords) {
      const bits = new BigUint64Array(memory, keptAt, bitmapWords);
      const ranks = new Int32Array(memory, rankAt, bitmapWords);
      for (const key of keys) bits[key >>> 6] = bits[key >>> 6]! | (1n << BigInt(key & 63));
      let rank = 0;
      for (let w = 0; w < bitmapWords; w++) {
        ranks[w] = rank;
        let x = bits[w]!;
        for (; x; x &= x - 1n) rank++;
      }
    }
    if (quantizedInput && input.kind === 'quantized') {
      const codes = new Uint8Array(memory, codesAt, order.length * pq!.nsubq);
      order.forEach((r, i) => codes.set(input.codes.subarray(r * pq!.nsubq, (r + 1) * pq!.nsubq), i * pq!.nsubq));
      if (normsAt) {
        const all = norms(input);
        new Float32Array(memory, normsAt, order.length).set(Float32Array.from(order, (r) => all[r]!));
      }
      new Float32Array(memory, centroidsAt, pq!.centroids.length).set(pq!.centroids);
    }
    if (expandedRows) new Float32Array(memory, inputAt, expandedRows * dim).set(expandRows(input, true, order.subarray(0, expandedRows)));
    const outputRows = expandRows(output, false);
    const outputNorms = norms(output);
    new Float32Array(memory, outputAt, output.rows * dim).set(outputRows);
    new Float32Array(memory, outNormsAt, output.rows).set(outputNorms);
    if (projAt) project(input, outputRows, outputNorms, order, new Float64Array(memory, projAt, (order.length * projBytes) / 8), outputs, projBytes / 8);
    if (treeAt) {
      const counts = dictionary.entries.slice(dictionary.nwords).map((e) => Number(e.count));
      new Int32Array(memory, treeAt, (2 * osz - 1) * 2).set(huffmanTree(counts));
    }
    this.probsAt = this.kernel.configure(
      dim, nwords, osz, bucket, args.minn, maxn, wordNgrams, args.loss, pruneMode,
      wordSlotsAt, wordSlots - 1, entriesAt, keptAt, rankAt,
      inputAt, expandedRows, codesAt, normsAt, centroidsAt, pq?.nsubq ?? 0, pq?.dsub ?? 0, pq?.lastdsub ?? 0,
      outputAt, outNormsAt, treeAt, projAt, projBytes, vectorsAt,
    );
    if (this.probsAt === 0) throw new Error('cannot load the model: WebAssembly gives no more memory here');
    this.modelBytes = this.kernel.dynamic();
  }

  /** Encodes a line into the kernel's memory; returns its length in bytes. */
  private encode(text: string): number {
    const room = text.length * 3;
    if (room > this.lineBytes) {
      this.lineAt = this.kernel.line(room);
      if (this.lineAt === 0) {
        this.lineBytes = -1;
        throw new Error(`a text of ${text.length.toLocaleString('en-US')} characters needs more memory than the fastText kernel can have; lower max_chars`);
      }
      this.lineBytes = room;
    }
    if (this.buffer !== this.kernel.memory.buffer) {
      this.buffer = this.kernel.memory.buffer;
      this.bytesView = new Uint8Array(this.buffer);
    }
    return this.encoder.encodeInto(text, this.bytesView.subarray(this.lineAt, this.lineAt + room)).written;
  }

  /**
   * The probability of every label for one line (fastText's `predict-prob` with k = all and
   * threshold 0: a label hierarchical softmax's search prunes away gets 0), in the order of
   * `labels`, clamped to [0, 1] (fastText adds 1e-5 before its logarithm). `folded`: every
   * character JavaScript's \s matches separates words, as winnow's preprocessing folds them into
   * spaces; otherwise fastText's own separators alone (a newline ends fastText's line; here it
   * separates words: give one line at a time).
   */
  probabilities(text: string, folded = false): Float64Array {
    const len = this.encode(text);
    this.kernel.predict(len, folded ? 1 : 0, 0, 0);
    const probs = new Float32Array(this.kernel.memory.buffer, this.probsAt, this.labels.length);
    const out = new Float64Array(this.labels.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, probs[i]!));
    return out;
  }

  /** The most likely label (fastText's `predict` with k = 1), null when none reaches `threshold`. */
  top(text: string, folded = false, threshold = 0): Prediction | null {
    const len = this.encode(text);
    const label = this.kernel.predict(len, folded ? 1 : 0, 1, threshold);
    if (label < 0) return null;
    return { label, probability: new Float32Array(this.kernel.memory.buffer, this.probsAt, 1)[0]! };
  }
}
