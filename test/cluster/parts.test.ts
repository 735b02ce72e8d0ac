import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../../src/io/duckdb.js';
import { splitRowGroups } from '../../src/execution/parts.js';
import { runSignalsSql } from '../../src/phases/signals-sql.js';
import { db, FIXTURE_SHARDS, FULL, parquetGlob, pipelineYaml, readManifest, ROOT, rows, snapshot, stableManifest, tempDir, winnow, winnowAsync, writePipeline } from '../helpers.js';

/**
 * Parts: a shard is split at row-group boundaries into parts that annotate's tasks read one each,
 * so one large shard spreads over many tasks. Outputs must not depend on the split, nor on how many
 * tasks (cluster slices) run the parts.
 */
const dist = (path: string) => join(ROOT, 'dist', 'src', path);

/** One large shard of several row groups (DuckDB writes at least 2,048 rows to one) between two small ones: a skewed input. */
async function skewedInput(): Promise<string> {
  const dir = tempDir('skewed-');
  const con = await db();
  const all = parquetGlob(FIXTURE_SHARDS);
  await con.run(`COPY (SELECT id || '-' || k AS id, text, source FROM read_parquet(${all}), range(2) t(k) ORDER BY k, id)
                 TO ${sqlString(join(dir, 'b-large.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION zstd)`);
  await con.run(`COPY (SELECT id, text, source FROM read_parquet(${all}) ORDER BY id LIMIT 300) TO ${sqlString(join(dir, 'a-small.parquet'))} (FORMAT parquet)`);
  await con.run(`COPY (SELECT id, text, source FROM read_parquet(${all}) ORDER BY id DESC LIMIT 200) TO ${sqlString(join(dir, 'c-small.parquet'))} (FORMAT parquet)`);
  return dir;
}

/** How many parts a run's plan has (work/plan.json). */
const readManifestPlanParts = (run: string): number =>
  (JSON.parse(readFileSync(join(run, 'work', 'plan.json'), 'utf8')) as { shards: { parts?: unknown[] }[] }).shards.reduce((a, s) => a + (s.parts?.length ?? 1), 0);

/** Exact and near dedup (keepers chosen across parts and shards) and a rule family. */
const extra = (partBytes: string) =>
  `dedup:\n  exact: { enabled: true, partitions: 2 }\n  near: { enabled: true, partitions: 1 }\nexecution:\n  workers: 2\n  part_bytes: ${partBytes}\n`;
const pipeline = (input: string, output: string, partBytes: string) =>
  writePipeline(tempDir(), pipelineYaml({ input, output, families: '[gopher_quality]', extra: extra(partBytes) }).replace(/^execution:\n  workers: \d+\n/m, ''));

describe('parts of shards', () => {
  let input = '';
  let whole = '';
  beforeAll(async () => {
    input = await skewedInput();
    whole = join(tempDir(), 'whole');
    const r = winnow(['run', pipeline(input, whole, '1GB'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('splits a shard at row-group boundaries by text bytes, never inside a row group', () => {
    const layout = (texts: number[]) => ({
      bytes: 1000,
      rows: texts.length * 10,
      rowGroups: texts.map((textBytes, i) => ({ rows: 10, textBytes, start: 4 + i * 100, end: 104 + i * 100 })),
      tailStart: 4 + texts.length * 100,
    });
    expect(splitRowGroups(layout([50, 50, 50, 50, 50]), 100)).toEqual([
      { rows: [0, 20], bytes: [4, 204] },
      { rows: [20, 40], bytes: [204, 404] },
      { rows: [40, 50], bytes: [404, 504] },
    ]);
    // A row group over the size is a part of its own; a shard of no row groups one empty part.
    expect(splitRowGroups(layout([500, 10]), 100)).toEqual([{ rows: [0, 10], bytes: [4, 104] }, { rows: [10, 20], bytes: [104, 204] }]);
    expect(splitRowGroups(layout([]), 100)).toEqual([{ rows: [0, 0], bytes: [4, 4] }]);
  });

  it('gives the outputs of whole shards from one part per row group, and resumes a killed run inside a shard', async () => {
    const out = join(tempDir(), 'killed');
    const file = pipeline(input, out, '1');
    const markers = join(out, 'work', 'markers', 'annotate');
    const done = () => (existsSync(markers) ? readdirSync(markers).filter((f) => f.endsWith('.json')).sort() : []);
    // Killed once the large shard's first part is done (one worker: its other parts are still to do).
    const child = winnowAsync(['run', file, '--quiet', '--workers', '1']);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    while (child.exitCode === null && !done().includes('00001-0000.json')) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(child.kill('SIGKILL')).toBe(true);
    await exited;
    const before = done();
    expect(before).toContain('00001-0000.json');
    const total = readManifestPlanParts(out);
    expect(before.length).toBeLessThan(total);
    const kept = readFileSync(join(markers, '00001-0000.json'));

    const r = winnow(['run', file, '--quiet', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(markers, '00001-0000.json')).equals(kept)).toBe(true);
    expect(readManifest(out).timings.annotate).toMatchObject({ tasks_reused: before.length, tasks_run: total - before.length });
    // Each row group of the large shard was a part: a task, and a signals folder, of its own.
    const groups = (await rows<{ groups: bigint }>(`SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata(${sqlString(join(input, 'b-large.parquet'))})`))[0]!.groups;
    expect(Number(groups)).toBeGreaterThanOrEqual(3);
    expect(total).toBe(Number(groups) + 2);
    expect(readdirSync(join(out, 'work', 'signals', '00001')).length).toBe(Number(groups));

    // The outputs are those of whole shards, byte for byte; the manifests differ only in what
    // records the pipeline (its file, execution.part_bytes) and how many tasks ran.
    const a = snapshot(whole);
    const b = snapshot(out);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
    const { config: _a, iterations: _i, ...partsManifest } = stableManifest(readManifest(out)) as Record<string, unknown>;
    const { config: _b, iterations: _j, ...wholeManifest } = stableManifest(readManifest(whole)) as Record<string, unknown>;
    expect(partsManifest).toEqual(wholeManifest);

    // Split otherwise (whole shards) in the same folder: the tools that read a finished run's
    // signals (sample, calibrate, diff) see each document once, not the earlier split's files too.
    const again = winnow(['run', pipeline(input, out, '1GB'), '--quiet', '--workers', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(out, 'work', 'signals', '00001')).length).toBeGreaterThan(1); // the earlier parts' folders are still there
    const [{ n }] = await rows<{ n: bigint }>(`SELECT count(*) AS n FROM ${runSignalsSql(out, [])!}`);
    expect(Number(n)).toBe(readManifest(out).counts.documents.input);
  });

  // test:full only (two runs): the default suite keeps the cheaper part tests.
  it.skipIf(!FULL)("records the shard's sha256 as it is now when a part is kept: another row group changed in place", async () => {
    // Uncompressed, so one word can be changed in place without moving a byte: the footer and the
    // first part's bytes stay the same (that part is kept), the shard's sha256 does not.
    const dir = tempDir('in-place-');
    const file = join(dir, 'shard.parquet');
    const con = await db();
    await con.run(`COPY (SELECT id, text, source FROM read_parquet(${parquetGlob(FIXTURE_SHARDS)}) ORDER BY id)
                   TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION uncompressed)`);
    const out = join(tempDir(), 'run');
    const yaml = pipelineYaml({ input: dir, output: out, extra: 'execution:\n  workers: 1\n  part_bytes: 1\n' });
    const p = writePipeline(tempDir(), yaml.replace(/^execution:\n  workers: \d+\n/m, ''));
    expect(winnow(['run', p, '--quiet', '--workers', '1']).code).toBe(0);
    const plan = JSON.parse(readFileSync(join(out, 'work', 'plan.json'), 'utf8')) as { shards: { parts: { bytes: [number, number] }[] }[] };
    const last = plan.shards[0]!.parts.at(-1)!;
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from(' the '), last.bytes[0]);
    expect(at).toBeGreaterThan(last.bytes[0]);
    expect(at).toBeLessThan(last.bytes[1]);
    bytes.write(' thE ', at);
    writeFileSync(file, bytes);

    const first = join(out, 'work', 'signals', '00000', '0000');
    const kept = readdirSync(first).map((f) => statSync(join(first, f)).mtimeMs);
    const again = winnow(['run', p, '--quiet', '--workers', '1']);
    expect(again.code, again.stderr).toBe(0);
    // The first part's annotation stood (its signals not written again); the manifest has the file's sha256 now.
    expect(readdirSync(first).map((f) => statSync(join(first, f)).mtimeMs)).toEqual(kept);
    expect(readManifest(out).inputs.shards[0].sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses a shard changed since the run was planned, even with input.on_error: skip; a touched one runs', async () => {
    const dir = tempDir('stale-');
    cpSync(input, dir, { recursive: true });
    const out = join(tempDir(), 'planned');
    const yaml = pipelineYaml({ input: dir, output: out, onError: 'skip', extra: 'execution:\n  workers: 1\n  part_bytes: 1\n' });
    const file = writePipeline(tempDir(), yaml.replace(/^execution:\n  workers: \d+\n/m, ''));
    expect(winnow(['plan', file, '--output', out]).code).toBe(0);
    // The first shard touched (another mtime, the same bytes and row groups); the last one another file.
    utimesSync(join(dir, 'a-small.parquet'), new Date(), new Date(Date.now() + 5000));
    cpSync(join(input, 'a-small.parquet'), join(dir, 'c-small.parquet'));
    // One worker: the parts run in plan order, the touched shard's first.
    const r = winnow(['task', 'annotate', '--run', out, '--quiet']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^winnow: .*c-small\.parquet: the shard has changed since the run was planned: plan it again/);
    expect(existsSync(join(out, 'work', 'markers', 'annotate', '00000-0000.json'))).toBe(true);
  });

  // test:full only: a planned run in 1, 3 and 8 slices per phase, in this process (some 30 worker pools).
  it.skipIf(!FULL)('gives the same outputs whether 1, 3 or 8 cluster tasks run each phase', async () => {
    const { runPhaseSlice } = (await import(dist('execution/slice.js'))) as typeof import('../../src/execution/slice.js');
    const { planCluster, plannedPipeline } = (await import(dist('cluster/plan.js'))) as typeof import('../../src/cluster/plan.js');
    const { loadPipeline } = (await import(dist('config/load.js'))) as typeof import('../../src/config/load.js');
    const reference = snapshot(whole);
    for (const count of [1, 3, 8]) {
      const out = join(tempDir(), `tasks-${count}`);
      const plan = await planCluster(loadPipeline(pipeline(input, out, '1')), undefined);
      expect(plan.phases[0]!.tasks.length).toBeGreaterThan(3);
      const { pipeline: planned } = await plannedPipeline(out, 1);
      for (const { phase } of plan.phases) for (let index = count - 1; index >= 0; index--) await runPhaseSlice(planned, phase, { index, count });
      const b = snapshot(out);
      expect([...b.keys()].sort(), `${count} tasks`).toEqual([...reference.keys()].sort());
      for (const [f, bytes] of reference) expect(bytes.equals(b.get(f)!), `${f}, ${count} tasks`).toBe(true);
    }
  });
});
