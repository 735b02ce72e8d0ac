import { exactDuplicatesQuery } from '../dedup/exact.js';
import { emptyRelation, queryRows, sqlFileList, sqlString } from '../io/duckdb.js';
import { localPaths } from '../storage/storage.js';
import { reasonStruct, reasonWhen } from '../decisions/reasons-sql.js';
import { RunKeys } from '../io/layout.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';
import type { ReasonSource } from './reason-source.js';

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

/** The columns of work/dedup/exact/ files: each copy that is not its cluster's keeper, and its keeper. */
const COLUMNS = { shard: 'INTEGER', row: 'BIGINT', content_hash: 'UBIGINT', keeper_key: 'VARCHAR', keeper_id: 'VARCHAR', copies: 'BIGINT' };

/** One hash-range partition of global exact deduplication, written to work/dedup/exact/. */
export async function exactDedupPartition(
  ctx: TaskContext,
  partition: number,
  partitions: number,
  signalFiles: readonly string[],
): Promise<ExactDedupResult> {
  const { con, layout } = ctx;
  const files = await localPaths(layout.storage, signalFiles);
  const query = files.length > 0 ? exactDuplicatesQuery(files, partition, partitions) : emptyRelation(COLUMNS);
  let clusters = 0;
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `exact-${partition}` }, query, RunKeys.exactDedup(partition), async (file) => {
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

export const EXACT_DUPLICATE_RULE = 'exact_duplicate';

/** The exact-duplicate reason: the row's content hash (value) and its keeper's key (threshold). */
export function exactDuplicateReason(keeperKey: string, contentHash: string): string {
  return reasonWhen(
    `${keeperKey} IS NOT NULL`,
    reasonStruct({
      rule: sqlString(EXACT_DUPLICATE_RULE),
      signal: sqlString('content_hash'),
      op: sqlString('=='),
      value: `lpad(lower(hex(${contentHash})), 16, '0')`,
      threshold: `'content_hash of ' || ${keeperKey}`,
    }),
  );
}

/** Copies of a document's exact content after the first: global, over every shard (work/dedup/exact/). */
export const exactDuplicateSource: ReasonSource<'exact_duplicate'> = {
  name: 'exact_duplicate',
  rules: (pipeline) => (pipeline.dedup.exact.enabled ? [EXACT_DUPLICATE_RULE] : []),
  async judge(ctx, shard, { files }) {
    if (files.length === 0) return { reasons: [] };
    const paths = sqlFileList(await localPaths(ctx.layout.storage, files));
    return {
      joins: ` LEFT JOIN (SELECT "row", keeper_key, keeper_id FROM read_parquet(${paths}) WHERE shard = ${shard.index}) d ON d."row" = s."row"`,
      reasons: [exactDuplicateReason('d.keeper_key', 's.content_hash')],
      duplicateOf: { key: 'd.keeper_key', id: 'd.keeper_id' },
      exactKeeper: { key: 'd.keeper_key', id: 'd.keeper_id' },
    };
  },
  explain(r, links) {
    if (r.rule !== EXACT_DUPLICATE_RULE) return undefined;
    const keeper = links.exact_keeper ?? links.duplicate_of;
    const keeperId = links.exact_keeper !== undefined && links.exact_keeper !== null ? links.exact_keeper_id : links.duplicate_of_id;
    const same = `exact_duplicate: same content (content_hash ${r.value}) as ${keeperId ?? '(no id)'} (key ${keeper}), its cluster's keeper`;
    return keeper === links.duplicate_of || !links.duplicate_of
      ? same
      : `${same}, itself a near duplicate of ${links.duplicate_of_id ?? '(no id)'} (key ${links.duplicate_of}), the copy kept`;
  },
};
