import type { ColumnType } from '../io/parquet-writer.js';
import type { Doc } from './doc.js';

/** A signal's value; an Int32Array is stored as a list column (INTEGER[]). */
export type SignalValue = number | bigint | string | boolean | null | Int32Array;

/**
 * A per-document measurement, computed once in annotate and stored as a column of the shard's
 * signals file. Rules compare these columns with thresholds; changing a threshold never
 * recomputes a signal.
 */
export interface Signal {
  name: string;
  type: ColumnType;
  description: string;
}

/**
 * Signals computed together from one analysis of the document. `stage` says which text they
 * measure, in the order FineWeb applied its filters:
 *  - normalized: after normalization (Gopher's rules, which FineWeb ran before C4);
 *  - cleaned: after C4's line cleanup, when it rewrites the text (C4's and FineWeb's rules);
 *  - final: after PII redaction, the text curated rows carry (counts, content hash, language).
 */
export type SignalStage = 'normalized' | 'cleaned' | 'final';

export interface SignalFamily {
  name: string;
  stage: SignalStage;
  /**
   * The implementation's version: raise it with any change that changes a value this family
   * writes. Annotate's fingerprint holds it, so a run re-annotates after such a change and reuses
   * its signals after any other (test/execution/code-versions.test.ts checks the values against
   * the version).
   */
  version: number;
  description: string;
  signals: readonly Signal[];
  /** One-time set-up per worker thread (loading a model). */
  prepare?(): Promise<void>;
  /** Writes one value per signal, in the order of `signals`, into `out` from `at`. */
  measure(doc: Doc, out: SignalValue[], at: number): void;
}
