import { createReadStream, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import lockfile from 'proper-lockfile';
import type { ListRule } from '../config/ruleset.js';
import { duckdb, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { sha256File } from '../io/files.js';
import { makeDirs } from '../storage/dirs.js';

/**
 * List rules (`op: in_list | not_in_list`) as joins against a list file materialized once.
 *
 * A list file is read once per run per content: its lines are streamed into DuckDB, normalized,
 * deduplicated and sorted, and written to `work/lists/<sha256>.<match>.v<N>.parquet` (the SHA-256
 * of the file's bytes, the one the config hash records as `list_sha256`). Every decide task then
 * joins its shard's values with that file; DuckDB builds the join's hash table on the shard's side
 * and pushes its range and a Bloom filter into the list scan, so a task holds neither the list nor
 * its text in memory. The first task to need a list builds the file under a lock beside it, the
 * others wait for it; a killed run leaves at worst a stale lock (taken over once its heartbeat
 * stops) and a temporary file (removed by the next builder). Editing the list changes its hash,
 * hence the decide fingerprint (every shard re-decides) and the file used.
 */

/** Bump when what a materialized list holds changes: older files are then never read. */
export const LIST_FILE_VERSION = 1;

/** A list file's entries, by its content hash and its match mode (which decides the normalization). */
export const listFile = (workDir: string, sha256: string, match: ListRule['match']): string =>
  join(workDir, 'lists', `${sha256}.${match}.v${LIST_FILE_VERSION}.parquet`);

/** How entries and values are compared: domains are case-insensitive, exact values are not. */
export const normalizeListValue = (match: ListRule['match'], sql: string): string => (match === 'domain' ? `lower(trim(${sql}))` : `trim(${sql})`);

/** A lock whose heartbeat stopped this long ago was left by a killed run. */
const LOCK_STALE_MS = 10_000;
const WAIT_MS = 100;
const BATCH_ROWS = 2048;
/** Row groups a task's scan decompresses one at a time: for a 1M-entry list, 16,384 rows took a third less memory per scan than DuckDB's default 122,880, as fast. */
const ROW_GROUP_ROWS = 16_384;

export interface MaterializeOptions {
  /** Throws when the run is being stopped; called between batches and while waiting for another task. */
  checkAborted?: () => void;
}

/**
 * The Parquet file (one VARCHAR column `entry`, distinct, sorted) holding a list rule's entries,
 * built if no task has built it yet. An entry is a line of the UTF-8 file (lines end at "\n";
 * every "\r" is dropped, so CRLF files read the same; a byte-order mark is not part of the first
 * line), trimmed of spaces (and lower-cased with `match: domain`), blank lines and lines starting
 * with "#" (after trimming) left out: what decide read before lists were materialized, but for the
 * byte-order mark, which used to spoil the first entry.
 */
export async function materializeList(con: DuckDBConnection, workDir: string, rule: ListRule, options: MaterializeOptions = {}): Promise<string> {
  const sha256 = await sha256File(rule.list).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new InputError(rule.list, `the list file of rule "${rule.name}" is gone (it was there when the run started)`) : err;
  });
  const target = listFile(workDir, sha256, rule.match);
  if (existsSync(target)) return target;
  makeDirs(join(workDir, 'lists'));
  for (;;) {
    const release = await tryLock(target);
    if (release) {
      try {
        if (!existsSync(target)) await buildList(con, rule, sha256, target, options);
        return target;
      } finally {
        await release().catch(() => undefined); // compromised: the file is complete or absent either way
      }
    }
    await new Promise((r) => setTimeout(r, WAIT_MS));
    if (existsSync(target)) return target;
    options.checkAborted?.();
  }
}

/** The lock on building one list file, or undefined while another task holds it. */
async function tryLock(target: string): Promise<(() => Promise<void>) | undefined> {
  try {
    return await lockfile.lock(target, {
      lockfilePath: `${target}.lock`,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_STALE_MS / 5,
      retries: 0,
      // Losing the lock only risks two tasks building the same file; each renames a complete one.
      onCompromised: () => undefined,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw err;
  }
}

async function buildList(con: DuckDBConnection, rule: ListRule, sha256: string, target: string, options: MaterializeOptions): Promise<void> {
  const dir = dirname(target);
  // Holding the lock: what a killed builder of this file left is ours to remove.
  for (const f of readdirSync(dir)) if (f.startsWith(`${basename(target)}.tmp-`)) rmSync(join(dir, f), { force: true });
  const tmp = `${target}.tmp-${process.pid}-${threadId}`;
  const table = `winnow_list_lines_${threadId}`;
  await con.run(`CREATE OR REPLACE TEMP TABLE ${table} (line VARCHAR)`);
  try {
    const appender = await con.createAppender(table);
    try {
      await appendLines(appender, rule.list, options);
    } finally {
      appender.closeSync();
    }
    const entry = normalizeListValue(rule.match, 'line');
    await con.run(`COPY (SELECT DISTINCT ${entry} AS entry FROM ${table} WHERE trim(line) <> '' AND NOT starts_with(trim(line), '#') ORDER BY entry)
      TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
    // The file must hold the content its name says: an edit while it was read would mix two lists.
    if ((await sha256File(rule.list)) !== sha256) {
      throw new InputError(rule.list, `the list file of rule "${rule.name}" changed while it was read; run again`);
    }
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
    await con.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** Streams a list file's lines into the appender, 2,048 at a time: never the whole file in memory. */
async function appendLines(appender: DuckDBAppender, file: string, options: MaterializeOptions): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let batch: string[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const chunk = duckdb.DuckDBDataChunk.create([duckdb.VARCHAR], batch.length);
    chunk.setColumnValues(0, batch);
    appender.appendDataChunk(chunk);
    batch = [];
  };
  let rest = '';
  const take = (text: string, final: boolean) => {
    const lines = (rest + text.replaceAll('\r', '')).split('\n');
    rest = final ? '' : lines.pop()!;
    for (const line of lines) {
      batch.push(line);
      if (batch.length === BATCH_ROWS) flush();
    }
  };
  try {
    // 64 KiB reads: with 1 MiB ones the decoded strings awaiting collection cost ~70 MB more for a 1M-line list, and time.
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) {
      take(decoder.decode(chunk as Buffer, { stream: true }), false);
      options.checkAborted?.();
    }
    take(decoder.decode(), true);
  } catch (err) {
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new InputError(file, 'a list file must be UTF-8 text, and this one is not');
    }
    throw err;
  }
  flush();
}

/**
 * The rows of `sig` whose signal is in the list (one row each): the value normalized as the
 * entries are, and with `match: domain` every parent domain of it too ("a.b.example.com",
 * "b.example.com", "example.com", "com").
 */
export function listHitsQuery(rule: ListRule, file: string): string {
  const column = `s.${sqlIdent(rule.signal)}`;
  const values =
    rule.match === 'domain'
      ? `SELECT s."row", unnest(list_transform(range(len(string_split(v, '.'))), k -> array_to_string(string_split(v, '.')[k + 1:], '.'))) AS value
         FROM (SELECT s."row", ${normalizeListValue('domain', column)} AS v FROM sig s WHERE ${column} IS NOT NULL) s`
      : `SELECT s."row", ${normalizeListValue('exact', column)} AS value FROM sig s WHERE ${column} IS NOT NULL`;
  return `SELECT DISTINCT x."row" FROM (${values}) x JOIN read_parquet(${sqlString(file)}) l ON l.entry = x.value`;
}
