import type { NearDedupConfig } from '../config/pipeline.js';
import { MinHasher } from '../dedup/minhash.js';
import type { Signal, SignalFamily } from './signal.js';

/** The column of band `b`'s key. */
export const bandColumn = (b: number): string => `minhash_band_${String(b).padStart(2, '0')}`;
export const SIGNATURE_COLUMN = 'minhash_signature';

/**
 * MinHash band keys of the final text (src/dedup/minhash.ts), and the full signature when
 * near-dedup verifies its candidates (it also estimates each removal's similarity to its keeper). Computed when `dedup.near.enabled`; the dedup phase reads
 * them, rules do not.
 */
export function minhashFamily(config: NearDedupConfig): SignalFamily {
  const hasher = new MinHasher(config);
  const bands = Array.from({ length: config.bands }, (_, b) => bandColumn(b));
  const signals: Signal[] = bands.map((name, b) => ({ name, type: 'UBIGINT', description: `MinHash LSH key of band ${b} (null: fewer words than a shingle)` }));
  if (config.verify !== 'none') signals.push({ name: SIGNATURE_COLUMN, type: 'INTEGER[]', description: `the ${hasher.hashes} MinHash values, for verifying candidate pairs` });
  return {
    name: 'minhash',
    stage: 'final',
    version: 1,
    description: `MinHash signature of ${config.shingle}-word shingles, ${config.bands} bands of ${config.rows} rows`,
    signals,
    measure(doc, out, at) {
      const signature = hasher.sign(doc.tokens);
      const keys = signature ? hasher.bandKeys(signature) : undefined;
      for (let b = 0; b < config.bands; b++) out[at + b] = keys ? keys[b]! : null;
      if (config.verify !== 'none') out[at + config.bands] = signature ? signature.slice() : null;
    },
  };
}
