import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlFileList, sqlIdent } from '../io/duckdb.js';
import { partLabel, RunKeys } from '../io/layout.js';
import { annotatedShards, type AnnotateResult } from './annotate.js';
import type { RunPlan } from './context.js';
import { localPaths, type RunStorage } from '../storage/storage.js';

/** One model's score files (run keys): `work/scores/<model>/part-<shard>-<part>.parquet`, columns shard, row, <model>. */
export interface ScoreFiles {
  model: string;
  files: readonly string[];
}

/**
 * The SQL of a relation with every signal of the documents in `signalFiles`: annotate's columns
 * (key, text, rule-family signals) and one column per model, joined from the score phase's files.
 * A document with no score (bad input) reads NULL, as a missing signal always has. Files are run
 * keys, read from where the run's storage keeps them locally.
 */
export async function signalsSql(storage: RunStorage, signalFiles: readonly string[], scores: readonly ScoreFiles[]): Promise<string> {
  const local = new Map<string, string>();
  const keys = [...signalFiles, ...scores.flatMap((m) => m.files)];
  (await localPaths(storage, keys)).forEach((path, i) => local.set(keys[i]!, path));
  return signalsRelation((key) => local.get(key)!, signalFiles, scores);
}

function signalsRelation(path: (key: string) => string, signalFiles: readonly string[], scores: readonly ScoreFiles[]): string {
  const files = (keys: readonly string[]) => sqlFileList(keys.map(path));
  // A model with no files for these documents (none annotated) still has its column, all NULL.
  const columns = scores.map((m, i) => (m.files.length > 0 ? `m${i}.${sqlIdent(m.model)}` : `NULL::DOUBLE AS ${sqlIdent(m.model)}`));
  const joins = scores.map((m, i) =>
    m.files.length > 0 ? ` LEFT JOIN read_parquet(${files(m.files)}) m${i} ON m${i}.shard = s.shard AND m${i}."row" = s."row"` : '',
  );
  return `(SELECT s.*${columns.map((c) => `, ${c}`).join('')} FROM read_parquet(${files(signalFiles)}) s${joins.join('')})`;
}

/**
 * Every signal of a finished run, for tools that read a run after the fact (sample, calibrate,
 * diff): the signals and score files its completed annotate and score tasks name (their markers),
 * for the parts its plan holds. Not a listing of the work folder, which can hold files of an earlier
 * split into parts or of an older layout, and would count their documents twice. Undefined when the
 * run has no signals (annotate never finished).
 */
export function runSignalsSql(root: string, models: readonly string[], files = runSignalFiles(root, models)): string | undefined {
  return files && signalsRelation((key) => join(root, key), files.signalFiles, files.scores);
}

/** The run keys of a finished run's signals and score files (as runSignalsSql reads them, which takes them ready-made too); undefined when it has none. */
export function runSignalFiles(root: string, models: readonly string[]): { signalFiles: string[]; scores: ScoreFiles[] } | undefined {
  const plan = readJson<RunPlan>(join(root, RunKeys.plan));
  if (!plan) return undefined;
  const parts: AnnotateResult[] = [];
  for (const shard of plan.shards) {
    const planned = shard.parts ?? [undefined];
    for (const [p, part] of planned.entries()) {
      const marker = readJson<{ result: AnnotateResult }>(join(root, RunKeys.marker('annotate', partLabel(shard.index, p))));
      // A part planned afresh (another split) whose task has not run again holds another split's rows.
      const rows = planned.length > 1 ? part?.rows : undefined;
      if (!marker || JSON.stringify(marker.result.range) !== JSON.stringify(rows)) return undefined;
      parts.push(marker.result);
    }
  }
  // A shard with a skipped part is in no output, as in the run.
  const done = annotatedShards(parts).filter((r) => r.status === 'done');
  const signalFiles = done.flatMap((r) => r.signalFiles);
  if (signalFiles.length === 0) return undefined;
  const kept = new Set(done.map((r) => r.shard));
  const scores = models.map((model) => ({
    model,
    files: parts.filter((r) => kept.has(r.shard)).map((r) => RunKeys.scores(model, r.shard, r.part)).filter((key) => existsSync(join(root, key))),
  }));
  return { signalFiles, scores };
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
