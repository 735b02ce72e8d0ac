import { existsSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { sqlFileList, sqlIdent } from '../io/duckdb.js';
import { RunKeys } from '../io/layout.js';
import { localPaths, type RunStorage } from '../storage/storage.js';

/** One model's score files (run keys): `work/scores/<model>/part-<shard>.parquet`, columns shard, row, <model>. */
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
 * diff): the signals files and score files found in its work folder. Undefined when the run has no
 * signals (annotate never finished).
 */
export function runSignalsSql(root: string, models: readonly string[]): string | undefined {
  const signalsRoot = join(root, 'work', 'signals');
  if (!existsSync(signalsRoot)) return undefined;
  // work/signals/<shard>/<part>/part-<k>.parquet: sorted, so in shard, part and file order.
  const signalFiles = (readdirSync(signalsRoot, { recursive: true }) as string[])
    .map((f) => f.split(sep).join('/'))
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => `work/signals/${f}`);
  if (signalFiles.length === 0) return undefined;
  const scores = models.map((model) => {
    const dir = join(root, RunKeys.scoresDir(model));
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort().map((f) => `${RunKeys.scoresDir(model)}/${f}`) : [];
    return { model, files };
  });
  return signalsRelation((key) => join(root, key), signalFiles, scores);
}
