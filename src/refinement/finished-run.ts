import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { WinnowError } from '../config/errors.js';
import { createEngine, sqlFileList, sqlString } from '../io/duckdb.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';
import { runSignalsSql } from '../phases/signals-sql.js';

/** A run folder that `sample` or `calibrate` cannot read, or a request they cannot answer. */
export class ReviewError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewError';
  }
}

/**
 * What the review tools read of a finished run: its latest iteration (the outputs at the top of
 * the folder), with SQL relations over its cached signals, its rejected rows and the duplicates
 * dedup removed. Nothing is read here; the relations are for DuckDB to scan.
 */
export interface FinishedRun {
  root: string;
  manifest: RunManifest;
  /** `signals.models[].name`: a score column each in `signals`. */
  models: string[];
  /** Every document of the run's shards (skipped shards have none): annotate's columns and one column per model. */
  signals: string;
  /** The latest iteration's rejected rows: key, primary_reason, reasons. */
  rejected: string;
  /** (shard, row) of every document dedup removed (exact copies and near duplicates that are not their cluster's keeper). */
  removed: string;
}

export function readFinishedRun(dir: string): FinishedRun {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ReviewError(`${dir}: no such run folder`);
  const layout = new RunLayout(root);
  const manifest = readManifest(layout, dir);
  // A refine between archiving the last iteration and writing the next leaves the top of the
  // folder half one iteration and half the other.
  if (existsSync(join(root, RunKeys.refineState))) {
    throw new ReviewError(`${dir}: an iteration is unfinished (${RunKeys.refineState}); finish it with the same winnow refine command first`);
  }
  const models = (manifest.config.resolved.signals.models ?? []).map((m) => m.name);
  const signals = runSignalsSql(root, models);
  if (!signals) throw new ReviewError(`${dir}: no cached signals (${RunKeys.work}/signals/): was the work folder removed?`);
  const rejectedFiles = manifest.outputs.rejected.map((f) => join(root, f.path));
  const rejected =
    rejectedFiles.length === 0
      ? '(SELECT NULL::VARCHAR AS key, NULL::VARCHAR AS primary_reason, NULL::STRUCT(rule VARCHAR, signal VARCHAR, op VARCHAR, value VARCHAR, threshold VARCHAR)[] AS reasons WHERE false)'
      : `(SELECT key, primary_reason, reasons FROM read_parquet(${sqlFileList(rejectedFiles)}))`;
  return { root, manifest, models, signals, rejected, removed: removedSql(root, manifest) };
}

function readManifest(layout: RunLayout, dir: string): RunManifest {
  const notARun = `${dir} is not a finished run (no readable ${RunKeys.manifest}): run a pipeline into it first (winnow run)`;
  if (!existsSync(layout.manifest)) throw new ReviewError(notARun);
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(readFileSync(layout.manifest, 'utf8')) as RunManifest;
  } catch {
    throw new ReviewError(notARun);
  }
  if (!manifest?.config?.resolved || !manifest.outputs || !manifest.counts?.documents) throw new ReviewError(notARun);
  return manifest;
}

/**
 * The documents dedup removed, as the quantiles phase counts them out of its population: only the
 * partitions the run's config has, so a stale part file of an earlier setting is never read.
 */
function removedSql(root: string, manifest: RunManifest): string {
  const dedup = manifest.config.resolved.dedup;
  const parts: string[] = [];
  if (dedup.exact.enabled) {
    const files = Array.from({ length: dedup.exact.partitions }, (_, p) => join(root, RunKeys.exactDedup(p))).filter((f) => existsSync(f));
    if (files.length > 0) parts.push(`SELECT shard, "row" FROM read_parquet(${sqlFileList(files)})`);
  }
  const near = join(root, RunKeys.nearDuplicates);
  if (dedup.near.enabled && existsSync(near)) parts.push(`SELECT shard, "row" FROM read_parquet(${sqlString(near)})`);
  return parts.length > 0 ? `(${parts.join(' UNION ALL ')})` : '(SELECT NULL::INTEGER AS shard, NULL::BIGINT AS "row" WHERE false)';
}

/**
 * A DuckDB connection for reading a run after the fact, with its own spill folder outside the run
 * (a review must not write into the run it reads); `close` removes it.
 */
export async function openReviewEngine(): Promise<{ con: DuckDBConnection; close: () => void }> {
  const spill = mkdtempSync(join(tmpdir(), 'winnow-review-'));
  const engine = await createEngine({ threads: Math.min(4, availableParallelism()), tempDir: spill });
  const con = await engine.connect();
  return {
    con,
    close: () => {
      con.closeSync();
      engine.closeSync();
      rmSync(spill, { recursive: true, force: true });
    },
  };
}
