/**
 * Where a run's files live: a local folder (LocalStorage) or an object store (S3Storage; src/storage/open.ts picks by address).
 * Everything a run writes and reads back goes through this interface by **key**: a '/'-separated
 * path relative to the run folder ('work/markers/annotate/00003.json', 'curated/part-00003-0000.parquet'),
 * the same relative paths that task results and manifests already record.
 *
 * Tasks never write the store directly: they work on local files (DuckDB reads and writes local
 * files) in their `scratch` folder and hand each finished file to `commitFile` (or a finished folder
 * to `commitDir`). Every single write is atomic (a reader sees the old object or the new, never a
 * part: a rename locally, one PUT on an object store), but a task's writes together are not, and
 * need not be, because **the marker is the commit**:
 *
 * - a task's outputs count only once its completion marker (`work/markers/<phase>/<task>.json`,
 *   written with `writeJson`, after every output is committed) names them, with the fingerprint of
 *   the inputs and code they were made from;
 * - a task killed before its marker leaves no marker (or one for an older fingerprint), so it runs
 *   again, and its re-run overwrites the objects it had committed under the same keys and removes
 *   by prefix what it had left under keys it no longer uses (shard outputs, signal parts);
 * - nothing is renamed on the store, so a store without rename (S3) commits the same way.
 *
 * Every method is async because an object store answers over the network; LocalStorage does its
 * work synchronously, as winnow always has, inside them.
 */
export interface RunStorage {
  /** The run's location, for messages: the run folder, or its `s3://` address. */
  readonly location: string;

  /**
   * Where this process keeps the run's local files (DuckDB's spill files, scratch work): the run
   * folder itself locally; a folder on this machine for a run on an object store.
   */
  readonly localRoot: string;

  /**
   * Writes `value` as JSON (two-space indent, newline-terminated: people read manifests) under key,
   * atomically and durably: temporary file, fsync, rename locally; one PUT on an object store.
   */
  writeJson(key: string, value: unknown): Promise<void>;

  /** The JSON document under key, or undefined when there is none; throws when it is not JSON. */
  readJson<T>(key: string): Promise<T | undefined>;

  /** Whether a file is stored under key. */
  exists(key: string): Promise<boolean>;

  /** The size and version (an object's ETag, a file's mtime) of the file under key; undefined when there is none. */
  stat(key: string): Promise<{ bytes: number; etag: string } | undefined>;

  /**
   * The keys of the files whose key starts with `prefix` (a string prefix, as on an object store:
   * 'curated/part-00003-' or the folder 'work/signals/00003/'), sorted. Folders are not listed,
   * only the files in them.
   */
  list(prefix: string): Promise<string[]>;

  /**
   * Removes every file whose key starts with `prefix` (a folder prefix ends in '/'); an empty prefix
   * is refused, since it would remove the whole run.
   */
  remove(prefix: string): Promise<void>;

  /**
   * Publishes a finished local file under key, replacing whatever is there: a rename locally, an
   * upload on an object store. The local file is gone afterwards.
   */
  commitFile(localPath: string, key: string): Promise<void>;

  /**
   * Publishes a finished local folder as the folder `key` (its files under `key/`), replacing
   * everything that was under it: locally the old folder is removed and the new one renamed into
   * place; an object store removes the prefix and uploads each file. The local folder is gone afterwards.
   */
  commitDir(localDir: string, key: string): Promise<void>;

  /**
   * A local path DuckDB can read the file under key from: the file itself locally; a cached
   * download on an object store.
   */
  localPath(key: string): Promise<string>;

  /**
   * Removes the local copies `localPath` made (nothing locally): called when a task ends, so a
   * node's disk holds one task's downloads at a time, not a whole run's.
   */
  clearCache(): Promise<void>;

  /**
   * A fresh, empty local folder for a task's work in progress, named `name` (one path segment:
   * `<phase>-<task>`), cleared of whatever an earlier attempt left there. Locally it lies inside
   * the run folder, on the same file system, so that committing from it is a rename.
   */
  scratch(name: string): Promise<string>;
}

/**
 * Checks a key or prefix: relative, '/'-separated, no empty, '.' or '..' segments, no backslash. A
 * key that escaped the run folder would let a bad path write anywhere, and an absolute path passed
 * where a key belongs fails here instead of landing under the run folder. A prefix may be empty
 * and may end in '/' or in part of a name.
 */
export function checkKey(key: string, kind: 'key' | 'prefix' = 'key'): string {
  const segments = key.split('/');
  if (kind === 'prefix') segments.pop(); // a prefix may end in a partial name, or in '/'
  const bad =
    (kind === 'key' && key === '') ||
    key.startsWith('/') ||
    key.includes('\\') ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new Error(`not a run storage ${kind}: ${JSON.stringify(key)} (a '/'-separated path relative to the run folder)`);
  return key;
}

/**
 * The local paths DuckDB reads the files under these keys from, in order: the files themselves
 * locally, cached downloads on an object store.
 */
export const localPaths = (storage: RunStorage, keys: readonly string[]): Promise<string[]> => Promise.all(keys.map((k) => storage.localPath(k)));
