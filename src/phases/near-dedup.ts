import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { MinHasher, setJaccard } from '../dedup/minhash.js';
import { edgesTableSql, INITIAL_LABELS_SQL, LABEL_ROUND_SQL, nearCandidatesQuery, nearDuplicatesQuery, pairTextsQuery } from '../dedup/near.js';
import { queryRows, sqlString, streamColumns } from '../io/duckdb.js';
import { ParquetPartWriter, type ColumnSpec } from '../io/parquet-writer.js';
import { bandColumn, SIGNATURE_COLUMN } from '../signals/minhash.js';
import { tokenize, Tokens } from '../text/tokenizer.js';
import { commitQuery } from './commit-query.js';
import type { TaskContext } from './context.js';

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
  const files = signalFiles.map((f) => join(layout.root, f));
  const bands = Array.from({ length: pipeline.dedup.near.bands }, (_, b) => bandColumn(b));
  const query =
    files.length > 0
      ? nearCandidatesQuery(files, pipeline.dedup.near, bands, SIGNATURE_COLUMN, partition, partitions)
      : `SELECT NULL::INTEGER AS a_shard, NULL::BIGINT AS a_row, NULL::INTEGER AS b_shard, NULL::BIGINT AS b_row, NULL::DOUBLE AS similarity WHERE false`;
  const exact = pipeline.dedup.near.verify === 'exact' && files.length > 0;
  const committed = await commitQuery(ctx, { phase: 'dedup', name: `near-${partition}` }, query, layout.nearPairsFile(partition), async (file, scratch) => {
    if (exact) await verifyExactly(ctx, file, files, join(scratch, 'verified'));
  });
  return { partition, file: committed.file, pairs: committed.rows };
}

/**
 * Replaces a pairs file by the pairs whose shingle sets have an exact Jaccard similarity of at
 * least the threshold, computed from the two texts (streamed in pair order, so the first
 * document of a run of pairs is shingled once).
 */
async function verifyExactly(ctx: TaskContext, pairsFile: string, signalFiles: readonly string[], scratchDir: string): Promise<void> {
  const { con, reader, pipeline } = ctx;
  const { threshold } = pipeline.dedup.near;
  const hasher = new MinHasher(pipeline.dedup.near);
  const tokens = new Tokens('', 4096);
  mkdirSync(scratchDir, { recursive: true });
  const writer = await ParquetPartWriter.open(con, scratchDir, PAIR_COLUMNS, { partRows: Infinity, partBytes: Infinity, rowGroupRows: 100_000 });
  let lastA = '';
  let setA = new Int32Array(0);
  for await (const [aShard, aRow, bShard, bRow, aText, bText] of streamColumns(reader, pairTextsQuery(pairsFile, signalFiles))) {
    ctx.checkAborted();
    const kept: DuckDBValue[][] = [[], [], [], [], []];
    for (let i = 0; i < aShard!.length; i++) {
      const a = `${aShard![i]}#${aRow![i]}`;
      if (a !== lastA) {
        setA = hasher.shingleSet(tokenize(aText![i] as string, tokens)).slice();
        lastA = a;
      }
      const similarity = setJaccard(setA, hasher.shingleSet(tokenize(bText![i] as string, tokens)));
      if (similarity < threshold) continue;
      for (const [k, v] of [aShard![i], aRow![i], bShard![i], bRow![i], similarity].entries()) kept[k]!.push(v as DuckDBValue);
    }
    await writer.append(kept, kept[0]!.length);
  }
  const [part] = await writer.close();
  renameSync(part!, pairsFile);
}

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
  const pairs = pairFiles.map((f) => join(layout.root, f));
  const signals = signalFiles.map((f) => join(layout.root, f));
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
  const committed = await commitQuery(ctx, { phase: 'cluster', name: 'near' }, query, layout.nearDuplicatesFile, async (file) => {
    const [stats] = await queryRows<{ clusters: number }>(con, `SELECT count(DISTINCT cluster) AS clusters FROM read_parquet(${sqlString(file)})`);
    clusters = stats?.clusters ?? 0;
  });
  if (pairs.length > 0 && signals.length > 0) await con.run('DROP TABLE near_edges; DROP TABLE near_labels; DROP TABLE near_changed');
  return { file: committed.file, pairs: pairCount, clusters, duplicates: committed.rows, rounds };
}

const EMPTY_NEAR = `SELECT NULL::INTEGER AS shard, NULL::BIGINT AS "row", NULL::VARCHAR AS cluster, NULL::BIGINT AS cluster_size,
  NULL::VARCHAR AS keeper_key, NULL::VARCHAR AS keeper_id, NULL::DOUBLE AS similarity WHERE false`;

