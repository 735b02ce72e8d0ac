import { rmSync } from 'node:fs';
import type { DuckDBValue } from '@duckdb/node-api';
import type { ResolvedModel } from '../config/models.js';
import { sqlFileList, streamColumns } from '../io/duckdb.js';
import { localPaths } from '../storage/storage.js';
import type { InputShard } from '../io/inputs.js';
import { RunKeys } from '../io/layout.js';
import { ParquetPartWriter } from '../io/parquet-writer.js';
import { loadScorer, type Scorer } from '../models/scorer.js';
import type { TaskContext } from './context.js';

export interface ScoreResult {
  model: string;
  shard: number;
  part: number;
  /** The part's scores (run key): columns shard, row and the model's name. */
  file: string;
  rows: number;
}

// A worker scores many shards with the same few models: each is loaded once per thread, by content.
const scorers = new Map<string, Promise<Scorer>>();

/**
 * Scores one part of a shard with one model: the final texts annotate stored in the signals files, read
 * back in row order, each given the probability of the model's label. A score is a signal like
 * any other to rules; it lives in a file of its own so that a retrained or replaced model scores
 * again, and everything after it decides again, without measuring any other signal.
 */
export async function scoreShard(ctx: TaskContext, shard: InputShard, part: number, signalFiles: readonly string[], model: ResolvedModel): Promise<ScoreResult> {
  const { layout } = ctx;
  let scorer = scorers.get(model.sha256);
  if (!scorer) {
    scorer = loadScorer(model);
    scorers.set(model.sha256, scorer);
  }
  const score = await scorer;
  const tmp = await layout.scratch('score', `${model.name}-${shard.index}-${part}`);
  const writer = await ParquetPartWriter.open(
    ctx.con,
    tmp,
    [
      { name: 'shard', type: 'INTEGER' },
      { name: 'row', type: 'BIGINT' },
      { name: model.name, type: 'DOUBLE' },
    ],
    // One file per part of a shard: a score is 16 bytes a document.
    { partRows: Number.POSITIVE_INFINITY, partBytes: Number.POSITIVE_INFINITY, rowGroupRows: ctx.pipeline.output.row_group_rows },
  );
  const files = await localPaths(layout.storage, signalFiles);
  let rows = 0;
  for await (const [shards, rowIds, texts] of streamColumns(ctx.reader, `SELECT shard, "row", text FROM read_parquet(${sqlFileList(files)}) ORDER BY "row"`)) {
    ctx.checkAborted();
    const n = rowIds!.length;
    const scores = new Array<DuckDBValue>(n);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const text = texts![i] as string | null;
      // Bad input has no text, and no score; nor has a text without a letter or digit (scorer.ts):
      // a missing signal, which fails its rule.
      scores[i] = text === null ? null : score(text);
      bytes += text?.length ?? 0;
    }
    await writer.append([shards as DuckDBValue[], rowIds as DuckDBValue[], scores], n);
    rows += n;
    ctx.progress(n, bytes);
  }
  const [file] = await writer.close();
  const key = RunKeys.scores(model.name, shard.index, part);
  await layout.storage.commitFile(file!, key);
  rmSync(tmp, { recursive: true, force: true });
  return { model: model.name, shard: shard.index, part, file: key, rows };
}
