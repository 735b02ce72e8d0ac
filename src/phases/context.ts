import type { DuckDBConnection } from '@duckdb/node-api';
import type { Pipeline } from '../config/load.js';
import type { InputShard } from '../io/inputs.js';
import type { RunLayout } from '../io/layout.js';
import type { Annotator } from '../signals/annotator.js';

/** What every task gets: the pipeline, the run's folders and the worker's DuckDB connection. */
export interface TaskContext {
  con: DuckDBConnection;
  /** A second connection to the same engine, for streaming reads while `con` writes. */
  reader: DuckDBConnection;
  pipeline: Pipeline;
  layout: RunLayout;
  /** Reports documents and text bytes processed since the last call, for progress display. */
  progress(docs: number, bytes: number): void;
  /** The worker's annotator, built (models loaded) on first use. */
  annotator(): Promise<Annotator>;
  /** Throws when the run is being stopped (another task failed); long loops call it between batches. */
  checkAborted(): void;
}

/** The shards of a run, fixed when the run starts (work/plan.json). */
export interface RunPlan {
  inputRoot: string;
  shards: InputShard[];
}
