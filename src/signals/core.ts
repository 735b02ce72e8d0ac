import xxhash from 'xxhash-wasm';
import { countLines } from './counts.js';
import type { SignalFamily } from './signal.js';

let h64: ((input: string, seed?: bigint) => bigint) | undefined;

/** Counts and the content hash of the final text. Always computed. */
export const coreFamily: SignalFamily = {
  name: 'core',
  stage: 'final',
  version: 1,
  description: 'counts and the content hash of the final text',
  signals: [
    { name: 'char_count', type: 'INTEGER', description: 'Unicode code points' },
    { name: 'word_count', type: 'INTEGER', description: 'whitespace-separated tokens' },
    { name: 'line_count', type: 'INTEGER', description: 'lines ("\\n"-separated); 0 for empty text' },
    { name: 'byte_count', type: 'INTEGER', description: 'UTF-8 bytes' },
    { name: 'content_hash', type: 'UBIGINT', description: 'xxh64 of the UTF-8 bytes (seed 0): equal hashes are exact duplicates' },
  ],
  async prepare() {
    h64 ??= (await xxhash()).h64;
  },
  measure(doc, out, at) {
    if (!h64) throw new Error('content_hash used before prepare()');
    const { text } = doc;
    out[at] = doc.chars;
    out[at + 1] = doc.wordCount;
    out[at + 2] = countLines(text);
    out[at + 3] = Buffer.byteLength(text, 'utf8');
    out[at + 4] = h64(text);
  },
};
