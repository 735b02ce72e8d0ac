import { join } from 'node:path';
import { boilerplateQuery } from '../dedup/lines.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';

export interface BoilerplateResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Distinct boilerplate units (lines or paragraphs) in this partition. */
  units: number;
}

/** One line-hash partition of boilerplate detection: work/dedup/lines/part-<p>.parquet. */
export async function boilerplatePartition(ctx: TaskContext, partition: number, partitions: number, signalFiles: readonly string[]): Promise<BoilerplateResult> {
  const { layout, pipeline } = ctx;
  const files = signalFiles.map((f) => join(layout.root, f));
  const query =
    files.length > 0
      ? boilerplateQuery(files, pipeline.dedup.lines, partition, partitions)
      : `SELECT NULL::UBIGINT AS hash, NULL::VARCHAR AS unit, NULL::BIGINT AS documents, NULL::BIGINT AS first_node WHERE false`;
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `lines-${partition}` }, query, layout.boilerplateFile(partition));
  return { partition, file: committed.file, units: committed.rows };
}
