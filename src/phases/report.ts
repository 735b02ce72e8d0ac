import type { DuckDBConnection } from '@duckdb/node-api';
import type { resultConfig } from '../config/identity.js';
import type { Pipeline } from '../config/load.js';
import { hashOf } from '../config/hash.js';
import { WINNOW_VERSION, gitRevision } from '../config/version.js';
import type { FileRecord } from '../io/files.js';
import { localPaths } from '../storage/storage.js';
import { RunKeys, type RunLayout } from '../io/layout.js';
import { readShardLayout } from '../io/parquet-layout.js';
import { parquetRowCount } from '../io/parquet-writer.js';
import { queryRows, sqlFileList } from '../io/duckdb.js';
import type { TaskContext } from './context.js';
import type { Preprocessing } from '../config/models.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import type { BoilerplateResult } from './boilerplate.js';
import type { ExactDedupResult } from './exact-dedup.js';
import type { NearClustersResult } from './near-dedup.js';
import { orderOverlaps, sum, type RuleCount, type RuleOverlap, type ShardManifest } from './decide.js';
import type { MetCoverage } from '../met/coverage.js';

export const RUN_MANIFEST_VERSION = 2;

/** What a run is in the refinement chain (src/refinement/refine.ts): `winnow run` makes iteration 0. */
export interface IterationFacts {
  n: number;
  /** The review labels the iteration learned from (`refine --labels`): file and sha256. */
  labels?: { file: string; sha256: string };
  /** Models retrained for this iteration: name and the file written. */
  retrained?: { name: string; path: string }[];
  /**
   * Every model that scores with another file than the pipeline's: replaced by `--model` or
   * retrained in this iteration or an earlier one (later iterations keep them until replaced again).
   */
  replaced?: { name: string; path: string }[];
}

/** One iteration of the chain, as its manifest recorded it. */
export interface IterationRecord {
  iteration: number;
  started_at: string;
  finished_at: string;
  config_hash: string;
  pipeline_file: string;
  models: { name: string; sha256: string }[];
  labels: IterationFacts['labels'] | null;
  retrained: IterationFacts['retrained'] | null;
  replaced_models: NonNullable<IterationFacts['replaced']>;
  /** Tasks run and reused per phase: what this iteration computed again. */
  recomputed: Record<string, { run: number; reused: number }>;
  seconds: number;
  documents: DocumentCounts;
  /** Against the iteration before: documents kept then and dropped now, and dropped then and kept now. */
  changed: { newly_dropped: number; newly_kept: number; fraction: number } | null;
}

export interface PhaseTiming {
  seconds: number;
  /** CPU time of the whole process (all threads, DuckDB's included) during the phase. */
  cpu_seconds: number;
  /** Peak resident memory of the whole process (all worker threads) when the phase ended. */
  peak_rss_bytes: number;
  tasks_run: number;
  tasks_reused: number;
}

/**
 * What the manifest records of this run rather than of its outputs, planned by the main thread,
 * which times the phases: all but winnow's own differ between identical runs.
 */
export interface RunFacts {
  /** ISO 8601. */
  startedAt: string;
  workers: number;
  /** The phases before the report, as this run timed them (reused tasks included). */
  timings: Record<string, PhaseTiming>;
  winnow: RunManifest['winnow'];
  iteration: IterationFacts;
}

/** The winnow this process runs: the manifest's `winnow`, and the report's code version. */
export const winnowFacts = (): RunManifest['winnow'] => ({ version: WINNOW_VERSION, git_revision: gitRevision(), node: process.version });

export interface DocumentCounts {
  input: number;
  curated: number;
  rejected: number;
  skipped: number;
}

export interface RunManifest {
  schema_version: number;
  run: { id: string; pipeline: string; started_at: string; finished_at: string };
  winnow: { version: string; git_revision: string; node: string };
  config: { file: string; hash: string; resolved: ReturnType<typeof resultConfig> };
  /** The classifiers scored in annotate: file, checksum, label and preprocessing. */
  models: { name: string; path: string; bytes: number; sha256: string; label: string; preprocessing: Preprocessing; preprocessing_from: string; card: string | null }[];
  /** The thresholds quantile rules resolved to over the deduplicated corpus. */
  quantiles: QuantileThreshold[];
  inputs: { root: string; shards: (ShardManifest['input'] & { index: number; status: ShardManifest['status'] })[] };
  outputs: { curated: FileRecord[]; rejected: FileRecord[]; shard_manifests: string[] };
  counts: {
    documents: DocumentCounts;
    annotate: { documents: number; text_bytes: number; bad_input: number; shards_done: number; shards_skipped: number };
    dedup: {
      exact: { enabled: boolean; partitions: number; hashed: number; duplicates: number; clusters: number };
      /** Near duplicates: linked pairs over all band partitions, components of 2+ documents, non-keepers. */
      near: { enabled: boolean; partitions: number; pairs: number; clusters: number; duplicates: number; rounds: number };
      /** Boilerplate units found across the corpus, and what was removed from curated documents. */
      lines: { enabled: boolean; unit: string; partitions: number; boilerplate_units: number; documents_changed: number; units_removed: number; chars_removed: number };
    };
    rules: Record<string, RuleCount>;
    /** Per pair of rules, documents both drop (the shards' sum): nonzero pairs only, in the rules' order. */
    overlaps: RuleOverlap[];
    /** Rules with an exception: documents it spared from the rule, and those of them kept (src/phases/rule-source.ts). */
    exemptions?: Record<string, { exempted: number; saved: number }>;
    sources?: Record<string, { input: number; curated: number; rejected: number }>;
  };
  skipped_shards: { path: string; rows: number | null; error: string }[];
  /** Coverage of the entity tree before and after filtering (met/coverage.json), when the `met` family is on. */
  met?: MetCoverage & { files: typeof RunKeys.met };
  timings: Record<string, PhaseTiming>;
  execution: { workers: number };
  /** The refinement iteration these outputs are (0 for `winnow run`), and the chain up to it. */
  iteration: number;
  iterations: IterationRecord[];
}

/** What the report reads besides the pipeline and the run folder: each phase's results, and facts of this run. */
export interface ReportInput {
  /** `resultConfig(pipeline)` as the run planned from it: made again, it would hash every list file again. */
  config: ReturnType<typeof resultConfig>;
  inputRoot: string;
  /** Decide's shard manifests, in shard order. */
  shards: readonly ShardManifest[];
  dedups: { exact: readonly ExactDedupResult[]; near?: NearClustersResult; boilerplate: readonly BoilerplateResult[] };
  quantiles: readonly QuantileThreshold[];
  /** UTF-8 bytes of input text annotate read. */
  textBytes: number;
  met?: MetCoverage;
  facts: RunFacts;
}

/**
 * The report task: merges the per-shard manifests and dedup statistics into the run's
 * manifest.json, after checking that every input row is accounted for and that every output file
 * holds the rows its manifest says. Fields that differ between identical runs: run.started_at,
 * run.finished_at, timings, execution, and each iteration record's started_at, finished_at and seconds.
 */
export async function writeRunManifest(ctx: Pick<TaskContext, 'con' | 'pipeline' | 'layout'>, input: ReportInput): Promise<RunManifest> {
  const { con, pipeline, layout } = ctx;
  const { shards, facts } = input;
  await verifyOutputs(con, layout, shards);
  const { documents, rules, overlaps, sources, exemptions } = shardTotals(shards);
  const hash = hashOf(input.config);
  const manifest: RunManifest = {
    schema_version: RUN_MANIFEST_VERSION,
    run: {
      id: hashOf({ config: hash, inputs: shards.map((s) => s.input.sha256) }).slice(0, 16),
      pipeline: pipeline.name,
      started_at: facts.startedAt,
      finished_at: new Date().toISOString(),
    },
    winnow: facts.winnow,
    config: { file: pipeline.file, hash, resolved: input.config },
    models: pipeline.models.map((m) => ({
      name: m.name,
      path: m.path,
      bytes: m.bytes,
      sha256: m.sha256,
      label: m.label,
      preprocessing: m.preprocessing,
      preprocessing_from: m.preprocessing_from,
      card: m.card ?? null,
    })),
    quantiles: [...input.quantiles],
    inputs: { root: input.inputRoot, shards: shards.map((s) => ({ index: s.shard.index, status: s.status, ...s.input })) },
    outputs: {
      curated: shards.flatMap((s) => s.outputs.curated),
      rejected: shards.flatMap((s) => s.outputs.rejected),
      shard_manifests: shards.map((s) => RunKeys.shardManifest(s.shard.index)),
    },
    counts: {
      documents,
      annotate: {
        documents: documents.input - documents.skipped,
        text_bytes: input.textBytes,
        bad_input: sum(shards.map((s) => s.counts.bad_input)),
        shards_done: shards.filter((s) => s.status === 'done').length,
        shards_skipped: shards.filter((s) => s.status === 'skipped').length,
      },
      dedup: dedupCounts(pipeline, input.dedups, shards),
      rules,
      overlaps,
      ...(Object.keys(exemptions).length > 0 ? { exemptions } : {}),
      ...(pipeline.input.columns.source ? { sources } : {}),
    },
    skipped_shards: shards
      .filter((s) => s.status === 'skipped')
      .map((s) => ({ path: s.input.path, rows: s.counts.input, error: s.error?.message ?? 'unknown error' })),
    ...(input.met ? { met: { ...input.met, files: RunKeys.met } } : {}),
    timings: facts.timings,
    execution: { workers: facts.workers },
    iteration: facts.iteration.n,
    iterations: [],
  };
  manifest.iterations = await iterationChain(ctx, manifest, facts);
  await layout.storage.writeJson(RunKeys.manifest, manifest);
  return manifest;
}

/**
 * The chain up to this iteration: the one before recorded it in its manifest, archived under
 * iterations/<n-1>/ when this one began; this iteration's record is added with what changed.
 */
async function iterationChain(ctx: Pick<TaskContext, 'con' | 'layout'>, manifest: RunManifest, facts: RunFacts): Promise<IterationRecord[]> {
  const { n } = facts.iteration;
  const parent = n > 0 ? await ctx.layout.storage.readJson<RunManifest>(`${RunKeys.iteration(n - 1)}/${RunKeys.manifest}`) : undefined;
  if (n > 0 && !parent) throw new Error(`iteration ${n - 1}'s manifest is missing from ${RunKeys.iteration(n - 1)}/`);
  const recomputed: IterationRecord['recomputed'] = {};
  for (const [phase, t] of Object.entries(facts.timings)) recomputed[phase] = { run: t.tasks_run, reused: t.tasks_reused };
  const record: IterationRecord = {
    iteration: n,
    started_at: manifest.run.started_at,
    finished_at: manifest.run.finished_at,
    config_hash: manifest.config.hash,
    pipeline_file: manifest.config.file,
    models: manifest.models.map((m) => ({ name: m.name, sha256: m.sha256 })),
    labels: facts.iteration.labels ?? null,
    retrained: facts.iteration.retrained ?? null,
    replaced_models: facts.iteration.replaced ?? [],
    recomputed,
    seconds: Math.round(sum(Object.values(facts.timings).map((t) => t.seconds)) * 1000) / 1000,
    documents: manifest.counts.documents,
    changed: parent ? await changedSince(ctx, parent, manifest) : null,
  };
  return [...(parent?.iterations ?? []), record];
}

/** Documents whose fate differs from the iteration before (kept one time, dropped the other), by key. */
async function changedSince(ctx: Pick<TaskContext, 'con' | 'layout'>, parent: RunManifest, manifest: RunManifest): Promise<IterationRecord['changed']> {
  const keys = async (files: readonly FileRecord[], under: string) =>
    files.length === 0 ? 'SELECT NULL::VARCHAR AS key WHERE false' : `SELECT key FROM read_parquet(${sqlFileList(await localPaths(ctx.layout.storage, files.map((f) => `${under}${f.path}`)))})`;
  const before = await keys(parent.outputs.rejected, `${RunKeys.iteration(manifest.iteration - 1)}/`);
  const now = await keys(manifest.outputs.rejected, '');
  const [row] = await queryRows<{ dropped: number; kept: number }>(
    ctx.con,
    `SELECT (SELECT count(*) FROM (${now} EXCEPT ${before})) AS dropped, (SELECT count(*) FROM (${before} EXCEPT ${now})) AS kept`,
  );
  const documents = manifest.counts.documents.input - manifest.counts.documents.skipped;
  const changed = row!.dropped + row!.kept;
  return { newly_dropped: row!.dropped, newly_kept: row!.kept, fraction: documents > 0 ? changed / documents : 0 };
}

type Counts = RunManifest['counts'];

/** Documents, rule and source counts summed over the shards; in shard order, so a rule's first example is the first shard's. */
function shardTotals(shards: readonly ShardManifest[]): Pick<Counts, 'documents' | 'rules' | 'overlaps'> & { sources: NonNullable<Counts['sources']>; exemptions: NonNullable<Counts['exemptions']> } {
  const documents: DocumentCounts = { input: 0, curated: 0, rejected: 0, skipped: 0 };
  const exemptions: NonNullable<Counts['exemptions']> = {};
  const rules: Record<string, RuleCount> = {};
  const sources: NonNullable<Counts['sources']> = {};
  const overlaps = new Map<string, RuleOverlap>();
  for (const s of shards) {
    documents.input += s.counts.input ?? 0;
    documents.curated += s.counts.curated;
    documents.rejected += s.counts.rejected;
    documents.skipped += s.counts.skipped ?? 0;
    for (const [name, c] of Object.entries(s.rules)) {
      const total = (rules[name] ??= { any: 0, primary: 0, alone: 0 });
      total.any += c.any;
      total.primary += c.primary;
      total.alone += c.alone;
      if (!total.example && c.example) total.example = c.example;
    }
    for (const o of s.overlaps) {
      const key = JSON.stringify(o.rules);
      const total = overlaps.get(key) ?? { rules: o.rules, documents: 0 };
      total.documents += o.documents;
      overlaps.set(key, total);
    }
    for (const [name, c] of Object.entries(s.exemptions ?? {})) {
      const total = (exemptions[name] ??= { exempted: 0, saved: 0 });
      total.exempted += c.exempted;
      total.saved += c.saved;
    }
    for (const [name, c] of Object.entries(s.sources ?? {})) {
      const total = (sources[name] ??= { input: 0, curated: 0, rejected: 0 });
      total.input += c.input;
      total.curated += c.curated;
      total.rejected += c.rejected;
    }
  }
  return { documents, rules, overlaps: orderOverlaps([...overlaps.values()], Object.keys(rules)), sources, exemptions };
}

/** What each kind of dedup found, and what boilerplate removal took from the curated documents. */
function dedupCounts(pipeline: Pipeline, dedups: ReportInput['dedups'], shards: readonly ShardManifest[]): Counts['dedup'] {
  const { exact, near, boilerplate } = dedups;
  return {
    exact: {
      enabled: pipeline.dedup.exact.enabled,
      partitions: exact.length,
      hashed: sum(exact.map((d) => d.hashed)),
      duplicates: sum(exact.map((d) => d.duplicates)),
      clusters: sum(exact.map((d) => d.clusters)),
    },
    near: {
      enabled: pipeline.dedup.near.enabled,
      partitions: pipeline.dedup.near.enabled ? pipeline.dedup.near.partitions : 0,
      pairs: near?.pairs ?? 0,
      clusters: near?.clusters ?? 0,
      duplicates: near?.duplicates ?? 0,
      rounds: near?.rounds ?? 0,
    },
    lines: {
      enabled: pipeline.dedup.lines.enabled,
      unit: pipeline.dedup.lines.unit,
      partitions: boilerplate.length,
      boilerplate_units: sum(boilerplate.map((b) => b.units)),
      documents_changed: sum(shards.map((s) => s.boilerplate?.documents ?? 0)),
      units_removed: sum(shards.map((s) => s.boilerplate?.units ?? 0)),
      chars_removed: sum(shards.map((s) => s.boilerplate?.chars ?? 0)),
    },
  };
}

async function footerRows(layout: RunLayout, key: string): Promise<number> {
  const stat = await layout.storage.stat(key);
  if (!stat) throw new Error(`${layout.where(key)} is missing: its shard manifest names it`);
  return (await readShardLayout(layout.where(key), '', stat)).rows;
}

/** Nothing lost: in = curated + rejected + skipped for every shard, and the files agree. */
async function verifyOutputs(con: DuckDBConnection, layout: RunLayout, shards: readonly ShardManifest[]): Promise<void> {
  for (const s of shards) {
    const { input, curated, rejected, skipped } = s.counts;
    if (input !== null && input !== curated + rejected + (skipped ?? 0)) {
      throw new Error(`shard ${s.shard.name}: ${input} rows in, but ${curated} curated + ${rejected} rejected + ${skipped} skipped`);
    }
    for (const file of [...s.outputs.curated, ...s.outputs.rejected]) {
      // On an object store, from the footer alone (ranged GETs): not a download of every output.
      const rows = layout.isLocal ? await parquetRowCount(con, await layout.storage.localPath(file.path)) : await footerRows(layout, file.path);
      if (rows !== file.rows) throw new Error(`${file.path} holds ${rows} rows; its shard manifest says ${file.rows}`);
    }
  }
}
