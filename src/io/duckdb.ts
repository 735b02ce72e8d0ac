import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeDirs } from '../storage/dirs.js';

/**
 * The DuckDB client, required rather than imported. The package is CommonJS whose index re-exports
 * some 180 files; imported as ESM, Node parses each of them for its export names first, which was
 * half of the package's load time (190 ms against 100 ms required) in the main thread and in every
 * worker thread. Import its types as usual; take its values from here.
 */
export const duckdb: typeof DuckDB = createRequire(import.meta.url)('@duckdb/node-api');

export interface EngineOptions {
  /** DuckDB's own threads. Workers use 1: parallelism comes from running shards side by side. */
  threads?: number;
  /** Bytes DuckDB may hold before it spills to tempDir. */
  memoryLimit?: number;
  tempDir?: string;
}

/**
 * An embedded DuckDB connection. One per worker thread: it reads and writes Parquet and runs the
 * out-of-core joins and groupings of the global phases.
 */
export async function openEngine(options: EngineOptions = {}): Promise<DuckDBConnection> {
  return (await createEngine(options)).connect();
}

/** The engine itself, for callers that need several connections (a streaming reader beside a writer). */
export async function createEngine(options: EngineOptions = {}): Promise<DuckDB.DuckDBInstance> {
  const config: Record<string, string> = {
    threads: String(options.threads ?? 1),
    // Same order in, same order out: outputs must not depend on scheduling.
    preserve_insertion_order: 'true',
    // Everything runs offline; never try to fetch an extension.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (options.memoryLimit) config.memory_limit = `${Math.max(64, Math.floor(options.memoryLimit / 2 ** 20))}MiB`;
  if (options.tempDir) {
    makeDirs(options.tempDir);
    config.temp_directory = options.tempDir;
  }
  return duckdb.DuckDBInstance.create(':memory:', config);
}

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
export const sqlIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;
export const sqlFileList = (files: readonly string[]): string => `[${files.map(sqlString).join(', ')}]`;

/**
 * A relation with the given columns (name to SQL type) and no rows: what a step writes when it has
 * nothing to read (every shard skipped), so its file still has the schema readers expect.
 */
export const emptyRelation = (columns: Readonly<Record<string, string>>): string =>
  `SELECT ${Object.entries(columns).map(([name, type]) => `NULL::${type} AS ${sqlIdent(name)}`).join(', ')} WHERE false`;

/** Runs a query and returns its rows as plain JSON-friendly objects (bigints become numbers). */
export async function queryRows<T = Record<string, unknown>>(con: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await con.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => plain(row) as T);
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/**
 * Streams a query's result one DuckDB vector (up to 2,048 rows) at a time, as columns of values,
 * so a large result never sits in memory whole.
 */
export async function* streamColumns(con: DuckDBConnection, sql: string): AsyncGenerator<unknown[][]> {
  const result = await con.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield Array.from({ length: chunk.columnCount }, (_, i) => chunk.getColumnValues(i));
  }
}
