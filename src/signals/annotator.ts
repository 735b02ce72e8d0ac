import type { Pipeline } from '../config/load.js';
import type { ColumnSpec } from '../io/parquet-writer.js';
import { c4Lines } from '../text/c4-lines.js';
import { makeNormalizer } from '../text/normalize.js';
import { makeRedactor, type RedactorOptions } from '../text/pii.js';
import { Tokens } from '../text/tokenizer.js';
import { Doc, type Passes } from './doc.js';
import { pipelineFamilies, redactedTypes } from './registry.js';
import type { SignalFamily, SignalValue } from './signal.js';

export interface Annotated {
  /** The final text: what curated rows carry and the content hash covers. */
  text: string;
  /** One value per column of `Annotator.columns`. */
  values: SignalValue[];
}

export interface Annotator {
  columns: ColumnSpec[];
  annotate(raw: string, url: string | null): Annotated;
}

/**
 * Everything annotate does to one document's text, in order:
 *  1. normalize (src/text/normalize.ts), and measure the "normalized" families (Gopher);
 *  2. run C4's line pass (src/text/c4-lines.ts), keep its lines when `c4.rewrite` is on, and
 *     measure the "cleaned" families (C4, FineWeb);
 *  3. redact PII when `pii.enabled`, and measure the "final" families (counts, content hash,
 *     language, url) on the text curated rows will carry.
 * A stage whose text did not change shares the previous stage's document, tokens included.
 */
export async function createAnnotator(pipeline: Pipeline, options: { pii?: RedactorOptions } = {}): Promise<Annotator> {
  const families = pipelineFamilies(pipeline);
  for (const family of families) await family.prepare?.();
  const normalize = makeNormalizer(pipeline.normalize);
  const redactor = pipeline.piiPatterns ? makeRedactor(pipeline.piiPatterns.patterns.filter((p) => redactedTypes(pipeline).includes(p.type)), options.pii) : undefined;
  const needsC4 = pipeline.c4.rewrite || families.some((f) => f.name === 'c4');
  const ordered = families.flatMap((f) => f.signals);
  const offsets = families.map((_, i) => families.slice(0, i).reduce((a, f) => a + f.signals.length, 0));
  const stage = (name: SignalFamily['stage']) => families.map((f, i) => ({ f, at: offsets[i]! })).filter((x) => x.f.stage === name);
  const stages = { normalized: stage('normalized'), cleaned: stage('cleaned'), final: stage('final') };
  const buffers = [new Tokens('', 4096), new Tokens('', 4096), new Tokens('', 4096)] as const;

  return {
    columns: ordered.map((s) => ({ name: s.name, type: s.type })),
    annotate(raw, url) {
      const values = new Array<SignalValue>(ordered.length);
      const normalized = normalize(raw);
      const passes: Passes = { normalize: normalized };
      const first = new Doc(normalized.text, url, passes, buffers[0]);
      for (const { f, at } of stages.normalized) f.measure(first, values, at);

      let cleaned = first;
      if (needsC4) {
        passes.c4 = c4Lines(first.text, pipeline.c4, { tokens: first.tokens, keepText: pipeline.c4.rewrite });
        if (pipeline.c4.rewrite && passes.c4.text !== first.text) cleaned = new Doc(passes.c4.text, url, passes, buffers[1]);
      }
      for (const { f, at } of stages.cleaned) f.measure(cleaned, values, at);

      let final = cleaned;
      if (redactor) {
        const pii = redactor.redact(cleaned.text);
        passes.pii = { types: redactor.types, counts: pii.counts };
        if (pii.text !== cleaned.text) final = new Doc(pii.text, url, passes, buffers[2]);
      }
      for (const { f, at } of stages.final) f.measure(final, values, at);
      return { text: final.text, values };
    },
  };
}
