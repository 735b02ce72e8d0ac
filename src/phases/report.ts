import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { configHash, resultConfig, type Pipeline } from '../config/load.js';
import { hashOf } from '../config/hash.js';
import { WINNOW_VERSION, gitRevision } from '../config/version.js';
import { writeJsonAtomic, type FileRecord } from '../io/files.js';
import type { RunLayout } from '../io/layout.js';
import { parquetRowCount } from '../io/parquet-writer.js';
import type { RunPlan } from './context.js';
import type { Preprocessing } from '../config/models.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import type { BoilerplateResult } from './boilerplate.js';
import type { ExactDedupResult } from './exact-dedup.js';
import type { NearClustersResult } from './near-dedup.js';
import type { RuleCount, ShardManifest } from './decide.js';

export const RUN_MANIFEST_VERSION = 1;

export interface PhaseTiming {
  seconds: number;
  /** CPU time of the whole process (all threads, DuckDB's included) during the phase. */
  cpu_seconds: number;
  /** Peak resident memory of the whole process (all worker threads) when the phase ended. */
  peak_rss_bytes: number;
  tasks_run: number;
  tasks_reused: number;
}

export interface RunFacts {
  startedAt: Date;
  workers: number;
  timings: Record<string, PhaseTiming>;
}

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
    sources?: Record<string, { input: number; curated: number; rejected: number }>;
  };
  skipped_shards: { path: string; rows: number | null; error: string }[];
  timings: Record<string, PhaseTiming>;
  execution: { workers: number };
}

/**
 * Merges the per-shard manifests and dedup statistics into the run's manifest.json, after
 * checking that every input row is accounted for and that every output file holds the rows its
 * manifest says. Fields that differ between identical runs: run.started_at, run.finished_at,
 * timings and execution.
 */
/** What the report reads: the run, each phase's results, and facts only the runner knows. */
export interface ReportInput {
  pipeline: Pipeline;
  layout: RunLayout;
  plan: RunPlan;
  /** Decide's shard manifests, in shard order. */
  shards: readonly ShardManifest[];
  dedups: { exact: readonly ExactDedupResult[]; near?: NearClustersResult; boilerplate: readonly BoilerplateResult[] };
  quantiles: readonly QuantileThreshold[];
  /** UTF-8 bytes of input text annotate read. */
  textBytes: number;
  facts: RunFacts;
}

export async function writeRunManifest(con: DuckDBConnection, input: ReportInput): Promise<RunManifest> {
  const { pipeline, layout, plan, shards, dedups, quantiles, textBytes, facts } = input;
  await verifyOutputs(con, layout, shards);
  const { exact: dedup, near } = dedups;
  const documents: DocumentCounts = { input: 0, curated: 0, rejected: 0, skipped: 0 };
  const rules: Record<string, RuleCount> = {};
  const sources: Record<string, { input: number; curated: number; rejected: number }> = {};
  for (const s of shards) {
    documents.input += s.counts.input ?? 0;
    documents.curated += s.counts.curated;
    documents.rejected += s.counts.rejected;
    documents.skipped += s.counts.skipped ?? 0;
    for (const [name, c] of Object.entries(s.rules)) {
      const total = (rules[name] ??= { any: 0, primary: 0 });
      total.any += c.any;
      total.primary += c.primary;
      if (!total.example && c.example) total.example = c.example; // shards in order: the first example wins
    }
    for (const [name, c] of Object.entries(s.sources ?? {})) {
      const total = (sources[name] ??= { input: 0, curated: 0, rejected: 0 });
      total.input += c.input;
      total.curated += c.curated;
      total.rejected += c.rejected;
    }
  }
  const hash = configHash(pipeline);
  const manifest: RunManifest = {
    schema_version: RUN_MANIFEST_VERSION,
    run: {
      id: hashOf({ config: hash, inputs: shards.map((s) => s.input.sha256) }).slice(0, 16),
      pipeline: pipeline.name,
      started_at: facts.startedAt.toISOString(),
      finished_at: new Date().toISOString(),
    },
    winnow: { version: WINNOW_VERSION, git_revision: gitRevision(), node: process.version },
    config: { file: pipeline.file, hash, resolved: resultConfig(pipeline) },
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
    quantiles: [...quantiles],
    inputs: { root: plan.inputRoot, shards: shards.map((s) => ({ index: s.shard.index, status: s.status, ...s.input })) },
    outputs: {
      curated: shards.flatMap((s) => s.outputs.curated),
      rejected: shards.flatMap((s) => s.outputs.rejected),
      shard_manifests: shards.map((s) => layout.shardManifest(s.shard.index).slice(layout.root.length + 1)),
    },
    counts: {
      documents,
      annotate: {
        documents: documents.input - documents.skipped,
        text_bytes: textBytes,
        bad_input: sum(shards.map((s) => s.counts.bad_input)),
        shards_done: shards.filter((s) => s.status === 'done').length,
        shards_skipped: shards.filter((s) => s.status === 'skipped').length,
      },
      dedup: {
        exact: {
          enabled: pipeline.dedup.exact.enabled,
          partitions: dedup.length,
          hashed: sum(dedup.map((d) => d.hashed)),
          duplicates: sum(dedup.map((d) => d.duplicates)),
          clusters: sum(dedup.map((d) => d.clusters)),
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
          partitions: dedups.boilerplate.length,
          boilerplate_units: sum(dedups.boilerplate.map((b) => b.units)),
          documents_changed: sum(shards.map((s) => s.boilerplate?.documents ?? 0)),
          units_removed: sum(shards.map((s) => s.boilerplate?.units ?? 0)),
          chars_removed: sum(shards.map((s) => s.boilerplate?.chars ?? 0)),
        },
      },
      rules,
      ...(pipeline.input.columns.source ? { sources } : {}),
    },
    skipped_shards: shards
      .filter((s) => s.status === 'skipped')
      .map((s) => ({ path: s.input.path, rows: s.counts.input, error: s.error?.message ?? 'unknown error' })),
    timings: facts.timings,
    execution: { workers: facts.workers },
  };
  writeJsonAtomic(layout.manifest, manifest);
  return manifest;
}

/** Nothing lost: in = curated + rejected + skipped for every shard, and the files agree. */
async function verifyOutputs(con: DuckDBConnection, layout: RunLayout, shards: readonly ShardManifest[]): Promise<void> {
  for (const s of shards) {
    const { input, curated, rejected, skipped } = s.counts;
    if (input !== null && input !== curated + rejected + (skipped ?? 0)) {
      throw new Error(`shard ${s.shard.name}: ${input} rows in, but ${curated} curated + ${rejected} rejected + ${skipped} skipped`);
    }
    for (const file of [...s.outputs.curated, ...s.outputs.rejected]) {
      const rows = await parquetRowCount(con, join(layout.root, file.path));
      if (rows !== file.rows) throw new Error(`${file.path} holds ${rows} rows; its shard manifest says ${file.rows}`);
    }
  }
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
