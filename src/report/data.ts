import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { outputFiles, sampleByReason, type AuditedDocument } from '../audit/audit.js';
import { recomputedSince, type IterationOutputs } from '../audit/iteration.js';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { RunKeys } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';
import { runSignalFiles, runSignalsSql } from '../phases/signals-sql.js';
import { textsByKey } from '../audit/texts.js';

/**
 * What a run's report shows, aggregated so that it stays small whatever the run's size: counts,
 * histograms of a fixed number of bins, the largest clusters and lines, and a bounded sample of
 * documents per reason. Everything comes from the run's own files (manifest, outputs, signals, dedup
 * results); nothing is measured again.
 */
export interface ReportData {
  run: { pipeline: string; id: string; started_at: string; finished_at: string; iteration: number; winnow: string };
  documents: RunManifest['counts']['documents'];
  /** Documents left after each family of reasons, in the order decide applies them; words and bytes in and kept. */
  funnel: { stage: string; documents: number }[];
  volume: { words_in: number | null; words_kept: number | null; bytes_in: number; bytes_kept: number };
  rules: { rule: string; signal: string | null; op: string | null; threshold: string | null; primary: number; any: number; alone: number }[];
  sources: { source: string; input: number; curated: number; rejected: number }[];
  /** Each numeric signal a rule thresholds, and each model score: bins of kept and dropped documents. */
  histograms: Histogram[];
  near: { sizes: { size: number; clusters: number }[]; largest: { cluster: string; size: number; keeper_id: string | null }[] } | null;
  boilerplate: { unit: string; documents: number }[];
  languages: { language: string; kept: number; dropped: number }[];
  timings: { phase: string; seconds: number; cpu_seconds: number; peak_rss_mb: number }[];
  /**
   * The entity tree's branches the corpus mentions, for a tree map: per type, the nodes of the
   * shallowest level with at least 8 covered nodes (the 25 most mentioned), with the documents
   * mentioning them (or anything under them) before and after filtering, and after weighting (the
   * summed weights of the kept ones) when the run has balancing weights.
   */
  met_branches: { type: string; id: string; label: string; rare: boolean; before: number; after: number; weighted?: number }[];
  /** Up to `perReason` dropped documents for each primary reason, with their evidence (a duplicate with its kept copy's text). */
  samples: { reason: string; documents: (AuditedDocument & { keeper?: { key: string; text: string | null } })[] }[];
  /**
   * An earlier iteration's sections whose files a later iteration recomputed: taken from the report
   * drawn when that iteration ran (`from: 'archived report'`), or not shown (`from: null`).
   */
  replaced: { section: ReplaceableSection; by_iteration: number; phase: string; from: 'archived report' | null }[];
}

/** The sections drawn from the shared work folder, which a later iteration can recompute. */
export type ReplaceableSection = 'signals' | 'scores' | 'languages' | 'near' | 'boilerplate' | 'met';

export interface Histogram {
  signal: string;
  /** The rules that threshold it, with their thresholds (a quantile rule's value as found). */
  rules: { rule: string; op: string; threshold: number }[];
  kind: 'rule' | 'score';
  bins: { x0: number; x1: number; kept: number; dropped: number }[];
}

const BINS = 30;
const SAMPLE_TEXT = 600;

export interface ReportOptions {
  /** Sampled documents per primary reason (3). */
  perReason?: number;
  /**
   * Where the sampled documents' texts come from, when the signals' text column is not to be read
   * (a run on S3, mirrored without it: src/report/mirror.ts). By default the signals files.
   */
  texts?: (keys: readonly string[]) => Promise<Map<string, string | null>>;
}

/**
 * The report's data of one finished iteration of a run in a local folder. The latest iteration's
 * comes from the run's files. An earlier one's counts, rules, sources and samples come from its
 * own manifest and outputs (iterations/<n>/); its charts of signals, duplicates and the tree
 * from the shared work folder, unless a later iteration recomputed those files: then from the report
 * drawn when it ran (archived with its outputs), or they are left out, saying why.
 */
export async function reportData(con: DuckDBConnection, runDir: string, it: IterationOutputs, options: ReportOptions = {}): Promise<ReportData> {
  const perReason = options.perReason ?? 3;
  const { manifest, prefix } = it;
  const models = manifest.models.map((m) => m.name);
  const recomputed = prefix ? recomputedSince(it.latest, manifest.iteration) : new Map<string, number>();
  const archived = recomputed.size > 0 ? archivedData(join(runDir, prefix, RunKeys.report)) : undefined;
  // The archived page may itself have been drawn after the fact (this function, writing over it):
  // a section it left out is not in it to take.
  const inArchive = (section: ReplaceableSection): boolean => archived !== undefined && !(archived.replaced ?? []).some((r) => r.section === section && r.from === null);
  const replaced: ReportData['replaced'] = [];
  const fromArchived = new Set<ReplaceableSection>();
  /** Whether a section's files are still this iteration's; when not, records where it comes from instead. */
  const current = (section: ReplaceableSection, phases: string[]): boolean => {
    const by = phases.flatMap((p) => (recomputed.has(p) ? [{ phase: p, n: recomputed.get(p)! }] : [])).sort((a, b) => a.n - b.n)[0];
    if (!by) return true;
    const taken = inArchive(section);
    if (taken) fromArchived.add(section);
    replaced.push({ section, by_iteration: by.n, phase: by.phase, from: taken ? 'archived report' : null });
    return false;
  };
  const signalsOk = current('signals', ['annotate']);
  const scoresOk = current('scores', ['annotate', 'score']);
  const languagesOk = current('languages', ['annotate']);
  const nearOk = current('near', ['dedup', 'cluster']);
  const linesOk = current('boilerplate', ['dedup']);
  const metOk = current('met', ['entities', 'coverage']);

  const found = signalsOk ? runSignalFiles(runDir, models) : undefined;
  const signals = found && runSignalsSql(runDir, models, found);
  // The sampled documents' texts: by default from the run's signals files, a row group each.
  // A later iteration's annotate has its own texts: none is shown then (unless the archived page has them).
  const files = (found?.signalFiles ?? []).map((key) => join(runDir, key));
  const noTexts = async (keys: readonly string[]) => new Map(keys.map((k): [string, string | null] => [k, null]));
  const texts = !signalsOk ? noTexts : (options.texts ?? ((keys: readonly string[]) => textsByKey(con, files, keys)));
  const rejectedFolder = `${prefix}${RunKeys.rejected}`;
  const rejected = outputFiles(runDir, rejectedFolder).length > 0 ? `read_parquet(${sqlString(join(runDir, rejectedFolder, '*.parquet'))}, union_by_name = true)` : undefined;
  // Every document with its fate in this iteration: dropped when its rejected rows name it.
  const docs = signals ? `(SELECT s.* EXCLUDE (text), r.key IS NULL AS kept FROM ${signals} s LEFT JOIN ${rejected ? `(SELECT key FROM ${rejected})` : '(SELECT NULL::VARCHAR AS key WHERE false)'} r USING (key))` : undefined;
  const columns = docs ? new Set((await queryRows<{ column_name: string }>(con, `DESCRIBE SELECT * FROM ${docs}`)).map((c) => c.column_name)) : new Set<string>();
  const drawn = docs ? await histograms(con, docs, columns, manifest) : [];
  const fromArchive = <K extends keyof ReportData>(key: K, fallback: ReportData[K], section: ReplaceableSection): ReportData[K] =>
    fromArchived.has(section) ? ((archived?.[key] as ReportData[K] | undefined) ?? fallback) : fallback;

  return {
    run: {
      pipeline: manifest.run.pipeline,
      id: manifest.run.id,
      started_at: manifest.run.started_at,
      finished_at: manifest.run.finished_at,
      iteration: manifest.iteration,
      winnow: manifest.winnow.version,
    },
    documents: manifest.counts.documents,
    funnel: funnel(manifest),
    volume: signalsOk ? await volume(con, docs, columns, manifest) : fromArchive('volume', { words_in: null, words_kept: null, bytes_in: manifest.counts.annotate.text_bytes, bytes_kept: 0 }, 'signals'),
    rules: ruleRows(manifest),
    sources: Object.entries(manifest.counts.sources ?? {}).map(([source, c]) => ({ source, ...c })).sort((a, b) => b.input - a.input || a.source.localeCompare(b.source)),
    histograms: [
      ...(signalsOk ? drawn.filter((h) => h.kind === 'rule') : fromArchive('histograms', [], 'signals').filter((h) => h.kind === 'rule')),
      ...(scoresOk ? drawn.filter((h) => h.kind === 'score') : fromArchive('histograms', [], 'scores').filter((h) => h.kind === 'score')),
    ],
    near: nearOk ? await nearClusters(con, runDir) : fromArchive('near', null, 'near'),
    boilerplate: linesOk ? await boilerplateUnits(con, runDir) : fromArchive('boilerplate', [], 'boilerplate'),
    languages: !languagesOk ? fromArchive('languages', [], 'languages') : docs && columns.has('lang') ? await languages(con, docs) : [],
    timings: Object.entries(manifest.timings).map(([phase, t]) => ({ phase, seconds: t.seconds, cpu_seconds: t.cpu_seconds, peak_rss_mb: Math.round(t.peak_rss_bytes / 2 ** 20) })),
    // The same documents either way (this iteration's rejected rows); their texts, when a later annotate replaced them, from the archived page.
    samples: !signalsOk && fromArchived.has('signals') && archived?.samples ? archived.samples : await samples(con, runDir, manifest, perReason, texts),
    met_branches: metOk ? await metBranches(con, runDir) : fromArchive('met_branches', [], 'met'),
    replaced,
  };
}

/** The data embedded in a report.html that winnow drew (undefined when there is none, or it is not one). */
export function archivedData(file: string): Partial<ReportData> | undefined {
  if (!existsSync(file)) return undefined;
  const found = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'));
  if (!found) return undefined;
  try {
    return JSON.parse(found[1]!) as Partial<ReportData>;
  } catch {
    return undefined;
  }
}

/** Which family each reason belongs to, in the order decide's reason sources apply. */
const FAMILY_OF: Record<string, string> = { bad_input: 'bad input', exact_duplicate: 'exact duplicates', near_duplicate: 'near duplicates', boilerplate_only: 'boilerplate' };
const FAMILIES = ['bad input', 'rules', 'exact duplicates', 'near duplicates', 'boilerplate'];

function funnel(manifest: RunManifest): ReportData['funnel'] {
  const dropped = new Map<string, number>();
  for (const [rule, c] of Object.entries(manifest.counts.rules)) {
    const family = FAMILY_OF[rule] ?? 'rules';
    dropped.set(family, (dropped.get(family) ?? 0) + c.primary);
  }
  const { input, skipped } = manifest.counts.documents;
  const stages: ReportData['funnel'] = [{ stage: 'input', documents: input }];
  let left = input - (skipped ?? 0);
  if (skipped) stages.push({ stage: 'readable shards', documents: left });
  for (const family of FAMILIES) {
    const n = dropped.get(family) ?? 0;
    if (n === 0) continue;
    left -= n;
    stages.push({ stage: `after ${family}`, documents: left });
  }
  return stages;
}

async function volume(con: DuckDBConnection, docs: string | undefined, columns: Set<string>, manifest: RunManifest): Promise<ReportData['volume']> {
  if (!docs) return { words_in: null, words_kept: null, bytes_in: manifest.counts.annotate.text_bytes, bytes_kept: 0 };
  const words = columns.has('word_count');
  // The core family's byte_count is the text's UTF-8 bytes: the text column need not be read.
  const bytes = columns.has('byte_count') ? 'byte_count' : columns.has('text') ? 'strlen(text)' : 'NULL';
  const [v] = await queryRows<{ words_in: number | null; words_kept: number | null; bytes_kept: number | null }>(
    con,
    `SELECT ${words ? 'sum(word_count)' : 'NULL'} AS words_in, ${words ? 'sum(word_count) FILTER (WHERE kept)' : 'NULL'} AS words_kept,
            sum(${bytes}) FILTER (WHERE kept) AS bytes_kept FROM ${docs}`,
  );
  return { words_in: v?.words_in ?? null, words_kept: v?.words_kept ?? null, bytes_in: manifest.counts.annotate.text_bytes, bytes_kept: v?.bytes_kept ?? 0 };
}

interface RuleDefinition {
  name: string;
  signal?: string;
  op?: string;
  threshold?: unknown;
}

function definitions(manifest: RunManifest): Map<string, RuleDefinition> {
  const sets = (manifest.config.resolved as unknown as { rules: { rules: RuleDefinition[] }[] }).rules;
  return new Map(sets.flatMap((s) => s.rules.map((r) => [r.name, r] as const)));
}

/** A rule's threshold as found in this run: its number, a quantile rule's value, or a list's name. */
function thresholdOf(rule: RuleDefinition, manifest: RunManifest): number | string | null {
  const quantile = manifest.quantiles.find((q) => q.rule === rule.name);
  if (quantile) return quantile.value;
  if (typeof rule.threshold === 'number' || typeof rule.threshold === 'string' || typeof rule.threshold === 'boolean') return rule.threshold as number | string;
  if (rule.threshold !== undefined) return JSON.stringify(rule.threshold);
  return null;
}

function ruleRows(manifest: RunManifest): ReportData['rules'] {
  const defs = definitions(manifest);
  return Object.entries(manifest.counts.rules).map(([rule, c]) => {
    const d = defs.get(rule);
    const threshold = d ? thresholdOf(d, manifest) : null;
    return { rule, signal: d?.signal ?? null, op: d?.op ?? null, threshold: threshold === null ? null : String(threshold), primary: c.primary, any: c.any, alone: c.alone };
  });
}

/**
 * Bins of every numeric signal a comparison rule thresholds, and of every model score, with the
 * documents kept and dropped in each. Bins span the values between the 0.5th and 99.5th
 * percentiles (the extremes counted in the outer bins), widened to take in the thresholds.
 */
async function histograms(con: DuckDBConnection, docs: string, columns: Set<string>, manifest: RunManifest): Promise<Histogram[]> {
  const bySignal = new Map<string, Histogram>();
  for (const d of definitions(manifest).values()) {
    if (!d.signal || !d.op || !['<', '<=', '>', '>='].includes(d.op) || !columns.has(d.signal)) continue;
    const threshold = thresholdOf(d, manifest);
    if (typeof threshold !== 'number') continue;
    const h = bySignal.get(d.signal) ?? { signal: d.signal, rules: [], kind: 'rule' as const, bins: [] };
    h.rules.push({ rule: d.name, op: d.op, threshold });
    bySignal.set(d.signal, h);
  }
  for (const m of manifest.models) {
    if (!columns.has(m.name)) continue;
    const h = bySignal.get(m.name);
    if (h) h.kind = 'score';
    else bySignal.set(m.name, { signal: m.name, rules: [], kind: 'score', bins: [] });
  }
  const all = [...bySignal.values()];
  if (all.length === 0) return [];
  // Two scans of the run's signals whatever the number of signals: every range at once (t-digest
  // quantiles, bounded memory), then every signal's bins at once (grouping sets).
  const value = (h: Histogram) => `TRY_CAST(${sqlIdent(h.signal)} AS DOUBLE)`;
  const finite = (h: Histogram) => `CASE WHEN isfinite(${value(h)}) THEN ${value(h)} END`;
  const [ranges] = await queryRows<Record<string, number[] | null>>(
    con,
    `SELECT ${all.map((h, i) => `approx_quantile(${finite(h)}, [0.005, 0.995]) AS r${i}`).join(', ')} FROM ${docs}`,
  );
  const spans = all.map((h, i) => {
    const range = ranges?.[`r${i}`];
    if (!range || range[0] == null || range[1] == null) return undefined;
    let lo = Math.min(range[0], ...h.rules.map((r) => r.threshold));
    let hi = Math.max(range[1], ...h.rules.map((r) => r.threshold));
    if (h.kind === 'score') [lo, hi] = [Math.min(lo, 0), Math.max(hi, 1)];
    if (hi <= lo) hi = lo + 1;
    return { lo, width: (hi - lo) / BINS };
  });
  const binned = all.flatMap((h, i) => (spans[i] ? [{ h, i, ...spans[i]! }] : []));
  if (binned.length === 0) return [];
  const bins = binned.map(({ h, i, lo, width }) => `least(${BINS - 1}, greatest(0, floor((${finite(h)} - ${lo}) / ${width})))::INTEGER AS b${i}`);
  const rows = await queryRows<Record<string, number | boolean | null>>(
    con,
    `SELECT ${binned.map(({ i }) => `b${i}`).join(', ')}, kept, count(*) AS documents
     FROM (SELECT ${bins.join(', ')}, kept FROM ${docs})
     GROUP BY GROUPING SETS (${binned.map(({ i }) => `(b${i}, kept)`).join(', ')})`,
  );
  const out: Histogram[] = [];
  for (const { h, i, lo, width } of binned) {
    h.bins = Array.from({ length: BINS }, (_, k) => ({ x0: lo + k * width, x1: lo + (k + 1) * width, kept: 0, dropped: 0 }));
    for (const r of rows) {
      const bin = r[`b${i}`];
      // A row of another grouping set has this signal's bin NULL; so does a document without the signal.
      if (typeof bin !== 'number' || binned.some((o) => o.i !== i && r[`b${o.i}`] !== null && r[`b${o.i}`] !== undefined)) continue;
      if (r.kept) h.bins[bin]!.kept += Number(r.documents);
      else h.bins[bin]!.dropped += Number(r.documents);
    }
    out.push(h);
  }
  return out.sort((a, b) => (a.kind === b.kind ? a.signal.localeCompare(b.signal) : a.kind === 'score' ? 1 : -1));
}

async function nearClusters(con: DuckDBConnection, runDir: string): Promise<ReportData['near']> {
  const file = join(runDir, RunKeys.nearDuplicates);
  if (!existsSync(file)) return null;
  const f = `read_parquet(${sqlString(file)})`;
  const sizes = await queryRows<{ size: number; clusters: number }>(
    con,
    `SELECT cluster_size AS size, count(DISTINCT cluster) AS clusters FROM ${f} GROUP BY cluster_size ORDER BY cluster_size`,
  );
  const largest = await queryRows<{ cluster: string; size: number; keeper_id: string | null }>(
    con,
    `SELECT cluster, any_value(cluster_size) AS size, any_value(keeper_id) AS keeper_id FROM ${f} GROUP BY cluster ORDER BY size DESC, cluster LIMIT 10`,
  );
  return { sizes, largest };
}

async function boilerplateUnits(con: DuckDBConnection, runDir: string): Promise<ReportData['boilerplate']> {
  const dir = join(runDir, 'work', 'dedup', 'lines');
  if (outputFiles(runDir, 'work/dedup/lines').length === 0) return [];
  return queryRows<{ unit: string; documents: number }>(
    con,
    `SELECT left(unit, 200) AS unit, documents FROM read_parquet(${sqlString(join(dir, '*.parquet'))}) ORDER BY documents DESC, unit LIMIT 20`,
  );
}

async function languages(con: DuckDBConnection, docs: string): Promise<ReportData['languages']> {
  const rows = await queryRows<{ language: string; kept: number; dropped: number }>(
    con,
    `SELECT coalesce(CAST(lang AS VARCHAR), '(none)') AS language, count(*) FILTER (WHERE kept) AS kept, count(*) FILTER (WHERE NOT kept) AS dropped
     FROM ${docs} GROUP BY 1 ORDER BY count(*) DESC, 1`,
  );
  if (rows.length <= 15) return rows;
  const other = rows.slice(14).reduce((a, r) => ({ language: 'other', kept: a.kept + r.kept, dropped: a.dropped + r.dropped }), { language: 'other', kept: 0, dropped: 0 });
  return [...rows.slice(0, 14), other];
}

const BRANCHES_PER_TYPE = 25;

async function metBranches(con: DuckDBConnection, runDir: string): Promise<ReportData['met_branches']> {
  const file = join(runDir, RunKeys.met.nodes);
  if (!existsSync(file)) return [];
  const nodes = `(SELECT * FROM read_parquet(${sqlString(file)}) WHERE type <> 'branch' AND rolled_docs_before > 0)`;
  const levels = await queryRows<{ type: string; depth: number; covered: number }>(con, `SELECT type, depth, count(*) AS covered FROM ${nodes} GROUP BY ALL ORDER BY type, depth`);
  const chosen = new Map<string, number>();
  for (const l of levels) if (!chosen.has(l.type) && l.covered >= 8) chosen.set(l.type, l.depth);
  // A type with no level that wide: its widest level.
  for (const l of levels) {
    const widest = levels.filter((x) => x.type === l.type).sort((a, b) => b.covered - a.covered || a.depth - b.depth)[0]!;
    if (!chosen.has(l.type)) chosen.set(l.type, widest.depth);
  }
  if (chosen.size === 0) return [];
  const picks = [...chosen].map(([type, depth]) => `(type = ${sqlString(type)} AND depth = ${depth})`).join(' OR ');
  const weighted = (await queryRows<{ column_name: string }>(con, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)).some((c) => c.column_name === 'rolled_weight_after');
  return queryRows<ReportData['met_branches'][number]>(
    con,
    `SELECT type, id, label, rare, before, after${weighted ? ', weighted' : ''} FROM (
       SELECT type, id, label, rare, rolled_docs_before AS before, rolled_docs_after AS after${weighted ? ', rolled_weight_after AS weighted' : ''},
              row_number() OVER (PARTITION BY type ORDER BY rolled_docs_before DESC, id) AS rank
       FROM ${nodes} WHERE ${picks}) WHERE rank <= ${BRANCHES_PER_TYPE} ORDER BY type, rank`,
  );
}

async function samples(
  con: DuckDBConnection,
  runDir: string,
  manifest: RunManifest,
  perReason: number,
  texts: NonNullable<ReportOptions['texts']>,
): Promise<ReportData['samples']> {
  // Without their texts: those of every sampled document, and of each duplicate's kept copy, come in one lookup.
  const sampled = await sampleByReason(con, runDir, { sample: perReason, seed: 0, iteration: manifest.iteration, text: false });
  const out: ReportData['samples'] = Object.entries(manifest.counts.rules)
    .filter(([reason, c]) => c.primary > 0 && sampled.has(reason))
    .map(([reason]) => ({ reason, documents: sampled.get(reason)! }));
  const documents = out.flatMap((g) => g.documents);
  const keepers = documents.flatMap((d) => (d.duplicate_of ? [d.duplicate_of] : []));
  const found = await texts([...new Set([...documents.map((d) => d.key), ...keepers])]);
  const cut = (t: string | null | undefined) => (t == null ? null : t.slice(0, SAMPLE_TEXT));
  for (const d of documents) {
    d.text = cut(found.get(d.key));
    if (d.duplicate_of) d.keeper = { key: d.duplicate_of, text: cut(found.get(d.duplicate_of)) };
  }
  return out;
}
