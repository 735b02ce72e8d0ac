import { join } from 'node:path';
import type { DuckDBBlobValue, DuckDBValue } from '@duckdb/node-api';
import { MinHasher, setJaccard } from '../dedup/minhash.js';
import { edgesTableSql, INITIAL_LABELS_SQL, LABEL_ROUND_SQL, nearCandidatesQuery, nearDuplicatesQuery, pairDocumentsQuery, pairSetsQuery } from '../dedup/near.js';
import { emptyRelation, queryRows, sqlString, streamColumns } from '../io/duckdb.js';
import { localPaths } from '../storage/storage.js';
import { reasonStruct, reasonWhen } from '../decisions/reasons-sql.js';
import type { NearDedupConfig } from '../config/pipeline.js';
import { columnValue, ParquetPartWriter, type ColumnSpec } from '../io/parquet-writer.js';
import { bandColumn, SIGNATURE_COLUMN } from '../signals/minhash.js';
import { tokenize, Tokens } from '../text/tokenizer.js';
import { RunKeys } from '../io/layout.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';
import type { ReasonSource } from './reason-source.js';
import { makeDirs } from '../storage/dirs.js';

export interface NearPairsResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Candidate pairs kept (verified, when verification is on). */
  pairs: number;
}

/** One band-key partition of near-dedup: candidate pairs, verified, written to work/dedup/near/pairs/. */
export async function nearPairsPartition(ctx: TaskContext, partition: number, partitions: number, signalFiles: readonly string[]): Promise<NearPairsResult> {
  const { layout, pipeline } = ctx;
  const files = await localPaths(layout.storage, signalFiles);
  const bands = Array.from({ length: pipeline.dedup.near.bands }, (_, b) => bandColumn(b));
  const query =
    files.length > 0
      ? nearCandidatesQuery(files, pipeline.dedup.near, bands, SIGNATURE_COLUMN, partition, partitions)
      : emptyRelation({ a_shard: 'INTEGER', a_row: 'BIGINT', b_shard: 'INTEGER', b_row: 'BIGINT', similarity: 'DOUBLE' });
  const exact = pipeline.dedup.near.verify === 'exact' && files.length > 0;
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `near-${partition}` }, query, RunKeys.nearPairs(partition), async (file, scratch) => {
    if (exact) await verifyExactly(ctx, file, files, join(scratch, 'verified'));
  });
  return { partition, file: committed.file, pairs: committed.rows };
}

/**
 * Replaces a pairs file by the pairs whose shingle sets have an exact Jaccard similarity of at
 * least the threshold. Each document of the pairs is shingled once, from its text, into a file of
 * sorted shingle-hash sets; DuckDB then joins each pair with its two sets (out of core) and
 * streams them here to be merged.
 */
async function verifyExactly(ctx: TaskContext, pairsFile: string, signalFiles: readonly string[], scratchDir: string): Promise<void> {
  const { con, reader, pipeline } = ctx;
  const hasher = new MinHasher(pipeline.dedup.near);
  const tokens = new Tokens('', 4096);
  const options = { partRows: Infinity, partBytes: Infinity, rowGroupRows: 10_000 };
  makeDirs(join(scratchDir, 'sets'));
  const sets = await ParquetPartWriter.open(con, join(scratchDir, 'sets'), SET_COLUMNS, options);
  for await (const [nodes, texts] of streamColumns(reader, pairDocumentsQuery(pairsFile, signalFiles))) {
    ctx.checkAborted();
    const bytes = texts!.map((text) => {
      const set = hasher.shingleSet(tokenize(text as string, tokens));
      return columnValue(new Uint8Array(set.buffer.slice(set.byteOffset, set.byteOffset + set.byteLength)));
    });
    await sets.append([nodes as DuckDBValue[], bytes], nodes!.length);
  }
  const [setFile] = await sets.close();

  const { threshold } = pipeline.dedup.near;
  makeDirs(join(scratchDir, 'verified'));
  const verified = await ParquetPartWriter.open(con, join(scratchDir, 'verified'), PAIR_COLUMNS, options);
  for await (const [aShard, aRow, bShard, bRow, aSet, bSet] of streamColumns(reader, pairSetsQuery(pairsFile, setFile!))) {
    ctx.checkAborted();
    const kept: DuckDBValue[][] = [[], [], [], [], []];
    for (let i = 0; i < aShard!.length; i++) {
      const similarity = setJaccard(int32s(aSet![i] as DuckDBBlobValue), int32s(bSet![i] as DuckDBBlobValue));
      if (similarity < threshold) continue;
      for (const [k, v] of [aShard![i], aRow![i], bShard![i], bRow![i], similarity].entries()) kept[k]!.push(v as DuckDBValue);
    }
    await verified.append(kept, kept[0]!.length);
  }
  const [verifiedFile] = await verified.close();
  // Pair order for a file that is the same whatever order the join streamed in.
  await con.run(`COPY (SELECT * FROM read_parquet(${sqlString(verifiedFile!)}) ORDER BY ALL) TO ${sqlString(pairsFile)} (FORMAT parquet, COMPRESSION zstd)`);
}

/** A shingle set stored as bytes, as the sorted Int32Array it was. */
function int32s(blob: DuckDBBlobValue): Int32Array {
  const { bytes } = blob;
  return bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) : new Int32Array(bytes.slice().buffer);
}

const SET_COLUMNS: ColumnSpec[] = [
  { name: 'node', type: 'BIGINT' },
  { name: 'shingles', type: 'BLOB' },
];

const PAIR_COLUMNS: ColumnSpec[] = [
  { name: 'a_shard', type: 'INTEGER' },
  { name: 'a_row', type: 'BIGINT' },
  { name: 'b_shard', type: 'INTEGER' },
  { name: 'b_row', type: 'BIGINT' },
  { name: 'similarity', type: 'DOUBLE' },
];

export interface NearClustersResult {
  /** Relative to the run folder. */
  file: string;
  /** Distinct linked pairs over all partitions. */
  pairs: number;
  /** Components of two or more documents. */
  clusters: number;
  /** Members that are not their component's keeper. */
  duplicates: number;
  /** Label-propagation rounds until no label changed. */
  rounds: number;
}

/** Near-dedup's components and keepers, over every partition's pairs: work/dedup/near/duplicates.parquet. */
export async function nearClusters(ctx: TaskContext, pairFiles: readonly string[], signalFiles: readonly string[]): Promise<NearClustersResult> {
  const { con, layout, pipeline } = ctx;
  const pairs = await localPaths(layout.storage, pairFiles);
  const signals = await localPaths(layout.storage, signalFiles);
  let rounds = 0;
  let pairCount = 0;
  let query = EMPTY_NEAR;
  if (pairs.length > 0 && signals.length > 0) {
    await con.run(edgesTableSql(pairs));
    await con.run(INITIAL_LABELS_SQL);
    for (;;) {
      ctx.checkAborted();
      rounds++;
      await con.run(LABEL_ROUND_SQL);
      const [changed] = await queryRows<{ n: number }>(con, 'SELECT n FROM near_changed');
      if ((changed?.n ?? 0) === 0) break;
    }
    pairCount = (await queryRows<{ n: number }>(con, 'SELECT count(*) AS n FROM near_edges'))[0]?.n ?? 0;
    query = nearDuplicatesQuery(signals, pipeline.dedup.near, SIGNATURE_COLUMN);
  }
  let clusters = 0;
  const committed = await commitQuery(ctx, { phase: 'cluster', name: 'near' }, query, RunKeys.nearDuplicates, async (file) => {
    const [stats] = await queryRows<{ clusters: number }>(con, `SELECT count(DISTINCT cluster) AS clusters FROM read_parquet(${sqlString(file)})`);
    clusters = stats?.clusters ?? 0;
  });
  if (pairs.length > 0 && signals.length > 0) await con.run('DROP TABLE near_edges; DROP TABLE near_labels; DROP TABLE near_changed');
  return { file: committed.file, pairs: pairCount, clusters, duplicates: committed.rows, rounds };
}

/** work/dedup/near/duplicates.parquet: each member of a cluster that is not its keeper, and the keeper. */
const EMPTY_NEAR = emptyRelation({ shard: 'INTEGER', row: 'BIGINT', cluster: 'VARCHAR', cluster_size: 'BIGINT', keeper_key: 'VARCHAR', keeper_id: 'VARCHAR', similarity: 'DOUBLE' });


export const NEAR_DUPLICATE_RULE = 'near_duplicate';

/** How near-dedup linked a pair, as the removal reason says it. */
function nearLink(near: NearDedupConfig): string {
  if (near.verify === 'none') return 'a shared MinHash band';
  return `${near.verify === 'exact' ? 'exact' : 'estimated'} Jaccard >= ${near.threshold}`;
}

/**
 * What a near-duplicate reason's threshold holds: how pairs were linked, the keeper, and the
 * cluster. Written by nearDuplicateReason and read back by `why`, here together so the two agree.
 */
export interface NearLink {
  link: string;
  keeper: string;
  cluster: string;
  size: number;
}

export function parseNearThreshold(threshold: string | null): NearLink | undefined {
  const m = /^(.+) with (.+) \(cluster (.+) of (\d+)\)$/.exec(threshold ?? '');
  return m ? { link: m[1]!, keeper: m[2]!, cluster: m[3]!, size: Number(m[4]) } : undefined;
}

/** The near-duplicate reason. value: the estimated similarity to the keeper; threshold: how pairs were linked, and to whom (NearLink). */
export function nearDuplicateReason(near: NearDedupConfig, columns: { keeper: string; similarity: string; cluster: string; clusterSize: string }): string {
  const { keeper, similarity, cluster, clusterSize } = columns;
  return reasonWhen(
    `${keeper} IS NOT NULL`,
    reasonStruct({
      rule: sqlString(NEAR_DUPLICATE_RULE),
      // Without verification no signature is stored: the pair was linked by its band keys alone.
      signal: sqlString(near.verify === 'none' ? 'minhash_bands' : 'minhash_signature'),
      op: sqlString('linked'),
      value: `coalesce(printf('%.3f', ${similarity}), 'null')`,
      threshold: `${sqlString(nearLink(near))} || ' with ' || ${keeper} || ' (cluster ' || ${cluster} || ' of ' || ${clusterSize} || ')'`,
    }),
  );
}

/** Members of a near-duplicate cluster other than its keeper (work/dedup/near/duplicates.parquet, the cluster step's). */
export const nearDuplicateSource: ReasonSource<'near_duplicate'> = {
  name: 'near_duplicate',
  rules: (pipeline) => (pipeline.dedup.near.enabled ? [NEAR_DUPLICATE_RULE] : []),
  async judge(ctx, shard, { file }) {
    const path = sqlString(await ctx.layout.storage.localPath(file));
    return {
      joins: ` LEFT JOIN (SELECT "row", keeper_key, keeper_id, cluster, cluster_size, similarity FROM read_parquet(${path}) WHERE shard = ${shard.index}) n ON n."row" = s."row"`,
      reasons: [nearDuplicateReason(ctx.pipeline.dedup.near, { keeper: 'n.keeper_key', similarity: 'n.similarity', cluster: 'n.cluster', clusterSize: 'n.cluster_size' })],
      duplicateOf: { key: 'n.keeper_key', id: 'n.keeper_id' },
      nearCluster: 'n.cluster',
    };
  },
  explain(r) {
    const near = r.rule === NEAR_DUPLICATE_RULE ? parseNearThreshold(r.threshold) : undefined;
    if (!near) return undefined;
    const similar = r.value === 'null' ? 'shares a MinHash band' : `estimated Jaccard similarity ${r.value}`;
    return (
      `near_duplicate: ${similar} with ${near.keeper}, the kept document of its cluster ` +
      `(${near.size} documents, named ${near.cluster}; pairs linked by ${near.link})`
    );
  },
};
