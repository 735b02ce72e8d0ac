import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import lockfile from 'proper-lockfile';
import { expect, inject } from 'vitest';
import { ConfigError } from '../src/config/errors.js';
import { loadPipeline } from '../src/config/load.js';
import { checkPipeline } from '../src/execution/check.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE_SHARDS = join(ROOT, 'fixtures', 'shards');
export const DRY_RUN = join(ROOT, 'pipelines', 'dry-run.yaml');
export const SHARED = join(ROOT, '..', 'shared');
export const BIN = join(ROOT, 'bin', 'winnow.js');

if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
  throw new Error('winnow is not built: run the tests with `npm test`, which builds it first');
}

// One scratch folder per test process, removed when the process exits.
const scratch = mkdtempSync(join(tmpdir(), 'winnow-test-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

export function tempDir(prefix = 'case-'): string {
  return mkdtempSync(join(scratch, prefix));
}

/**
 * `WINNOW_TEST_FULL=1` (set by `npm run test:full`): the expensive reproductions (shipped-model
 * retraining, kernel and signal parity over every text) run in full. Without it they run on a
 * fixed slice, the same on every run.
 */
export const FULL = process.env.WINNOW_TEST_FULL === '1';

/** Every item under WINNOW_TEST_FULL=1; otherwise every `stride`-th, from the first: a fixed, spread-out slice. */
export function slice<T>(items: readonly T[], stride: number): T[] {
  return FULL ? [...items] : items.filter((_, i) => i % stride === 0);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `winnow` command in a child process. */
export function winnow(args: string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function winnowAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `winnow` as `winnow()` runs it, without blocking this process while it runs (with more environment variables if given). */
export function runAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let engine: Promise<DuckDBConnection> | undefined;
export const db = (): Promise<DuckDBConnection> => (engine ??= openEngine());

export async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return queryRows<T>(await db(), sql);
}

export const parquetGlob = (dir: string): string => sqlString(join(dir, '*.parquet'));

export function listParquet(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort() : [];
}

/** Every file under a folder (relative path → bytes), for byte-for-byte comparisons. */
export function snapshot(dir: string, sub: string[] = ['curated', 'rejected', 'manifests']): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  for (const s of sub) if (existsSync(join(dir, s))) walk(join(dir, s));
  return files;
}

export interface Doc {
  id: string;
  text: string | null;
  source?: string;
}

/** Writes documents to a zstd Parquet shard (columns id, text, source). */
export async function writeShard(file: string, docs: readonly Doc[], options: { codec?: string; rowGroup?: number } = {}) {
  mkdirSync(dirname(file), { recursive: true });
  const con = await db();
  await con.run('CREATE OR REPLACE TEMP TABLE shard_rows (id VARCHAR, text VARCHAR, source VARCHAR)');
  const appender = await con.createAppender('shard_rows');
  for (const d of docs) {
    appender.appendVarchar(d.id);
    if (d.text === null) appender.appendNull();
    else appender.appendVarchar(d.text);
    appender.appendVarchar(d.source ?? 'test');
    appender.endRow();
  }
  appender.closeSync();
  await con.run(
    `COPY shard_rows TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${options.codec ?? 'zstd'}, ROW_GROUP_SIZE ${options.rowGroup ?? 1000})`,
  );
}

let texts: Promise<{ id: string; text: string; source: string }[]> | undefined;

/** Real texts to build corpora from: the documents of the bundled sample shards (read once per test file; a fresh array each call). */
export async function fixtureTexts(): Promise<{ id: string; text: string; source: string }[]> {
  texts ??= rows(`SELECT id, text, source FROM read_parquet(${parquetGlob(FIXTURE_SHARDS)}) ORDER BY id`);
  return (await texts).map((t) => ({ ...t }));
}

/**
 * A smaller copy of the sample shards for tests of mechanics (resume, re-deciding): the same five
 * shard names and columns, every `stride`-th row of each (a fresh folder per call).
 */
export async function fixtureSlice(stride: number): Promise<string> {
  const dir = tempDir('slice-');
  const con = await db();
  for (const f of readdirSync(FIXTURE_SHARDS).filter((n) => n.endsWith('.parquet')).sort()) {
    await con.run(
      `COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet(${sqlString(join(FIXTURE_SHARDS, f))}, file_row_number = true)
             WHERE file_row_number % ${stride} = 0 ORDER BY file_row_number)
       TO ${sqlString(join(dir, f))} (FORMAT parquet, COMPRESSION zstd)`,
    );
  }
  return dir;
}

export interface DryRunOutcome {
  /** The run folder. Shared: read it, never write it (copy it to resume or change it). */
  dir: string;
  code: number | null;
  stdout: string;
  /** The progress log (the run is not --quiet; stderr is not a terminal). */
  stderr: string;
}

let dryRun: Promise<DryRunOutcome> | undefined;

/**
 * `winnow run pipelines/dry-run.yaml --workers 1`, run once per `vitest run` for every test file
 * that only reads its outputs: the first file to ask runs it, under a lock, into the session folder
 * (test/global-setup.ts); the others wait for it and read the same folder.
 */
export function sharedDryRun(): Promise<DryRunOutcome> {
  dryRun ??= (async () => {
    let session: string | undefined;
    try {
      session = inject('winnowSession');
    } catch {
      // not under this project's vitest config: a run of this file's own
    }
    const base = session ?? tempDir('session-');
    const dir = join(base, 'dry-run');
    const record = join(base, 'dry-run.json');
    // The lock is kept fresh by a timer, so the run below must not block the event loop.
    const release = await lockfile.lock(base, { lockfilePath: join(base, 'dry-run.lock'), stale: 30_000, retries: { retries: 100_000, minTimeout: 100, maxTimeout: 1000 } });
    try {
      if (!existsSync(record)) {
        rmSync(dir, { recursive: true, force: true });
        const outcome = await runAsync(['run', DRY_RUN, '--output', dir, '--workers', '1']);
        writeFileSync(`${record}.tmp`, JSON.stringify(outcome));
        renameSync(`${record}.tmp`, record);
      }
      return { dir, ...(JSON.parse(readFileSync(record, 'utf8')) as CliResult) };
    } finally {
      await release();
    }
  })();
  return dryRun;
}

/** A copy of the shared dry run's folder, for tests that run it again. */
export async function dryRunCopy(): Promise<string> {
  const { dir } = await sharedDryRun();
  const copy = join(tempDir(), 'run');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** A pipeline file for tests: the dry run's settings with overrides, written to `dir`. */
export function writePipeline(dir: string, body: string): string {
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(file, body);
  return file;
}

export function pipelineYaml(options: {
  input: string;
  output: string;
  onError?: 'fail' | 'skip';
  badRows?: 'fail' | 'reject';
  maxTextBytes?: string;
  extra?: string;
  columns?: string;
  /** Signal families; none by default, so tests pay only for what they check. */
  families?: string;
  rules?: string;
  /**
   * Worker threads: 1 unless a test is about parallelism. Each thread loads its own engine and
   * modules (most of a small run's time), and a default of every core would make a test's work
   * depend on the machine it runs on.
   */
  workers?: number;
}): string {
  return `name: test
input:
  path: ${JSON.stringify(options.input)}
  columns: ${options.columns ?? '{ text: text, id: id, source: source }'}
  on_error: ${options.onError ?? 'fail'}
  bad_rows: ${options.badRows ?? 'fail'}
  max_text_bytes: ${options.maxTextBytes ?? '16MiB'}
rules: ${options.rules ?? '[basic]'}
signals:
  families: ${options.families ?? '[]'}
execution:
  workers: ${options.workers ?? 1}
output:
  path: ${JSON.stringify(options.output)}
  report: false
  rejected_text: true
  target_file_bytes: 2MB
  row_group_rows: 500
${options.extra ?? ''}`;
}

/** Input ids against curated and rejected ids: each input id must appear exactly once. */
export async function accounting(inputDir: string, runDir: string) {
  const input = await rows<{ id: string }>(`SELECT id FROM read_parquet(${parquetGlob(inputDir)})`);
  const curated = listParquet(join(runDir, 'curated')).length
    ? await rows<{ id: string }>(`SELECT id FROM read_parquet(${parquetGlob(join(runDir, 'curated'))})`)
    : [];
  const rejected = listParquet(join(runDir, 'rejected')).length
    ? await rows<{ id: string }>(`SELECT id FROM read_parquet(${parquetGlob(join(runDir, 'rejected'))})`)
    : [];
  return { input: input.map((r) => r.id), curated: curated.map((r) => r.id), rejected: rejected.map((r) => r.id) };
}

/** Fields of manifest.json that legitimately differ between identical runs (documented), and where the inputs were found. */
export function stableManifest(manifest: Record<string, unknown>) {
  const { run, timings, execution, inputs, iterations, ...rest } = manifest as {
    run: Record<string, unknown>;
    timings: unknown;
    execution: unknown;
    inputs: Record<string, unknown>;
    iterations: Record<string, unknown>[];
  };
  // Each iteration's record carries its times, as the manifest's run and timings do.
  const untimed = iterations.map((i) => ({ ...i, started_at: undefined, finished_at: undefined, seconds: undefined }));
  return { ...rest, run: { ...run, started_at: undefined, finished_at: undefined }, inputs: { ...inputs, root: undefined }, iterations: untimed };
}

export function readManifest(runDir: string) {
  return JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
}

/** The error of class `type` that `fn` throws; the test fails when it throws nothing, or something else. */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The ConfigError `load` throws; the test fails when it throws nothing, or something else. */
export const configErrorOf = (load: () => unknown): ConfigError => thrownBy(ConfigError, load);

/** The ConfigError of a pipeline file (with the files it refers to beside it), loaded and checked. */
export function pipelineError(yaml: string, files: Record<string, string> = {}): ConfigError {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const file = join(dir, 'p.yaml');
  writeFileSync(file, yaml);
  return configErrorOf(() => checkPipeline(loadPipeline(file)));
}
