import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyRelation, queryRows, sqlFileList, sqlString } from '../io/duckdb.js';
import { csvField } from '../io/files.js';
import type { MetNode, MetTree, NodeType } from './tree.js';
import { distribution, solveScale, weightSql, type Distribution, type WeightSettings } from './weights.js';

/** The columns of a shard's entity tally (work/met/tally/): each document that mentions a node. */
export const TALLY_COLUMNS = { key: 'VARCHAR', id: 'VARCHAR', source: 'VARCHAR', kept: 'BOOLEAN', words: 'INTEGER', nodes: 'VARCHAR[]', counts: 'INTEGER[]' };

/** Documents before filtering (every document of the shards read) and after (those decide keeps). */
export interface BeforeAfter {
  before: number;
  after: number;
}

export interface SourceTotals {
  documents: BeforeAfter;
  with_entities: BeforeAfter;
}

/** Coverage of one node type (diseases, anatomy, ...), before and after filtering. */
export interface TypeCoverage {
  nodes: number;
  leaves: number;
  /** Leaves with at least one document, and with at least `thin_documents`. */
  leaves_with_1: BeforeAfter;
  leaves_with_thin: BeforeAfter;
  /** Rare diseases (and their descendants' documents rolled up) with at least one, and `thin_documents`, documents. */
  rare: number;
  rare_with_1: BeforeAfter;
  rare_with_thin: BeforeAfter;
  /** Direct mentions of the type's nodes. */
  mentions: BeforeAfter;
  /** Gini coefficient of direct mentions over every node of the type (0: even, 1: all on one node). */
  gini: BeforeAfter;
  /** Share of the type's mentions that fall on its top 1% of nodes. */
  top1_share: BeforeAfter;
}

export interface SourceCoverage {
  documents: BeforeAfter;
  with_entities: BeforeAfter;
  mentions: BeforeAfter;
  /** Distinct nodes mentioned, and distinct rare diseases. */
  nodes: BeforeAfter;
  rare: BeforeAfter;
}

export interface MetCoverage {
  tree: { name: string; sha256: string; nodes: number };
  thin_documents: number;
  documents: BeforeAfter;
  with_entities: BeforeAfter;
  /** Documents that mention a rare disease: compare their retention with `documents`' to see whether filtering cuts the tail. */
  with_rare: BeforeAfter;
  by_type: Partial<Record<NodeType, TypeCoverage>>;
  by_source: Record<string, SourceCoverage>;
  gaps: { rows: number; rare: number; branches: number };
  balance?: Balance;
}

/** One node's counts: direct mentions, and rolled up (the node and every node under it, each document once). */
export interface NodeCounts {
  id: string;
  docs_before: number;
  docs_after: number;
  mentions_before: number;
  mentions_after: number;
  rolled_docs_before: number;
  rolled_docs_after: number;
  rolled_mentions_before: number;
  rolled_mentions_after: number;
}

export interface GapRow {
  rank: number;
  id: string;
  label: string;
  kind: 'rare disease' | 'branch';
  type: NodeType;
  depth: number;
  /** Nodes under it (itself included), rare diseases among them, and those with fewer than `thin_documents` kept documents. */
  subtree_nodes: number;
  subtree_rare: number;
  subtree_thin: number;
  docs_before: number;
  docs_after: number;
  mesh: string;
  orphanet: string;
  gard: string;
  icd10cm: string;
  umls: string;
}

export interface CoverageOptions {
  thinDocuments: number;
  gapRows: number;
  /** Balancing weights, when on: the scale and the distribution before and after are reported. */
  weights?: WeightSettings;
}

/** What balancing did: its settings and scale, and the distribution of node mass before (documents) and after (weights). */
export interface Balance {
  settings: WeightSettings;
  /** Z in weight = clip(Z * g^(T-1)) (src/met/weights.ts). */
  scale: number;
  /** Kept documents with entities, and how many hit each clip. */
  documents: number;
  at_max_repeat: number;
  at_min_weight: number;
  /** Sum of weights over kept documents with entities (their count, unless the clips made it impossible). */
  total_weight: number;
  distribution: { before: Distribution; after: Distribution };
  /** Words of kept documents under each top-level branch (depth 2), unweighted and weighted. */
  words_per_branch: { id: string; label: string; before: number; after: number }[];
}

export interface CoverageFiles {
  /** Per node: the tree's facts and NodeCounts, by id. */
  nodes: string;
  /** Kept documents per node (node, key, id, mentions), sorted by node: what `winnow met docs` reads. */
  index: string;
  gapsCsv: string;
  gapsJson: string;
}

const XREF_COLUMNS = { mesh: 'MESH:', orphanet: 'ORDO:', gard: 'GARD:', icd10cm: 'ICD10CM:', umls: 'UMLS_CUI:' } as const;

/**
 * Coverage of the tree by a run's documents, before and after filtering, from every shard's
 * entity tally: counts per node (direct and rolled up the hierarchy), coverage per node type and
 * per source, concentration, and the gap report. DuckDB does the per-document work out of core;
 * per-node figures (tens of thousands of rows) are finished here, in a fixed order, so the files
 * are the same on every run.
 */
export async function computeCoverage(
  con: DuckDBConnection,
  tree: MetTree,
  tallyFiles: readonly string[],
  totals: Record<string, SourceTotals>,
  options: CoverageOptions,
  scratch: string,
  out: CoverageFiles,
): Promise<MetCoverage> {
  await loadTree(con, tree, scratch);
  const tally = tallyFiles.length > 0 ? `read_parquet(${sqlFileList(tallyFiles)})` : `(${emptyRelation(TALLY_COLUMNS)})`;
  await con.run(`CREATE OR REPLACE TEMP TABLE met_mention AS
    SELECT key, id, coalesce(source, '(null)') AS source, kept, words, unnest(nodes) AS node, unnest(counts) AS n FROM ${tally}`);
  await con.run(`CREATE OR REPLACE TEMP TABLE met_counts AS
    WITH direct AS (
      SELECT node, count(*) AS docs_before, count(*) FILTER (WHERE kept) AS docs_after,
        sum(n) AS mentions_before, coalesce(sum(n) FILTER (WHERE kept), 0) AS mentions_after
      FROM met_mention GROUP BY node),
    rolled AS (
      SELECT c.ancestor AS node, count(DISTINCT m.key) AS docs_before, count(DISTINCT m.key) FILTER (WHERE m.kept) AS docs_after,
        sum(m.n) AS mentions_before, coalesce(sum(m.n) FILTER (WHERE m.kept), 0) AS mentions_after
      FROM met_mention m JOIN met_closure c ON c.node = m.node GROUP BY 1)
    SELECT t.id,
      coalesce(d.docs_before, 0)::BIGINT AS docs_before, coalesce(d.docs_after, 0)::BIGINT AS docs_after,
      coalesce(d.mentions_before, 0)::BIGINT AS mentions_before, coalesce(d.mentions_after, 0)::BIGINT AS mentions_after,
      coalesce(r.docs_before, 0)::BIGINT AS rolled_docs_before, coalesce(r.docs_after, 0)::BIGINT AS rolled_docs_after,
      coalesce(r.mentions_before, 0)::BIGINT AS rolled_mentions_before, coalesce(r.mentions_after, 0)::BIGINT AS rolled_mentions_after
    FROM met_tree_node t LEFT JOIN direct d ON d.node = t.id LEFT JOIN rolled r ON r.node = t.id`);
  await con.run(`COPY (SELECT node, key, any_value(id) AS id, sum(n)::BIGINT AS mentions FROM met_mention WHERE kept GROUP BY node, key ORDER BY node, key)
    TO ${sqlString(out.index)} (FORMAT parquet, COMPRESSION zstd)`);

  const counts = new Map((await queryRows<NodeCounts>(con, 'SELECT * FROM met_counts ORDER BY id')).map((c) => [c.id, c]));
  const bySource = await sourceCoverage(con, totals);
  const [rareDocs] = await queryRows<{ before: number; after: number }>(
    con,
    `SELECT count(DISTINCT key) AS before, count(DISTINCT key) FILTER (WHERE kept) AS after
     FROM met_mention m JOIN met_tree_node t ON t.id = m.node WHERE t.rare`,
  );
  const balance = options.weights ? await balanceWeights(con, options.weights) : undefined;
  // With weights on, each node also gets the weight of the kept documents under it (the report's
  // tree map after weighting); rounded as the balance's figures are, so the file is the same on every run.
  const weighted = balance
    ? {
        column: ', round(coalesce(wt.w, 0), 6) AS rolled_weight_after',
        join: ` LEFT JOIN (SELECT u.ancestor AS id, sum(d.w ORDER BY d.key) AS w
          FROM (SELECT DISTINCT m.key, x.ancestor FROM met_mention m JOIN met_closure x ON x.node = m.node WHERE m.kept) u
          JOIN met_doc d USING (key) GROUP BY 1) wt USING (id)`,
      }
    : { column: '', join: '' };
  await con.run(`COPY (SELECT t.id, t.label, t.type, t.rare, t.depth, t.leaf, c.* EXCLUDE (id)${weighted.column}
    FROM met_tree_node t JOIN met_counts c USING (id)${weighted.join} ORDER BY t.id) TO ${sqlString(out.nodes)} (FORMAT parquet, COMPRESSION zstd)`);
  await con.run(`DROP TABLE met_mention; DROP TABLE met_counts; DROP TABLE met_tree_node; DROP TABLE met_closure${balance ? '; DROP TABLE met_doc' : ''}`);

  const gaps = gapRows(tree, counts, options);
  writeGaps(gaps, out);
  const all = totals['(all)'] ?? { documents: { before: 0, after: 0 }, with_entities: { before: 0, after: 0 } };
  return {
    tree: { name: tree.file.name, sha256: tree.hash, nodes: tree.nodes.length },
    thin_documents: options.thinDocuments,
    documents: all.documents,
    with_entities: all.with_entities,
    with_rare: { before: rareDocs?.before ?? 0, after: rareDocs?.after ?? 0 },
    by_type: typeCoverage(tree, counts, options.thinDocuments),
    by_source: bySource,
    gaps: { rows: gaps.length, rare: gaps.filter((g) => g.kind === 'rare disease').length, branches: gaps.filter((g) => g.kind === 'branch').length },
    ...(balance ? { balance } : {}),
  };
}

/**
 * The balancing weights' scale (src/met/weights.ts), from the histogram of each kept document's
 * rarest-node frequency, and what they do to the distribution: decide applies the same formula
 * to each curated row. Leaves met_doc (each kept document's weight `w`) for the nodes file.
 */
async function balanceWeights(con: DuckDBConnection, settings: WeightSettings): Promise<Balance> {
  await con.run(`CREATE OR REPLACE TEMP TABLE met_doc AS
    SELECT m.key, any_value(m.words) AS words, min(c.docs_after) AS g
    FROM met_mention m JOIN met_counts c ON c.id = m.node WHERE m.kept GROUP BY m.key`);
  const histogram = await queryRows<{ g: number; documents: number }>(con, 'SELECT g, count(*) AS documents FROM met_doc GROUP BY g ORDER BY g');
  const scale = solveScale(histogram, settings);
  await con.run(`ALTER TABLE met_doc ADD COLUMN w DOUBLE; UPDATE met_doc SET w = ${weightSql('g', scale, settings)}`);
  const [clips] = await queryRows<{ documents: number; at_max: number; at_min: number; total: number }>(
    con,
    `SELECT count(*) AS documents, count(*) FILTER (WHERE w >= ${settings.max_repeat}) AS at_max,
       count(*) FILTER (WHERE w <= ${settings.min_weight}) AS at_min, coalesce(sum(w ORDER BY key), 0) AS total FROM met_doc`,
  );
  const mass = await queryRows<{ id: string; rare: boolean; before: number; after: number }>(
    con,
    `SELECT t.id, t.rare, count(d.key) AS before, coalesce(sum(d.w ORDER BY d.key), 0) AS after
     FROM met_tree_node t LEFT JOIN (SELECT DISTINCT m.node, m.key FROM met_mention m WHERE m.kept) m ON m.node = t.id
     LEFT JOIN met_doc d ON d.key = m.key WHERE t.type <> 'branch' GROUP BY t.id, t.rare ORDER BY t.id`,
  );
  const branches = await queryRows<{ id: string; label: string; before: number; after: number }>(
    con,
    `SELECT t.id, t.label, coalesce(sum(d.words), 0) AS before, coalesce(sum(d.words * d.w ORDER BY d.key), 0) AS after
     FROM met_tree_node t
     LEFT JOIN (SELECT DISTINCT c.ancestor, m.key FROM met_mention m JOIN met_closure c ON c.node = m.node WHERE m.kept) u ON u.ancestor = t.id
     LEFT JOIN met_doc d ON d.key = u.key WHERE t.depth = 2 GROUP BY t.id, t.label ORDER BY t.id`,
  );
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    settings,
    scale,
    documents: clips?.documents ?? 0,
    at_max_repeat: clips?.at_max ?? 0,
    at_min_weight: clips?.at_min ?? 0,
    total_weight: r(clips?.total ?? 0),
    distribution: {
      before: distribution(mass.map((m) => ({ rare: m.rare, mass: m.before }))),
      after: distribution(mass.map((m) => ({ rare: m.rare, mass: m.after }))),
    },
    words_per_branch: branches.map((b) => ({ id: b.id, label: b.label, before: b.before, after: r(b.after) })),
  };
}

/** The tree as two tables: its nodes with the facts coverage needs, and every (node, ancestor) pair, the node itself included. */
async function loadTree(con: DuckDBConnection, tree: MetTree, scratch: string): Promise<void> {
  const nodesFile = join(scratch, 'met-nodes.jsonl');
  const closureFile = join(scratch, 'met-closure.jsonl');
  writeFileSync(nodesFile, tree.nodes.map((n) => JSON.stringify({ id: n.id, label: n.label, type: n.type, rare: n.rare, depth: n.depth, leaf: tree.isLeaf(n.id) })).join('\n') + '\n');
  writeFileSync(closureFile, tree.nodes.flatMap((n) => [n.id, ...tree.ancestors(n.id)].map((a) => JSON.stringify({ node: n.id, ancestor: a }))).join('\n') + '\n');
  await con.run(`CREATE OR REPLACE TEMP TABLE met_tree_node AS SELECT * FROM read_json(${sqlString(nodesFile)}, format = 'newline_delimited',
    columns = {id: 'VARCHAR', label: 'VARCHAR', type: 'VARCHAR', rare: 'BOOLEAN', depth: 'INTEGER', leaf: 'BOOLEAN'})`);
  await con.run(`CREATE OR REPLACE TEMP TABLE met_closure AS SELECT * FROM read_json(${sqlString(closureFile)}, format = 'newline_delimited',
    columns = {node: 'VARCHAR', ancestor: 'VARCHAR'})`);
}

async function sourceCoverage(con: DuckDBConnection, totals: Record<string, SourceTotals>): Promise<Record<string, SourceCoverage>> {
  const rows = await queryRows<{ source: string; mentions_before: number; mentions_after: number; nodes_before: number; nodes_after: number; rare_before: number; rare_after: number }>(
    con,
    `SELECT m.source, sum(m.n)::BIGINT AS mentions_before, coalesce(sum(m.n) FILTER (WHERE m.kept), 0)::BIGINT AS mentions_after,
       count(DISTINCT m.node) AS nodes_before, count(DISTINCT m.node) FILTER (WHERE m.kept) AS nodes_after,
       count(DISTINCT m.node) FILTER (WHERE t.rare) AS rare_before, count(DISTINCT m.node) FILTER (WHERE t.rare AND m.kept) AS rare_after
     FROM met_mention m JOIN met_tree_node t ON t.id = m.node GROUP BY 1 ORDER BY 1`,
  );
  const out: Record<string, SourceCoverage> = {};
  for (const name of Object.keys(totals).sort()) {
    if (name === '(all)') continue;
    const r = rows.find((x) => x.source === name);
    out[name] = {
      ...totals[name]!,
      mentions: { before: r?.mentions_before ?? 0, after: r?.mentions_after ?? 0 },
      nodes: { before: r?.nodes_before ?? 0, after: r?.nodes_after ?? 0 },
      rare: { before: r?.rare_before ?? 0, after: r?.rare_after ?? 0 },
    };
  }
  return out;
}

const both = <T>(f: (side: 'before' | 'after') => T): { before: T; after: T } => ({ before: f('before'), after: f('after') });

function typeCoverage(tree: MetTree, counts: ReadonlyMap<string, NodeCounts>, thin: number): Partial<Record<NodeType, TypeCoverage>> {
  const byType: Partial<Record<NodeType, MetNode[]>> = {};
  for (const n of tree.nodes) if (n.type !== 'branch') (byType[n.type] ??= []).push(n);
  const out: Partial<Record<NodeType, TypeCoverage>> = {};
  for (const type of Object.keys(byType).sort() as NodeType[]) {
    const nodes = byType[type]!;
    const c = (n: MetNode) => counts.get(n.id)!;
    const leaves = nodes.filter((n) => tree.isLeaf(n.id));
    const rare = nodes.filter((n) => n.rare);
    const rolled = (n: MetNode, side: 'before' | 'after') => (side === 'before' ? c(n).rolled_docs_before : c(n).rolled_docs_after);
    const mentions = (side: 'before' | 'after') => nodes.map((n) => (side === 'before' ? c(n).mentions_before : c(n).mentions_after));
    out[type] = {
      nodes: nodes.length,
      leaves: leaves.length,
      leaves_with_1: both((s) => leaves.filter((n) => rolled(n, s) >= 1).length),
      leaves_with_thin: both((s) => leaves.filter((n) => rolled(n, s) >= thin).length),
      rare: rare.length,
      rare_with_1: both((s) => rare.filter((n) => rolled(n, s) >= 1).length),
      rare_with_thin: both((s) => rare.filter((n) => rolled(n, s) >= thin).length),
      mentions: both((s) => mentions(s).reduce((a, b) => a + b, 0)),
      gini: both((s) => round(gini(mentions(s)))),
      top1_share: both((s) => round(topShare(mentions(s), 0.01))),
    };
  }
  return out;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Gini coefficient of non-negative values (0 when all are equal or all zero). */
export function gini(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const total = v.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * v[i]!;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Share of the total held by the largest `fraction` of values (at least one value). */
export function topShare(values: readonly number[], fraction: number): number {
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const k = Math.max(1, Math.ceil(values.length * fraction));
  return [...values].sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0) / total;
}

/**
 * The gap report: rare diseases, and other branches (nodes with children), that have fewer than
 * `thinDocuments` kept documents counting everything under them, ranked by how much of the tree
 * is thin under them, then by how many rare diseases they hold, then by the documents filtering
 * took from them, then by id.
 */
export function gapRows(tree: MetTree, counts: ReadonlyMap<string, NodeCounts>, options: CoverageOptions): GapRow[] {
  const thin = (id: string) => (counts.get(id)?.rolled_docs_after ?? 0) < options.thinDocuments;
  const rows: Omit<GapRow, 'rank'>[] = [];
  for (const n of tree.nodes) {
    if (n.type === 'branch' || !thin(n.id)) continue;
    if (tree.isLeaf(n.id) && !n.rare) continue;
    const under = tree.descendants(n.id);
    const c = counts.get(n.id);
    const xref = (prefix: string) => n.xrefs.filter((x) => x.startsWith(prefix)).map((x) => x.slice(prefix.length)).join('|');
    rows.push({
      id: n.id,
      label: n.label,
      kind: n.rare ? 'rare disease' : 'branch',
      type: n.type,
      depth: n.depth,
      subtree_nodes: under.length,
      subtree_rare: under.filter((id) => tree.byId.get(id)?.rare).length,
      subtree_thin: under.filter(thin).length,
      docs_before: c?.rolled_docs_before ?? 0,
      docs_after: c?.rolled_docs_after ?? 0,
      mesh: xref(XREF_COLUMNS.mesh),
      orphanet: xref(XREF_COLUMNS.orphanet),
      gard: xref(XREF_COLUMNS.gard),
      icd10cm: xref(XREF_COLUMNS.icd10cm),
      umls: xref(XREF_COLUMNS.umls),
    });
  }
  rows.sort(
    (a, b) =>
      b.subtree_thin - a.subtree_thin ||
      b.subtree_rare - a.subtree_rare ||
      b.docs_before - b.docs_after - (a.docs_before - a.docs_after) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return rows.slice(0, options.gapRows).map((r, i) => ({ rank: i + 1, ...r }));
}

const GAP_FIELDS = ['rank', 'id', 'label', 'kind', 'type', 'depth', 'subtree_nodes', 'subtree_rare', 'subtree_thin', 'docs_before', 'docs_after', 'mesh', 'orphanet', 'gard', 'icd10cm', 'umls'] as const;

function writeGaps(rows: readonly GapRow[], out: CoverageFiles): void {
  writeFileSync(out.gapsCsv, [GAP_FIELDS.join(','), ...rows.map((r) => GAP_FIELDS.map((f) => csvField(r[f])).join(','))].join('\n') + '\n');
  writeFileSync(out.gapsJson, JSON.stringify(rows, null, 2) + '\n');
}
