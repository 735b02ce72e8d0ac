import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from './duckdb.js';
import { duckMessage, InputError } from './errors.js';

export interface ShardSchema {
  columns: { name: string; type: string }[];
  rows: number;
}

/**
 * Reads a shard's footer: its columns and row count, without touching the data. `name` is the
 * shard as users know it (its `s3://` address when `file` is a local download of it), for errors.
 */
export async function inspectShard(con: DuckDBConnection, file: string, name = file): Promise<ShardSchema> {
  try {
    const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    const columns = described.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const meta = await con.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
    const rows = Number(meta.getRowsJS()[0]?.[0] ?? 0);
    return { columns, rows };
  } catch (err) {
    throw new InputError(name, `cannot read Parquet footer: ${duckMessage(err).replaceAll(file, name)}`);
  }
}

/** The input columns a pipeline maps (input.columns), by role. */
export interface MappedColumns {
  text: string;
  id?: string;
  url?: string;
  source?: string;
}

/** Every mapped column must exist, and the text column must be a string: annotate and validate both ask. */
export function checkMappedColumns(file: string, schema: ShardSchema, mapping: MappedColumns): MappedColumns {
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  const available = schema.columns.map((c) => c.name).join(', ');
  for (const [role, name] of Object.entries(mapping)) {
    if (name !== undefined && !types.has(name)) {
      throw new InputError(file, `column "${name}" (input.columns.${role}) not found; the shard has: ${available}`);
    }
  }
  const textType = types.get(mapping.text);
  if (textType !== 'VARCHAR') {
    throw new InputError(file, `text column "${mapping.text}" has type ${textType}; expected a string (UTF-8) column`);
  }
  return mapping;
}

export interface Batch {
  /** File row number of the batch's first row. */
  start: number;
  /** File row numbers, one per row. */
  rows: number[];
  /** Requested columns in order; text columns as strings (or null). */
  columns: (string | null)[][];
}

/**
 * Streams the requested columns of a shard in file order, one DuckDB vector (2,048 rows) at a
 * time, so memory stays bounded by the batch and the Parquet row group being decoded. Every
 * column is read as text: the pipeline carries ids, urls and sources as strings.
 */
export async function* readShard(con: DuckDBConnection, file: string, columns: readonly string[], name = file, range?: [number, number]): AsyncGenerator<Batch> {
  const select = columns.map((c) => `CAST(${sqlIdent(c)} AS VARCHAR)`).join(', ');
  // A part of a shard: DuckDB skips the row groups outside the range by their row numbers, without reading them.
  const where = range ? ` WHERE file_row_number >= ${range[0]} AND file_row_number < ${range[1]}` : '';
  const sql = `SELECT file_row_number${select ? `, ${select}` : ''} FROM read_parquet(${sqlString(file)}, file_row_number = true)${where}`;
  let next = range?.[0] ?? 0;
  try {
    const result = await con.stream(sql);
    // Ask for the next vector before handing out this one: DuckDB decodes it on a libuv thread
    // while the caller computes signals.
    let pending = result.fetchChunk();
    // A caller that stops early leaves one fetch in flight; its outcome no longer matters.
    const settle = () => pending.catch(() => undefined);
    try {
    for (;;) {
      const chunk = await pending;
      if (!chunk || chunk.rowCount === 0) break;
      pending = result.fetchChunk();
      const rows = (chunk.getColumnValues(0) as bigint[]).map(Number);
      const values = columns.map((_, i) => chunk.getColumnValues(i + 1) as (string | null)[]);
      yield { start: rows[0] ?? next, rows, columns: values };
      next = (rows[rows.length - 1] ?? next) + 1;
    }
    } finally {
      await settle();
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const message = duckMessage(err).replaceAll(file, name);
    if (/not valid UTF8|Invalid string encoding/i.test(message)) {
      // Loaded only here: the second Parquet reader it uses is 40 modules every worker would load.
      const { findInvalidUtf8 } = await import('./utf8-check.js');
      const bad = await findInvalidUtf8(file, columns, next, range?.[1]);
      if (bad) {
        throw new InputError(name, `column ${JSON.stringify(bad.column)} is not valid UTF-8 (${bad.detail}); the Parquet reader refuses the whole shard, so repair it, or set input.on_error: skip to skip the shard (docs/failure-modes.md)`, { row: bad.row });
      }
    }
    throw new InputError(name, `cannot read rows from ${next} on: ${message}`, { row: next });
  }
}
