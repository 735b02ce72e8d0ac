import type { Pipeline } from '../config/load.js';
import type { ColumnSpec } from '../io/parquet-writer.js';
import { c4Lines, type C4Lines } from '../text/c4-lines.js';
import { makeNormalizer } from '../text/normalize.js';
import { makeRedactor } from '../text/pii.js';
import { Tokens } from '../text/tokenizer.js';
import { Doc } from './doc.js';
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
 *  1. normalize (src/text/normalize.ts);
 *  2. measure the families of the "normalized" stage (Gopher) on that text;
 *  3. run C4's line pass (src/text/c4-lines.ts), and keep its lines when `c4.rewrite` is on;
 *  4. redact PII when `pii.enabled`;
 *  5. measure the "final" families (counts, hash, C4, FineWeb, language, url) on the final text.
 */
export async function createAnnotator(pipeline: Pipeline): Promise<Annotator> {
  const families = pipelineFamilies(pipeline);
  for (const family of families) await family.prepare?.();
  const normalize = makeNormalizer(pipeline.normalize);
  const redactor = pipeline.piiPatterns ? makeRedactor(pipeline.piiPatterns.patterns.filter((p) => redactedTypes(pipeline).includes(p.type))) : undefined;
  const needsC4 = pipeline.c4.rewrite || families.some((f) => f.name === 'c4');
  const ordered = families.flatMap((f) => f.signals);
  const offsets = families.map((_, i) => families.slice(0, i).reduce((a, f) => a + f.signals.length, 0));
  const stage = (name: SignalFamily['stage']) => families.map((f, i) => ({ f, at: offsets[i]! })).filter((x) => x.f.stage === name);
  const early = stage('normalized');
  const late = stage('final');

  const buffers = [new Tokens('', 4096), new Tokens('', 4096)] as const;

  return {
    columns: ordered.map((s) => ({ name: s.name, type: s.type })),
    annotate(raw, url) {
      const values = new Array<SignalValue>(ordered.length);
      const normalized = normalize(raw);
      const first = new Doc(normalized.text, url, { normalize: normalized }, buffers[0]);
      for (const { f, at } of early) f.measure(first, values, at);

      let c4: C4Lines | undefined;
      let text = normalized.text;
      if (needsC4) {
        c4 = c4Lines(text, pipeline.c4, { tokens: first.tokens, keepText: pipeline.c4.rewrite });
        if (pipeline.c4.rewrite) text = c4.text;
      }
      const pii = redactor?.redact(text);
      if (pii) text = pii.text;
      const passes = { normalize: normalized, ...(c4 ? { c4 } : {}), ...(pii ? { pii: { types: redactor!.types, counts: pii.counts } } : {}) };
      // Share the first document's tokens and analyses when the passes left the text alone.
      let final = first;
      if (text === first.text) first.passes = passes;
      else final = new Doc(text, url, passes, buffers[1]);
      for (const { f, at } of late) f.measure(final, values, at);
      return { text, values };
    },
  };
}
