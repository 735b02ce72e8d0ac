import xxhash from 'xxhash-wasm';
import { defineFamily } from './signal.js';

let h64: ((input: string, seed?: bigint) => bigint) | undefined;

/** Counts and the content hash of the final text. Always computed. */
export const coreFamily = defineFamily({
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
  measure(doc, out) {
    if (!h64) throw new Error('content_hash used before prepare()');
    const { text } = doc;
    out.char_count(doc.chars);
    out.word_count(doc.wordCount);
    out.line_count(text === '' ? 0 : doc.lines.count);
    out.byte_count(Buffer.byteLength(text, 'utf8'));
    out.content_hash(h64(text));
  },
});
