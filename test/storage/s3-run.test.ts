import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listShards } from '../../src/io/inputs.js';
import { RunLayout } from '../../src/io/layout.js';
import { readParquetChunks } from '../../src/io/parquet-layout.js';
import { archivedData, type ReportData } from '../../src/report/data.js';
import { mirrorRun } from '../../src/report/mirror.js';
import { s3Client, S3Storage } from '../../src/storage/s3.js';
import { db, DRY_RUN, FIXTURE_SHARDS, fixtureSlice, FULL, pipelineYaml, rows, runAsync, sharedDryRun, snapshot, stableManifest, tempDir, writePipeline } from '../helpers.js';
import { startS3, type S3Server } from './s3-server.js';

/**
 * Runs on S3: the dry run read from a bucket and written to one, through a real S3-protocol server
 * (s3rver) behind a proxy that throttles some requests, gives the bytes of the same run on local
 * folders. The CLI reaches the store as users' runs do: the endpoint and credentials from the
 * environment.
 */
let s3: S3Server;
const BUCKET = 'corpus';
const env = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  AWS_REGION: 'us-east-1',
  WINNOW_LOCAL_DIR: tempDir('s3-local-'),
});

beforeAll(async () => {
  s3 = await startS3([BUCKET]);
  const client = s3Client(s3.settings());
  for (const f of readdirSync(FIXTURE_SHARDS).filter((n) => n.endsWith('.parquet'))) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `shards/${f}`, Body: readFileSync(join(FIXTURE_SHARDS, f)) }));
  }
});

afterAll(async () => {
  await s3?.close();
});

const runOnS3 = (run: string) => new S3Storage(`s3://${BUCKET}/${run}`, s3Client(s3.settings()), tempDir('s3-read-'));

/** Every file of a run on the bucket under these folders, by key, as snapshot() reads a local run. */
async function s3Snapshot(run: string, folders = ['curated', 'rejected', 'manifests', 'met']): Promise<Map<string, Buffer>> {
  const storage = runOnS3(run);
  const out = new Map<string, Buffer>();
  for (const folder of folders) for (const key of await storage.list(`${folder}/`)) out.set(key, readFileSync(await storage.localPath(key)));
  return out;
}

/** The run on the bucket has the local run's files, byte for byte, and its manifest but for times and the input's root. */
async function expectSameRun(run: string, localDir: string, inputRoot: string): Promise<void> {
  const folders = ['curated', 'rejected', 'manifests', 'met'];
  const remote = await s3Snapshot(run, folders);
  const here = snapshot(localDir, folders);
  expect(here.size).toBeGreaterThan(0);
  expect([...remote.keys()].sort()).toEqual([...here.keys()].sort());
  for (const [key, bytes] of here) expect(remote.get(key)?.equals(bytes), key).toBe(true);
  const manifest = (await runOnS3(run).readJson<Record<string, unknown> & { inputs: { root: string } }>('manifest.json'))!;
  expect(stableManifest(manifest)).toEqual(stableManifest(JSON.parse(readFileSync(join(localDir, 'manifest.json'), 'utf8'))));
  expect(manifest.inputs.root).toBe(inputRoot);
  // The run's lock object is gone with the run.
  expect(await runOnS3(run).exists('.winnow.lock.json')).toBe(false);
}

describe('a run on S3', () => {
  it('reads its shards from a bucket and writes to one the bytes of the same run on local folders, through throttling', async () => {
    // A small run (a tenth of each sample shard, the basic rules, exact and near dedup): the whole
    // dry run on S3 is test:full's.
    const input = await fixtureSlice(10);
    const client = s3Client(s3.settings());
    for (const f of readdirSync(input)) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `small/${f}`, Body: readFileSync(join(input, f)) }));
    const dir = tempDir('s3-small-');
    // Row groups of 25 rows: the report's texts come from some row groups of a file and not others.
    const pipeline = writePipeline(
      dir,
      pipelineYaml({ input, output: join(dir, 'run'), families: '[gopher_quality]', extra: 'dedup:\n  near: { enabled: true }\n  lines: { enabled: true }\n' }).replace('row_group_rows: 500', 'row_group_rows: 25'),
    );
    const here = await runAsync(['run', pipeline, '--quiet']);
    expect(here.stderr).toBe('');
    // Every 25th request is throttled (503 SlowDown), as a busy bucket does: the SDK's backoff retries them.
    Object.assign(s3.proxy, { seen: 0, failed: 0, failEvery: 25, failStatus: 503, failCode: 'SlowDown' });
    let r;
    try {
      r = await runAsync(['run', pipeline, '--input', `s3://${BUCKET}/small`, '--output', `s3://${BUCKET}/runs/small`, '--workers', '2', '--quiet'], env(s3.proxied));
    } finally {
      s3.proxy.failEvery = 0;
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(s3.proxy.failed).toBeGreaterThan(3);
    expect(r.stdout).toContain(`curated   s3://${BUCKET}/runs/small/curated/`);
    await expectSameRun('runs/small', join(dir, 'run'), `s3://${BUCKET}/small`);

    // Its report, drawn from the bucket (signals and rejected rows read without their text, the
    // sampled documents' texts a row group at a time): the local run's, but for times, and uploaded
    // beside the manifest.
    const drawn = await runAsync(['report', '--run', `s3://${BUCKET}/runs/small`], env(s3.proxied));
    expect(drawn.stderr).toBe('');
    expect(drawn.stdout).toContain(`winnow report: s3://${BUCKET}/runs/small/report.html`);
    const local = await runAsync(['report', '--run', join(dir, 'run')]);
    expect(local.code, local.stderr).toBe(0);
    const remote = archivedData(await runOnS3('runs/small').localPath('report.html'))!;
    const mine = archivedData(join(dir, 'run', 'report.html'))!;
    const stable = (d: Partial<ReportData>) => ({ ...d, run: { ...d.run, id: '', started_at: '', finished_at: '' }, timings: [] });
    expect(stable(remote)).toEqual(stable(mine));
    expect(mine.samples!.flatMap((g) => g.documents).filter((d) => d.text !== null).length).toBeGreaterThan(3);
    expect(mine.samples!.some((g) => g.documents.some((d) => d.keeper?.text))).toBe(true);

    // The mirror it draws from: every column of the signals but the text, whose chunks are holes
    // until a document's text is asked for; then its row group's alone.
    const mirrored = tempDir('s3-mirror-');
    Object.assign(s3.proxy, { served: 0 });
    const mirror = await mirrorRun(new RunLayout(`s3://${BUCKET}/runs/small`, runOnS3('runs/small')), mirrored);
    const signalFiles = (await rows<{ file: string }>(`SELECT DISTINCT filename AS file FROM read_parquet('${mirrored}/work/signals/*/*/*.parquet', filename = true)`)).map((r) => r.file);
    const storedBytes = signalFiles.reduce((a, f) => a + statSync(f).size, 0);
    const textChunks = async (file: string) => (await readParquetChunks(file)).rowGroups.flatMap((rg) => rg.chunks.filter((c) => c.column === 'text'));
    const zeros = (file: string, c: { start: number; end: number }) => readFileSync(file).subarray(c.start, c.end).every((b) => b === 0);
    let textBytes = 0;
    for (const f of signalFiles) for (const c of await textChunks(f)) {
      expect(zeros(f, c), f).toBe(true);
      textBytes += c.end - c.start;
    }
    expect(s3.proxy.served).toBeLessThan(storedBytes - textBytes / 2);
    const sums = `SELECT count(*) AS n, sum(word_count) AS words, sum(gopher_words) AS g FROM read_parquet('%/work/signals/*/*/*.parquet')`;
    expect(await rows(sums.replace('%', mirrored))).toEqual(await rows(sums.replace('%', join(dir, 'run'))));
    // Two documents of one file, in its first and third row groups.
    const picked = await rows<{ key: string; text: string }>(
      `SELECT key, text FROM read_parquet('${join(dir, 'run')}/work/signals/00002/*/*.parquet', file_row_number = true) WHERE file_row_number IN (3, 60) ORDER BY file_row_number`,
    );
    expect(picked).toHaveLength(2);
    const texts = await mirror.texts(await db(), [...picked.map((p) => p.key), 'no-such-key']);
    expect(texts).toEqual(new Map([...picked.map((p): [string, string] => [p.key, p.text]), ['no-such-key', null]]));
    // Fetched into a file of their own: the mirrored files keep their holes.
    for (const f of signalFiles) for (const c of await textChunks(f)) expect(zeros(f, c), f).toBe(true);
  });

  // test:full only: the whole dry run again, on S3 (some 15 s of CPU).
  it.skipIf(!FULL)('runs the dry run from a bucket to a bucket to the bytes of the dry run on local folders', async () => {
    const local = await sharedDryRun();
    const r = await runAsync(['run', DRY_RUN, '--input', `s3://${BUCKET}/shards`, '--output', `s3://${BUCKET}/runs/dry-run`, '--workers', '2', '--quiet'], env(s3.endpoint));
    expect(r.stderr).toBe('');
    await expectSameRun('runs/dry-run', local.dir, `s3://${BUCKET}/shards`);
  });

  it('says in one line when the bucket is denied or missing, and when the run is in use', async () => {
    // Four refused runs at once (they wait on the store more than they compute).
    s3.proxy.denyBucket = 'denied';
    // Listing and footers allowed, whole objects not (a task's download, in a worker thread): said as plainly.
    s3.proxy.deny = (req) => req.method === 'GET' && req.url!.startsWith(`/${BUCKET}/shards/sample-01`) && req.headers.range === undefined;
    // A run's lock, fresh: a second run is refused, naming the holder.
    await runOnS3('runs/locked').writeJson('.winnow.lock.json', { pid: 4242, host: 'node-7', started_at: '2026-12-04T10:00:00.000Z', command: 'winnow run x', token: 't' });
    let results;
    try {
      results = await Promise.all([
        runAsync(['run', DRY_RUN, '--output', 's3://denied/runs/x', '--quiet'], env(s3.proxied)),
        runAsync(['run', DRY_RUN, '--input', `s3://${BUCKET}/shards`, '--output', `s3://${BUCKET}/runs/denied-object`, '--quiet'], env(s3.proxied)),
        runAsync(['run', DRY_RUN, '--input', 's3://no-such-bucket/shards', '--output', `s3://${BUCKET}/runs/y`, '--quiet'], env(s3.endpoint)),
        runAsync(['run', DRY_RUN, '--output', `s3://${BUCKET}/runs/locked`, '--quiet'], env(s3.endpoint)),
      ]);
    } finally {
      s3.proxy.denyBucket = '';
      s3.proxy.deny = undefined;
    }
    const [denied, objects, missing, locked] = results;
    expect(denied.code).not.toBe(0);
    expect(denied.stderr.trim()).toMatch(/^winnow: access denied to s3:\/\/denied\/runs\/x\/ \(.+\): the credentials may not .+ there; check the bucket's and the user's policies$/);
    expect(objects.code).toBe(1);
    expect(objects.stderr.trim()).toMatch(/^winnow: access denied to s3:\/\/corpus\/shards\/sample-01\.parquet \(read the shard\): the credentials may not read there; check the bucket's and the user's policies$/);
    expect(missing.stderr.trim()).toMatch(/^winnow: the bucket no-such-bucket does not exist \(s3:\/\/no-such-bucket\/shards \(list the input\)\): create it/);
    expect(locked.stderr.trim()).toMatch(/^winnow: s3:\/\/corpus\/runs\/locked\/ is in use by another winnow run \(pid 4242 on host node-7, started 2026-12-04T10:00:00.000Z\)/);
  });

  it('lists shards on S3 as a folder, one object, or a glob over keys, in code-point order', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env(s3.endpoint));
    try {
      const folder = await listShards(`s3://${BUCKET}/shards`);
      expect(folder.root).toBe(`s3://${BUCKET}/shards`);
      expect(folder.shards.map((s) => s.name)).toEqual(['sample-00.parquet', 'sample-01.parquet', 'sample-02.parquet', 'sample-03.parquet', 'sample-04.parquet']);
      expect(folder.shards[0]).toMatchObject({ index: 0, path: `s3://${BUCKET}/shards/sample-00.parquet`, object: { bytes: readFileSync(join(FIXTURE_SHARDS, 'sample-00.parquet')).length } });
      const one = await listShards(`s3://${BUCKET}/shards/sample-03.parquet`);
      expect(one).toMatchObject({ root: `s3://${BUCKET}/shards`, shards: [{ index: 0, name: 'sample-03.parquet' }] });
      const glob = await listShards(`s3://${BUCKET}/shards/sample-0[13].parquet`);
      expect(glob.shards.map((s) => s.name)).toEqual(['sample-01.parquet', 'sample-03.parquet']);
    } finally {
      process.env = saved;
    }
  });

  // test:full only: a plan and a `winnow task` process per slice of each phase (some 20 processes).
  it.skipIf(!FULL)('runs as cluster tasks from a plan on S3, two slices a phase, to the same bytes', async () => {
    const local = await sharedDryRun();
    const run = `s3://${BUCKET}/runs/tasks`;
    const e = env(s3.endpoint);
    const plan = await runAsync(['plan', DRY_RUN, '--input', `s3://${BUCKET}/shards`, '--output', run, '--json'], e);
    expect(plan.stderr).toBe('');
    const phases = (JSON.parse(plan.stdout) as { phases: { phase: string }[] }).phases.map((p) => p.phase);
    for (const phase of phases) {
      const slices = await Promise.all([0, 1].map((index) => runAsync(['task', phase, '--run', run, '--index', String(index), '--count', '2', '--workers', '1', '--quiet'], e)));
      for (const r of slices) expect(r.stderr, phase).toBe('');
    }
    const remote = await s3Snapshot('runs/tasks');
    const here = snapshot(local.dir, ['curated', 'rejected', 'manifests', 'met']);
    expect([...remote.keys()].sort()).toEqual([...here.keys()].sort());
    for (const [key, bytes] of here) expect(remote.get(key)?.equals(bytes), key).toBe(true);
  });
});
