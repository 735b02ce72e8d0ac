import type { AnyColumnValue, ColumnType, ColumnValue } from '../io/parquet-writer.js';
import type { Doc, DocInputs, Passes } from './doc.js';

/** A signal's value: what its column type takes in JavaScript (src/io/parquet-writer.ts), or null. */
export type SignalValue = AnyColumnValue;

/**
 * A per-document measurement, computed once in annotate and stored as a column of the shard's
 * signals file. Rules compare these columns with thresholds; changing a threshold never
 * recomputes a signal.
 */
export interface Signal<N extends string = string, T extends ColumnType = ColumnType> {
  readonly name: N;
  readonly type: T;
  readonly description: string;
}

/**
 * Signals computed together from one analysis of the document. `stage` says which text they
 * measure, in the order FineWeb applied its filters:
 *  - normalized: after normalization (Gopher's rules, which FineWeb ran before C4);
 *  - cleaned: after C4's line cleanup, when it rewrites the text (C4's and FineWeb's rules);
 *  - final: after PII redaction, the text curated rows carry (counts, content hash, language).
 */
export type SignalStage = 'normalized' | 'cleaned' | 'final';

/** The text passes whose results a family may read (`Passes`); normalization always runs, the others when needed. */
export type TextPass = 'normalize' | 'c4' | 'pii';

/** A stage sees the passes that ran before it: C4's from the cleaned stage on, PII's at the final one. */
export type PassAt<S extends SignalStage> = S extends 'final' ? TextPass : S extends 'cleaned' ? 'normalize' | 'c4' : 'normalize';

/**
 * Input columns besides the text, when the pipeline maps them: the signals file carries them, rules
 * may compare them, and a family that declares one reads it.
 */
export const INPUT_COLUMNS = ['url', 'source'] as const;
export type InputColumn = (typeof INPUT_COLUMNS)[number];

/** What a family declares it reads: the annotator runs the passes any family needs. */
export interface Needs<P extends TextPass = TextPass, I extends InputColumn = InputColumn> {
  readonly passes: readonly P[];
  readonly inputs: readonly I[];
}

/**
 * The document as a family that needs passes `P` and inputs `I` sees it: those passes' results are
 * there, and only the inputs it declared can be read. Any `Doc` is a `DocView` of no needs.
 */
export type DocView<P extends TextPass = never, I extends InputColumn = never> = Omit<Doc, 'passes' | 'inputs'> & {
  readonly passes: Passes & Required<Pick<Passes, P>>;
  readonly inputs: Pick<DocInputs, I>;
};

/** One value per signal, keyed by the signal's name and typed by its column type. */
export type Values<S extends readonly Signal[]> = { -readonly [K in S[number] as K['name']]: ColumnValue<K['type']> | null };

/**
 * Where `measure` puts a document's values: one method per signal, named as the signal, taking a
 * value of its column's type. The annotator binds a writer to its row once per family, so a value
 * goes straight to its column's place: no object per document, no lookup by name.
 */
export type SignalWriter<S extends readonly Signal[]> = { readonly [K in S[number] as K['name']]: (value: ColumnValue<K['type']> | null) => void };

/**
 * Measures one document into a row, from `at`, in `signals` order: a family bound to a row by
 * `bind`. Whoever holds the row checks that every value was written (`firstUnwritten`).
 */
export type BoundFamily = (doc: Doc, out: SignalValue[], at: number) => void;

/**
 * A family as the annotator and the registry see it, its value types erased: what it needs, the
 * columns it adds, and `bind`, which gives the annotator a function that measures a document into
 * its row. Families are made with `defineFamily`, which derives all of it from a typed declaration.
 */
export interface SignalFamily<S extends readonly Signal[] = readonly Signal[]> {
  readonly name: string;
  readonly stage: SignalStage;
  /**
   * The implementation's version: raise it with any change that changes a value this family
   * writes. Annotate's fingerprint holds it, so a run re-annotates after such a change and reuses
   * its signals after any other (test/execution/code-versions.test.ts checks the values against
   * the version).
   */
  version: number;
  readonly description: string;
  readonly needs: Needs;
  readonly signals: S;
  /**
   * Measured family by family over a batch of documents (after each document's other families),
   * not document by document: for families whose tables are megabytes (a language model, the
   * entity matcher), which the other families would evict from the CPU's cache between documents.
   * Only for the final stage, and only for families that read the text, not its tokens.
   */
  readonly batched: boolean;
  /** One-time set-up per worker thread (loading a model). */
  prepare?(): Promise<void>;
  /** The values for one document by name, checking first that the passes the family needs have run. */
  measure(doc: Doc): Values<S>;
  /** For the annotator, which runs what `needs` names before each call. */
  bind(): BoundFamily;
}

interface DeclarationBase<S extends readonly Signal[], St extends SignalStage, P extends PassAt<St>, I extends InputColumn> {
  name: string;
  stage: St;
  /** See `SignalFamily.version`. */
  version: number;
  description: string;
  /** The passes (those that ran by `stage`) and input columns `measure` reads; none if absent. */
  needs?: { passes?: readonly P[]; inputs?: readonly I[] };
  /** The columns, in column order; each names a method of `measure`'s writer, typed by its `type`. */
  signals: S;
  /** See `SignalFamily.batched`; false if absent. */
  batched?: St extends 'final' ? boolean : never;
  prepare?(): Promise<void>;
}

/**
 * A family measures through a writer in one of two ways: `measure(doc, out)`, or, where its signal
 * names are computed (one per PII type, per MinHash band) and looking each method up by name for
 * every document would cost, `bindWriter(out)`, which gets the writer once and returns the measure
 * of a document. Either way every signal must get a value: one that is not written fails the document.
 */
export type FamilyDeclaration<S extends readonly Signal[], St extends SignalStage, P extends PassAt<St>, I extends InputColumn> = DeclarationBase<S, St, P, I> &
  (
    | { measure(doc: DocView<P, I>, out: SignalWriter<S>): void; bindWriter?: never }
    | { bindWriter(out: SignalWriter<S>): (doc: DocView<P, I>) => void; measure?: never }
  );

/** The first place from `from` to `to` that no family wrote (a writer writes null, never undefined), or -1. */
export function firstUnwritten(row: readonly (SignalValue | undefined)[], from: number, to: number): number {
  for (let k = from; k < to; k++) if (row[k] === undefined) return k;
  return -1;
}

/**
 * Makes a family from its declaration. Names and value types are checked by the compiler; that
 * every signal got a value is checked after each document, because a writer cannot say at compile
 * time which methods were called (and names computed from the config, as PII's are, are not known
 * then at all).
 */
export function defineFamily<const S extends readonly Signal[], St extends SignalStage, P extends PassAt<St> = never, I extends InputColumn = never>(
  declaration: FamilyDeclaration<S, St, P, I>,
): SignalFamily<S> {
  const { name, stage, version, description, signals, prepare } = declaration;
  const names = signals.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`signal family ${name} declares a signal twice`);
  const needs: Needs = { passes: declaration.needs?.passes ?? [], inputs: declaration.needs?.inputs ?? [] };
  // Erased: the annotator meets `needs` before it calls a bound family, and `measure` checks first.
  type Writer = Record<string, (value: SignalValue) => void>;
  const { measure, bindWriter = (out: Writer) => (doc: Doc) => measure!(doc, out) } = declaration as unknown as {
    measure?: (doc: Doc, out: Writer) => void;
    bindWriter?: (out: Writer) => (doc: Doc) => void;
  };

  const bind = (): BoundFamily => {
    // One closure per signal over its own index: V8 inlines these calls where they are made, so
    // writing by name measured no slower than the positional writes it replaced (npm run bench:rules).
    const row = { out: [] as SignalValue[], at: 0 };
    const writer: Writer = {};
    names.forEach((signal, k) => (writer[signal] = (value) => void (row.out[row.at + k] = value)));
    const measureDoc = bindWriter(writer);
    return (doc, out, at) => {
      row.out = out;
      row.at = at;
      measureDoc(doc);
    };
  };

  return {
    name,
    stage,
    version,
    description,
    needs,
    signals,
    batched: declaration.batched ?? false,
    ...(prepare ? { prepare } : {}),
    measure(doc) {
      for (const pass of needs.passes) if (!doc.passes[pass]) throw new Error(`the ${name} signals need the ${pass} pass`);
      const out = new Array<SignalValue>(names.length);
      bind()(doc, out, 0);
      const missing = firstUnwritten(out, 0, names.length);
      if (missing >= 0) throw new Error(`signal family ${name} wrote no value for ${names[missing]}`);
      return Object.fromEntries(names.map((signal, k) => [signal, out[k]])) as Values<S>;
    },
    bind,
  };
}
