import { defineFamily } from './signal.js';

/** The column of what was redacted where: `TYPE:start-end` each (docs/pii.md). */
export const PII_SPANS_COLUMN = 'pii_spans';

/**
 * One count per placeholder type of the pipeline's PII file (`pii_email`, `pii_name`, ...), and
 * `pii_spans`: each redaction as `TYPE:start-end`, offsets in UTF-16 code units of the text the PII
 * pass read (after normalization, and C4's line removal when `c4.rewrite` is on), for `winnow why`
 * and audits. The redacted words themselves are nowhere in the run's outputs.
 */
export function piiFamily(types: readonly string[]) {
  const names = types.map((type) => `pii_${type.toLowerCase()}`);
  return defineFamily({
    name: 'pii',
    stage: 'final',
    // 4: obfuscated e-mail with "at" spelt out and "[dot]" bracketed, any case; PO boxes and PMBs in any case
    version: 4,
    description: 'PII and PHI redactions, by type (src/phi: detectors and patterns), and where they are',
    needs: { passes: ['pii'] },
    signals: [
      ...types.map((type, i) => ({ name: names[i]!, type: 'INTEGER' as const, description: `matches replaced by <${type}>` })),
      { name: PII_SPANS_COLUMN, type: 'VARCHAR[]' as const, description: 'each redaction as TYPE:start-end in the text before redaction' },
    ],
    bindWriter(out) {
      const count = names.map((name) => out[name]!);
      const spans = out[PII_SPANS_COLUMN]!;
      return ({ passes }) => {
        // The redactor counts its types in the order redactedTypes() gives, which these follow.
        for (let i = 0; i < count.length; i++) count[i]!(passes.pii.counts[i] ?? 0);
        spans(passes.pii.spans.map((s) => `${s.type}:${s.start}-${s.end}`));
      };
    },
  });
}
