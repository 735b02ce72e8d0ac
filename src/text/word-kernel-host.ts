import { CHAR_CLASS, ALNUM, AT_SIGN, WHITESPACE } from './chars.js';
import { KERNEL_BASE64 } from './word-kernel.js';

/**
 * The JavaScript side of the word kernel (word-kernel.as.ts): one WebAssembly instance per thread,
 * holding one text at a time as UTF-16 code units (copied natively by Buffer's utf16le writer, so
 * offsets are the string's own), its tokens, and the n-gram scratch. The tokenizer and the Gopher
 * n-gram counts both run there: the tokenizer copies the tokens out, and the n-gram counts reuse
 * them while the kernel still holds the same text.
 */

// Character class bits: the same values as word-kernel.as.ts.
const PREFIX = 8;
const SUFFIX = 16;
const LETTER = 32;
const PREFIX_CHARS = `"'“”‘’«»‹›([{<¿¡$£€¥§#*&+=~^|\`@%-–—…•·`;
const SUFFIX_CHARS = `"'“”‘’«»‹›)]}>.,!?:;%*…-–—`;
/** English abbreviations that keep their final period ("Dr.", "etc."), lower case, at most 6 letters. */
export const ABBREVIATIONS =
  'mr mrs ms dr prof st jr sr vs etc inc ltd co corp no fig vol approx dept est gen gov sen rep rev capt col lt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec'.split(' ');

const ABBREVIATIONS_AT = 65536;
const LETTER_PATTERN = /\p{L}/u;

function classTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const k = CHAR_CLASS[c]!;
    table[c] = k & (WHITESPACE | ALNUM | AT_SIGN);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && LETTER_PATTERN.test(String.fromCharCode(c)))) table[c]! |= LETTER;
  }
  for (const ch of PREFIX_CHARS) table[ch.charCodeAt(0)]! |= PREFIX;
  for (const ch of SUFFIX_CHARS) table[ch.charCodeAt(0)]! |= SUFFIX;
  return table;
}

/** An abbreviation as the kernel keys it: 7 bits a character, first character highest. */
function abbreviationKey(word: string): bigint {
  let key = 0n;
  for (const ch of word) key = (key << 7n) | BigInt(ch.charCodeAt(0));
  return key;
}

interface Exports {
  memory: { buffer: ArrayBuffer };
  layout(units: number, tokens: number): number;
  tokenize(units: number): number;
  ngrams(astral: number): void;
  startsOffset(): number;
  endsOffset(): number;
  hashesOffset(): number;
  flagsOffset(): number;
  chunkCount(): number;
  resultsOffset(): number;
}
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly;

export class WordKernel {
  private readonly kernel: Exports;
  /** The text whose tokens the kernel holds, or null. */
  private text: string | null = null;
  count = 0;
  chunks = 0;

  constructor() {
    const module = new wasm.Module(Buffer.from(KERNEL_BASE64, 'base64'));
    const isLetter = (codePoint: number): boolean => LETTER_PATTERN.test(String.fromCodePoint(codePoint));
    this.kernel = new wasm.Instance(module, { host: { isLetter } }).exports as Exports;
    this.kernel.layout(0, 0);
    const memory = this.kernel.memory.buffer;
    new Uint8Array(memory, 0, 0x10000).set(classTable());
    const keys = new BigUint64Array(memory, ABBREVIATIONS_AT, ABBREVIATIONS.length + 1);
    ABBREVIATIONS.forEach((w, i) => (keys[i] = abbreviationKey(w)));
    keys[ABBREVIATIONS.length] = 0n;
  }

  /** Tokenizes `text` in the kernel, unless it holds its tokens already. */
  hold(text: string): void {
    if (this.text === text) return;
    const units = text.length;
    let count = -1;
    // A text of n code units has at most n tokens; most have about n / 5.
    for (let capacity = 16 + (units >> 2); count < 0; capacity = units + 16) {
      const at = this.kernel.layout(units, capacity);
      Buffer.from(this.kernel.memory.buffer, at, units * 2).write(text, 'utf16le');
      count = this.kernel.tokenize(units);
    }
    this.text = text;
    this.count = count;
    this.chunks = this.kernel.chunkCount();
  }

  /** The held tokens' arrays (views into the kernel's memory, valid until its next call). */
  views(): { starts: Int32Array; ends: Int32Array; hashes: Int32Array; flags: Uint8Array } {
    const k = this.kernel;
    const { buffer } = k.memory;
    return {
      starts: new Int32Array(buffer, k.startsOffset(), this.count),
      ends: new Int32Array(buffer, k.endsOffset(), this.count),
      hashes: new Int32Array(buffer, k.hashesOffset(), this.count),
      flags: new Uint8Array(buffer, k.flagsOffset(), this.count),
    };
  }

  /**
   * Word n-gram counts of `text` (Gopher repetition): by n, the characters of the most frequent
   * n-gram times its count (n = 2..4) and the characters of duplicated n-grams (n = 5..10), in
   * code points when `astral`.
   */
  ngrams(text: string, astral: boolean): Float64Array {
    this.hold(text);
    this.kernel.ngrams(astral ? 1 : 0);
    return new Float64Array(this.kernel.memory.buffer, this.kernel.resultsOffset(), 11).slice();
  }
}

let instance: WordKernel | undefined;
/** This thread's word kernel. */
export const wordKernel = (): WordKernel => (instance ??= new WordKernel());
