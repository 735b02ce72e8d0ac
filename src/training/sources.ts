import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';

/**
 * A file (or folder, or glob) of documents for training: Parquet, or JSON lines (`.jsonl`,
 * `.ndjson`, `.json`, optionally gzipped), with the text in `column`. Written `path#column` on the
 * command line to name a column other than the default.
 */
export interface SourceSpec {
  path: string;
  column: string;
  format: 'parquet' | 'json';
}

export function parseSource(arg: string, defaultColumn: string): SourceSpec {
  const hash = arg.lastIndexOf('#');
  const path = hash > 0 ? arg.slice(0, hash) : arg;
  const column = hash > 0 ? arg.slice(hash + 1) : defaultColumn;
  if (!column) throw new InputError(arg, 'empty column name after "#"');
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const format = isDir || /\.parquet$/i.test(path) ? 'parquet' : /\.(jsonl|ndjson|json)(\.gz)?$/i.test(path) ? 'json' : undefined;
  if (!format) throw new InputError(path, 'unknown format: expected a Parquet file or folder, or JSON lines (.jsonl, .ndjson, .json, optionally .gz)');
  if (!/[*?[]/.test(path) && !existsSync(path)) throw new InputError(path, 'not found');
  return { path: isDir ? `${path.replace(/\/+$/, '')}/**/*.parquet` : path, column, format };
}

function relation(spec: SourceSpec): string {
  return spec.format === 'parquet' ? `read_parquet(${sqlString(spec.path)})` : `read_json(${sqlString(spec.path)}, format = 'newline_delimited')`;
}

/** The source's texts in file order; null and missing values are left out (and counted by the caller as empty). */
export async function readSourceTexts(con: DuckDBConnection, spec: SourceSpec): Promise<string[]> {
  await checkColumn(con, spec, spec.column);
  const rows = await queryRows<{ t: string | null }>(con, `SELECT CAST(${sqlIdent(spec.column)} AS VARCHAR) AS t FROM ${relation(spec)}`);
  return rows.map((r) => r.t ?? '');
}

/** A source whose rows carry their label: texts with a positive label value, and the others. */
export async function readLabelledTexts(
  con: DuckDBConnection,
  spec: SourceSpec,
  labelColumn: string,
  positiveValues: readonly string[],
): Promise<{ positive: string[]; negative: string[] }> {
  await checkColumn(con, spec, spec.column);
  await checkColumn(con, spec, labelColumn);
  const rows = await queryRows<{ t: string | null; l: string | null }>(
    con,
    `SELECT CAST(${sqlIdent(spec.column)} AS VARCHAR) AS t, CAST(${sqlIdent(labelColumn)} AS VARCHAR) AS l FROM ${relation(spec)}`,
  );
  const wanted = new Set(positiveValues);
  const out = { positive: [] as string[], negative: [] as string[] };
  for (const r of rows) (r.l !== null && wanted.has(r.l) ? out.positive : out.negative).push(r.t ?? '');
  return out;
}

async function checkColumn(con: DuckDBConnection, spec: SourceSpec, column: string): Promise<void> {
  let columns: string[];
  try {
    columns = (await queryRows<{ column_name: string }>(con, `DESCRIBE SELECT * FROM ${relation(spec)}`)).map((c) => c.column_name);
  } catch (err) {
    throw new InputError(spec.path, `cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!columns.includes(column)) throw new InputError(spec.path, `no column "${column}" (it has ${columns.join(', ')}); name one with ${spec.path}#<column>`);
}
