import { join } from 'node:path';
import { openRunStorage } from '../storage/open.js';
import type { RunStorage } from '../storage/storage.js';

/**
 * The executor phases in run order: the names shown and timed, and the marker folders
 * (`work/markers/<phase>/`). The phase table (src/execution/phase-table.ts) defines what runs in
 * each and is checked against this list; it lives here because marker paths need the names and
 * io may not import execution.
 */
export const PHASE_NAMES = ['annotate', 'score', 'dedup', 'cluster', 'quantiles', 'entities', 'coverage', 'decide', 'report'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** A shard's position in the run's sorted input list, as used in work and output file names. */
export const shardLabel = (index: number): string => String(index).padStart(5, '0');

/** A part of a shard (src/execution/parts.ts) in names: the shard's label and the part's position. */
export const partLabel = (index: number, part: number): string => `${shardLabel(index)}-${String(part).padStart(4, '0')}`;

/** What winnow writes at the top of a run folder; anything else there is somebody else's. */
const LOCK = '.winnow.lock';
const LOCK_OWNER = '.winnow.lock.json';
export const RUN_ENTRIES: readonly string[] = ['manifest.json', 'report.html', 'curated', 'rejected', 'manifests', 'met', 'iterations', 'review', 'work', LOCK, LOCK_OWNER];

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
 * The keys (paths relative to the run folder, '/'-separated) of what a run stores through its
 * RunStorage; RunLayout's local paths are these under its root.
 */
export const RunKeys = {
  manifest: 'manifest.json',
  curated: 'curated',
  rejected: 'rejected',
  work: 'work',
  plan: 'work/plan.json',
  /** The tasks' scratch folders (RunStorage.scratch): inside the run folder, so committing from them is a rename. */
  scratch: 'work/tmp',
  shardManifest: (index: number): string => `manifests/part-${shardLabel(index)}.json`,
  /** The signals folder of a part of a shard: its files are under `<key>/`. */
  signals: (index: number, part: number): string => `work/signals/${shardLabel(index)}/${String(part).padStart(4, '0')}`,
  /** A model's scores (the score phase): one file per part of a shard under this folder. */
  scoresDir: (model: string): string => `work/scores/${model}`,
  scores: (model: string, index: number, part: number): string => `work/scores/${model}/part-${partLabel(index, part)}.parquet`,
  exactDedup: (partition: number): string => `work/dedup/exact/part-${shardLabel(partition)}.parquet`,
  nearPairs: (partition: number): string => `work/dedup/near/pairs/part-${shardLabel(partition)}.parquet`,
  boilerplate: (partition: number): string => `work/dedup/lines/part-${shardLabel(partition)}.parquet`,
  nearDuplicates: 'work/dedup/near/duplicates.parquet',
  /** A shard's entity tally (src/phases/met-tally.ts). */
  metTally: (index: number): string => `work/met/tally/part-${shardLabel(index)}.parquet`,
  /** Entity-tree coverage, for users (src/met/coverage.ts). */
  met: {
    coverage: 'met/coverage.json',
    nodes: 'met/nodes.parquet',
    index: 'met/index.parquet',
    gapsCsv: 'met/met-gaps.csv',
    gapsJson: 'met/met-gaps.json',
    /** A copy of the tree the run tagged with (gzip-compressed), so the run answers `winnow met docs` on its own. */
    tree: 'met/tree.json.gz',
  },
  marker: (phase: PhaseName, task: string): string => `work/markers/${phase}/${task}.json`,
  /** A planned run's phases and tasks, for cluster engines (src/cluster/plan.ts). */
  clusterPlan: 'work/cluster/plan.json',
  /** The timings of a phase's slices run by `winnow task`, which the report sums up (those of its config). */
  sliceTimings: 'work/cluster/timings/',
  sliceTiming: (phase: PhaseName, index: number, count: number): string => `work/cluster/timings/${phase}/${index}-of-${count}.json`,
  /**
   * Refinement (src/refinement/): an earlier iteration's outputs once a later one replaced them at
   * the top of the run folder (its curated/, rejected/, manifests/ and manifest.json, same names).
   */
  iteration: (n: number): string => `iterations/${n}`,
  /** The iteration `winnow refine` is making, until it is done: what it was asked, and how far it got. */
  refineState: 'work/refine.json',
  /** The outputs an iteration replaces at the top of the run folder, and keeps under `iteration(n)`. */
  iterationOutputs: ['curated/', 'rejected/', 'manifests/', 'manifest.json', 'report.html'] as readonly string[],
  /** The run's report (src/report/), beside its manifest. */
  report: 'report.html',
} as const;

/**
 * Where everything of a run lives. Outputs (curated/, rejected/, manifests/, manifest.json) are
 * what users read; work/ holds cached signals, dedup results and task markers for resuming.
 * Reading and writing them goes through `storage` by key (RunKeys); the local paths below are for
 * what stays on this machine (the lock, DuckDB's spill files) and for reading a local run.
 */
export class RunLayout {
  constructor(
    readonly root: string,
    readonly storage: RunStorage = openRunStorage(root, RunKeys.scratch),
  ) {}

  /** Whether the run is a local folder (or a mounted one), rather than on an object store. */
  get isLocal(): boolean {
    return this.storage.localRoot === this.root;
  }

  /** Where the file or folder under key is, for people: a local path, or an `s3://` address. */
  where(key: string): string {
    return this.isLocal ? this.local(key) : `${this.storage.location}${key}`;
  }

  /** A fresh local scratch folder for one task (RunStorage.scratch), cleared of an earlier attempt's. */
  scratch(phase: PhaseName, task: string): Promise<string> {
    return this.storage.scratch(`${phase}-${task}`);
  }

  get manifest(): string {
    return this.local(RunKeys.manifest);
  }
  get curatedDir(): string {
    return this.local(RunKeys.curated);
  }
  get rejectedDir(): string {
    return this.local(RunKeys.rejected);
  }
  get workDir(): string {
    return this.local(RunKeys.work);
  }
  get plan(): string {
    return this.local(RunKeys.plan);
  }
  /** The run folder's lock (a directory, src/io/run-lock.ts) and the note naming its holder. */
  get lock(): string {
    return join(this.root, LOCK);
  }
  get lockOwner(): string {
    return join(this.root, LOCK_OWNER);
  }

  shardManifest(index: number): string {
    return this.local(RunKeys.shardManifest(index));
  }
  /**
   * DuckDB spill space for one worker thread of one executor: cluster tasks of a run share its
   * folder, several to a machine or pod network, and their process and thread ids repeat; the
   * executor's token (random) does not.
   */
  spillDir(token: string, worker: number): string {
    return join(this.storage.localRoot, RunKeys.work, 'spill', `${token}-${worker}`);
  }

  /** A local folder for files a task derives once and keeps (materialized lists): under the run's local root. */
  get localWorkDir(): string {
    return join(this.storage.localRoot, RunKeys.work);
  }

  private local(key: string): string {
    return join(this.root, key);
  }
}
