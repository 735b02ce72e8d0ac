import { join } from 'node:path';
import { exactDuplicatesQuery } from '../dedup/exact.js';
import { queryRows, sqlFileList, sqlString } from '../io/duckdb.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';

export interface ExactDedupResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Documents hashed in this partition. */
  hashed: number;
  /** Copies that are not their cluster's keeper. */
  duplicates: number;
  /** Clusters with two or more copies. */
  clusters: number;
}

const EMPTY = `SELECT NULL::INTEGER AS shard, NULL::BIGINT AS "row", NULL::UBIGINT AS content_hash,
  NULL::VARCHAR AS keeper_key, NULL::VARCHAR AS keeper_id, NULL::BIGINT AS copies WHERE false`;

/** One hash-range partition of global exact deduplication, written to work/dedup/exact/. */
export async function exactDedupPartition(
  ctx: TaskContext,
  partition: number,
  partitions: number,
  signalFiles: readonly string[],
): Promise<ExactDedupResult> {
  const { con, layout } = ctx;
  const files = signalFiles.map((f) => join(layout.root, f));
  const query = files.length > 0 ? exactDuplicatesQuery(files, partition, partitions) : EMPTY;
  let clusters = 0;
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `exact-${partition}` }, query, layout.exactDedupFile(partition), async (file) => {
    const [stats] = await queryRows<{ clusters: number }>(con, `SELECT count(DISTINCT content_hash) AS clusters FROM read_parquet(${sqlString(file)})`);
    clusters = stats?.clusters ?? 0;
  });
  const [hashed] =
    files.length === 0
      ? [{ n: 0 }]
      : await queryRows<{ n: number }>(
          con,
          `SELECT count(*) AS n FROM read_parquet(${sqlFileList(files)})
           WHERE content_hash IS NOT NULL AND content_hash % ${partitions} = ${partition}`,
        );
  return { partition, file: committed.file, hashed: hashed?.n ?? 0, duplicates: committed.rows, clusters };
}
