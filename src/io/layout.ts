import { join } from 'node:path';

export type PhaseName = 'annotate' | 'dedup' | 'cluster' | 'quantiles' | 'decide' | 'report';

/** A shard's position in the run's sorted input list, as used in work and output file names. */
export const shardLabel = (index: number): string => String(index).padStart(5, '0');

/** What winnow writes at the top of a run folder; anything else there is somebody else's. */
const LOCK = '.winnow.lock';
const LOCK_OWNER = '.winnow.lock.json';
export const RUN_ENTRIES: readonly string[] = ['manifest.json', 'curated', 'rejected', 'manifests', 'work', LOCK, LOCK_OWNER];

/**
 * An entry of RUN_ENTRIES, or write-file-atomic's temporary beside one (`<name>.<number>`): a run
 * that has just taken the lock is writing `.winnow.lock.json.<n>`, and a second run started at
 * the same moment must see a folder in use, not a folder of somebody else's files.
 */
export function isRunEntry(name: string): boolean {
  if (RUN_ENTRIES.includes(name)) return true;
  const temp = /^(.+)\.\d+$/.exec(name);
  return temp !== null && RUN_ENTRIES.includes(temp[1]!);
}

/**
 * Where everything of a run lives. Outputs (curated/, rejected/, manifests/, manifest.json) are
 * what users read; work/ holds cached signals, dedup results and task markers for resuming.
 */
export class RunLayout {
  constructor(readonly root: string) {}

  get manifest(): string {
    return join(this.root, 'manifest.json');
  }
  get curatedDir(): string {
    return join(this.root, 'curated');
  }
  get rejectedDir(): string {
    return join(this.root, 'rejected');
  }
  get shardManifestsDir(): string {
    return join(this.root, 'manifests');
  }
  get workDir(): string {
    return join(this.root, 'work');
  }
  get plan(): string {
    return join(this.workDir, 'plan.json');
  }
  /** The run folder's lock (a directory, src/io/run-lock.ts) and the note naming its holder. */
  get lock(): string {
    return join(this.root, LOCK);
  }
  get lockOwner(): string {
    return join(this.root, LOCK_OWNER);
  }

  shardManifest(index: number): string {
    return join(this.shardManifestsDir, `part-${shardLabel(index)}.json`);
  }
  signalsDir(index: number): string {
    return join(this.workDir, 'signals', shardLabel(index));
  }
  exactDedupFile(partition: number): string {
    return join(this.workDir, 'dedup', 'exact', `part-${shardLabel(partition)}.parquet`);
  }
  nearPairsFile(partition: number): string {
    return join(this.workDir, 'dedup', 'near', 'pairs', `part-${shardLabel(partition)}.parquet`);
  }
  boilerplateFile(partition: number): string {
    return join(this.workDir, 'dedup', 'lines', `part-${shardLabel(partition)}.parquet`);
  }
  get nearDuplicatesFile(): string {
    return join(this.workDir, 'dedup', 'near', 'duplicates.parquet');
  }
  marker(phase: PhaseName, task: string): string {
    return join(this.workDir, 'markers', phase, `${task}.json`);
  }
  /** Scratch space for one task; cleared when the task starts. */
  taskTmp(phase: PhaseName, task: string): string {
    return join(this.workDir, 'tmp', `${phase}-${task}`);
  }
  /** DuckDB spill space for one worker thread. */
  spillDir(worker: number): string {
    return join(this.workDir, 'spill', `worker-${worker}`);
  }
}
