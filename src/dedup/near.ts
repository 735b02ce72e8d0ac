import type { NearDedupConfig } from '../config/pipeline.js';
import { sqlFileList, sqlString } from '../io/duckdb.js';

/**
 * The global half of MinHash near-deduplication, as SQL for DuckDB (which sorts, joins and groups
 * out of core, so memory is the engine's budget, not the corpus size). Documents are nodes
 * numbered shard * 2^32 + row, an order that does not depend on scheduling.
 *
 * 1. candidates, per partition of band keys: documents sharing a band key are candidates; each is
 *    paired with the first document of its bucket and with the one before it (in node order),
 *    which links the bucket without listing its n^2 pairs. Then, by `verify`: a pair is kept when
 *    the exact Jaccard similarity of its shingle sets reaches `threshold` (computed from the texts,
 *    in src/phases/near-dedup.ts), or when its signatures agree on that share of positions, or always.
 * 2. components, once over all partitions' pairs: connected components by minimum-label
 *    propagation with pointer jumping, in rounds until no label changes.
 * 3. keepers: per component, the longest document (then the first), or the first; every other
 *    member is a near duplicate of it.
 */

/** How far below the threshold a signature estimate may be and the pair still get an exact check. */
export const EXACT_PREFILTER_MARGIN = 0.2;

/** A document's node id in SQL: its shard in the high 32 bits, its row in the low ones. */
export const NODE = (shard: string, row: string): string => `(${shard}::BIGINT << 32) | ${row}::BIGINT`;

/** The estimated Jaccard similarity of two signature lists: the share of equal positions. */
export const similaritySql = (a: string, b: string): string => `len(list_filter(range(1, len(${a}) + 1), i -> ${a}[i] = ${b}[i])) / len(${a})`;

export function nearCandidatesQuery(
  signalFiles: readonly string[],
  config: NearDedupConfig,
  bandColumns: readonly string[],
  signatureColumn: string,
  partition: number,
  partitions: number,
): string {
  const files = sqlFileList(signalFiles);
  const pairs = `
    WITH keyed AS (
      SELECT shard, "row", unnest([${bandColumns.join(', ')}]) AS bucket, unnest(range(${bandColumns.length})) AS band
      FROM read_parquet(${files}) WHERE ${bandColumns[0]} IS NOT NULL
    ),
    ordered AS (
      SELECT shard, "row",
        first_value(shard) OVER w AS first_shard, first_value("row") OVER w AS first_row,
        lag(shard) OVER w AS prev_shard, lag("row") OVER w AS prev_row
      FROM keyed WHERE bucket % ${partitions} = ${partition}
      WINDOW w AS (PARTITION BY band, bucket ORDER BY shard, "row")
    ),
    pairs AS (
      SELECT DISTINCT a_shard, a_row, b_shard, b_row FROM (
        SELECT first_shard AS a_shard, first_row AS a_row, shard AS b_shard, "row" AS b_row FROM ordered WHERE prev_shard IS NOT NULL
        UNION ALL
        SELECT prev_shard, prev_row, shard, "row" FROM ordered WHERE prev_shard IS NOT NULL
      )
    )`;
  if (config.verify === 'none') {
    return `${pairs} SELECT a_shard, a_row, b_shard, b_row, NULL::DOUBLE AS similarity FROM pairs ORDER BY ALL`;
  }
  // Exact verification reads texts; pairs whose signatures are far from the threshold (five
  // standard deviations of the estimate and more) need not be read.
  const floor = config.verify === 'exact' ? Math.max(0, config.threshold - EXACT_PREFILTER_MARGIN) : config.threshold;
  return `${pairs},
    sigs AS (SELECT shard, "row", ${signatureColumn} AS sig FROM read_parquet(${files}) WHERE ${signatureColumn} IS NOT NULL),
    verified AS (
      SELECT p.*, ${similaritySql('sa.sig', 'sb.sig')} AS similarity
      FROM pairs p
      JOIN sigs sa ON sa.shard = p.a_shard AND sa."row" = p.a_row
      JOIN sigs sb ON sb.shard = p.b_shard AND sb."row" = p.b_row
    )
    SELECT * FROM verified WHERE similarity >= ${floor} ORDER BY ALL`;
}

/**
 * The texts of the documents in a partition's candidate pairs, for exact verification: each
 * document once, however many pairs it is in, so no text is copied per pair.
 */
export function pairDocumentsQuery(pairsFile: string, signalFiles: readonly string[]): string {
  const pairs = `read_parquet(${sqlString(pairsFile)})`;
  return `SELECT ${NODE('shard', '"row"')} AS node, text FROM read_parquet(${sqlFileList(signalFiles)})
    WHERE ${NODE('shard', '"row"')} IN (SELECT ${NODE('a_shard', 'a_row')} FROM ${pairs} UNION SELECT ${NODE('b_shard', 'b_row')} FROM ${pairs})`;
}

/**
 * The candidate pairs of a partition with both documents' shingle sets (a file of node and the
 * set's bytes), unordered so DuckDB streams the join instead of sorting it.
 */
export function pairSetsQuery(pairsFile: string, shingleFile: string): string {
  const sets = `read_parquet(${sqlString(shingleFile)})`;
  return `SELECT p.a_shard, p.a_row, p.b_shard, p.b_row, sa.shingles AS a_set, sb.shingles AS b_set
    FROM read_parquet(${sqlString(pairsFile)}) p
    JOIN ${sets} sa ON sa.node = ${NODE('p.a_shard', 'p.a_row')}
    JOIN ${sets} sb ON sb.node = ${NODE('p.b_shard', 'p.b_row')}`;
}

/** Statements creating the table `near_edges(a, b)` from the partitions' pair files. */
export function edgesTableSql(pairFiles: readonly string[]): string {
  return `CREATE OR REPLACE TEMP TABLE near_edges AS
    SELECT DISTINCT ${NODE('a_shard', 'a_row')} AS a, ${NODE('b_shard', 'b_row')} AS b FROM read_parquet(${sqlFileList(pairFiles)})`;
}

/** The first labels: each node of an edge, labelled by itself. */
export const INITIAL_LABELS_SQL = `CREATE OR REPLACE TEMP TABLE near_labels AS
  SELECT node, node AS label FROM (SELECT a AS node FROM near_edges UNION SELECT b FROM near_edges)`;

/**
 * One round: each node takes the smallest label among its own and its neighbours', then the
 * label of its label (pointer jumping, which halves long chains every round). Leaves the new
 * labels in near_labels and the number of changed nodes in near_changed.
 */
export const LABEL_ROUND_SQL = `
  CREATE OR REPLACE TEMP TABLE near_next AS
    SELECT node, min(label) AS label FROM (
      SELECT e.a AS node, l.label FROM near_edges e JOIN near_labels l ON l.node = e.b
      UNION ALL SELECT e.b AS node, l.label FROM near_edges e JOIN near_labels l ON l.node = e.a
      UNION ALL SELECT node, label FROM near_labels
    ) GROUP BY node;
  CREATE OR REPLACE TEMP TABLE near_jumped AS
    SELECT n.node, least(n.label, coalesce(j.label, n.label)) AS label
    FROM near_next n LEFT JOIN near_next j ON j.node = n.label;
  CREATE OR REPLACE TEMP TABLE near_changed AS
    SELECT count(*) AS n FROM near_jumped x JOIN near_labels l USING (node) WHERE x.label <> l.label;
  CREATE OR REPLACE TEMP TABLE near_labels AS SELECT * FROM near_jumped;
  DROP TABLE near_next; DROP TABLE near_jumped;`;

/**
 * Every member of a component that is not its keeper, with the component (named by the key of
 * its first document), the keeper, the estimated similarity to the keeper (when signatures
 * exist) and the component's size.
 */
export function nearDuplicatesQuery(signalFiles: readonly string[], config: NearDedupConfig, signatureColumn: string): string {
  const files = sqlFileList(signalFiles);
  const order = config.keep === 'longest' ? 'char_count DESC NULLS LAST, node' : 'node';
  const signed = config.verify !== 'none';
  const sig = signed ? `, ${signatureColumn} AS sig` : '';
  return `
    WITH members AS (
      SELECT l.node, l.label, s.shard, s."row", s.key, s.id, s.char_count${sig}
      FROM near_labels l JOIN read_parquet(${files}) s ON ${NODE('s.shard', 's."row"')} = l.node
    ),
    ranked AS (
      SELECT *,
        first_value(key) OVER (PARTITION BY label ORDER BY ${order}) AS keeper_key,
        first_value(id) OVER (PARTITION BY label ORDER BY ${order}) AS keeper_id,
        ${signed ? `first_value(sig) OVER (PARTITION BY label ORDER BY ${order})` : 'NULL'} AS keeper_sig,
        first_value(key) OVER (PARTITION BY label ORDER BY node) AS cluster,
        count(*) OVER (PARTITION BY label) AS cluster_size
      FROM members
    )
    SELECT shard, "row", cluster, cluster_size, keeper_key, keeper_id,
      ${signed ? similaritySql('sig', 'keeper_sig') : 'NULL::DOUBLE'} AS similarity
    FROM ranked WHERE key <> keeper_key
    ORDER BY shard, "row"`;
}
