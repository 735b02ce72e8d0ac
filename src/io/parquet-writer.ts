import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { duckdb, queryRows, sqlIdent, sqlString } from './duckdb.js';

const { BIGINT, BLOB, blobValue, BOOLEAN, DOUBLE, DuckDBDataChunk, INTEGER, LIST, listValue, MAP, mapValue, UBIGINT, VARCHAR } = duckdb;

/** A column of one value per row. */
export type ScalarType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'UBIGINT' | 'DOUBLE' | 'BOOLEAN' | 'BLOB';
/** The types a map's keys may have: those that compare exactly. */
export type MapKeyType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'UBIGINT';
/**
 * A column's type, spelled as DuckDB spells it (the writer creates its table from these names): a
 * scalar, a list of scalars (`INTEGER[]`: MinHash signatures), or a map from keys to scalars
 * (`MAP(VARCHAR, INTEGER)`: ids with counts).
 */
export type ColumnType = ScalarType | `${ScalarType}[]` | `MAP(${MapKeyType}, ${ScalarType})`;
export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** The JavaScript value of each scalar type. */
interface ScalarValues {
  VARCHAR: string;
  INTEGER: number;
  BIGINT: bigint;
  UBIGINT: bigint;
  DOUBLE: number;
  BOOLEAN: boolean;
  BLOB: Uint8Array;
}
/** Lists of numbers may also be typed arrays, which is how the hot loops produce them. */
interface TypedLists {
  INTEGER: Int32Array;
  DOUBLE: Float64Array;
}
type ListValue<S extends ScalarType> = readonly ScalarValues[S][] | (S extends keyof TypedLists ? TypedLists[S] : never);

/** The JavaScript value a column of type `T` takes (besides null): what a signal family computes. */
export type ColumnValue<T extends ColumnType> = T extends ScalarType
  ? ScalarValues[T]
  : T extends `${infer S extends ScalarType}[]`
    ? ListValue<S>
    : T extends `MAP(${infer K extends MapKeyType}, ${infer V extends ScalarType})`
      ? ReadonlyMap<ScalarValues[K], ScalarValues[V]>
      : never;

/** Any value of any column type, or null. */
export type AnyColumnValue = ColumnValue<ColumnType> | null;

const SCALAR_TYPES: Record<ScalarType, DuckDBType> = { VARCHAR, INTEGER, BIGINT, UBIGINT, DOUBLE, BOOLEAN, BLOB };
const LIST_TYPE = /^(\w+)\[\]$/;
const MAP_TYPE = /^MAP\((\w+), (\w+)\)$/;

/** The appender's type for a column type. */
export function duckType(type: ColumnType): DuckDBType {
  const list = LIST_TYPE.exec(type);
  if (list) return LIST(SCALAR_TYPES[list[1] as ScalarType]);
  const map = MAP_TYPE.exec(type);
  if (map) return MAP(SCALAR_TYPES[map[1] as MapKeyType], SCALAR_TYPES[map[2] as ScalarType]);
  return SCALAR_TYPES[type as ScalarType];
}

/**
 * A JavaScript value as the appender takes it: arrays and typed arrays become lists, Maps maps,
 * bytes blobs; scalars pass as they are, tested first because nearly every value is one.
 */
export function columnValue(value: AnyColumnValue): DuckDBValue {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Int32Array) return listValue(Array.from(value));
  if (value instanceof Uint8Array) return blobValue(value);
  if (value instanceof Map) return mapValue(Array.from(value, ([key, item]) => ({ key: columnValue(key), value: columnValue(item) })));
  return listValue(Array.from(value as ArrayLike<AnyColumnValue>, columnValue));
}

export interface PartOptions {
  /** Rows and bytes per part file: they bound the memory a writer holds before it writes. */
  partRows: number;
  partBytes: number;
  rowGroupRows: number;
}

let tableCounter = 0;

/**
 * Writes rows computed in JavaScript to zstd Parquet part files (`part-0000.parquet`, ...).
 * Rows collect in a DuckDB table through the appender and go to disk every `partRows` rows, so
 * a shard of any size is written with bounded memory.
 */
export class ParquetPartWriter {
  private buffered = 0;
  private bufferedBytes = 0;
  private readonly files: string[] = [];

  private constructor(
    private readonly con: DuckDBConnection,
    private readonly dir: string,
    private readonly table: string,
    private readonly types: DuckDBType[],
    private appender: DuckDBAppender,
    private readonly options: PartOptions,
  ) {}

  static async open(con: DuckDBConnection, dir: string, columns: readonly ColumnSpec[], options: PartOptions) {
    const table = `winnow_part_buffer_${++tableCounter}`;
    const defs = columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ');
    await con.run(`CREATE TEMP TABLE ${table} (${defs})`);
    const appender = await con.createAppender(table);
    return new ParquetPartWriter(con, dir, table, columns.map((c) => duckType(c.type)), appender, options);
  }

  /** Appends a batch given column by column (at most 2,048 rows: one DuckDB vector) of about `bytes` bytes. */
  async append(columns: readonly (readonly DuckDBValue[])[], rowCount: number, bytes = 0): Promise<void> {
    if (rowCount === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, rowCount);
    columns.forEach((values, i) => chunk.setColumnValues(i, values));
    this.appender.appendDataChunk(chunk);
    this.buffered += rowCount;
    this.bufferedBytes += bytes;
    if (this.buffered >= this.options.partRows || this.bufferedBytes >= this.options.partBytes) await this.flush();
  }

  /** Writes what is buffered and returns the part files, in order. */
  async close(): Promise<string[]> {
    if (this.buffered > 0 || this.files.length === 0) await this.flush();
    this.appender.closeSync();
    await this.con.run(`DROP TABLE ${this.table}`);
    return this.files;
  }

  private async flush(): Promise<void> {
    this.appender.flushSync();
    this.appender.closeSync();
    const file = join(this.dir, `part-${String(this.files.length).padStart(4, '0')}.parquet`);
    await this.con.run(
      `COPY ${this.table} TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${this.options.rowGroupRows})`,
    );
    await this.con.run(`DELETE FROM ${this.table}`);
    this.appender = await this.con.createAppender(this.table);
    this.files.push(file);
    this.buffered = 0;
    this.bufferedBytes = 0;
  }
}

export interface CopyOptions {
  targetFileBytes: number;
  rowGroupRows: number;
}

/**
 * Writes a query's rows to zstd Parquet files in `dir` (which must not exist), starting a new file
 * once one passes the target size (DuckDB checks between its write batches). Returns the files in
 * order with their row counts; a query with no rows writes no file.
 */
export async function copyToParquetFiles(
  con: DuckDBConnection,
  query: string,
  dir: string,
  options: CopyOptions,
): Promise<{ file: string; rows: number }[]> {
  await con.run(
    `COPY (${query}) TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${options.rowGroupRows}, ` +
      `FILE_SIZE_BYTES ${options.targetFileBytes}, FILENAME_PATTERN 'part-{i}')`,
  );
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => /^part-\d+\.parquet$/.test(f))
    .sort((a, b) => partNumber(a) - partNumber(b))
    .map((f) => join(dir, f));
  const out: { file: string; rows: number }[] = [];
  for (const file of files) {
    const rows = await parquetRowCount(con, file);
    if (rows === 0) rmSync(file);
    else out.push({ file, rows });
  }
  return out;
}

const partNumber = (name: string): number => Number(/(\d+)/.exec(name)?.[1] ?? 0);

export async function parquetRowCount(con: DuckDBConnection, file: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(con, `SELECT num_rows AS n FROM parquet_file_metadata(${sqlString(file)})`);
  return row?.n ?? 0;
}
