import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { downloadObject, explainS3, isS3Url, listObjects, parseS3Url, sharedS3Client } from '../storage/s3.js';
import { InputError } from './errors.js';
import { compileGlob } from './glob.js';

export interface InputShard {
  index: number;
  /** Absolute path, or the shard's `s3://bucket/key` address. */
  path: string;
  /** Path relative to the input root, with "/" separators: the prefix of every document key. */
  name: string;
  /**
   * A shard on an object store: its size and version (ETag) when listed. Tasks read that version
   * (a shard replaced after planning fails, rather than mixing two versions in one run), and
   * annotate's quick check compares them instead of a file's size and mtime.
   */
  object?: { bytes: number; etag: string };
}

/**
 * Lists the Parquet shards of an input: a folder (every *.parquet below it), one file, or a glob.
 * Shards are sorted by name in code-point order, so their order (and every keeper choice that
 * depends on it) is the same on every machine and whatever order the file system lists them in.
 */
export async function listShards(input: string): Promise<{ root: string; shards: InputShard[] }> {
  if (isS3Url(input)) return listS3Shards(input);
  let root: string;
  let files: string[];
  if (isDynamicPattern(input)) {
    root = globBase(input);
    const pattern = compileGlob(toPosix(resolve(input)));
    files = (await glob(pattern.walk, { absolute: true, onlyFiles: true })).filter((f) => pattern.matches(toPosix(resolve(f))));
  } else if (!existsSync(input)) {
    throw new InputError(input, 'the input does not exist');
  } else if (statSync(input).isDirectory()) {
    root = input;
    files = await glob('**/*.parquet', { cwd: input, absolute: true, onlyFiles: true });
  } else {
    root = dirname(input);
    files = [input];
  }
  const named = files.map((f) => ({ path: resolve(f), name: toPosix(relative(root, resolve(f))) || basename(f) }));
  named.sort((a, b) => compareCodePoints(a.name, b.name));
  return { root, shards: named.map((s, index) => ({ index, ...s })) };
}

/**
 * The shards of an input on S3: every *.parquet object under `s3://bucket/prefix`, one object, or
 * the objects a glob over keys matches (`s3://corpus/crawl/2024-*.parquet`), listed from the
 * glob's fixed part. Names are keys relative to that root.
 */
async function listS3Shards(input: string): Promise<{ root: string; shards: InputShard[] }> {
  const { bucket, prefix } = parseS3Url(isDynamicPattern(input) ? s3GlobBase(input) : input);
  const key = prefix.replace(/\/$/, '');
  const client = sharedS3Client();
  let objects;
  try {
    objects = await listObjects(client, bucket, prefix);
    // An address naming one object lists as a prefix with nothing under it.
    if (objects.length === 0 && key.endsWith('.parquet')) objects = (await listObjects(client, bucket, key)).filter((o) => o.key === key);
  } catch (err) {
    throw explainS3(input, bucket, 'list the input', err);
  }
  let root = `s3://${bucket}/${prefix}`;
  let chosen = objects.filter((o) => o.key.endsWith('.parquet') && !o.key.endsWith('/'));
  if (isDynamicPattern(input)) {
    const glob = compileGlob(input.slice(`s3://${bucket}/`.length));
    chosen = chosen.filter((o) => glob.matches(o.key));
  } else if (chosen.length === 1 && chosen[0]!.key === key) {
    root = `s3://${bucket}/${key.slice(0, key.lastIndexOf('/') + 1)}`;
  }
  const rootKey = root.slice(`s3://${bucket}/`.length);
  const named = chosen.map((o) => ({ path: `s3://${bucket}/${o.key}`, name: o.key.slice(rootKey.length), object: { bytes: o.bytes ?? 0, etag: o.etag } }));
  named.sort((a, b) => compareCodePoints(a.name, b.name));
  return { root: root.replace(/\/$/, ''), shards: named.map((s, index) => ({ index, ...s })) };
}

/**
 * A local file DuckDB can read the shard from: the shard itself, or for a shard on S3 a download
 * of the listed version into `dir` (a task's scratch folder, removed with it), with its sha256
 * computed on the way.
 */
export async function localShard(shard: InputShard, dir: string): Promise<{ path: string; sha256?: string }> {
  if (!isS3Url(shard.path)) return { path: shard.path };
  const { bucket, prefix } = parseS3Url(shard.path);
  const key = prefix.replace(/\/$/, '');
  const file = join(dir, basename(key));
  mkdirSync(dir, { recursive: true });
  try {
    const sha256 = await downloadObject(sharedS3Client(), { bucket, key, etag: shard.object?.etag ?? '' }, file);
    return { path: file, sha256 };
  } catch (err) {
    if ((err as { name?: string }).name === 'PreconditionFailed' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412) {
      throw new InputError(shard.path, 'the shard has changed since the run was planned (another version on the store): plan the run again');
    }
    throw explainS3(shard.path, bucket, 'read the shard', err);
  }
}

/** The fixed folders of an S3 glob, before its first segment with a wildcard. */
function s3GlobBase(pattern: string): string {
  const parts = pattern.slice('s3://'.length).split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return `s3://${fixed.join('/')}/`;
}

function globBase(pattern: string): string {
  const parts = resolve(pattern).split(sep);
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.join(sep) || sep;
}

/** Code-point order (the order of UTF-8 bytes), which is how DuckDB compares strings too. */
export const compareCodePoints = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

const toPosix = (p: string): string => p.split(sep).join('/');
