import { wordKernel } from './word-kernel-host.js';
import { grown } from './typed-arrays.js';
import { KERNEL_TOKEN_FLAGS } from './word-kernel-layout.js';

export { fnv1a, FNV_OFFSET, FNV_PRIME } from './fnv1a.js';

/**
 * The word tokenizer behind the Gopher, C4 and FineWeb signals.
 *
 * datatrove, the reference implementation of those rules, tokenizes English with spaCy's blank
 * English tokenizer. This is a rule tokenizer in the same spirit, written for speed:
 *  1. split on whitespace;
 *  2. keep URLs and e-mail addresses whole;
 *  3. split leading punctuation (quotes, brackets, currency signs, ...) into tokens;
 *  4. split trailing punctuation, "..." and English clitics ('s, n't, 're, 've, 'll, 'd, 'm) into
 *     tokens, keeping the final "." of abbreviations ("Dr.", "e.g.", "U.S.", single letters);
 *  5. split inside a token at hyphens, slashes and commas between letters, at + - * ^ between
 *     digits ("3-8" is three tokens), and at "...".
 * Known differences from spaCy: its full exception table (emoticons, "gonna", "'em", numbered
 * abbreviations) and its unit and number suffix rules are not reproduced. The differences move
 * token counts by a few percent on prose, and only at punctuation.
 *
 * Every token is a substring of the text, so tokens are returned as offsets: no string is built
 * unless a caller asks for one. The tokenizer runs in WebAssembly (word-kernel.as.ts), at about
 * 2.4 times the speed of the same rules in JavaScript (docs/benchmarks.md); the JavaScript version
 * is kept as test/text/reference-tokenizer.ts, and the tests hold the two to the same tokens.
 */
export class Tokens {
  count = 0;
  /** Whitespace-separated chunks: the whitespace word count, for free. */
  chunks = 0;
  starts: Int32Array;
  ends: Int32Array;
  /**
   * Per token: FNV-1a hash of its characters (`fnv1a`), and what the tokenizer learnt of it while
   * scanning (PLAIN: ASCII letters and digits only; HAS_LETTER: a PLAIN token with a letter;
   * CHUNK_START: the first token of a whitespace-separated chunk), so the signal families need
   * not read the characters again.
   */
  hashes: Int32Array;
  flags: Uint8Array;

  constructor(
    public text: string,
    capacity = 16 + (text.length >> 2),
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Empties the list for another text, keeping its buffers. */
  reset(text: string): this {
    this.text = text;
    this.count = 0;
    this.chunks = 0;
    return this;
  }

  /** Makes room for at least `capacity` tokens, keeping those there. */
  reserve(capacity: number): void {
    if (capacity <= this.starts.length) return;
    this.starts = grown(this.starts, capacity);
    this.ends = grown(this.ends, capacity);
    this.hashes = grown(this.hashes, capacity);
    this.flags = grown(this.flags, capacity);
  }

  token(i: number): string {
    return this.text.slice(this.starts[i]!, this.ends[i]!);
  }

  toArray(): string[] {
    return Array.from({ length: this.count }, (_, i) => this.token(i));
  }
}

export const { PLAIN, HAS_LETTER, CHUNK_START } = KERNEL_TOKEN_FLAGS;

export function tokenize(text: string, out: Tokens = new Tokens(text)): Tokens {
  const kernel = wordKernel();
  kernel.hold(text);
  out.reset(text);
  out.reserve(kernel.count);
  const { starts, ends, hashes, flags } = kernel.views();
  out.starts.set(starts);
  out.ends.set(ends);
  out.hashes.set(hashes);
  out.flags.set(flags);
  out.count = kernel.count;
  out.chunks = kernel.chunks;
  return out;
}
