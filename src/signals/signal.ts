import type { ColumnType } from '../io/parquet-writer.js';
import type { Doc } from './doc.js';

export type SignalValue = number | bigint | string | boolean | null;

/**
 * A per-document measurement, computed once in annotate and stored as a column of the shard's
 * signals file. Rules compare these columns with thresholds; changing a threshold never
 * recomputes a signal.
 */
export interface Signal {
  name: string;
  type: ColumnType;
  description: string;
  /** One-time set-up per worker thread (loading a model, instantiating wasm). */
  prepare?(): Promise<void>;
  compute(doc: Doc): SignalValue;
}
