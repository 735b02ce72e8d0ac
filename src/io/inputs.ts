import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { downloadObject, downloadRanges, explainS3, isS3Url, listObjects, objectFault, parseS3Url, sharedS3Client } from '../storage/s3.js';
import { sha256File } from './files.js';
import { checkKey } from '../storage/storage.js';
import { InputError, StalePlanError } from './errors.js';
import { readShardLayout } from './parquet-layout.js';
import { compileGlob } from './glob.js';
import { makeDirs } from '../storage/dirs.js';

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
  /** A local file's size and mtime when planned: a task refuses a file changed since (its parts would be stale). */
  stamp?: { bytes: number; mtime: number };
  /**
   * The shard's parts, planned from its footer (src/execution/parts.ts): each annotate task reads
   * one. Absent when the footer could not be read: one part, the whole file, whose task says why.
   */
  parts?: ShardPart[];
  /** Where the row groups' data ends (ShardLayout.tailStart): a part is read with everything from here on (indexes, footer). */
  tail?: number;
}

/** Consecutive row groups of a shard: its rows [start, end) and the bytes [start, end) their column chunks fill. */
export interface ShardPart {
  rows: [number, number];
  bytes: [number, number];
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
  // As a local folder is listed: *.parquet files, none under a dot-folder or named with a leading dot.
  let chosen = objects.filter((o) => o.key.endsWith('.parquet') && !o.key.slice(prefix.length).split('/').some((seg) => seg.startsWith('.')));
  if (isDynamicPattern(input)) {
    const glob = compileGlob(input.slice(`s3://${bucket}/`.length));
    chosen = chosen.filter((o) => glob.matches(o.key));
  } else if (chosen.length === 1 && chosen[0]!.key === key) {
    root = `s3://${bucket}/${key.slice(0, key.lastIndexOf('/') + 1)}`;
  }
  const rootKey = root.slice(`s3://${bucket}/`.length);
  const unaddressable = chosen.find((o) => !isAddressable(o.key));
  if (unaddressable) throw new InputError(`s3://${bucket}/${unaddressable.key}`, "the key has an empty, '.' or '..' segment (a doubled '/'), which winnow does not address: copy the object to a plain key");
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
  makeDirs(dir);
  try {
    const sha256 = await downloadObject(sharedS3Client(), { bucket, key, etag: shard.object?.etag ?? '' }, file);
    return { path: file, sha256 };
  } catch (err) {
    throw s3ShardError(shard, bucket, err);
  }
}

/** What an annotate task reads of its shard: a local file DuckDB reads it from, and digests of it. */
export interface PartRead {
  /** The shard itself, its download, or (a part of a shard on S3) a file of its size holding the part's bytes. */
  path: string;
  /** sha256 of the bytes the part is made of: the whole file, or its head, the part's row groups and its tail (indexes, footer). */
  digest: string;
  /** sha256 of the whole shard, when asked for (the first part of each shard records it). */
  sha256?: string;
}

/**
 * Reads one part of a shard for its annotate task (src/execution/parts.ts). A shard of one part
 * (or whose footer was unreadable) is read whole, and its digest is its sha256. A part of a larger
 * shard is its row groups' byte range with the file's head and tail: locally they are hashed in
 * place and DuckDB reads the file itself (its row filter skips the other row groups); on S3 they
 * alone are fetched, with ranged GETs, into a sparse file of the object's size (the other row groups
 * are holes DuckDB never reads). A local shard changed since the run was planned is refused: the
 * plan's parts would not be its row groups any more.
 */
export async function readPart(shard: InputShard, part: ShardPart | undefined, whole: boolean, dir: string, withSha256: boolean): Promise<PartRead> {
  if (!isS3Url(shard.path)) {
    if (!(await unchangedParts(shard, part))) throw new StalePlanError(shard.path, 'has changed');
    if (whole || !part) {
      const sha256 = await sha256File(shard.path);
      return { path: shard.path, digest: sha256, sha256 };
    }
    return { path: shard.path, digest: await sha256Ranges(shard.path, partRanges(shard, part)), ...(withSha256 ? { sha256: await sha256File(shard.path) } : {}) };
  }
  if (whole || !part) {
    const local = await localShard(shard, dir);
    return { path: local.path, digest: local.sha256!, sha256: local.sha256! };
  }
  const { bucket, prefix } = parseS3Url(shard.path);
  const object = { bucket, key: prefix.replace(/\/$/, ''), etag: shard.object?.etag ?? '', bytes: shard.object?.bytes ?? 0 };
  const file = join(dir, basename(object.key));
  makeDirs(dir);
  const client = sharedS3Client();
  try {
    const digest = await downloadRanges(client, object, partRanges(shard, part), file);
    return { path: file, digest, ...(withSha256 ? { sha256: await downloadObject(client, object, undefined) } : {}) };
  } catch (err) {
    throw s3ShardError(shard, bucket, err);
  }
}

/**
 * Whether a local shard is as planned. Its size and mtime say so at once; a file touched or copied
 * since (another mtime) is still as planned when its footer puts the same row groups where the
 * part says, with the same tail (its digest then decides whether the annotation stands).
 */
async function unchangedParts(shard: InputShard, part: ShardPart | undefined): Promise<boolean> {
  if (!shard.stamp) return true;
  const now = statSync(shard.path, { throwIfNoEntry: false });
  if (!now) throw new StalePlanError(shard.path, 'is gone');
  if (now.size !== shard.stamp.bytes) return false;
  if (now.mtimeMs === shard.stamp.mtime || !shard.parts || !part) return true;
  try {
    const layout = await readShardLayout(shard.path, '');
    let row = 0;
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    for (const rg of layout.rowGroups) {
      if (row >= part.rows[0] && row < part.rows[1]) [start, end] = [Math.min(start, rg.start), Math.max(end, rg.end)];
      row += rg.rows;
    }
    return layout.tailStart === shard.tail && (part.rows[0] === part.rows[1] || (start === part.bytes[0] && end === part.bytes[1]));
  } catch {
    return false;
  }
}

/**
 * Throws when a local shard is not the file the run annotated (decide reads its columns again):
 * same size and mtime, or else the same sha256 (a touched or copied file).
 */
export async function checkUnchanged(shard: InputShard, sha256: string): Promise<void> {
  if (isS3Url(shard.path) || !shard.stamp) return;
  const now = statSync(shard.path, { throwIfNoEntry: false });
  if (!now) throw new StalePlanError(shard.path, 'is gone');
  if (now.size === shard.stamp.bytes && now.mtimeMs === shard.stamp.mtime) return;
  if (sha256 === '' || (await sha256File(shard.path)) !== sha256) throw new StalePlanError(shard.path, 'has changed');
}

/** The byte ranges a part is read from: the file's head (its magic), the part's row groups, the tail. */
function partRanges(shard: InputShard, part: ShardPart): [number, number][] {
  const size = shard.object?.bytes ?? shard.stamp?.bytes ?? 0;
  return [[0, Math.min(4, part.bytes[0])], part.bytes, [Math.max(part.bytes[1], shard.tail ?? size), size]];
}

async function sha256Ranges(path: string, ranges: readonly [number, number][]): Promise<string> {
  const hash = createHash('sha256');
  for (const [start, end] of ranges) {
    if (end <= start) continue;
    for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** An S3 failure reading a shard, worded for users: a changed or deleted shard is the input's; the rest the store's. */
function s3ShardError(shard: InputShard, bucket: string, err: unknown): Error {
  const fault = objectFault(err);
  if (fault === 'changed') return new StalePlanError(shard.path, 'has changed (another version on the store)');
  if (fault === 'gone') return new StalePlanError(shard.path, 'is gone');
  return explainS3(shard.path, bucket, 'read the shard', err);
}

function isAddressable(key: string): boolean {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
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
