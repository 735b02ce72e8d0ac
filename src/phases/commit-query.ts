import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { queryRows, sqlString } from '../io/duckdb.js';
import { freshDir } from '../io/files.js';
import type { PhaseName } from '../io/layout.js';
import type { TaskContext } from './context.js';

/** A query's result committed as one Parquet file: where it is (relative to the run folder) and its rows. */
export interface CommittedFile {
  file: string;
  rows: number;
}

/**
 * Writes a query's rows to a zstd Parquet file in the task's scratch folder, lets `finish` work on
 * it there (replace it, count it), then moves it to `final` in one rename: a file in place is
 * always complete.
 */
export async function commitQuery(
  ctx: TaskContext,
  task: { phase: PhaseName; name: string },
  query: string,
  final: string,
  finish?: (file: string, scratch: string) => Promise<void>,
): Promise<CommittedFile> {
  const { con, layout } = ctx;
  const scratch = freshDir(layout.taskTmp(task.phase, task.name));
  const tmp = join(scratch, 'result.parquet');
  await con.run(`COPY (${query}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
  await finish?.(tmp, scratch);
  const [stats] = await queryRows<{ n: number }>(con, `SELECT count(*) AS n FROM read_parquet(${sqlString(tmp)})`);
  mkdirSync(dirname(final), { recursive: true });
  renameSync(tmp, final);
  rmSync(scratch, { recursive: true, force: true });
  return { file: relative(layout.root, final), rows: stats?.n ?? 0 };
}
