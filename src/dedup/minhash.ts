import { ALNUM, CHAR_CLASS } from '../text/chars.js';
import { FNV_OFFSET, FNV_PRIME, PLAIN, type Tokens } from '../text/tokenizer.js';
import { KERNEL_BASE64 } from './minhash-kernel.js';

/**
 * MinHash signatures of word shingles, the near-duplicate fingerprint of FineWeb's dedup
 * (Penedo et al. 2024; datatrove's MinhashDedupSignature): each document becomes `bands x rows`
 * minimums of hashed 5-word shingles, and two documents collide in a band when all its rows agree.
 *
 * Words are the tokenizer's, simplified as datatrove's simplify_text does before shingling:
 * lower case, punctuation removed (a token of only punctuation disappears), accents stripped and
 * digits replaced by 0, so "Patient 12" and "patient 34," share a shingle. Differences from
 * datatrove, all for speed and none changing what counts as a near-duplicate in practice:
 *  - hashes are 32-bit (datatrove: 64-bit from sha1); band keys are 64-bit;
 *  - the permutations are h_k(x) = w, v = (x xor s_k) * 0x85ebca6b, w = v xor (v >>> 13), for
 *    per-hash seeds s_k, minimums in signed order (datatrove: (a_k x + b_k) mod (2^61 - 1));
 *    test/dedup/near.test.ts checks estimates against exact Jaccard on real pairs. The minimums
 *    are computed in WebAssembly SIMD (minhash-kernel.wat), checked against `signScalar`;
 *  - datatrove removes punctuation before splitting words, so "well-known" is one word there and
 *    two here ("well", "known").
 * A document with fewer words than a shingle has no signature: it takes part in exact dedup only.
 */
export interface MinHashConfig {
  /** Words per shingle. */
  shingle: number;
  bands: number;
  rows: number;
  seed: number;
}

const ACCENT_OR_PUNCT = /[\p{M}\p{P}\p{S}]/gu;
const DIGIT = /\p{Nd}/gu;

export class MinHasher {
  readonly hashes: number;
  private readonly seeds: Int32Array;
  private words = new Int32Array(1024);
  private readonly kernel: MinimumsKernel;
  private readonly signature: Int32Array;

  constructor(readonly config: MinHashConfig) {
    this.hashes = config.bands * config.rows;
    this.seeds = new Int32Array(this.hashes);
    let state = (config.seed * 0x9e3779b1 + 0x7f4a7c15) | 0;
    for (let k = 0; k < this.hashes; k++) {
      state = (state + 0x6d2b79f5) | 0;
      this.seeds[k] = fmix(state);
    }
    this.signature = new Int32Array(this.hashes);
    this.kernel = new MinimumsKernel(this.seeds);
  }

  /**
   * The signature computed in plain JavaScript, permutation by permutation: the definition the
   * WebAssembly kernel must match (tested), and the reference for reading it.
   */
  signScalar(tokens: Tokens): Int32Array | null {
    const count = this.simplifiedWords(tokens);
    const n = this.config.shingle;
    if (count < n) return null;
    const sig = new Int32Array(this.hashes);
    for (let k = 0; k < this.hashes; k++) {
      let min = 0x7fffffff;
      for (let i = 0; i + n <= count; i++) {
        const v = Math.imul(shingleHash(this.words, i, n) ^ this.seeds[k]!, 0x85ebca6b);
        const w = v ^ (v >>> 13);
        if (w < min) min = w;
      }
      sig[k] = min;
    }
    return sig;
  }

  /**
   * The signature of a document from its tokens: `hashes` 32-bit minimums, or null when
   * it has fewer simplified words than a shingle. The array is reused by the next call.
   */
  sign(tokens: Tokens): Int32Array | null {
    const count = this.simplifiedWords(tokens);
    const n = this.config.shingle;
    if (count < n) return null;
    const shingles = count - n + 1;
    const kernel = this.kernel.forShingles(shingles);
    for (let i = 0; i < shingles; i++) kernel.shingles[i] = shingleHash(this.words, i, n);
    kernel.run(shingles);
    const sig = this.signature;
    sig.set(kernel.minimums.subarray(0, this.hashes));
    return sig;
  }

  /**
   * The document's distinct shingle hashes, sorted: its shingle set, for exact Jaccard similarity
   * (32-bit hashes: two distinct shingles of a pair collide with odds of about 10^-9 per pair of
   * shingles, far below anything a threshold can see).
   */
  shingleSet(tokens: Tokens): Int32Array {
    const count = this.simplifiedWords(tokens);
    const n = this.config.shingle;
    if (count < n) return new Int32Array(0);
    const set = new Int32Array(count - n + 1);
    for (let i = 0; i + n <= count; i++) set[i] = shingleHash(this.words, i, n);
    set.sort();
    let unique = 0;
    for (let i = 0; i < set.length; i++) if (i === 0 || set[i] !== set[i - 1]) set[unique++] = set[i]!;
    return set.subarray(0, unique);
  }

  /** The band keys of a signature: each band's rows hashed to 64 bits (two 32-bit halves). */
  bandKeys(sig: Int32Array): bigint[] {
    const { bands, rows } = this.config;
    const keys = new Array<bigint>(bands);
    for (let b = 0; b < bands; b++) {
      let lo = 0x811c9dc5 ^ b;
      let hi = 0x1b873593 ^ Math.imul(b, 0x27d4eb2f);
      for (let r = 0; r < rows; r++) {
        const v = sig[b * rows + r]!;
        lo = fmix(Math.imul(lo ^ v, 0x01000193) + r);
        hi = fmix(Math.imul(hi ^ v, 0x5bd1e995) ^ (r << 8));
      }
      keys[b] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    }
    return keys;
  }

  /** Simplified word hashes into `this.words`; returns how many. */
  private simplifiedWords(tokens: Tokens): number {
    if (this.words.length < tokens.count) this.words = new Int32Array(tokens.count * 2);
    const { words } = this;
    const { text, starts, ends, flags } = tokens;
    let count = 0;
    for (let t = 0; t < tokens.count; t++) {
      const start = starts[t]!;
      const end = ends[t]!;
      if (flags[t]! & PLAIN) {
        // ASCII letters and digits: lower-case letters, digits become "0".
        let h = FNV_OFFSET;
        for (let i = start; i < end; i++) {
          const c = text.charCodeAt(i);
          h = Math.imul(h ^ (c <= 57 ? 48 : c | 32), FNV_PRIME);
        }
        words[count++] = h;
        continue;
      }
      // ASCII: every character but letters and digits is punctuation or a symbol, so the
      // simplified word is its letters and digits, read in place.
      let h = FNV_OFFSET;
      let kept = 0;
      let ascii = true;
      for (let i = start; i < end && ascii; i++) {
        const c = text.charCodeAt(i);
        if (c > 127 || c < 32 || c === 127) ascii = false; // controls are not punctuation: the Unicode path decides
        else if (CHAR_CLASS[c] === ALNUM) {
          h = Math.imul(h ^ (c <= 57 ? 48 : c | 32), FNV_PRIME);
          kept++;
        }
      }
      if (!ascii) {
        const simple = text.slice(start, end).toLowerCase().normalize('NFD').replace(ACCENT_OR_PUNCT, '').replace(DIGIT, '0');
        h = FNV_OFFSET;
        for (let i = 0; i < simple.length; i++) h = Math.imul(h ^ simple.charCodeAt(i), FNV_PRIME);
        kept = simple.length;
      }
      if (kept > 0) words[count++] = h;
    }
    return count;
  }
}

/** The part of the WebAssembly JavaScript API used here (TypeScript's DOM library is not loaded). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: Record<string, unknown> } } }).WebAssembly;

/**
 * The permutation minimums in WebAssembly SIMD (minhash-kernel.wat), sixteen permutations per
 * pass over the shingles: about four times the plain JavaScript loop. Its memory holds the seeds
 * (padded to a multiple of sixteen), the minimums, then the shingle hashes, growing with them.
 */
class MinimumsKernel {
  private static module: object | undefined;
  private readonly minimumsOf: (shingles: number, count: number, seeds: number, blocks: number, out: number) => void;
  private readonly memory: WasmMemory;
  private readonly blocks: number;
  private readonly shinglesAt: number;
  shingles: Int32Array;
  minimums: Int32Array;

  constructor(seeds: Int32Array) {
    MinimumsKernel.module ??= new wasm.Module(Buffer.from(KERNEL_BASE64, 'base64'));
    const { exports } = new wasm.Instance(MinimumsKernel.module);
    this.memory = exports.memory as WasmMemory;
    this.minimumsOf = exports.minimums as MinimumsKernel['minimumsOf'];
    this.blocks = Math.ceil(seeds.length / 16);
    this.shinglesAt = this.blocks * 16 * 4 * 2;
    new Int32Array(this.memory.buffer, 0, seeds.length).set(seeds);
    this.shingles = new Int32Array(0);
    this.minimums = new Int32Array(0);
    this.views();
  }

  /** Room for `count` shingle hashes; the returned kernel's `shingles` view is valid until the next call. */
  forShingles(count: number): this {
    const needed = this.shinglesAt + count * 4;
    if (needed > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / 65536));
      this.views();
    }
    return this;
  }

  run(count: number): void {
    this.minimumsOf(this.shinglesAt, count, 0, this.blocks, this.blocks * 64);
  }

  private views(): void {
    const { buffer } = this.memory;
    this.minimums = new Int32Array(buffer, this.blocks * 64, this.blocks * 16);
    this.shingles = new Int32Array(buffer, this.shinglesAt, (buffer.byteLength - this.shinglesAt) >> 2);
  }
}

/** The hash of the shingle of `n` words from word `i`. */
function shingleHash(words: Int32Array, i: number, n: number): number {
  let h = 0x2545f491;
  for (let j = 0; j < n; j++) h = Math.imul((h << 5) | (h >>> 27), 0x01000193) ^ words[i + j]!;
  return fmix(h);
}

/** MurmurHash3's 32-bit finalizer: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The Jaccard similarity of two sorted sets (of shingle hashes): shared / in either. */
export function setJaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/** The share of equal positions of two signatures: the estimate of their shingles' Jaccard similarity. */
export function estimatedJaccard(a: Int32Array, b: Int32Array): number {
  let equal = 0;
  for (let k = 0; k < a.length; k++) if (a[k] === b[k]) equal++;
  return equal / a.length;
}
