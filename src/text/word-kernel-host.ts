import { ALNUM, AT_SIGN, CHAR_CLASS, PUNCTUATION as GOPHER_PUNCTUATION, WHITESPACE } from './chars.js';
import { fnv1a } from './fnv1a.js';
import { Spans } from './spans.js';
import { KERNEL_BASE64 } from './word-kernel.js';
import { KERNEL_CLASSES, KERNEL_MEMORY } from './word-kernel-layout.js';

/**
 * The JavaScript side of the word kernel (word-kernel.as.ts): one WebAssembly instance per thread,
 * holding one text at a time as UTF-16 code units (copied natively by Buffer's utf16le writer, so
 * offsets are the string's own), its tokens, and the scratch. The tokenizer, Gopher's word n-gram
 * counts and word statistics, the line split and the repeated lines and paragraphs, normalization's
 * character scan and C4's phrase test run there: the tokenizer copies the tokens out (they stay
 * valid whatever the kernel does next), and the others reuse the kernel's copy of the text (and
 * its tokens) while it still holds that text, copying (and tokenizing) it again otherwise.
 */

const { PREFIX, SUFFIX, LETTER, PUNCTUATION, UNICODE_PUNCTUATION } = KERNEL_CLASSES;
const PREFIX_CHARS = `"'“”‘’«»‹›([{<¿¡$£€¥§#*&+=~^|\`@%-–—…•·`;
const SUFFIX_CHARS = `"'“”‘’«»‹›)]}>.,!?:;%*…-–—`;
/** English abbreviations that keep their final period ("Dr.", "etc."), lower case, at most 6 letters. */
const ABBREVIATIONS =
  'mr mrs ms dr prof st jr sr vs etc inc ltd co corp no fig vol approx dept est gen gov sen rep rev capt col lt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec'.split(' ');

const { ABBREVIATIONS: ABBREVIATIONS_AT, RESULTS: RESULTS_AT, STOP_WORDS: STOP_WORDS_AT, PHRASES: PHRASES_AT, SENTENCE_ENDS: SENTENCE_ENDS_AT } = KERNEL_MEMORY;
/** spaCy's default sentence-final characters (Sentencizer.default_punct_chars), the BMP ones: C4 counts sentences by them. */
const SENTENCE_FINAL = '!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡。';
const UNICODE_PUNCTUATION_PATTERN = /\p{P}/u;
const STOP_SLOTS = 256;
const LETTER_PATTERN = /\p{L}/u;

function classTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const k = CHAR_CLASS[c]!;
    table[c] = k & (WHITESPACE | ALNUM | AT_SIGN);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && LETTER_PATTERN.test(String.fromCharCode(c)))) table[c]! |= LETTER;
    if (GOPHER_PUNCTUATION[c]) table[c]! |= PUNCTUATION;
    // A lone surrogate is no punctuation, as a regular expression over its string says.
    if (UNICODE_PUNCTUATION_PATTERN.test(String.fromCharCode(c))) table[c]! |= UNICODE_PUNCTUATION;
  }
  for (const ch of PREFIX_CHARS) table[ch.charCodeAt(0)]! |= PREFIX;
  for (const ch of SUFFIX_CHARS) table[ch.charCodeAt(0)]! |= SUFFIX;
  return table;
}

/** A word of at most 8 ASCII characters as the kernel keys it (its `asciiKey`): 8 bits a character, first lowest. */
function asciiKey(word: string): bigint {
  let key = 0n;
  for (let i = word.length - 1; i >= 0; i--) key = (key << 8n) | BigInt(word.charCodeAt(i));
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
  wordStats(astral: number, stopMask: number): void;
  scan(units: number): number;
  anyPhrase(units: number): number;
  lineRepeats(units: number, astral: number): void;
  splitLines(units: number): number;
  spanStartsOffset(): number;
  spanEndsOffset(): number;
  paragraphRepeats(from: number, to: number, astral: number, repeats: number): void;
  lineRoom(lines: number): void;
  lineWordsOffset(): number;
  lineSentencesOffset(): number;
  c4Lines(lines: number, maxWord: number, minWords: number): void;
  tidy(units: number, spaces: number, trailing: number, maxBlank: number): number;
  narrow(units: number): number;
  countWords(units: number): number;
}

export interface LineRepeats {
  /** Lines of text.split("\n"). */
  lines: number;
  /** Lines with characters (split on runs of newlines drops the empty ones). */
  nonEmpty: number;
  /** Duplicates among non-empty lines, and among lines with a non-space character. */
  amongNonEmpty: { elements: number; chars: number };
  amongNonBlank: { elements: number; chars: number };
}

/** Paragraphs of text[from, to) (split at runs of two or more newlines) and their repeats. */
export interface ParagraphRepeats {
  count: number;
  elements: number;
  chars: number;
}
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly;

export class WordKernel {
  private readonly kernel: Exports;
  /** The text whose tokens the kernel holds, or null. */
  private text: string | null = null;
  /** The text the kernel's memory holds (its tokens perhaps not yet), or null. */
  private copied: string | null = null;
  /** Where in the kernel's memory the text is. */
  private textAt = 0;
  /** The stop words the kernel's table holds. */
  private stopWords: StopWordTable | undefined;
  /** The phrases the kernel's table holds. */
  private phrases: PhraseTable | undefined;
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
    ABBREVIATIONS.forEach((w, i) => (keys[i] = asciiKey(w)));
    keys[ABBREVIATIONS.length] = 0n;
    const ends = new Uint8Array(memory, SENTENCE_ENDS_AT, 0x2000);
    for (const ch of SENTENCE_FINAL) ends[ch.charCodeAt(0) >> 3]! |= 1 << (ch.charCodeAt(0) & 7);
  }

  /** Whether the kernel holds the tokens of `text` (`count` and `chunks` are its). */
  holds(text: string): boolean {
    return this.text === text;
  }

  /** Tokenizes `text` in the kernel, unless it holds its tokens already. */
  hold(text: string): void {
    if (this.text === text) return;
    this.copy(text);
    // Forgotten first: a call that throws half-way (no memory left) leaves no tokens to reuse.
    this.text = null;
    const units = text.length;
    let count = this.kernel.tokenize(units);
    // A text of n code units has at most n tokens; `copy` made room for n / 4 + 16 (most have
    // about n / 5). The text stays where it is when the token arrays after it are laid out again.
    if (count < 0) {
      this.kernel.layout(units, units + 16);
      count = this.kernel.tokenize(units);
    }
    this.text = text;
    this.count = count;
    this.chunks = this.kernel.chunkCount();
  }

  /**
   * Which of the character ranges normalization asks about `text` has (KERNEL_SCAN_FLAGS). The
   * kernel keeps the copy: a text that normalization leaves as it is is tokenized from it.
   */
  scan(text: string): number {
    this.copy(text);
    return this.kernel.scan(text.length);
  }

  /**
   * Normalization's whitespace steps over `text` (src/text/normalize.ts, steps 5 to 7): with
   * `spaces`, runs of spaces inside a line made one; with `trailing`, each line's trailing
   * whitespace and the newlines at both ends removed; with `maxBlank` >= 0, runs of blank lines
   * shortened to that many. Returns the text they leave (`text` itself when they change nothing),
   * which the kernel then holds as its copy: the tokenizer reads it where it is.
   */
  tidy(text: string, spaces: boolean, trailing: boolean, maxBlank: number): string {
    this.copy(text);
    this.text = null;
    this.copied = null;
    const units = this.kernel.tidy(text.length, spaces ? 1 : 0, trailing ? 1 : 0, maxBlank);
    // The steps only delete: the same length is the same text.
    if (units === text.length) {
      this.copied = text;
      return text;
    }
    // Latin-1 text becomes a one-byte string, as String#replace would have left it.
    const bytes = this.kernel.narrow(units);
    const { buffer } = this.kernel.memory;
    const tidied = bytes ? Buffer.from(buffer, bytes, units).toString('latin1') : Buffer.from(buffer, this.textAt, units * 2).toString('utf16le');
    this.copied = tidied;
    return tidied;
  }

  /** Whitespace-separated words of `text` (runs of characters chars.ts does not call whitespace). */
  countWords(text: string): number {
    this.copy(text);
    return this.kernel.countWords(text.length);
  }

  /**
   * Puts `text` in the kernel's memory, with room for n / 4 + 16 tokens, unless it is there (its
   * tokens, if held, stay valid then).
   */
  private copy(text: string): void {
    if (this.copied === text) return;
    this.text = null;
    this.copied = null;
    this.textAt = this.kernel.layout(text.length, 16 + (text.length >> 2));
    Buffer.from(this.kernel.memory.buffer, this.textAt, text.length * 2).write(text, 'utf16le');
    this.copied = text;
  }

  /** Whether `text` contains one of the table's phrases, ASCII letters in either case (a regular expression's /i without /u). */
  anyPhrase(text: string, phrases: PhraseTable): boolean {
    this.copy(text);
    if (this.phrases !== phrases) {
      new Uint8Array(this.kernel.memory.buffer, PHRASES_AT, phrases.bytes.length).set(phrases.bytes);
      this.phrases = phrases;
    }
    return this.kernel.anyPhrase(text.length) !== 0;
  }

  /** `out` filled with the lines of text.split("\n") (an empty text is one empty line), found eight code units at a time. */
  lines(text: string, out: Spans): Spans {
    this.copy(text);
    const count = this.kernel.splitLines(text.length);
    out.clear();
    out.reserve(count);
    const { buffer } = this.kernel.memory;
    out.starts.set(new Int32Array(buffer, this.kernel.spanStartsOffset(), count));
    out.ends.set(new Int32Array(buffer, this.kernel.spanEndsOffset(), count));
    out.count = count;
    return out;
  }

  /**
   * Repeated lines of `text` (lines of text.split("\n")): among the non-empty ones and among those
   * with a character other than whitespace, datatrove's find_duplicates, characters in code points
   * when `astral`.
   */
  lineRepeats(text: string, astral: boolean): LineRepeats {
    this.copy(text);
    this.kernel.lineRepeats(text.length, astral ? 1 : 0);
    const [lines, nonEmpty, a, b, c, d] = new Float64Array(this.kernel.memory.buffer, RESULTS_AT + 160, 6);
    return { lines: lines!, nonEmpty: nonEmpty!, amongNonEmpty: { elements: a!, chars: b! }, amongNonBlank: { elements: c!, chars: d! } };
  }

  /**
   * text[from, to) split at runs of two or more newlines (re.split("\n{2,}")): how many
   * paragraphs, and with `repeats` the repeated ones and their characters (else 0).
   */
  paragraphRepeats(text: string, from: number, to: number, astral: boolean, repeats: boolean): ParagraphRepeats {
    this.copy(text);
    this.kernel.paragraphRepeats(from, to, astral ? 1 : 0, repeats ? 1 : 0);
    const [count, elements, chars] = new Float64Array(this.kernel.memory.buffer, RESULTS_AT + 208, 3);
    return { count: count!, elements: elements!, chars: chars! };
  }

  /**
   * C4's per-line measures of `text` over the first `count` of `lines` (its lines, in order, which no token crosses):
   * into `out`, each line trimmed of whitespace, its whitespace-separated words (-1 when one is
   * longer than `maxWord`; 0: no limit) and, when it has `minWords` or more, its sentences as
   * spaCy's sentencizer counts them (else 0).
   */
  c4Lines(text: string, lines: Spans, count: number, maxWord: number, minWords: number, out: LineMeasures): LineMeasures {
    this.hold(text);
    this.kernel.lineRoom(count);
    let { buffer } = this.kernel.memory;
    new Int32Array(buffer, this.kernel.spanStartsOffset(), count).set(lines.starts.subarray(0, count));
    new Int32Array(buffer, this.kernel.spanEndsOffset(), count).set(lines.ends.subarray(0, count));
    this.kernel.c4Lines(count, maxWord, minWords);
    buffer = this.kernel.memory.buffer;
    // Cleared first: buffers a huge page grew go back to their usual size.
    out.clear();
    out.reserve(count);
    out.starts.set(new Int32Array(buffer, this.kernel.spanStartsOffset(), count));
    out.ends.set(new Int32Array(buffer, this.kernel.spanEndsOffset(), count));
    out.words.set(new Int32Array(buffer, this.kernel.lineWordsOffset(), count));
    out.sentences.set(new Int32Array(buffer, this.kernel.lineSentencesOffset(), count));
    out.count = count;
    return out;
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
    return new Float64Array(this.kernel.memory.buffer, RESULTS_AT, 11).slice();
  }

  /**
   * Gopher quality's word statistics of `text`: tokens; words that are not only punctuation
   * (chars.ts PUNCTUATION) and their length (in code points when `astral`); tokens with a letter;
   * and the distinct `stopWords` among the tokens.
   */
  wordStats(text: string, astral: boolean, stopWords: StopWordTable): { tokens: number; nonSymbol: number; nonSymbolLength: number; alpha: number; stop: number } {
    this.hold(text);
    if (this.stopWords !== stopWords) {
      new BigUint64Array(this.kernel.memory.buffer, STOP_WORDS_AT, STOP_SLOTS).set(stopWords.slots);
      this.stopWords = stopWords;
    }
    this.kernel.wordStats(astral ? 1 : 0, stopWords.mask);
    const [nonSymbol, nonSymbolLength, alpha, stop] = new Float64Array(this.kernel.memory.buffer, RESULTS_AT + 128, 4);
    return { tokens: this.count, nonSymbol: nonSymbol!, nonSymbolLength: nonSymbolLength!, alpha: alpha!, stop: stop! };
  }
}

/** C4's per-line measures (`WordKernel.c4Lines`), in buffers kept from text to text. */
export class LineMeasures extends Spans {
  words = new Int32Array(256);
  sentences = new Int32Array(256);

  override clear(): this {
    super.clear();
    if (this.words.length > this.starts.length) {
      this.words = new Int32Array(this.starts.length);
      this.sentences = new Int32Array(this.starts.length);
    }
    return this;
  }

  override reserve(count: number): void {
    super.reserve(count);
    if (count <= this.words.length) return;
    this.words = new Int32Array(this.starts.length);
    this.sentences = new Int32Array(this.starts.length);
  }
}

/**
 * Stop words as the kernel looks them up: by the low eight bits of their tokenizer hash, each slot
 * holding its word's `asciiKey`. A token costs one table read, and a character comparison on a hit.
 */
export class StopWordTable {
  readonly mask: number;
  readonly slots = new BigUint64Array(STOP_SLOTS);

  constructor(words: readonly string[]) {
    for (const w of words) {
      if (!/^[A-Za-z0-9]{1,8}$/.test(w)) throw new Error(`stop word "${w}": only ASCII letters and digits, at most 8, are supported`);
    }
    const distinct = [...new Set(words)];
    const hashes = distinct.map((w) => fnv1a(w, 0, w.length));
    // All the table's bits: a token other than a stop word then meets an empty slot nearly always
    // (8 words in 256 slots), and is not compared. Words that share these bits share every fewer.
    const mask = STOP_SLOTS - 1;
    if (new Set(hashes.map((h) => h & mask)).size < distinct.length) throw new Error(`stop words ${distinct.join(', ')}: two share a slot of the kernel's table of ${STOP_SLOTS}`);
    this.mask = mask;
    distinct.forEach((w, i) => (this.slots[hashes[i]! & mask] = asciiKey(w)));
  }
}

let instance: WordKernel | undefined;
/** This thread's word kernel. */
export const wordKernel = (): WordKernel => (instance ??= new WordKernel());

/** How many leading characters of a phrase the kernel's nibble tables test, sixteen positions at a time. */
const PHRASE_PREFIX = 4;

/**
 * Phrases as the kernel looks for them (`anyPhrase`): nibble tables of the distinct prefixes of
 * their first four characters (a bit a prefix: for its j-th character, the bit is set at the
 * character's low nibble in one table of position j and at its high nibble in the other; a phrase
 * shorter than four characters matches anything past its end), then the phrases, as the kernel's
 * memory lays them out. Four characters, not two: pairs such as "us", "co" and "te" start many
 * English words, and each such position was compared with every phrase.
 */
export class PhraseTable {
  readonly bytes: Uint8Array;

  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      if (!/^[a-z0-9 ]{2,}$/.test(p)) throw new Error(`phrase "${p}": only lower-case ASCII letters, digits and spaces, two or more, are supported`);
    }
    const prefixes = [...new Set(phrases.map((p) => p.slice(0, PHRASE_PREFIX)))];
    if (prefixes.length > 8) throw new Error(`${prefixes.length} distinct beginnings (first ${PHRASE_PREFIX} characters): the kernel tells eight apart`);
    const header = 16 + 32 * PHRASE_PREFIX;
    const size = header + 4 + phrases.reduce((a, p) => a + 4 + 2 * p.length, 0);
    if (size > SENTENCE_ENDS_AT - PHRASES_AT) throw new Error(`${phrases.length} phrases take ${size} bytes; the kernel has room for ${SENTENCE_ENDS_AT - PHRASES_AT}`);
    this.bytes = new Uint8Array(size);
    const view = new DataView(this.bytes.buffer);
    view.setUint32(0, prefixes.length, true);
    prefixes.forEach((prefix, k) => {
      for (let j = 0; j < PHRASE_PREFIX; j++) {
        const c = prefix.charCodeAt(j);
        for (let nibble = 0; nibble < 16; nibble++) {
          // Past the prefix's end: any character.
          if (j >= prefix.length || (c & 15) === nibble) this.bytes[16 + 32 * j + nibble]! |= 1 << k;
          if (j >= prefix.length || c >> 4 === nibble) this.bytes[32 + 32 * j + nibble]! |= 1 << k;
        }
      }
    });
    let at = header;
    view.setUint32(at, phrases.length, true);
    at += 4;
    for (const p of phrases) {
      view.setUint32(at, p.length, true);
      for (let m = 0; m < p.length; m++) view.setUint16(at + 4 + 2 * m, p.charCodeAt(m), true);
      at += 4 + 2 * p.length;
    }
  }
}
