import type { NearDedupConfig } from '../config/pipeline.js';
import { MinHasher } from '../dedup/minhash.js';
import { defineFamily, type Signal } from './signal.js';

/** The column of band `b`'s key. */
export const bandColumn = (b: number): string => `minhash_band_${String(b).padStart(2, '0')}`;
export const SIGNATURE_COLUMN = 'minhash_signature';

/**
 * MinHash band keys of the final text (src/dedup/minhash.ts), and the full signature when
 * near-dedup verifies its candidates (it also estimates each removal's similarity to its keeper). Computed when `dedup.near.enabled`; the dedup phase reads
 * them, rules do not.
 */
export function minhashFamily(config: NearDedupConfig) {
  const hasher = new MinHasher(config);
  const bands = Array.from({ length: config.bands }, (_, b) => bandColumn(b));
  const signals: Signal<string, 'UBIGINT' | 'INTEGER[]'>[] = bands.map((name, b) => ({ name, type: 'UBIGINT', description: `MinHash LSH key of band ${b} (null: fewer words than a shingle)` }));
  const verify = config.verify !== 'none';
  if (verify) signals.push({ name: SIGNATURE_COLUMN, type: 'INTEGER[]', description: `the ${hasher.hashes} MinHash values, for verifying candidate pairs` });
  return defineFamily({
    name: 'minhash',
    stage: 'final',
    version: 1,
    description: `MinHash signature of ${config.shingle}-word shingles, ${config.bands} bands of ${config.rows} rows`,
    signals,
    bindWriter(out) {
      const band = bands.map((name) => out[name]!);
      const fullSignature = verify ? out[SIGNATURE_COLUMN]! : undefined;
      return (doc) => {
        const signature = hasher.sign(doc.tokens);
        const keys = signature ? hasher.bandKeys(signature) : undefined;
        for (let b = 0; b < band.length; b++) band[b]!(keys ? keys[b]! : null);
        // The hasher reuses its signature buffer: the row keeps a copy.
        fullSignature?.(signature ? signature.slice() : null);
      };
    },
  });
}
