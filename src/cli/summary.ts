import { basename, relative } from 'node:path';
import { formatBytes } from '../config/bytes.js';
import { RunKeys, type RunLayout } from '../io/layout.js';
import { describeQuantile } from '../decisions/quantiles.js';
import { readableValue as readable } from '../decisions/reasons-sql.js';
import type { RunManifest } from '../phases/report.js';

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, word: string): string => `${n(x)} ${word}${x === 1 ? '' : 's'}`;
const shorten = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** Ids and source names come from the data: a 1 MB id must not become a 1 MB line. */
const ID_WIDTH = 40;
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

/** The end-of-run summary: what went in, what was kept, why the rest was dropped, where to look. */
export function formatSummary(manifest: RunManifest, layout: RunLayout, report?: string, cwd = process.cwd()): string {
  const { documents, annotate, dedup, rules } = manifest.counts;
  const seconds = (Date.parse(manifest.run.finished_at) - Date.parse(manifest.run.started_at)) / 1000;
  // A run on S3 is named by its address; a local one relative to here.
  const here = (p: string) => (layout.isLocal ? relative(cwd, p) || '.' : p);
  const lines = [
    `winnow run "${manifest.run.pipeline}": ${manifest.inputs.shards.length} shards, ${n(documents.input)} documents, ` +
      `${formatBytes(annotate.text_bytes)} of text, ${plural(manifest.execution.workers, 'worker')}, ${seconds.toFixed(1)} s`,
    `  kept      ${n(documents.curated).padStart(9)}  ${pct(documents.curated, documents.input)}`,
    `  dropped   ${n(documents.rejected).padStart(9)}  ${pct(documents.rejected, documents.input)}  (primary reason)`,
  ];
  const width = Math.min(ID_WIDTH, Math.max(12, ...[...Object.keys(rules), ...Object.keys(manifest.counts.sources ?? {})].map((r) => r.length)));
  for (const [rule, c] of Object.entries(rules)) {
    if (c.any === 0) continue;
    const also = c.any > c.primary ? `(${n(c.any)} in all)` : '';
    const example = c.example ? `e.g. ${c.example.id === undefined || c.example.id === null ? '(no id)' : shorten(c.example.id, ID_WIDTH)}: ${shorten(readable(c.example.value), 24)}` : '';
    const alone = `${n(c.alone).padStart(7)} alone`;
    lines.push(`    ${rule.padEnd(width)} ${n(c.primary).padStart(9)}  ${also.padEnd(16)} ${alone}  ${example}`.trimEnd());
  }
  for (const [rule, e] of Object.entries(manifest.counts.exemptions ?? {})) {
    lines.push(`    ${rule.padEnd(width)} spared ${n(e.exempted)} by its exception, ${n(e.saved)} of them kept`);
  }
  lines.push(...overlapLines(manifest.counts));
  if (documents.skipped > 0 || annotate.shards_skipped > 0) {
    lines.push(`  skipped   ${n(documents.skipped).padStart(9)}  in ${annotate.shards_skipped} unreadable shard(s):`);
    for (const s of manifest.skipped_shards) lines.push(`    ${s.path}: ${s.error}`);
  }
  const empty = manifest.inputs.shards.filter((s) => s.status === 'done' && s.rows === 0);
  if (empty.length > 0) {
    lines.push(`  empty     ${plural(empty.length, 'shard')} with no rows: ${empty.map((s) => s.path).join(', ')}`);
  }
  if (dedup.exact.enabled) {
    lines.push(`  exact duplicates: ${n(dedup.exact.duplicates)} copies in ${n(dedup.exact.clusters)} clusters`);
  }
  if (dedup.near?.enabled) {
    lines.push(`  near duplicates: ${n(dedup.near.duplicates)} documents in ${n(dedup.near.clusters)} clusters (MinHash LSH, ${n(dedup.near.pairs)} linked pairs)`);
  }
  if (dedup.lines?.enabled) {
    const l = dedup.lines;
    lines.push(`  boilerplate: ${n(l.boilerplate_units)} repeated ${l.unit}s; ${n(l.units_removed)} removed from ${n(l.documents_changed)} kept documents (${n(l.chars_removed)} characters)`);
  }
  for (const m of manifest.models ?? []) {
    lines.push(`  model ${m.name}: P(${m.label}) from ${basename(m.path)} (sha256 ${m.sha256.slice(0, 12)}, preprocessing from ${m.preprocessing_from})`);
  }
  for (const q of manifest.quantiles ?? []) {
    lines.push(`  quantile ${q.rule}: ${q.signal} ${q.op} ${describeQuantile(q)}`);
  }
  if (manifest.counts.sources) {
    const sources = groupSources(manifest.counts.sources);
    lines.push(`  by source (kept / in${sources.grouped ? ', grouped by the part before "/"; manifest.json has each' : ''}):`);
    for (const [source, c] of Object.entries(sources.counts)) {
      lines.push(`    ${shorten(source, ID_WIDTH).padEnd(width)} ${n(c.curated).padStart(9)} / ${n(c.input)}`);
    }
  }
  if (manifest.met) lines.push(...metLines(manifest.met, here(layout.root), layout.isLocal));
  lines.push(
    `  curated   ${here(layout.where(RunKeys.curated))}/ (${manifest.outputs.curated.length} files)`,
    `  rejected  ${here(layout.where(RunKeys.rejected))}/ (${manifest.outputs.rejected.length} files, with every reason)`,
    `  manifest  ${here(layout.where(RunKeys.manifest))}`,
    ...(report ? [`  report    ${here(report)} (open it in a browser${layout.isLocal ? '' : ', from a local copy'})`] : []),
    layout.isLocal ? `  why       winnow why <id> --run ${here(layout.root)}` : `  why       winnow why <id> --run DIR, on a local copy (aws s3 sync ${layout.root} DIR)`,
  );
  return lines.join('\n');
}

/** How many overlaps the summary names; manifest.json has every pair. */
const OVERLAPS_SHOWN = 2;

/** The largest overlaps between rules, one a line: the documents both drop, and their share of the smaller rule's. */
function overlapLines(counts: RunManifest['counts']): string[] {
  const largest = [...counts.overlaps].sort((a, b) => b.documents - a.documents).slice(0, OVERLAPS_SHOWN);
  return largest.map((o, i) => {
    const [a, b] = o.rules;
    const smaller = [a, b].reduce((x, y) => ((counts.rules[y]?.any ?? 0) < (counts.rules[x]?.any ?? 0) ? y : x));
    const share = `${pct(o.documents, counts.rules[smaller]?.any ?? 0)} of ${smaller}'s`;
    const label = i === 0 ? `  overlap   ` : '            ';
    const note = i === 0 ? `; ${plural(counts.overlaps.length, 'pair')} in manifest.json` : '';
    return `${label}${a} & ${b}: ${n(o.documents)} dropped by both (${share})${note}`;
  });
}

/** The entity tree's coverage, before -> after filtering: what the corpus covers, and whether filtering thinned the rare tail. */
function metLines(met: NonNullable<RunManifest['met']>, run: string, local: boolean): string[] {
  const arrow = (x: { before: number; after: number }) => `${n(x.before)} -> ${n(x.after)}`;
  const lines = [
    `  entities (tree ${met.tree.name}, ${n(met.tree.nodes)} nodes): documents mentioning one ${arrow(met.with_entities)}; ` +
      `kept ${pct(met.with_rare.after, met.with_rare.before)} of those mentioning a rare disease, ${pct(met.documents.after, met.documents.before)} of all`,
  ];
  for (const [type, c] of Object.entries(met.by_type)) {
    const rare = c.rare > 0 ? `, rare ${arrow(c.rare_with_1)} of ${n(c.rare)} (>= ${met.thin_documents} docs: ${arrow(c.rare_with_thin)})` : '';
    lines.push(`    ${type.padEnd(9)} leaves covered ${arrow(c.leaves_with_1)} of ${n(c.leaves)}${rare}; Gini ${c.gini.before.toFixed(2)} -> ${c.gini.after.toFixed(2)}`);
  }
  if (met.balance) {
    const d = met.balance.distribution;
    lines.push(`    weights   rare-disease share of mass ${pct(d.before.tail_share, 1)} -> ${pct(d.after.tail_share, 1)}, effective nodes ${d.before.effective_nodes.toFixed(0)} -> ${d.after.effective_nodes.toFixed(0)} (column "weight" in curated rows)`);
  }
  lines.push(`  coverage  ${run}/${met.files.coverage}, gaps ${run}/${met.files.gapsCsv} (${n(met.gaps.rows)} rows): winnow met coverage --run ${local ? run : 'DIR (a local copy)'}`);
  return lines;
}

type SourceCounts = Record<string, { input: number; curated: number; rejected: number }>;

/** More than a dozen sources are summed by their first path segment ("udhr/fr" -> "udhr"). */
function groupSources(counts: SourceCounts): { counts: SourceCounts; grouped: boolean } {
  if (Object.keys(counts).length <= 12) return { counts, grouped: false };
  const grouped: SourceCounts = {};
  for (const [source, c] of Object.entries(counts)) {
    const key = source.split('/')[0]!;
    const total = (grouped[key] ??= { input: 0, curated: 0, rejected: 0 });
    total.input += c.input;
    total.curated += c.curated;
    total.rejected += c.rejected;
  }
  return { counts: grouped, grouped: true };
}
