import { sqlFileList } from '../io/duckdb.js';

/**
 * Exact duplicates in one hash-range partition of the corpus. Documents with equal content
 * hashes form a cluster; the keeper is the copy with the lowest (shard, row), a total order that
 * does not depend on how shards were scheduled. Every other copy becomes a row naming its keeper.
 * DuckDB sorts out of core, so a partition larger than memory spills to disk.
 */
export function exactDuplicatesQuery(signalFiles: readonly string[], partition: number, partitions: number): string {
  return `
    WITH hashed AS (
      SELECT shard, "row", key, id, content_hash
      FROM read_parquet(${sqlFileList(signalFiles)})
      WHERE content_hash IS NOT NULL AND content_hash % ${partitions} = ${partition}
    ),
    ranked AS (
      SELECT shard, "row", content_hash,
        first_value(key) OVER cluster AS keeper_key,
        first_value(id) OVER cluster AS keeper_id,
        row_number() OVER cluster AS copy_rank,
        count(*) OVER (PARTITION BY content_hash) AS copies
      FROM hashed
      WINDOW cluster AS (PARTITION BY content_hash ORDER BY shard, "row")
    )
    SELECT shard, "row", content_hash, keeper_key, keeper_id, copies
    FROM ranked WHERE copy_rank > 1
    ORDER BY shard, "row"`;
}
