import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeFile, moveInto, type FileRecord } from '../io/files.js';

/** Moves a task's finished files into an output folder as part-<shard>-<k>.parquet. */
export async function publish(files: { file: string; rows: number }[], dir: string, label: string, root: string): Promise<FileRecord[]> {
  removeShardOutputs(dir, label);
  const records: FileRecord[] = [];
  for (const [k, { file, rows }] of files.entries()) {
    const target = join(dir, `part-${label}-${String(k).padStart(4, '0')}.parquet`);
    moveInto(file, target);
    records.push(await describeFile(target, relative(root, target), rows));
  }
  return records;
}

/** Clears what an interrupted or earlier attempt at this shard left in an output folder. */
export function removeShardOutputs(dir: string, label: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f.startsWith(`part-${label}-`)) rmSync(join(dir, f));
}
