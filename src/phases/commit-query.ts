import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { queryRows, sqlString } from '../io/duckdb.js';
import type { PhaseName } from '../io/layout.js';
import type { TaskContext } from './context.js';

/** A query's result committed as one Parquet file: its run storage key (relative to the run folder) and its rows. */
export interface CommittedFile {
  file: string;
  rows: number;
}

/**
 * Writes a query's rows to a zstd Parquet file in the task's scratch folder, lets `finish` work on
 * it there (replace it, count it), then commits it under `key` in one step (RunStorage.commitFile:
 * a rename locally): a file under a key is always complete.
 */
export async function commitQuery(
  ctx: TaskContext,
  task: { phase: PhaseName; name: string },
  query: string,
  key: string,
  finish?: (file: string, scratch: string) => Promise<void>,
): Promise<CommittedFile> {
  const { con, layout } = ctx;
  const scratch = await layout.scratch(task.phase, task.name);
  const tmp = join(scratch, 'result.parquet');
  await con.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  await finish?.(tmp, scratch);
  const [stats] = await queryRows<{ n: number }>(con, `SELECT count(*) AS n FROM read_parquet(${sqlString(tmp)})`);
  await layout.storage.commitFile(tmp, key);
  rmSync(scratch, { recursive: true, force: true });
  return { file: key, rows: stats?.n ?? 0 };
}
