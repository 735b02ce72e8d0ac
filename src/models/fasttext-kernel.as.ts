// AssemblyScript, compiled by `npm run kernels` into fasttext-kernel.ts (base64). Not TypeScript:
// tsconfig leaves it out. The host side is src/models/fasttext-model.ts.
//
// fastText's prediction (fastText 0.9: Dictionary::getLine, Model::predict, the losses' predict),
// over one model held in this module's memory and one line of UTF-8 at a time. It computes what
// fastText computes, in the same order and in the same float32 arithmetic, so labels and
// probabilities are fastText's own:
//  - words are the runs of bytes between fastText's separators (space, \n, \r, \t, \v, \f, \0;
//    with `folded`, also every other character JavaScript's \s matches, which winnow's
//    preprocessing turns into spaces); a token starting with `__label__` is a label, not a word;
//    the line ends with the word `</s>` (fastText reads up to a newline; a literal `</s>` ends it);
//  - each word's features, in fastText's order: its dictionary row, then (maxn > 0) the buckets of
//    the character n-grams of `<word>` as computeSubwords makes them; after all words, the buckets
//    of the word n-grams from the words' 32-bit hashes (sign-extended to 64 bits, as fastText's
//    int32 vector does); buckets go through the prune index of a quantized model;
//  - the hidden vector is the sum of the features' rows, added row after row, times
//    float(1 / count); 4 lanes at a time (f32x4.add is IEEE single-precision addition per lane,
//    so the sums are fastText's to the bit);
//  - softmax, one-vs-all and negative-sampling outputs (sigmoid from fastText's 512-entry table),
//    and hierarchical softmax's depth-first search with its pruning, as fastText walks it;
//  - a prediction's probability is exp(log(p + 1e-5)) in float, as fastText returns it.
//
// The model's rows are held dequantized (each value norm * centroid, rounded to float once, as
// fastText's addcode rounds it on every lookup) unless the host keeps the codes (`quantized`) for
// a model too large to expand, or projected (`projAt`: each row's float64 products with the
// output rows; the sums then replace the hidden vector and the output layer's dot products, and
// the probabilities are fastText's to within its float rounding, not to the bit).
//
// Memory: the kernel's own constants (the tables of exp and log) up to __heap_base; then 256 bytes
// of byte classes; then what the host lays out and writes (the word table, the
// prune table, the matrices, the tree, the vectors); from `dynamicAt` the line, a copy of the word
// being split into n-grams, and the words' hashes, grown on demand.

const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const WORD_NGRAM_MULTIPLIER: u64 = 116049371;
const SIGMOID_TABLE_SIZE: i32 = 512;
const MAX_SIGMOID: f32 = 8;
// "__label" as a little-endian u64, then "_": fastText's label prefix.
const LABEL_PREFIX_8: u64 = 0x5f6c6562616c5f5f;
// "</s>" as a little-endian u32.
const EOS_WORD: u32 = 0x3e732f3c;
const LOSS_HS: i32 = 1;
const LOSS_SOFTMAX: i32 = 3;

let dim: i32 = 0;
let rowBytes: usize = 0;
let nwords: i32 = 0;
let osz: i32 = 0;
let bucket: u32 = 0;
let minn: i32 = 0;
let maxn: i32 = 0;
let wordNgrams: i32 = 0;
let loss: i32 = 0;
// -1: buckets are rows as they are; 0: every bucket pruned away; 1: through the kept buckets' bitmap.
let pruneMode: i32 = -1;
let wordSlotsAt: usize = 0;
let wordMask: u32 = 0;
let entriesAt: usize = 0;
let keptAt: usize = 0;
let rankAt: usize = 0;
let inputAt: usize = 0;
let expandedRows: i32 = 0;
let codesAt: usize = 0;
let normsAt: usize = 0;
let centroidsAt: usize = 0;
let nsubq: i32 = 0;
let dsub: i32 = 0;
let lastdsub: i32 = 0;
let pairs: bool = false;
let outputAt: usize = 0;
let outNormsAt: usize = 0;
// Projected: each row held as its dot products with the output rows (f64, `projBytes` a row), so
// a feature costs an add or two instead of `dim` (see the host's `project`).
let projAt: usize = 0;
let projBytes: usize = 0;
let accAt: usize = 0;
let invFeatures: f64 = 0;
let treeAt: usize = 0;
let hiddenAt: usize = 0;
let outAt: usize = 0;
let probsAt: usize = 0;
let sigmoidAt: usize = 0;
let dynamicAt: usize = 0;

const classesAt: usize = (__heap_base + 15) & ~15;

/** Where the host may lay the model out: after the kernel's constants and its byte classes. */
export function base(): usize {
  return classesAt + 256;
}

let textAt: usize = 0;
let wordAt: usize = 0;
let hashesAt: usize = 0;
let features: i32 = 0;
const BATCH: i32 = 1024;
let batched: i32 = 0;
let batchAt: usize = 0;
let eosHash: u32 = 0;
let eosId: i32 = -1;

// The search's state (hierarchical softmax).
let logThreshold: f32 = 0;
let topOne: bool = false;
let haveBest: bool = false;
let bestScore: f32 = 0;
let bestLabel: i32 = -1;
let found: i32 = 0;

/** fastText's hash: FNV-1a over the bytes, each sign-extended first (C++ `char` is signed). */
@inline function hashBytes(p: usize, n: i32): u32 {
  let h = FNV_OFFSET;
  for (let i = 0; i < n; i++) h = (h ^ <u32>(<i32>load<i8>(p + i))) * FNV_PRIME;
  return h;
}

// A slot of the word table, 32 bytes: the word's hash, its id, its length, then its first 16
// bytes (zero padded), so that words of up to 16 bytes, nearly all, are found without reading the
// dictionary's bytes.
function findWord(p: usize, n: i32, h: u32): i32 {
  let slot = h & wordMask;
  let a: u64 = load<u64>(p);
  let b: u64 = 0;
  if (n < 8) a &= (<u64>1 << (<u64>n << 3)) - 1;
  else if (n >= 16) b = load<u64>(p, 8);
  else if (n > 8) b = load<u64>(p, 8) & ((<u64>1 << (<u64>(n - 8) << 3)) - 1);
  while (true) {
    const at = wordSlotsAt + (<usize>slot << 5);
    const id = load<i32>(at, 4);
    if (id < 0) return -1;
    if (load<u32>(at) == h && load<i32>(at, 8) == n && load<u64>(at, 16) == a && load<u64>(at, 24) == b) {
      if (n <= 16 || memory.compare(<usize>load<i32>(entriesAt + (<usize>id << 3)) + 16, p + 16, n - 16) == 0) return id;
    }
    slot = (slot + 1) & wordMask;
  }
}

/** A kept bucket's rank among the kept (its row after the words), -1 if pruned: a bit, and a count per 64 buckets. */
@inline function prunedRow(id: i32): i32 {
  const w = <usize>(<u32>id >> 6);
  const bits = load<u64>(keptAt + (w << 3));
  const bit = <u64>1 << <u64>(id & 63);
  if ((bits & bit) == 0) return -1;
  return load<i32>(rankAt + (w << 2)) + <i32>popcnt<u64>(bits & (bit - 1));
}

function addCode(row: i32): void {
  const norm: f32 = normsAt ? load<f32>(normsAt + (<usize>row << 2)) : 1;
  const code = codesAt + <usize>row * <usize>nsubq;
  if (pairs) {
    // Sub-vectors of 2 (fastText's default): two sub-quantizers' centroids per 4 lanes;
    // f32x4.mul and f32x4.add round each lane as the scalar operations would.
    const scale = f32x4.splat(norm);
    for (let m = 0; m < nsubq; m += 2) {
      const a = centroidsAt + ((<usize>m * 256 + <usize>load<u8>(code + m)) << 3);
      const b = centroidsAt + ((<usize>(m + 1) * 256 + <usize>load<u8>(code + m + 1)) << 3);
      const c = i64x2.replace_lane(i64x2.splat(load<i64>(a)), 1, load<i64>(b));
      const x = hiddenAt + (<usize>m << 3);
      v128.store(x, f32x4.add(v128.load(x), f32x4.mul(c, scale)));
    }
    return;
  }
  for (let m = 0; m < nsubq; m++) {
    const c = <usize>load<u8>(code + m);
    const last = m == nsubq - 1;
    const d = last ? lastdsub : dsub;
    const centroid = centroidsAt + ((last ? <usize>m * 256 * <usize>dsub + c * <usize>lastdsub : (<usize>m * 256 + c) * <usize>dsub) << 2);
    const x = hiddenAt + (<usize>(m * dsub) << 2);
    for (let n = 0; n < d; n++) {
      const at = x + (<usize>n << 2);
      store<f32>(at, load<f32>(at) + norm * load<f32>(centroid + (<usize>n << 2)));
    }
  }
}

function sumRows(): void {
  // The common shapes keep their sums in registers: through memory, each add would wait for the
  // last one's store. The order of the additions is the same.
  if (projAt) {
    if (projBytes == 16) {
      let acc = v128.load(accAt);
      for (let f = 0; f < batched; f++) acc = f64x2.add(acc, v128.load(projAt + (<usize>load<i32>(batchAt + (<usize>f << 2)) << 4)));
      v128.store(accAt, acc);
    } else {
      for (let f = 0; f < batched; f++) {
        const src = projAt + <usize>load<i32>(batchAt + (<usize>f << 2)) * projBytes;
        for (let j: usize = 0; j < projBytes; j += 16) v128.store(accAt + j, f64x2.add(v128.load(accAt + j), v128.load(src + j)));
      }
    }
    batched = 0;
    return;
  }
  if (rowBytes == 64 && codesAt == 0) {
    let h0 = v128.load(hiddenAt);
    let h1 = v128.load(hiddenAt, 16);
    let h2 = v128.load(hiddenAt, 32);
    let h3 = v128.load(hiddenAt, 48);
    for (let f = 0; f < batched; f++) {
      const src = inputAt + (<usize>load<i32>(batchAt + (<usize>f << 2)) << 6);
      h0 = f32x4.add(h0, v128.load(src));
      h1 = f32x4.add(h1, v128.load(src, 16));
      h2 = f32x4.add(h2, v128.load(src, 32));
      h3 = f32x4.add(h3, v128.load(src, 48));
    }
    v128.store(hiddenAt, h0);
    v128.store(hiddenAt, h1, 16);
    v128.store(hiddenAt, h2, 32);
    v128.store(hiddenAt, h3, 48);
    batched = 0;
    return;
  }
  for (let f = 0; f < batched; f++) {
    const row = load<i32>(batchAt + (<usize>f << 2));
    if (row >= expandedRows) {
      addCode(row);
      continue;
    }
    const src = inputAt + <usize>row * rowBytes;
    let j: usize = 0;
    for (; j + 16 <= rowBytes; j += 16) v128.store(hiddenAt + j, f32x4.add(v128.load(hiddenAt + j), v128.load(src + j)));
    for (; j < rowBytes; j += 4) store<f32>(hiddenAt + j, load<f32>(hiddenAt + j) + load<f32>(src + j));
  }
  batched = 0;
}

// A line's features are listed a batch at a time and their rows summed then, in order, as
// fastText sums them: the lookups of the next words do not wait on the sums of the last.
@inline function addRow(row: i32): void {
  features++;
  store<i32>(batchAt + (<usize>batched << 2), row);
  if (++batched == BATCH) sumRows();
}

/** Dictionary::pushHash: a bucket's row, if the model kept it. */
@inline function addBucket(id: i32): void {
  if (pruneMode < 0) addRow(nwords + id);
  else if (pruneMode > 0) {
    const row = prunedRow(id);
    if (row >= 0) addRow(nwords + row);
  }
}

/**
 * pushHash for a word n-gram, without a branch on whether a pruned model kept the bucket (which
 * the word n-grams of ordinary text make unpredictable): a pruned bucket's row is written and not
 * counted. A character n-gram's is mostly pruned, and the branch is cheaper there.
 */
@inline function addWordNgram(id: i32): void {
  if (pruneMode <= 0) {
    addBucket(id);
    return;
  }
  const w = <usize>(<u32>id >> 6);
  const bits = load<u64>(keptAt + (w << 3));
  const bit = <u64>1 << <u64>(id & 63);
  const kept = <i32>((bits >> <u64>(id & 63)) & 1);
  store<i32>(batchAt + (<usize>batched << 2), nwords + load<i32>(rankAt + (w << 2)) + <i32>popcnt<u64>(bits & (bit - 1)));
  features += kept;
  batched += kept;
  if (batched == BATCH) sumRows();
}

/** Dictionary::computeSubwords over `<word>` held at wordAt, n bytes. */
function addSubwords(n: i32): void {
  for (let i = 0; i < n; i++) {
    if ((load<u8>(wordAt + i) & 0xc0) == 0x80) continue;
    let h = FNV_OFFSET;
    let j = i;
    for (let k = 1; j < n && k <= maxn; k++) {
      h = (h ^ <u32>(<i32>load<i8>(wordAt + j))) * FNV_PRIME;
      j++;
      while (j < n && (load<u8>(wordAt + j) & 0xc0) == 0x80) {
        h = (h ^ <u32>(<i32>load<i8>(wordAt + j))) * FNV_PRIME;
        j++;
      }
      if (k >= minn && !(k == 1 && (i == 0 || j == n))) addBucket(<i32>(h % bucket));
    }
  }
}

/** One word's features (Dictionary::addSubwords); `eos`: the word is `</s>`, which has no n-grams. */
function addWord(p: usize, n: i32, id: i32, eos: bool): void {
  if (id >= 0) addRow(id);
  if (maxn <= 0 || eos) return;
  store<u8>(wordAt, 0x3c); // '<'
  memory.copy(wordAt + 1, p, n);
  store<u8>(wordAt + 1 + n, 0x3e); // '>'
  addSubwords(n + 2);
}

/** How many bytes the separator at p takes (0: not a separator). */
@inline function separator(p: usize, rest: i32, folded: bool): i32 {
  const b = <i32>load<u8>(p);
  if (b < 0x80) return <i32>load<u8>(classesAt + b);
  if (!folded || b < 0xc2) return 0;
  if (b == 0xc2) return rest >= 2 && load<u8>(p, 1) == 0xa0 ? 2 : 0;
  if (rest < 3) return 0;
  const b1 = <i32>load<u8>(p, 1);
  const b2 = <i32>load<u8>(p, 2);
  if (b == 0xe2) {
    if (b1 == 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 == 0xa8 || b2 == 0xa9 || b2 == 0xaf ? 3 : 0;
    return b1 == 0x81 && b2 == 0x9f ? 3 : 0;
  }
  if (b == 0xe1) return b1 == 0x9a && b2 == 0x80 ? 3 : 0;
  if (b == 0xe3) return b1 == 0x80 && b2 == 0x80 ? 3 : 0;
  if (b == 0xef) return b1 == 0xbb && b2 == 0xbf ? 3 : 0;
  return 0;
}

function dot(row: i32): f32 {
  if (projAt) return <f32>(load<f64>(accAt + (<usize>row << 3)) * invFeatures);
  const w = outputAt + <usize>row * rowBytes;
  let d: f32 = 0;
  for (let j: usize = 0; j < rowBytes; j += 4) d += load<f32>(w + j) * load<f32>(hiddenAt + j);
  return d * load<f32>(outNormsAt + (<usize>row << 2));
}

@inline function stdLog(x: f32): f32 {
  return <f32>Math.log(<f64>x + 1e-5);
}

function sigmoid(x: f32): f32 {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  const i = <i32>((((x + MAX_SIGMOID) * <f32>SIGMOID_TABLE_SIZE) / MAX_SIGMOID) / 2);
  return load<f32>(sigmoidAt + (<usize>i << 2));
}

/** HierarchicalSoftmaxLoss::dfs. */
function search(node: i32, score: f32): void {
  if (score < logThreshold) return;
  if (topOne && haveBest && score < bestScore) return;
  const left = load<i32>(treeAt + (<usize>node << 3));
  const right = load<i32>(treeAt + (<usize>node << 3), 4);
  if (left == -1 && right == -1) {
    if (topOne) {
      haveBest = true;
      bestScore = score;
      bestLabel = node;
    } else {
      store<f32>(probsAt + (<usize>node << 2), Mathf.exp(score));
      found++;
    }
    return;
  }
  let f = dot(node - osz);
  f = <f32>(1.0 / <f64>(<f32>1 + Mathf.exp(-f)));
  search(left, score + stdLog(<f32>(1.0 - <f64>f)));
  search(right, score + stdLog(f));
}

/** Loss::findKBest over the outputs. */
function best(threshold: f32): void {
  for (let i = 0; i < osz; i++) {
    const p = load<f32>(outAt + (<usize>i << 2));
    if (p < threshold) continue;
    const score = stdLog(p);
    if (topOne) {
      // A later label of equal score replaces the earlier, as fastText's heap does.
      if (!haveBest || score >= bestScore) {
        haveBest = true;
        bestScore = score;
        bestLabel = i;
      }
    } else {
      store<f32>(probsAt + (<usize>i << 2), Mathf.exp(score));
      found++;
    }
  }
}

function outputs(): void {
  if (loss == LOSS_SOFTMAX) {
    for (let i = 0; i < osz; i++) store<f32>(outAt + (<usize>i << 2), dot(i));
    let max = load<f32>(outAt);
    for (let i = 0; i < osz; i++) {
      const o = load<f32>(outAt + (<usize>i << 2));
      max = o < max ? max : o;
    }
    let z: f32 = 0;
    for (let i = 0; i < osz; i++) {
      const e = Mathf.exp(load<f32>(outAt + (<usize>i << 2)) - max);
      store<f32>(outAt + (<usize>i << 2), e);
      z += e;
    }
    for (let i = 0; i < osz; i++) store<f32>(outAt + (<usize>i << 2), load<f32>(outAt + (<usize>i << 2)) / z);
  } else {
    for (let i = 0; i < osz; i++) store<f32>(outAt + (<usize>i << 2), sigmoid(dot(i)));
  }
}

export function configure(
  dim_: i32, nwords_: i32, osz_: i32, bucket_: u32, minn_: i32, maxn_: i32, wordNgrams_: i32, loss_: i32, pruneMode_: i32,
  wordSlotsAt_: usize, wordMask_: u32, entriesAt_: usize, keptAt_: usize, rankAt_: usize,
  inputAt_: usize, expandedRows_: i32, codesAt_: usize, normsAt_: usize, centroidsAt_: usize, nsubq_: i32, dsub_: i32, lastdsub_: i32,
  outputAt_: usize, outNormsAt_: usize, treeAt_: usize, projAt_: usize, projBytes_: usize, vectorsAt: usize,
): usize {
  dim = dim_;
  rowBytes = <usize>dim << 2;
  nwords = nwords_;
  osz = osz_;
  bucket = bucket_;
  minn = minn_;
  maxn = maxn_;
  wordNgrams = wordNgrams_;
  loss = loss_;
  pruneMode = pruneMode_;
  wordSlotsAt = wordSlotsAt_;
  wordMask = wordMask_;
  entriesAt = entriesAt_;
  keptAt = keptAt_;
  rankAt = rankAt_;
  inputAt = inputAt_;
  expandedRows = expandedRows_;
  codesAt = codesAt_;
  normsAt = normsAt_;
  centroidsAt = centroidsAt_;
  nsubq = nsubq_;
  dsub = dsub_;
  lastdsub = lastdsub_;
  pairs = dsub == 2 && lastdsub == 2 && (nsubq & 1) == 0;
  outputAt = outputAt_;
  outNormsAt = outNormsAt_;
  treeAt = treeAt_;
  projAt = projAt_;
  projBytes = projBytes_;
  hiddenAt = vectorsAt;
  outAt = (hiddenAt + rowBytes + 15) & ~15;
  probsAt = (outAt + (<usize>osz << 2) + 15) & ~15;
  sigmoidAt = (probsAt + (<usize>osz << 2) + 15) & ~15;
  batchAt = (sigmoidAt + (<usize>(SIGMOID_TABLE_SIZE + 1) << 2) + 15) & ~15;
  accAt = batchAt + (<usize>BATCH << 2);
  dynamicAt = accAt + projBytes;
  // </s> is written at dynamicAt below, to look it up.
  if (!reserve(dynamicAt + 16)) return 0;
  memory.fill(classesAt, 0, 256);
  store<u8>(classesAt + 0x20, 1);
  store<u8>(classesAt + 0x0a, 1);
  store<u8>(classesAt + 0x0d, 1);
  store<u8>(classesAt + 0x09, 1);
  store<u8>(classesAt + 0x0b, 1);
  store<u8>(classesAt + 0x0c, 1);
  store<u8>(classesAt + 0x00, 1);
  for (let i = 0; i <= SIGMOID_TABLE_SIZE; i++) {
    const x: f32 = <f32>(i * 2 * <i32>MAX_SIGMOID) / <f32>SIGMOID_TABLE_SIZE - MAX_SIGMOID;
    store<f32>(sigmoidAt + (<usize>i << 2), <f32>(1.0 / (1.0 + <f64>Mathf.exp(-x))));
  }
  store<u32>(dynamicAt, EOS_WORD);
  eosHash = hashBytes(dynamicAt, 4);
  eosId = findWord(dynamicAt, 4, eosHash);
  return probsAt;
}

/** Grows the memory to `end` bytes at least; false when WebAssembly gives no more. */
function reserve(end: usize): bool {
  const have = (<usize>memory.size()) << 16;
  return end <= have || memory.grow(<i32>((end - have + 65535) >> 16)) >= 0;
}

/** Where the model's layout ends and the line's room begins: the memory the model itself takes. */
export function dynamic(): usize {
  return dynamicAt;
}

/** Room for a line of up to `bytes` bytes; returns where it goes (0: no memory for it). */
export function line(bytes: i32): usize {
  textAt = dynamicAt;
  wordAt = (textAt + <usize>bytes + 15) & ~15;
  hashesAt = (wordAt + <usize>bytes + 2 + 15) & ~15;
  return reserve(hashesAt + ((<usize>(bytes >> 1) + 2) << 2)) ? textAt : 0;
}

/**
 * Predicts the line of `len` bytes at the line's place. `top`: the best label alone (its index,
 * or -1 when none reaches the threshold; its probability at probs[0]); otherwise every label
 * that reaches the threshold gets its probability in probs, the rest 0 (the count is returned).
 */
export function predict(len: i32, folded: bool, top: bool, threshold: f32): i32 {
  for (let j: usize = 0; j < rowBytes; j += 4) store<f32>(hiddenAt + j, 0);
  memory.fill(accAt, 0, projBytes);
  features = 0;
  batched = 0;
  let words = 0;
  let ended = false;
  let i = 0;
  while (i < len) {
    const s = separator(textAt + i, len - i, folded);
    if (s) {
      i += s;
      continue;
    }
    // The word's hash as its end is looked for: one pass over its bytes.
    const start = i;
    let h = (FNV_OFFSET ^ <u32>(<i32>load<i8>(textAt + i))) * FNV_PRIME;
    i++;
    while (i < len && separator(textAt + i, len - i, folded) == 0) {
      h = (h ^ <u32>(<i32>load<i8>(textAt + i))) * FNV_PRIME;
      i++;
    }
    const p = textAt + start;
    const n = i - start;
    const eos = n == 4 && load<u32>(p) == EOS_WORD;
    const id = findWord(p, n, h);
    // A label, as the dictionary says, or by its prefix when the dictionary does not know it
    // (the prefix a model was trained with is not in its file: fastText's default is assumed).
    const label = id >= nwords || (id < 0 && n >= 9 && load<u64>(p) == LABEL_PREFIX_8 && load<u8>(p, 8) == 0x5f);
    if (!label) {
      addWord(p, n, id, eos);
      store<u32>(hashesAt + (<usize>words << 2), h);
      words++;
    }
    if (eos) {
      ended = true;
      break;
    }
  }
  if (!ended && eosId < nwords) {
    if (eosId >= 0) addRow(eosId);
    store<u32>(hashesAt + (<usize>words << 2), eosHash);
    words++;
  }
  if (wordNgrams > 1) {
    for (let a = 0; a < words; a++) {
      let h = <u64>(<i64>load<i32>(hashesAt + (<usize>a << 2)));
      for (let b = a + 1; b < words && b < a + wordNgrams; b++) {
        h = h * WORD_NGRAM_MULTIPLIER + <u64>(<i64>load<i32>(hashesAt + (<usize>b << 2)));
        addWordNgram(<i32>(h % <u64>bucket));
      }
    }
  }
  sumRows();
  for (let l = 0; l < osz; l++) store<f32>(probsAt + (<usize>l << 2), 0);
  // fastText predicts nothing for a line without features.
  if (features == 0) return top ? -1 : 0;
  const scale = <f32>(1.0 / <f64>features);
  for (let j: usize = 0; j < rowBytes; j += 4) store<f32>(hiddenAt + j, load<f32>(hiddenAt + j) * scale);
  invFeatures = 1.0 / <f64>features;

  topOne = top;
  haveBest = false;
  bestLabel = -1;
  found = 0;
  if (loss == LOSS_HS) {
    logThreshold = stdLog(threshold);
    search(2 * osz - 2, 0);
  } else {
    outputs();
    best(threshold);
  }
  if (top) {
    if (haveBest) store<f32>(probsAt, Mathf.exp(bestScore));
    return bestLabel;
  }
  return found;
}
