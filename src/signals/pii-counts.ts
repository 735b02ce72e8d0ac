import { defineFamily } from './signal.js';

/** One count per placeholder type of the pipeline's PII patterns: `pii_email`, `pii_phone`, ... */
export function piiFamily(types: readonly string[]) {
  const names = types.map((type) => `pii_${type.toLowerCase()}`);
  return defineFamily({
    name: 'pii',
    stage: 'final',
    version: 2,
    description: 'PII and PHI redactions, by type (src/phi: detectors and patterns)',
    needs: { passes: ['pii'] },
    signals: types.map((type, i) => ({ name: names[i]!, type: 'INTEGER' as const, description: `matches replaced by <${type}>` })),
    bindWriter(out) {
      const count = names.map((name) => out[name]!);
      return ({ passes }) => {
        // The redactor counts its types in the order redactedTypes() gives, which these follow.
        for (let i = 0; i < count.length; i++) count[i]!(passes.pii.counts[i] ?? 0);
      };
    },
  });
}
