import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url, s3Client, S3Storage, type S3Settings } from '../../src/storage/s3.js';
import { tempDir } from '../helpers.js';
import { runStorageContract } from './contract.js';
import { startS3, type S3Server } from './s3-server.js';

// S3Storage against a real S3-protocol server on 127.0.0.1, with a fault proxy in front (./s3-server.ts).
let s3: S3Server;
const settings = (over: Partial<S3Settings> = {}): S3Settings => s3.settings(over);

beforeAll(async () => {
  s3 = await startS3(['winnow-test']);
});

afterAll(async () => {
  await s3?.close();
});

runStorageContract('S3Storage', async () => new S3Storage(`s3://winnow-test/runs/${randomBytes(6).toString('hex')}`, s3Client(settings()), tempDir('s3-local-')));

describe('S3Storage', () => {
  const fresh = (over: Partial<S3Settings> = {}, bucket = 'winnow-test') => new S3Storage(`s3://${bucket}/runs/${randomBytes(6).toString('hex')}`, s3Client(settings(over)), tempDir('s3-local-'));

  it('reads s3://bucket/prefix addresses, and refuses what is not one', () => {
    expect(parseS3Url('s3://corpus/runs/medical/')).toEqual({ bucket: 'corpus', prefix: 'runs/medical/' });
    expect(parseS3Url('s3://corpus')).toEqual({ bucket: 'corpus', prefix: '' });
    for (const bad of ['s3:/corpus/x', 'http://corpus/x', 's3://Corpus/x', 's3://ab/x', 's3://corpus/a/../b']) expect(() => parseS3Url(bad), bad).toThrow(/not an S3 address|not a run storage key/);
  });

  it('uploads a large file as a multipart upload and reads the same bytes back', async () => {
    const storage = fresh();
    const file = join(await storage.scratch('big'), 'part-0000.parquet');
    const bytes = randomBytes(20 * 2 ** 20); // two parts of 16 MiB and less
    writeFileSync(file, bytes);
    await storage.commitFile(file, 'work/signals/00000/part-0000.parquet');
    expect(readFileSync(await storage.localPath('work/signals/00000/part-0000.parquet')).equals(bytes)).toBe(true);
    expect(await storage.list('work/signals/')).toEqual(['work/signals/00000/part-0000.parquet']);
  });

  it('retries throttling and server errors with backoff, and says so when they do not stop', async () => {
    const storage = fresh({ endpoint: s3.proxied });
    s3.proxy.seen = 0;
    s3.proxy.failNext = 2;
    s3.proxy.failStatus = 503;
    s3.proxy.failCode = 'SlowDown';
    await storage.writeJson('manifest.json', { ok: true });
    expect(s3.proxy.seen).toBe(3);
    expect(await storage.readJson('manifest.json')).toEqual({ ok: true });
    // A file upload too: the SDK does not retry a body it streamed, so small files go up from memory.
    const file = join(await storage.scratch('decide-0'), 'part.parquet');
    writeFileSync(file, 'rows');
    s3.proxy.failNext = 2;
    await storage.commitFile(file, 'curated/part-00000-0000.parquet');
    expect(readFileSync(await storage.localPath('curated/part-00000-0000.parquet'), 'utf8')).toBe('rows');

    s3.proxy.failNext = 100;
    s3.proxy.failStatus = 500;
    s3.proxy.failCode = 'InternalError';
    s3.proxy.seen = 0;
    await expect(storage.writeJson('manifest.json', { ok: false })).rejects.toThrow(/kept failing for s3:\/\/winnow-test\/runs\/\w+\/ \(write manifest.json\) \(HTTP 500 InternalError\), after retries/);
    expect(s3.proxy.seen).toBe(4); // maxAttempts
    s3.proxy.failNext = 0;
  });

  it('says clearly when the bucket is missing, access is denied or the credentials are refused', async () => {
    await expect(fresh({}, 'no-such-bucket').writeJson('work/plan.json', {})).rejects.toThrow(/the bucket no-such-bucket does not exist/);
    // A HEAD's 404 cannot say which is missing: exists() asks, rather than answering false.
    await expect(fresh({}, 'no-such-bucket').exists('work/plan.json')).rejects.toThrow(/the bucket no-such-bucket does not exist/);
    s3.proxy.denyBucket = 'winnow-test';
    try {
      await expect(fresh({ endpoint: s3.proxied }).list('curated/')).rejects.toThrow(/access denied to s3:\/\/winnow-test\/runs\/\w+\/ \(list curated\/\)/);
    } finally {
      s3.proxy.denyBucket = '';
    }
    await expect(fresh({ credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' } }).writeJson('work/plan.json', {})).rejects.toThrow(/the S3 credentials were refused or not found \((InvalidAccessKeyId|SignatureDoesNotMatch)\)/);
    await expect(fresh({ endpoint: 'http://127.0.0.1:9', maxAttempts: 2 }).exists('work/plan.json')).rejects.toThrow(/cannot reach the S3 endpoint .* \(ECONNREFUSED\), after retries/);
  });
});
