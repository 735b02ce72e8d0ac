/**
 * fastText's model file format (version 12, fastText 0.9): reading and writing `.bin` (dense) and
 * `.ftz` (product-quantized) files byte for byte, so winnow can check a model before any work
 * starts and quantize the models it trains. Layout, all little-endian:
 *
 *   int32 magic 793712314, int32 version 12
 *   args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
 *         lrUpdateRate; float64 t
 *   dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size;
 *               size x (NUL-terminated word, int64 count, int8 type); pruneidx_size x (int32, int32)
 *   bool quantized input; the input matrix; bool quantized output; the output matrix
 *   dense matrix: int64 rows, int64 cols, float32[rows * cols]
 *   quantized matrix: bool qnorm, int64 rows, int64 cols, int32 codesize, uint8[codesize] codes,
 *                     product quantizer; with qnorm: uint8[rows] norm codes, norm quantizer
 *   product quantizer: int32 dim, nsubq, dsub, lastdsub; float32[dim * 256] centroids
 */

export const FASTTEXT_MAGIC = 793712314;
export const FASTTEXT_VERSION = 12;
export const MODEL_NAMES = { 1: 'cbow', 2: 'skipgram', 3: 'supervised' } as const;
/** Centroids per sub-quantizer: codes are one byte. */
export const KSUB = 256;

export interface FastTextArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  loss: number;
  model: number;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

const ARG_INTS = ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'loss', 'model', 'bucket', 'minn', 'maxn', 'lrUpdateRate'] as const;

export interface DictionaryEntry {
  /** The word's bytes as fastText stores them (UTF-8 of whitespace-separated tokens). */
  word: Uint8Array;
  count: bigint;
  /** 0: word, 1: label. */
  type: number;
}

export interface Dictionary {
  nwords: number;
  nlabels: number;
  ntokens: bigint;
  /** -1: not pruned; otherwise the number of word n-gram buckets kept, mapped to their new rows. */
  pruneidxSize: bigint;
  /** Words first, then labels, in fastText's order. */
  entries: DictionaryEntry[];
  /** Pruned models: n-gram bucket -> its row among the kept n-grams, in file order. */
  pruneidx: [number, number][];
}

export interface DenseMatrix {
  kind: 'dense';
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface ProductQuantizer {
  dim: number;
  nsubq: number;
  dsub: number;
  lastdsub: number;
  centroids: Float32Array;
}

export interface QuantMatrix {
  kind: 'quantized';
  qnorm: boolean;
  rows: number;
  cols: number;
  codes: Uint8Array;
  pq: ProductQuantizer;
  normCodes?: Uint8Array;
  npq?: ProductQuantizer;
}

export type Matrix = DenseMatrix | QuantMatrix;

export interface FastTextModelFile {
  args: FastTextArgs;
  dictionary: Dictionary;
  input: Matrix;
  output: Matrix;
}

/** Why a file is not a fastText model winnow can use; the message names what is wrong. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

class Reader {
  private readonly view: DataView;
  at = 0;
  /**
   * @param copy false: strings and byte runs are views into `bytes`, and float arrays are checked
   *   for size and skipped (returned empty): a check of the file's structure, without its copies.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly copy = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number, what: string): void {
    if (this.at + n > this.bytes.length) {
      throw new ModelFileError(`truncated: the file ends at byte ${this.bytes.length} while reading ${what} (needs ${this.at + n})`);
    }
  }
  i8(what: string): number {
    this.need(1, what);
    return this.view.getInt8(this.at++);
  }
  bool(what: string): boolean {
    return this.i8(what) !== 0;
  }
  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.at, true);
    this.at += 4;
    return v;
  }
  i64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.at, true);
    this.at += 8;
    return v;
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.at += n;
  }
  f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }
  bytesOf(n: number, what: string): Uint8Array {
    this.need(n, what);
    if (!this.copy) {
      this.at += n;
      return this.bytes.subarray(this.at - n, this.at);
    }
    // A copy (Buffer's slice would share memory and keep the whole file alive).
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return out;
  }
  floats(n: number, what: string): Float32Array {
    if (!this.copy) {
      this.bytesOf(n * 4, what);
      return new Float32Array(0);
    }
    // A copy: the data sits at arbitrary byte offsets, which a Float32Array view cannot start at.
    return new Float32Array(this.bytesOf(n * 4, what).buffer);
  }
  cstring(what: string): Uint8Array {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0) throw new ModelFileError(`truncated: no end to ${what}`);
    if (!this.copy) {
      const view = this.bytes.subarray(this.at, end);
      this.at = end + 1;
      return view;
    }
    const out = new Uint8Array(end - this.at);
    out.set(this.bytes.subarray(this.at, end));
    this.at = end + 1;
    return out;
  }
  get remaining(): number {
    return this.bytes.length - this.at;
  }
}

function readCount(r: Reader, what: string, max: number): number {
  const n = r.i64(what);
  if (n < 0n || n > BigInt(max)) throw new ModelFileError(`${what} is ${n}, which no valid model has`);
  return Number(n);
}

function readHeader(r: Reader): FastTextArgs {
  if (r.remaining < 8) throw new ModelFileError(`not a fastText model: ${r.remaining} bytes`);
  const magic = r.i32('magic number');
  if (magic !== FASTTEXT_MAGIC) throw new ModelFileError('not a fastText model (wrong magic number)');
  const version = r.i32('version');
  if (version > FASTTEXT_VERSION) throw new ModelFileError(`fastText file version ${version} is newer than the ${FASTTEXT_VERSION} winnow reads`);
  if (version < FASTTEXT_VERSION) throw new ModelFileError(`fastText file version ${version} predates fastText 0.2; re-save the model with a current fastText`);
  const args = {} as FastTextArgs;
  for (const name of ARG_INTS) args[name] = r.i32(`args.${name}`);
  args.t = r.f64('args.t');
  if (args.dim <= 0 || args.dim > 100_000) throw new ModelFileError(`args.dim is ${args.dim}`);
  return args;
}

/** `labelsOnly`: entries for the labels alone (counts 0), the words walked past: what a check or a model's labels need. */
function readDictionary(r: Reader, labelsOnly = false): Dictionary {
  const size = r.i32('dictionary size');
  const nwords = r.i32('dictionary word count');
  const nlabels = r.i32('dictionary label count');
  const ntokens = r.i64('dictionary token count');
  const pruneidxSize = r.i64('dictionary prune index size');
  if (size < 0 || nwords < 0 || nlabels < 0 || size !== nwords + nlabels) {
    throw new ModelFileError(`dictionary sizes do not add up (size ${size}, words ${nwords}, labels ${nlabels})`);
  }
  const entries: DictionaryEntry[] = [];
  for (let i = 0; i < size; i++) {
    const word = r.cstring(`dictionary entry ${i}`);
    if (labelsOnly) {
      r.skip(8, `dictionary entry ${i} count`);
      const type = r.i8(`dictionary entry ${i} type`);
      if (type === 1) entries.push({ word, count: 0n, type });
      continue;
    }
    entries.push({ word, count: r.i64(`dictionary entry ${i} count`), type: r.i8(`dictionary entry ${i} type`) });
  }
  const pruneidx: [number, number][] = [];
  for (let i = 0n; i < pruneidxSize; i++) pruneidx.push([r.i32('prune index'), r.i32('prune index')]);
  return { nwords, nlabels, ntokens, pruneidxSize, entries, pruneidx };
}

function readQuantizer(r: Reader, what: string): ProductQuantizer {
  const dim = r.i32(`${what} dim`);
  const nsubq = r.i32(`${what} nsubq`);
  const dsub = r.i32(`${what} dsub`);
  const lastdsub = r.i32(`${what} lastdsub`);
  if (dim <= 0 || dsub <= 0 || nsubq <= 0 || dim > 100_000) throw new ModelFileError(`${what} has sizes dim ${dim}, dsub ${dsub}`);
  return { dim, nsubq, dsub, lastdsub, centroids: r.floats(dim * KSUB, `${what} centroids`) };
}

function readMatrix(r: Reader, quantized: boolean, what: string): Matrix {
  if (!quantized) {
    const rows = readCount(r, `${what} rows`, 2 ** 31);
    const cols = readCount(r, `${what} columns`, 100_000);
    if (rows * cols * 4 > r.remaining) {
      throw new ModelFileError(`truncated: the ${what} (${rows} x ${cols}) needs ${rows * cols * 4} bytes, ${r.remaining} are left`);
    }
    return { kind: 'dense', rows, cols, data: r.floats(rows * cols, what) };
  }
  const qnorm = r.bool(`${what} qnorm`);
  const rows = readCount(r, `${what} rows`, 2 ** 31);
  const cols = readCount(r, `${what} columns`, 100_000);
  const codesize = r.i32(`${what} code size`);
  if (codesize < 0) throw new ModelFileError(`${what} code size is ${codesize}`);
  const codes = r.bytesOf(codesize, `${what} codes`);
  const pq = readQuantizer(r, `${what} quantizer`);
  if (!qnorm) return { kind: 'quantized', qnorm, rows, cols, codes, pq };
  const normCodes = r.bytesOf(rows, `${what} norm codes`);
  return { kind: 'quantized', qnorm, rows, cols, codes, pq, normCodes, npq: readQuantizer(r, `${what} norm quantizer`) };
}

/**
 * Parses a whole model file; throws ModelFileError for anything short of a complete, consistent
 * model. With `check`, the file's structure alone: every size and count is checked as for a
 * parse, but strings and codes are views into `bytes` and the float matrices are left empty (a
 * run's start-up check: 0.35 s of parsing and copying for the two shipped models, see
 * test/models/fasttext-file.test.ts).
 */
export function readModelFile(bytes: Uint8Array, options: { check?: boolean } = {}): FastTextModelFile {
  const r = new Reader(bytes, !options.check);
  const args = readHeader(r);
  const dictionary = readDictionary(r, options.check);
  const input = readMatrix(r, r.bool('input quantization flag'), 'input matrix');
  const output = readMatrix(r, r.bool('output quantization flag'), 'output matrix');
  if (r.remaining !== 0) throw new ModelFileError(`${r.remaining} unexpected bytes after the output matrix`);
  if (input.cols !== args.dim || output.cols !== args.dim) {
    throw new ModelFileError(`matrix widths (${input.cols}, ${output.cols}) differ from args.dim ${args.dim}`);
  }
  const expectedRows = dictionary.pruneidxSize >= 0n ? dictionary.nwords + Number(dictionary.pruneidxSize) : dictionary.nwords + args.bucket;
  if (input.rows !== expectedRows) throw new ModelFileError(`the input matrix has ${input.rows} rows; the dictionary and buckets need ${expectedRows}`);
  if (args.model === 3 && output.rows !== dictionary.nlabels) {
    throw new ModelFileError(`the output matrix has ${output.rows} rows for ${dictionary.nlabels} labels`);
  }
  return { args, dictionary, input, output };
}

/** The settings and the dictionary's labels alone (its words walked past), without copying the matrices: what a model's labels need. */
export function readModelHead(bytes: Uint8Array): Pick<FastTextModelFile, 'args' | 'dictionary'> {
  const r = new Reader(bytes, false);
  return { args: readHeader(r), dictionary: readDictionary(r, true) };
}

/** The model's labels in output order, as strings ("__label__medical"). */
export function modelLabels(model: Pick<FastTextModelFile, 'dictionary'>): string[] {
  const decoder = new TextDecoder();
  return model.dictionary.entries.filter((e) => e.type === 1).map((e) => decoder.decode(e.word));
}

class Writer {
  private chunks: Uint8Array[] = [];
  private scratch = new DataView(new ArrayBuffer(8));
  private push(n: number): void {
    this.chunks.push(new Uint8Array(this.scratch.buffer.slice(0, n)));
  }
  i8(v: number): void {
    this.scratch.setInt8(0, v);
    this.push(1);
  }
  bool(v: boolean): void {
    this.i8(v ? 1 : 0);
  }
  i32(v: number): void {
    this.scratch.setInt32(0, v, true);
    this.push(4);
  }
  i64(v: bigint | number): void {
    this.scratch.setBigInt64(0, BigInt(v), true);
    this.push(8);
  }
  f64(v: number): void {
    this.scratch.setFloat64(0, v, true);
    this.push(8);
  }
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
  }
  floats(f: Float32Array): void {
    this.chunks.push(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }
  result(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((a, c) => a + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function writeQuantizer(w: Writer, pq: ProductQuantizer): void {
  w.i32(pq.dim);
  w.i32(pq.nsubq);
  w.i32(pq.dsub);
  w.i32(pq.lastdsub);
  w.floats(pq.centroids);
}

function writeMatrix(w: Writer, m: Matrix): void {
  if (m.kind === 'dense') {
    w.i64(m.rows);
    w.i64(m.cols);
    w.floats(m.data);
    return;
  }
  w.bool(m.qnorm);
  w.i64(m.rows);
  w.i64(m.cols);
  w.i32(m.codes.length);
  w.bytes(m.codes);
  writeQuantizer(w, m.pq);
  if (m.qnorm) {
    w.bytes(m.normCodes!);
    writeQuantizer(w, m.npq!);
  }
}

/** Serializes a model as fastText saves it: `readModelFile(writeModelFile(m))` is `m`, and a file read and written again is the same bytes. */
export function writeModelFile(model: FastTextModelFile): Uint8Array {
  const w = new Writer();
  w.i32(FASTTEXT_MAGIC);
  w.i32(FASTTEXT_VERSION);
  for (const name of ARG_INTS) w.i32(model.args[name]);
  w.f64(model.args.t);
  const d = model.dictionary;
  w.i32(d.entries.length);
  w.i32(d.nwords);
  w.i32(d.nlabels);
  w.i64(d.ntokens);
  w.i64(d.pruneidxSize);
  for (const e of d.entries) {
    w.bytes(e.word);
    w.i8(0);
    w.i64(e.count);
    w.i8(e.type);
  }
  for (const [from, to] of d.pruneidx) {
    w.i32(from);
    w.i32(to);
  }
  w.bool(model.input.kind === 'quantized');
  writeMatrix(w, model.input);
  w.bool(model.output.kind === 'quantized');
  writeMatrix(w, model.output);
  return w.result();
}
