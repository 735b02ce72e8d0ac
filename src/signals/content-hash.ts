import xxhash from 'xxhash-wasm';
import type { Signal } from './signal.js';

let h64: ((input: string, seed?: bigint) => bigint) | undefined;

/** xxh64 (seed 0) of the UTF-8 normalized text: equal hashes are the exact duplicates. */
export const contentHash: Signal = {
  name: 'content_hash',
  type: 'UBIGINT',
  description: 'xxh64 of the UTF-8 bytes of the normalized text (seed 0)',
  async prepare() {
    h64 ??= (await xxhash()).h64;
  },
  compute(doc) {
    if (!h64) throw new Error('content_hash used before prepare()');
    return h64(doc.text);
  },
};

/** The hash as users see it in `winnow why` and the rejected rows: 16 hex digits. */
export const formatContentHash = (hash: bigint | number | string): string => BigInt(hash).toString(16).padStart(16, '0');
