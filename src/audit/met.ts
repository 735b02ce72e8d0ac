import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryRows, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { BeforeAfter, MetCoverage } from '../met/coverage.js';
import { parseMetTree, type MetNode, type MetTree } from '../met/tree.js';
import { CURATED_KEY_COLUMN } from '../phases/decide.js';
import { withTempColumn } from './temp-table.js';

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');
const arrow = (x: BeforeAfter): string => `${n(x.before)} -> ${n(x.after)}`;

/** A finished run that tagged with the entity tree, or a message saying what is missing. */
async function metRun(runDir: string): Promise<RunLayout> {
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const layout = new RunLayout(runDir);
  if (!(await layout.storage.exists(RunKeys.manifest))) {
    throw new InputError(runDir, 'not a finished winnow run (no manifest.json): run `winnow run` first, or let the run in progress finish');
  }
  if (!(await layout.storage.exists(RunKeys.met.coverage))) {
    throw new InputError(runDir, 'this run did not tag entities: add `met` to signals.families in its pipeline (docs/met.md) and run it again');
  }
  return layout;
}

export async function readCoverage(runDir: string): Promise<MetCoverage> {
  const layout = await metRun(runDir);
  return (await layout.storage.readJson<MetCoverage>(RunKeys.met.coverage))!;
}

/** Coverage as people read it: per node type and per source, before -> after filtering. */
export function formatCoverage(c: MetCoverage): string {
  const lines = [
    `entity tree ${c.tree.name} (${n(c.tree.nodes)} nodes, sha256 ${c.tree.sha256.slice(0, 12)}); before -> after filtering`,
    `  documents              ${arrow(c.documents)}  (${pct(c.documents.after, c.documents.before)} kept)`,
    `  mentioning a node      ${arrow(c.with_entities)}  (${pct(c.with_entities.after, c.with_entities.before)} kept)`,
    `  mentioning a rare one  ${arrow(c.with_rare)}  (${pct(c.with_rare.after, c.with_rare.before)} kept)`,
  ];
  for (const [type, t] of Object.entries(c.by_type)) {
    lines.push(
      `  ${type}: ${n(t.nodes)} nodes, ${n(t.leaves)} leaves; mentions ${arrow(t.mentions)}`,
      `    leaves with >= 1 document     ${arrow(t.leaves_with_1)}  (${pct(t.leaves_with_1.before, t.leaves)} -> ${pct(t.leaves_with_1.after, t.leaves)})`,
      `    leaves with >= ${c.thin_documents} documents    ${arrow(t.leaves_with_thin)}`,
    );
    if (t.rare > 0) {
      lines.push(
        `    rare with >= 1 document       ${arrow(t.rare_with_1)} of ${n(t.rare)}  (${pct(t.rare_with_1.before, t.rare)} -> ${pct(t.rare_with_1.after, t.rare)})`,
        `    rare with >= ${c.thin_documents} documents      ${arrow(t.rare_with_thin)}`,
      );
    }
    lines.push(`    concentration: Gini ${t.gini.before.toFixed(3)} -> ${t.gini.after.toFixed(3)}, top 1% of nodes hold ${pct(t.top1_share.before, 1)} -> ${pct(t.top1_share.after, 1)} of mentions`);
  }
  // Sources none of whose documents mention a node would only add rows of zeros.
  const sources = Object.entries(c.by_source).filter(([, s]) => s.with_entities.before > 0);
  const silent = Object.keys(c.by_source).length - sources.length;
  if (sources.length > 0) {
    lines.push(`  by source: documents mentioning a node, distinct nodes, distinct rare diseases (before -> after)${silent > 0 ? `; ${n(silent)} sources mention none` : ''}`);
    const width = Math.min(40, Math.max(...sources.map(([s]) => s.length)));
    for (const [source, s] of sources) {
      lines.push(`    ${source.slice(0, 40).padEnd(width)}  ${arrow(s.with_entities).padEnd(20)} ${arrow(s.nodes).padEnd(18)} ${arrow(s.rare)}`);
    }
  }
  if (c.balance) {
    const b = c.balance;
    const d = b.distribution;
    lines.push(
      `  balancing weights (temperature ${b.settings.temperature}, at most ${b.settings.max_repeat}, at least ${b.settings.min_weight}; scale ${b.scale.toPrecision(6)}): unweighted -> weighted`,
      `    rare-disease share of node mass  ${pct(d.before.tail_share, 1)} -> ${pct(d.after.tail_share, 1)}`,
      `    effective number of nodes        ${d.before.effective_nodes.toFixed(1)} -> ${d.after.effective_nodes.toFixed(1)}`,
      `    top 1% of nodes hold             ${pct(d.before.top1_share, 1)} -> ${pct(d.after.top1_share, 1)}`,
      `    ${n(b.documents)} weighted documents (sum ${b.total_weight.toFixed(1)}): ${n(b.at_max_repeat)} at the cap, ${n(b.at_min_weight)} at the floor`,
    );
    const top = [...b.words_per_branch].sort((x, y) => y.before - x.before).slice(0, 8);
    if (top.length > 0) lines.push('    words per top-level branch (unweighted -> weighted):');
    for (const br of top) lines.push(`      ${br.label.slice(0, 40).padEnd(40)} ${n(br.before).padStart(12)} -> ${n(Math.round(br.after))}`);
  }
  lines.push(`  gaps: ${n(c.gaps.rows)} rows (${n(c.gaps.rare)} rare diseases, ${n(c.gaps.branches)} branches) in ${RunKeys.met.gapsCsv}`);
  return lines.join('\n');
}

/** The tree a run tagged with (its copy in met/), for naming and walking nodes. */
export async function runTree(runDir: string): Promise<MetTree> {
  const layout = await metRun(runDir);
  const path = await layout.storage.localPath(RunKeys.met.tree);
  return parseMetTree(readFileSync(path), path);
}

/**
 * A node by id, label or synonym (case-insensitive); an ambiguous or unknown name is an error
 * that lists candidates, so a user never gets the documents of a node they did not mean.
 */
export function findNode(tree: MetTree, query: string): MetNode {
  const byId = tree.byId.get(query) ?? tree.byId.get(query.toUpperCase());
  if (byId) return byId;
  const q = query.trim().toLowerCase();
  const exact = tree.nodes.filter((x) => x.label.toLowerCase() === q);
  if (exact.length === 1) return exact[0]!;
  const named = exact.length > 1 ? exact : tree.nodes.filter((x) => x.synonyms.some((s) => s.toLowerCase() === q));
  if (named.length === 1) return named[0]!;
  const candidates = named.length > 1 ? named : tree.nodes.filter((x) => x.label.toLowerCase().includes(q)).slice(0, 10);
  const list = candidates.slice(0, 10).map((x) => `${x.id} (${x.label})`).join(', ');
  if (named.length > 1) throw new InputError(query, `names ${named.length} nodes: ${list}; give an id`);
  throw new InputError(query, `no node has this id, label or synonym${candidates.length > 0 ? `; labels containing it: ${list}` : ''}`);
}

export interface NodeDocs {
  node: { id: string; label: string };
  /** The node and the nodes under it that kept documents mention. */
  nodes: number;
  documents: number;
  /** The first `limit` documents, in key order. */
  listed: { key: string; id: string | null; mentions: number }[];
  /** Where --out wrote the documents' curated rows, when asked. */
  exported?: string;
}

/**
 * Node-guided retrieval: every kept document that mentions a node or any node under it, from the
 * run's index (met/index.parquet); `out` exports their curated rows to one Parquet file.
 */
export async function nodeDocs(con: DuckDBConnection, runDir: string, query: string, options: { limit: number; out?: string }): Promise<NodeDocs> {
  const tree = await runTree(runDir);
  const layout = new RunLayout(runDir);
  const node = findNode(tree, query);
  const under = tree.descendants(node.id);
  const index = await layout.storage.localPath(RunKeys.met.index);
  await con.run(`CREATE OR REPLACE TEMP TABLE wanted AS SELECT unnest(${sqlList(under)}) AS node`);
  await con.run(`CREATE OR REPLACE TEMP TABLE found AS
    SELECT key, any_value(id) AS id, sum(mentions)::BIGINT AS mentions, count(*) AS nodes
    FROM read_parquet(${sqlString(index)}) i SEMI JOIN wanted w ON w.node = i.node GROUP BY key`);
  const [totals] = await queryRows<{ documents: number; nodes: number }>(
    con,
    `SELECT (SELECT count(*) FROM found) AS documents,
       (SELECT count(DISTINCT i.node) FROM read_parquet(${sqlString(index)}) i SEMI JOIN wanted w ON w.node = i.node) AS nodes`,
  );
  const listed = await queryRows<{ key: string; id: string | null; mentions: number }>(con, `SELECT key, id, mentions FROM found ORDER BY key LIMIT ${Math.max(0, Math.trunc(options.limit))}`);
  const answer: NodeDocs = { node: { id: node.id, label: node.label }, nodes: totals?.nodes ?? 0, documents: totals?.documents ?? 0, listed };
  if (options.out) {
    await con.run(`COPY (SELECT c.* FROM read_parquet(${sqlString(join(layout.curatedDir, '*.parquet'))}, union_by_name = true) c
      SEMI JOIN found f ON f.key = c.${CURATED_KEY_COLUMN} ORDER BY c.${CURATED_KEY_COLUMN}) TO ${sqlString(options.out)} (FORMAT parquet, COMPRESSION zstd)`);
    answer.exported = options.out;
  }
  await con.run('DROP TABLE found; DROP TABLE wanted');
  return answer;
}

const sqlList = (xs: readonly string[]): string => `[${xs.map(sqlString).join(', ')}]::VARCHAR[]`;

export function formatNodeDocs(d: NodeDocs): string {
  const under = d.nodes > 1 ? ` or one of the ${n(d.nodes - 1)} node${d.nodes === 2 ? '' : 's'} under it` : '';
  const lines = [`${d.node.id} ${d.node.label}: ${n(d.documents)} kept document${d.documents === 1 ? '' : 's'} mention${d.documents === 1 ? 's' : ''} it${under}`];
  for (const doc of d.listed) lines.push(`  ${doc.key}  ${doc.id ?? '(no id)'}  ${n(doc.mentions)} mention${doc.mentions === 1 ? '' : 's'}`);
  if (d.listed.length < d.documents) lines.push(`  ... ${n(d.documents - d.listed.length)} more (--limit, or --out FILE.parquet for all)`);
  if (d.exported) lines.push(`curated rows written to ${d.exported}`);
  return lines.join('\n');
}

/** A document's entities (node, label, mentions), as `why` shows them; none when the run did not tag. */
export async function documentEntities(con: DuckDBConnection, runDir: string, key: string): Promise<{ id: string; label: string; mentions: number }[]> {
  return (await documentsEntities(con, runDir, [key])).get(key) ?? [];
}

/** The entity-tree nodes each of these documents mentions, in one pass over the run's tallies (none when the run did not tag). */
export async function documentsEntities(con: DuckDBConnection, runDir: string, keys: readonly string[]): Promise<Map<string, { id: string; label: string; mentions: number }[]>> {
  const out = new Map<string, { id: string; label: string; mentions: number }[]>();
  const layout = new RunLayout(runDir);
  if (keys.length === 0 || !(await layout.storage.exists(RunKeys.met.nodes))) return out;
  const tallies = (await layout.storage.list('work/met/tally/')).filter((k) => k.endsWith('.parquet'));
  if (tallies.length === 0) return out;
  const files = await Promise.all(tallies.map((k) => layout.storage.localPath(k)));
  const nodes = await layout.storage.localPath(RunKeys.met.nodes);
  const rows = await withTempColumn(con, 'entity_keys', 'key', keys, () =>
    queryRows<{ key: string; id: string; label: string; mentions: number }>(
      con,
      `SELECT t.key, t.node AS id, coalesce(n.label, t.node) AS label, t.mentions
       FROM (SELECT key, unnest(nodes) AS node, unnest(counts) AS mentions FROM read_parquet([${files.map(sqlString).join(', ')}]) WHERE key IN (SELECT key FROM entity_keys)) t
       LEFT JOIN read_parquet(${sqlString(nodes)}) n ON n.id = t.node ORDER BY t.key, t.mentions DESC, t.node`,
    ),
  );
  for (const { key, ...entity } of rows) {
    const list = out.get(key);
    if (list) list.push(entity);
    else out.set(key, [entity]);
  }
  return out;
}
