import type { SignalFamily } from './signal.js';

/** One count per placeholder type of the pipeline's PII patterns: `pii_email`, `pii_phone`, ... */
export function piiFamily(types: readonly string[]): SignalFamily {
  return {
    name: 'pii',
    stage: 'final',
    version: 1,
    description: 'PII and PHI redactions, by type',
    signals: types.map((type) => ({ name: `pii_${type.toLowerCase()}`, type: 'INTEGER' as const, description: `matches replaced by <${type}>` })),
    measure({ passes }, out, at) {
      for (let i = 0; i < types.length; i++) out[at + i] = passes.pii?.counts[i] ?? 0;
    },
  };
}
