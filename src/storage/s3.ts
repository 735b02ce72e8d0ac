import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { WinnowError } from '../config/errors.js';
import { jsonText } from './local.js';
import { checkKey, type RunStorage } from './storage.js';
import { makeDirs } from './dirs.js';

/**
 * The AWS SDK, required when a run first touches S3: it takes some 250 ms to load, which every
 * worker thread of every local run would otherwise pay (the run layout opens storage by address).
 */
const require = createRequire(import.meta.url);
let clientS3: typeof ClientS3 | undefined;
let libStorage: typeof LibStorage | undefined;
const aws = (): typeof ClientS3 => {
  // winnow supports Node 20 (package.json engines) with the SDK versions its lock file pins; the
  // SDK's notice that later versions will need Node 22 is for those who upgrade it, not for users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (clientS3 ??= require('@aws-sdk/client-s3') as typeof ClientS3);
};
const awsUploads = (): typeof LibStorage => (libStorage ??= require('@aws-sdk/lib-storage') as typeof LibStorage);

/** A storage failure users can act on: a missing bucket, refused credentials, denied access, an unreachable endpoint. */
export class StorageError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** `s3://bucket/prefix` as its bucket and its key prefix (no leading '/', ending in '/' unless empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  // Bucket names: 3-63 lower-case letters, digits, '.' and '-' (S3's rules, which MinIO shares).
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1]!)) throw new StorageError(`${JSON.stringify(url.slice(0, 80))} is not an S3 address: write s3://<bucket>/<prefix>`);
  const rest = m[2]!.replace(/\/+$/, '');
  if (rest !== '') checkKey(rest);
  return { bucket: m[1]!, prefix: rest === '' ? '' : `${rest}/` };
}

export interface S3Settings {
  /** An S3-compatible endpoint (MinIO: http://minio:9000); AWS's own when absent (or AWS_ENDPOINT_URL_S3). */
  endpoint?: string;
  /** Region; else the standard chain (AWS_REGION, the shared config), else us-east-1. */
  region?: string;
  /** Bucket in the path (http://host/bucket/key), as MinIO and most S3-compatible stores need. */
  pathStyle?: boolean;
  /** Attempts per request, retries included (exponential backoff with jitter on throttling, 5xx and network errors). */
  maxAttempts?: number;
  /** Credentials; else the standard chain (environment, shared files, instance or pod role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Whether a path is an object-store address (`s3://...`) rather than a local path. */
export const isS3Url = (path: string): boolean => path.startsWith('s3://');

/**
 * S3 settings from the environment, as every AWS tool takes them, so that `winnow run`, `winnow
 * task` on a cluster node and each worker thread reach the same store without a config file:
 * the endpoint from WINNOW_S3_ENDPOINT, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (MinIO:
 * http://minio:9000); path-style addressing from WINNOW_S3_PATH_STYLE (0 or 1), by default on
 * for a custom endpoint (MinIO and most S3-compatible stores need it) and off for AWS;
 * credentials and region from the SDK's standard chains.
 */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.WINNOW_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const pathStyle = env.WINNOW_S3_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '' && !['0', '1', 'true', 'false'].includes(pathStyle)) {
    throw new StorageError(`WINNOW_S3_PATH_STYLE is ${JSON.stringify(pathStyle.slice(0, 20))}: set it to 1 (path-style addresses) or 0 (virtual-hosted)`);
  }
  return {
    ...(endpoint ? { endpoint } : {}),
    pathStyle: pathStyle === undefined || pathStyle === '' ? endpoint !== undefined : ['1', 'true'].includes(pathStyle),
  };
}

const clients = new Map<string, S3Client>();
/** One client per settings in a thread: clients keep their connections and credentials. */
export function sharedS3Client(settings: S3Settings = s3SettingsFromEnv()): S3Client {
  const key = JSON.stringify(settings);
  let client = clients.get(key);
  if (!client) clients.set(key, (client = s3Client(settings)));
  return client;
}

/** The S3 client for these settings: credentials and region from the SDK's standard chains unless given. */
export function s3Client(settings: S3Settings = {}): S3Client {
  return new (aws().S3Client)({
    // S3-compatible stores (older MinIO, Ceph, s3rver) do not read the SDK's default streamed
    // uploads with trailing checksums (aws-chunked): against a custom endpoint, checksums only where
    // the API requires them, as the SDK's documentation advises for third-party stores.
    ...(settings.endpoint ? { endpoint: settings.endpoint, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    region: settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // A bucket in another region than the one configured answers with a redirect: follow it.
    followRegionRedirects: true,
    forcePathStyle: settings.pathStyle ?? false,
    // The SDK's standard retry strategy: exponential backoff with full jitter, for throttling
    // (SlowDown, 503), server errors (5xx) and transient network failures.
    maxAttempts: settings.maxAttempts ?? 8,
    retryMode: 'standard',
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
}

/** Parts above this size go up as a multipart upload, in parts of it, several at a time. */
const PART_BYTES = 16 * 2 ** 20;

/**
 * A run in an S3 bucket (or any S3-compatible store: MinIO, Ceph, R2), through the AWS SDK. Keys
 * are the run's keys under the prefix. Every write is one object: a PUT (atomic on S3: readers see
 * the old object or the new), or a multipart upload that becomes visible only when it completes;
 * nothing is renamed, so the marker is the commit here as locally (RunStorage). Tasks work in a
 * local scratch folder, and files are read through a local cache keyed by each object's ETag.
 */
export class S3Storage implements RunStorage {
  readonly location: string;
  readonly localRoot: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly cacheDir: string;
  private readonly scratchDir: string;
  private bucketSeen = false;

  /**
   * @param url the run's address, s3://bucket/prefix
   * @param local a local folder for scratch work, cached downloads and DuckDB's spill files
   *   (default: one per run under WINNOW_LOCAL_DIR, else the system's temporary folder)
   */
  constructor(
    url: string,
    private readonly client: S3Client,
    local = join(process.env.WINNOW_LOCAL_DIR || tmpdir(), `winnow-s3-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`),
  ) {
    const { bucket, prefix } = parseS3Url(url);
    this.bucket = bucket;
    this.prefix = prefix;
    this.location = `s3://${bucket}/${prefix}`;
    this.localRoot = local;
    // Each instance (one per thread) has its own cache, which it alone fills and clears.
    this.cacheDir = join(local, 'cache', randomUUID());
    this.scratchDir = join(local, 'scratch');
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    const body = jsonText(value); // throws (a BigInt, a cycle) before anything is written
    await this.call(`write ${key}`, () => this.client.send(new (aws().PutObjectCommand)({ Bucket: this.bucket, Key: this.key(key), Body: body, ContentType: 'application/json' })));
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    const text = await this.call(`read ${key}`, async () => {
      try {
        const out = await this.client.send(new (aws().GetObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }));
        return await out.Body!.transformToString('utf8');
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async stat(key: string): Promise<{ bytes: number; etag: string } | undefined> {
    const head = await this.head(key);
    return head && { bytes: head.bytes, etag: head.etag };
  }

  async list(prefix: string): Promise<string[]> {
    checkKey(prefix, 'prefix');
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list ${prefix || '/'}`, () =>
        this.client.send(new (aws().ListObjectsV2Command)({ Bucket: this.bucket, Prefix: this.prefix + prefix, ...(token ? { ContinuationToken: token } : {}) })),
      );
      // Keys ending in '/' are folder markers (the console's "Create folder"), not files.
      for (const o of page.Contents ?? []) if (!o.Key!.endsWith('/')) keys.push(o.Key!.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async remove(prefix: string): Promise<void> {
    if (prefix === '') throw new Error(`refusing to remove everything in ${this.location} (an empty prefix)`);
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await this.call(`remove ${prefix}`, () =>
        this.client.send(new (aws().DeleteObjectsCommand)({ Bucket: this.bucket, Delete: { Objects: batch.map((k) => ({ Key: this.key(k) })), Quiet: true } })),
      );
      const failed = out.Errors ?? [];
      if (failed.length > 0) throw new StorageError(`could not remove ${failed.length} object(s) under ${this.location}${prefix} (${failed[0]!.Code}: ${failed[0]!.Message})`);
    }
  }

  async commitFile(localPath: string, key: string): Promise<void> {
    await this.upload(localPath, key);
    rmSync(localPath, { force: true });
  }

  async commitDir(localDir: string, key: string): Promise<void> {
    checkKey(key);
    await this.remove(`${key}/`);
    for (const file of filesUnder(localDir)) await this.upload(join(localDir, file), `${key}/${file.split(/[\\/]/).join('/')}`);
    rmSync(localDir, { recursive: true, force: true });
  }

  /**
   * A local copy of the object, downloaded once per version (ETag): a file replaced on the store is
   * downloaded again, and a reader of the old copy keeps reading it.
   */
  async localPath(key: string): Promise<string> {
    const head = await this.head(key);
    if (!head) throw new StorageError(`${this.location}${key} does not exist`);
    const file = join(this.cacheDir, `${createHash('sha256').update(`${key}\n${head.etag}`).digest('hex').slice(0, 32)}-${key.split('/').at(-1)}`);
    if (existsSync(file)) return file;
    makeDirs(this.cacheDir);
    await this.call(`download ${key}`, () => downloadObject(this.client, { bucket: this.bucket, key: this.key(key), etag: head.etag }, file));
    return file;
  }

  /**
   * Writes JSON under key on a condition: only if nothing is there (If-None-Match: *), or only over
   * the version `replacing` names (If-Match: its ETag). Returns the new object's ETag, or undefined
   * when the condition failed. Replacing a version that has meanwhile been removed writes it afresh
   * if nothing is there.
   */
  async writeJsonIf(key: string, value: unknown, condition: { absent: true } | { replacing: string }): Promise<string | undefined> {
    const body = jsonText(value);
    const put = async (header: { IfNoneMatch: string } | { IfMatch: string }) => {
      try {
        const out = await this.client.send(new (aws().PutObjectCommand)({ Bucket: this.bucket, Key: this.key(key), Body: body, ContentType: 'application/json', ...header }));
        return out.ETag ?? '';
      } catch (err) {
        const status = err instanceof aws().S3ServiceException ? err.$metadata.httpStatusCode : undefined;
        if (status === 412 || status === 409 || (err as { name?: string }).name === 'PreconditionFailed') return undefined;
        // If-Match on a key that is gone: AWS answers 404.
        if ('IfMatch' in header && (status === 404 || (err as { name?: string }).name === 'NoSuchKey')) return put({ IfNoneMatch: '*' });
        throw this.explain(`write ${key}`, err);
      }
    };
    return put('absent' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.replacing });
  }

  /** The object under key: its ETag, and how long ago (ms, by this machine's clock) it was last written; undefined when there is none. */
  async version(key: string): Promise<{ etag: string; age: number } | undefined> {
    const head = await this.head(key);
    return head && { etag: head.etag, age: Date.now() - head.modified };
  }

  async clearCache(): Promise<void> {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }

  async scratch(name: string): Promise<string> {
    if (name.includes('/')) throw new Error(`a scratch folder's name is one path segment, not ${JSON.stringify(name)}`);
    const dir = join(this.scratchDir, name);
    rmSync(dir, { recursive: true, force: true });
    makeDirs(dir);
    return dir;
  }

  private async head(key: string): Promise<{ etag: string; bytes: number; modified: number } | undefined> {
    return this.call(`look up ${key}`, async () => {
      try {
        const out = await this.client.send(new (aws().HeadObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }));
        return { etag: out.ETag ?? '', bytes: out.ContentLength ?? 0, modified: out.LastModified?.getTime() ?? Date.now() };
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // A HEAD's 404 has no body to tell a missing key from a missing bucket: ask once.
        if (!this.bucketSeen) {
          await this.client.send(new (aws().HeadBucketCommand)({ Bucket: this.bucket })).catch((e: unknown) => {
            throw isNotFound(e) ? Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket' }) : e;
          });
          this.bucketSeen = true;
        }
        return undefined;
      }
    });
  }

  /** One PUT for a small file; a multipart upload (parts in parallel, aborted on failure) for a large one. */
  private async upload(localPath: string, key: string): Promise<void> {
    const bytes = statSync(localPath).size;
    await this.call(`upload ${key}`, async () => {
      if (bytes <= PART_BYTES) {
        // From memory, not a stream: the SDK does not retry a request whose body is a stream.
        await this.client.send(new (aws().PutObjectCommand)({ Bucket: this.bucket, Key: this.key(key), Body: readFileSync(localPath) }));
        return;
      }
      const upload = new (awsUploads().Upload)({ client: this.client, params: { Bucket: this.bucket, Key: this.key(key), Body: createReadStream(localPath) }, partSize: PART_BYTES, queueSize: 4, leavePartsOnError: false });
      await upload.done();
    });
  }

  private key(key: string): string {
    return this.prefix + checkKey(key);
  }

  /** The object under key at its current version (address, ETag, size), for ranged reads; undefined when there is none. */
  async object(key: string): Promise<(S3Object & { bytes: number; url: string }) | undefined> {
    const head = await this.head(key);
    return head && { bucket: this.bucket, key: this.key(key), etag: head.etag, bytes: head.bytes, url: `s3://${this.bucket}/${this.key(key)}` };
  }

  /** Bytes [start, end) of an object's version (a ranged GET). */
  async readRange(object: S3Object, start: number, end: number): Promise<Uint8Array> {
    return this.call(`read ${object.key.slice(this.prefix.length)}`, () => readObjectRange(this.client, object, start, end));
  }

  /** Byte ranges of an object's version into a sparse local file of its size (downloadRanges). */
  async downloadRanges(object: S3Object & { bytes: number }, ranges: readonly [number, number][], file: string): Promise<void> {
    makeDirs(dirname(file));
    await this.call(`download ${object.key.slice(this.prefix.length)}`, () => downloadRanges(this.client, object, ranges, file));
  }

  /** Runs a request, its failures said as users can act on them (the SDK has retried what it should). */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw this.explain(what, err);
    }
  }

  private explain(what: string, err: unknown): Error {
    return explainS3(this.location, this.bucket, what, err);
  }
}

/** An S3 failure as users can act on it: a missing bucket, refused credentials, denied access, an unreachable endpoint. */
export function explainS3(location: string, bucket: string, what: string, err: unknown): Error {
  if (err instanceof WinnowError) return err;
  const name = (err as { name?: string }).name ?? '';
  const code = (err as { Code?: string; code?: string }).Code ?? (err as { code?: string }).code ?? '';
  const status = err instanceof aws().S3ServiceException ? err.$metadata.httpStatusCode : undefined;
  const where = `${location} (${what})`;
  if (name === 'NoSuchBucket' || code === 'NoSuchBucket') return new StorageError(`the bucket ${bucket} does not exist (${where}): create it, or check the address and the endpoint`);
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'CredentialsProviderError'].includes(name)) {
    return new StorageError(`the S3 credentials were refused or not found (${name}) for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or a role`);
  }
  if (name === 'RequestTimeTooSkewed') return new StorageError(`the S3 store refused ${where}: this machine's clock is too far from the store's (RequestTimeTooSkewed); set the clock right (NTP)`);
  if (name === 'InvalidObjectState') return new StorageError(`${where}: the object is archived (Glacier or Deep Archive) and must be restored before winnow can read it`);
  if (name === 'AccessDenied' || code === 'AccessDenied' || status === 403) return new StorageError(`access denied to ${where}: the credentials may not ${what.split(' ')[0]} there; check the bucket's and the user's policies`);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'].includes(code) || name === 'TimeoutError') {
    return new StorageError(`cannot reach the S3 endpoint for ${where} (${code || name}), after retries: check the endpoint and the network`);
  }
  if (status !== undefined && status >= 500) return new StorageError(`the S3 store kept failing for ${where} (HTTP ${status} ${name}), after retries`);
  // Anything else the store answered is still the store's, said in one line.
  if (err instanceof aws().S3ServiceException) return new StorageError(`the S3 store refused ${where}: ${name}${status ? ` (HTTP ${status})` : ''}: ${String(err.message).split('\n')[0]!.slice(0, 200)}`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * How a read of one listed version of an object failed, when the object is to blame: `changed`
 * (another version is there: 412 on If-Match), `gone` (the key is missing; a missing bucket
 * answers 404 too, and is the store's problem, not the object's); undefined otherwise.
 */
export function objectFault(err: unknown): 'changed' | 'gone' | undefined {
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (err as { name?: string }).name;
  if (name === 'PreconditionFailed' || status === 412) return 'changed';
  if (name === 'NoSuchKey' || (status === 404 && name !== 'NoSuchBucket')) return 'gone';
  return undefined;
}

/** An object of a bucket, at one version (its ETag). */
export interface S3Object {
  bucket: string;
  key: string;
  etag: string;
  bytes?: number;
}

/**
 * Downloads one version of an object to a local file (or, with no file, only reads it through; written under a temporary name, renamed
 * when complete), and returns its sha256, computed as the bytes arrive. The SDK retries the
 * request, not the body's transfer after it: a connection lost mid-way is retried here, from the
 * start, a few times. A changed object (another ETag) fails rather than mixing versions.
 */
export async function downloadObject(client: S3Client, object: S3Object, file: string | undefined): Promise<string> {
  const tmp = file === undefined ? undefined : `${file}.${process.pid}-${threadId}.part`;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await client.send(new (aws().GetObjectCommand)({ Bucket: object.bucket, Key: object.key, ...(object.etag ? { IfMatch: object.etag } : {}) }));
        const hash = createHash('sha256');
        const hashing = async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            yield chunk;
          }
        };
        // Without a file, the object's bytes are only hashed: its sha256, with no disk.
        if (tmp === undefined) await pipeline(out.Body as Readable, hashing, new Writable({ write: (_c, _e, done) => done() }));
        else await pipeline(out.Body as Readable, hashing, createWriteStream(tmp));
        if (tmp !== undefined) renameSync(tmp, file!);
        return hash.digest('hex');
      } catch (err) {
        if (attempt >= 3 || !isBrokenTransfer(err)) throw err;
      }
    }
  } finally {
    if (tmp !== undefined) rmSync(tmp, { force: true });
  }
}

/** Bytes [start, end) of one version of an object: a ranged GET. */
export async function readObjectRange(client: S3Client, object: S3Object, start: number, end: number): Promise<Uint8Array> {
  if (end <= start) return new Uint8Array(0);
  const out = await client.send(new (aws().GetObjectCommand)({ Bucket: object.bucket, Key: object.key, Range: `bytes=${start}-${end - 1}`, ...(object.etag ? { IfMatch: object.etag } : {}) }));
  return out.Body!.transformToByteArray();
}

/**
 * Writes byte ranges of one version of an object into a local file of the object's size, at their
 * offsets, leaving the rest a hole (no disk): a reader that touches only those ranges (DuckDB
 * reading some row groups, with the footer) reads the object as it is. Returns the sha256 of the
 * ranges' bytes in the order given.
 */
export async function downloadRanges(client: S3Client, object: S3Object & { bytes: number }, ranges: readonly [number, number][], file: string): Promise<string> {
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, object.bytes);
    for (const [start, end] of ranges) {
      for (let at = start; at < end; ) {
        // A piece at a time: a part's row groups can be gigabytes.
        const stop = Math.min(end, at + RANGE_BYTES);
        const bytes = await withTransferRetries(() => readObjectRange(client, object, at, stop));
        // A store (or proxy) that ignores Range answers with the whole object: written here it would corrupt the file.
        if (bytes.length !== stop - at) throw new StorageError(`s3://${object.bucket}/${object.key}: asked for bytes ${at}-${stop - 1}, the store sent ${bytes.length} bytes; it does not honour ranged GETs`);
        hash.update(bytes);
        writeSync(fd, bytes, 0, bytes.length, at);
        at = stop;
      }
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** A request whose body's transfer broke off (the SDK retries requests, not bodies), tried again from the start, a few times. */
async function withTransferRetries<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (attempt >= 3 || !isBrokenTransfer(err)) throw err;
    }
  }
}

const isBrokenTransfer = (err: unknown): boolean =>
  /ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|aborted|premature close/i.test(String((err as Error).message) + String((err as { code?: string }).code ?? ''));

/** The most bytes one ranged GET of downloadRanges asks for. */
const RANGE_BYTES = 64 * 2 ** 20;

/**
 * The objects under `s3://bucket/prefix` (every key starting with the prefix), with their sizes and
 * ETags, in key order. Each page is one request, retried by the client.
 */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<S3Object[]> {
  const out: S3Object[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new (aws().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) out.push({ bucket, key: o.Key!, etag: o.ETag ?? '', bytes: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const isNotFound = (err: unknown): boolean => {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (err instanceof aws().S3ServiceException && err.$metadata.httpStatusCode === 404 && name !== 'NoSuchBucket');
};

/** The files under a folder, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}
