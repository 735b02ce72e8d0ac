import type { Pipeline } from '../config/load.js';
import type { ColumnSpec } from '../io/parquet-writer.js';
import { c4Lines } from '../text/c4-lines.js';
import { makeNormalizer } from '../text/normalize.js';
import { makeDeidentifier } from '../phi/deidentify.js';
import type { RedactorOptions } from '../phi/patterns.js';
import { Spans } from '../text/spans.js';
import { sequential } from '../text/strings.js';
import { Tokens } from '../text/tokenizer.js';
import { Doc, NO_INPUTS, type DocInputs, type Passes } from './doc.js';
import { annotateFamilies, redactedTypes } from './registry.js';
import { firstUnwritten, type InputColumn, type SignalFamily, type SignalStage, type SignalValue, type TextPass } from './signal.js';

export interface Annotated {
  /** The final text: what curated rows carry and the content hash covers. */
  text: string;
  /** One value per column of `Annotator.columns`. */
  values: SignalValue[];
}

export interface Annotator {
  columns: ColumnSpec[];
  /** The input columns some family reads: `annotate` gives the others to no family. */
  inputs: ReadonlySet<InputColumn>;
  annotate(raw: string, url: string | null, source?: string | null): Annotated;
  /**
   * The same for a batch of documents (`urls` and `sources` by position; absent: null), with each
   * batched family run over the whole batch at once. The values are those `annotate` gives.
   */
  annotateMany(raws: readonly string[], urls?: readonly (string | null)[], sources?: readonly (string | null)[]): Annotated[];
}

export interface AnnotatorOptions {
  pii?: RedactorOptions;
  /** The families to measure, in column order: what annotate measures for the pipeline (`annotateFamilies`) by default. */
  families?: readonly SignalFamily[];
}

const STAGE_PASSES: Record<SignalStage, readonly TextPass[]> = { normalized: ['normalize'], cleaned: ['normalize', 'c4'], final: ['normalize', 'c4', 'pii'] };

/**
 * Everything annotate does to one document's text, in order:
 *  1. normalize (src/text/normalize.ts), and measure the "normalized" families (Gopher);
 *  2. run C4's line pass (src/text/c4-lines.ts) when a family needs it or `c4.rewrite` is on, keep
 *     its lines when `c4.rewrite` is on, and measure the "cleaned" families (C4, FineWeb);
 *  3. redact PII when `pii.enabled`, and measure the "final" families (counts, content hash,
 *     language, url) on the text curated rows will carry.
 * A stage whose text did not change shares the previous stage's document, tokens included; a
 * text a pass changed is handed on as a sequential string (src/text/strings.ts). Batched final
 * families (`SignalFamily.batched`) measure last: after each document's other families, and in
 * `annotateMany` over the whole batch, one family at a time.
 */
export async function createAnnotator(pipeline: Pipeline, options: AnnotatorOptions = {}): Promise<Annotator> {
  const families = options.families ?? annotateFamilies(pipeline);
  const normalize = makeNormalizer(pipeline.normalize);
  const redactor = pipeline.piiPatterns
    ? makeDeidentifier(pipeline.piiPatterns, { ...options.pii, types: redactedTypes(pipeline), publicContacts: pipeline.pii.public_contacts })
    : undefined;
  const needed = new Set(families.flatMap((f) => f.needs.passes));
  for (const f of families) {
    const late = f.needs.passes.find((pass) => !STAGE_PASSES[f.stage].includes(pass));
    if (late) throw new Error(`signal family ${f.name} measures the ${f.stage} text but needs the ${late} pass, which runs later`);
    if (f.needs.passes.includes('pii') && !redactor) throw new Error(`signal family ${f.name} needs the PII pass, which runs only with pii.enabled`);
  }
  for (const family of families) await family.prepare?.();
  const runC4 = pipeline.c4.rewrite || needed.has('c4');
  const inputs = new Set(families.flatMap((f) => f.needs.inputs));
  const [withUrl, withSource] = [inputs.has('url'), inputs.has('source')];
  const ordered = families.flatMap((f) => f.signals);
  const familyOf = families.flatMap((f) => f.signals.map(() => f.name));
  const offsets = families.map((_, i) => families.slice(0, i).reduce((a, f) => a + f.signals.length, 0));
  // Each family is bound to this annotator's rows once; a stage then measures by position alone.
  const stage = (name: SignalStage, batched: boolean) =>
    families
      .map((f, i) => ({ f, at: offsets[i]! }))
      .filter((x) => x.f.stage === name && x.f.batched === batched)
      .map(({ f, at }) => ({ measure: f.bind(), at }));
  for (const f of families) if (f.batched && f.stage !== 'final') throw new Error(`signal family ${f.name} is batched but measures the ${f.stage} text (only final families can be)`);
  const stages = { normalized: stage('normalized', false), cleaned: stage('cleaned', false), final: stage('final', false) };
  const batched = stage('final', true);
  // A batched family's document lives until the whole batch is measured: it keeps the passes'
  // results (texts among them) only when some batched family reads them.
  const batchedPasses = families.some((f) => f.batched && f.needs.passes.length > 0);
  const buffers = [new Tokens('', 4096), new Tokens('', 4096), new Tokens('', 4096)] as const;
  const lineBuffers = [new Spans(), new Spans(), new Spans()] as const;

  /** A document through every stage and its families, except the batched ones: its final text, and the document they measure. */
  const measure = (raw: string, url: string | null, source: string | null, values: SignalValue[]): Doc => {
    const docInputs: DocInputs = withUrl || withSource ? { url: withUrl ? url : null, source: withSource ? source : null } : NO_INPUTS;
    const normalized = normalize(raw);
    const passes: Passes = { normalize: normalized };
    const first = new Doc(normalized.text, docInputs, passes, buffers[0], pipeline.normalize.line_endings, lineBuffers[0]);
    for (const { measure, at } of stages.normalized) measure(first, values, at);

    let cleaned = first;
    if (runC4) {
      const otherBreaks = first.otherBreaks;
      passes.c4 = c4Lines(first.text, pipeline.c4, { keepText: pipeline.c4.rewrite, otherBreaks, split: otherBreaks ? undefined : first.lines });
      if (pipeline.c4.rewrite && passes.c4.text !== first.text) cleaned = new Doc(sequential(passes.c4.text), docInputs, passes, buffers[1], false, lineBuffers[1]);
    }
    for (const { measure, at } of stages.cleaned) measure(cleaned, values, at);

    let final = cleaned;
    if (redactor) {
      const pii = redactor.redact(cleaned.text);
      passes.pii = { types: redactor.types, counts: pii.counts, spans: pii.spans };
      if (pii.text !== cleaned.text) final = new Doc(sequential(pii.text), docInputs, passes, buffers[2], false, lineBuffers[2]);
    }
    for (const { measure, at } of stages.final) measure(final, values, at);
    return final;
  };
  // One pass over the row, rather than one per family: every signal must have been written.
  const checked = (values: SignalValue[]): SignalValue[] => {
    const missing = firstUnwritten(values, 0, values.length);
    if (missing >= 0) throw new Error(`signal family ${familyOf[missing]} wrote no value for ${ordered[missing]!.name}`);
    return values;
  };

  return {
    columns: ordered.map((s) => ({ name: s.name, type: s.type })),
    inputs,
    annotate(raw, url, source = null) {
      const values = new Array<SignalValue>(ordered.length);
      const final = measure(raw, url, source, values);
      for (const { measure, at } of batched) measure(final, values, at);
      return { text: final.text, values: checked(values) };
    },
    annotateMany(raws, urls, sources) {
      for (const [name, list] of [['urls', urls], ['sources', sources]] as const) {
        if (list && list.length !== raws.length) throw new Error(`annotateMany: ${list.length} ${name} for ${raws.length} texts`);
      }
      const rows = raws.map((raw, d) => {
        const values = new Array<SignalValue>(ordered.length);
        const final = measure(raw, urls?.[d] ?? null, sources?.[d] ?? null, values);
        // The stage's token buffers go to the next document: a batched family gets a document of its own.
        return { values, final: batched.length > 0 ? new Doc(final.text, final.inputs, batchedPasses ? final.passes : {}) : final };
      });
      for (const { measure, at } of batched) for (const { final, values } of rows) measure(final, values, at);
      return rows.map(({ final, values }) => ({ text: final.text, values: checked(values) }));
    },
  };
}
