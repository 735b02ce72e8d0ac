import { describeFile, type FileRecord } from '../io/files.js';
import type { RunStorage } from '../storage/storage.js';

/**
 * Commits a task's finished local files to an output folder (a run storage key: 'curated',
 * 'rejected') as part-<shard>-<k>.parquet, after removing what an earlier attempt at this shard
 * left there. Each file is described (bytes, sha256) before it is committed, from the local copy
 * at hand: the same bytes, without reading them back from the store.
 */
export async function publish(storage: RunStorage, files: { file: string; rows: number }[], folder: string, label: string): Promise<FileRecord[]> {
  await removeShardOutputs(storage, folder, label);
  const records: FileRecord[] = [];
  for (const [k, { file, rows }] of files.entries()) {
    const key = `${folder}/part-${label}-${String(k).padStart(4, '0')}.parquet`;
    records.push(await describeFile(file, key, rows));
    await storage.commitFile(file, key);
  }
  return records;
}

/** Clears what an interrupted or earlier attempt at this shard left in an output folder. */
export async function removeShardOutputs(storage: RunStorage, folder: string, label: string): Promise<void> {
  await storage.remove(`${folder}/part-${label}-`);
}
