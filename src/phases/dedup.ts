import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { exactDuplicatesQuery } from '../dedup/exact.js';
import type { DuckDBValue } from '@duckdb/node-api';
import { boilerplateQuery } from '../dedup/lines.js';
import { MinHasher, setJaccard } from '../dedup/minhash.js';
import { edgesTableSql, INITIAL_LABELS_SQL, LABEL_ROUND_SQL, nearCandidatesQuery, nearDuplicatesQuery, pairTextsQuery } from '../dedup/near.js';
import { ParquetPartWriter, type ColumnSpec } from '../io/parquet-writer.js';
import { tokenize, Tokens } from '../text/tokenizer.js';
import { bandColumn, SIGNATURE_COLUMN } from '../signals/minhash.js';
import { queryRows, sqlFileList, sqlString, streamColumns } from '../io/duckdb.js';
import { freshDir } from '../io/files.js';
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
  const tmpDir = freshDir(layout.taskTmp('dedup', String(partition)));
  const tmp = join(tmpDir, 'exact.parquet');
  const query = files.length > 0 ? exactDuplicatesQuery(files, partition, partitions) : EMPTY;
  await con.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);

  const [stats] = await queryRows<{ duplicates: number; clusters: number }>(
    con,
    `SELECT count(*) AS duplicates, count(DISTINCT content_hash) AS clusters FROM read_parquet(${sqlString(tmp)})`,
  );
  const [hashed] =
    files.length === 0
      ? [{ n: 0 }]
      : await queryRows<{ n: number }>(
          con,
          `SELECT count(*) AS n FROM read_parquet(${sqlFileList(files)})
           WHERE content_hash IS NOT NULL AND content_hash % ${partitions} = ${partition}`,
        );
  const final = layout.exactDedupFile(partition);
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
  rmSync(tmpDir, { recursive: true, force: true });
  return {
    partition,
    file: relative(layout.root, final),
    hashed: hashed?.n ?? 0,
    duplicates: stats?.duplicates ?? 0,
    clusters: stats?.clusters ?? 0,
  };
}

export interface NearPairsResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Candidate pairs kept (verified, when verification is on). */
  pairs: number;
}

/** One band-key partition of near-dedup: candidate pairs, verified, written to work/dedup/near/pairs/. */
export async function nearPairsPartition(ctx: TaskContext, partition: number, partitions: number, signalFiles: readonly string[]): Promise<NearPairsResult> {
  const { con, layout, pipeline } = ctx;
  const files = signalFiles.map((f) => join(layout.root, f));
  const tmpDir = freshDir(layout.taskTmp('dedup', `near-${partition}`));
  const tmp = join(tmpDir, 'pairs.parquet');
  const bands = Array.from({ length: pipeline.dedup.near.bands }, (_, b) => bandColumn(b));
  const query =
    files.length > 0
      ? nearCandidatesQuery(files, pipeline.dedup.near, bands, SIGNATURE_COLUMN, partition, partitions)
      : `SELECT NULL::INTEGER AS a_shard, NULL::BIGINT AS a_row, NULL::INTEGER AS b_shard, NULL::BIGINT AS b_row, NULL::DOUBLE AS similarity WHERE false`;
  await con.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  if (pipeline.dedup.near.verify === 'exact' && files.length > 0) await verifyExactly(ctx, tmp, files, join(tmpDir, 'verified'));
  const [stats] = await queryRows<{ n: number }>(con, `SELECT count(*) AS n FROM read_parquet(${sqlString(tmp)})`);
  const final = layout.nearPairsFile(partition);
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
  rmSync(tmpDir, { recursive: true, force: true });
  return { partition, file: relative(layout.root, final), pairs: stats?.n ?? 0 };
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
  const tmpDir = freshDir(layout.taskTmp('cluster', 'near'));
  const tmp = join(tmpDir, 'duplicates.parquet');
  const pairs = pairFiles.map((f) => join(layout.root, f));
  const signals = signalFiles.map((f) => join(layout.root, f));
  let rounds = 0;
  let pairCount = 0;
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
    await con.run(`COPY (${nearDuplicatesQuery(signals, pipeline.dedup.near, SIGNATURE_COLUMN)}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    await con.run('DROP TABLE near_edges; DROP TABLE near_labels; DROP TABLE near_changed');
  } else {
    await con.run(`COPY (${EMPTY_NEAR}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  }
  const [stats] = await queryRows<{ duplicates: number; clusters: number }>(
    con,
    `SELECT count(*) AS duplicates, count(DISTINCT cluster) AS clusters FROM read_parquet(${sqlString(tmp)})`,
  );
  const final = layout.nearDuplicatesFile;
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
  rmSync(tmpDir, { recursive: true, force: true });
  return { file: relative(layout.root, final), pairs: pairCount, clusters: stats?.clusters ?? 0, duplicates: stats?.duplicates ?? 0, rounds };
}

const EMPTY_NEAR = `SELECT NULL::INTEGER AS shard, NULL::BIGINT AS "row", NULL::VARCHAR AS cluster, NULL::BIGINT AS cluster_size,
  NULL::VARCHAR AS keeper_key, NULL::VARCHAR AS keeper_id, NULL::DOUBLE AS similarity WHERE false`;

export interface BoilerplateResult {
  partition: number;
  /** Relative to the run folder. */
  file: string;
  /** Distinct boilerplate units (lines or paragraphs) in this partition. */
  units: number;
}

/** One line-hash partition of boilerplate detection: work/dedup/lines/part-<p>.parquet. */
export async function boilerplatePartition(ctx: TaskContext, partition: number, partitions: number, signalFiles: readonly string[]): Promise<BoilerplateResult> {
  const { con, layout, pipeline } = ctx;
  const files = signalFiles.map((f) => join(layout.root, f));
  const tmpDir = freshDir(layout.taskTmp('dedup', `lines-${partition}`));
  const tmp = join(tmpDir, 'lines.parquet');
  const query =
    files.length > 0
      ? boilerplateQuery(files, pipeline.dedup.lines, partition, partitions)
      : `SELECT NULL::UBIGINT AS hash, NULL::VARCHAR AS unit, NULL::BIGINT AS documents, NULL::BIGINT AS first_node WHERE false`;
  await con.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  const [stats] = await queryRows<{ n: number }>(con, `SELECT count(*) AS n FROM read_parquet(${sqlString(tmp)})`);
  const final = layout.boilerplateFile(partition);
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
  rmSync(tmpDir, { recursive: true, force: true });
  return { partition, file: relative(layout.root, final), units: stats?.n ?? 0 };
}
