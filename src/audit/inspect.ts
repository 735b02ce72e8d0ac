import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlString } from '../io/duckdb.js';
import { duckMessage, InputError } from '../io/errors.js';

/** What `winnow inspect` shows of a Parquet file: its schema, size, row groups and first rows. */
export interface Inspection {
  file: string;
  bytes: number;
  rows: number;
  created_by: string | null;
  columns: { name: string; type: string; codecs: string[]; compressed_bytes: number; uncompressed_bytes: number }[];
  row_groups: { rows: number; compressed_bytes: number }[];
  first_rows: Record<string, unknown>[];
}

/**
 * Reads a Parquet file's footer and first rows (any input shard or output file): the schema as
 * DuckDB reads it, each column's codecs and sizes, the row groups, and `rows` rows. Everything but
 * the first rows comes from the footer.
 */
export async function inspectParquet(con: DuckDBConnection, file: string, rows: number): Promise<Inspection> {
  if (!existsSync(file)) throw new InputError(file, 'no such file');
  if (!statSync(file).isFile()) throw new InputError(file, 'not a file; give one Parquet file');
  const f = sqlString(file);
  try {
    const [meta] = await queryRows<{ num_rows: bigint; created_by: string | null }>(con, `SELECT num_rows, created_by FROM parquet_file_metadata(${f})`);
    const schema = await queryRows<{ column_name: string; column_type: string }>(con, `DESCRIBE SELECT * FROM read_parquet(${f})`);
    const chunks = await queryRows<{ path: string; codecs: string; compressed: bigint; uncompressed: bigint }>(
      con,
      // A nested column (a list, a struct) is stored as leaf columns 'name, list, element, ...': summed under its name.
      `SELECT split_part(path_in_schema, ', ', 1) AS path, string_agg(DISTINCT compression, ',' ORDER BY compression) AS codecs,
              sum(total_compressed_size) AS compressed, sum(total_uncompressed_size) AS uncompressed
       FROM parquet_metadata(${f}) GROUP BY 1`,
    );
    const groups = await queryRows<{ rows: bigint; compressed: bigint }>(
      con,
      `SELECT any_value(row_group_num_rows) AS rows, sum(total_compressed_size) AS compressed
       FROM parquet_metadata(${f}) GROUP BY row_group_id ORDER BY row_group_id`,
    );
    // As JSON reads them: 64-bit integers (content hashes) as exact strings, lists and structs as such.
    const first = rows > 0 ? ((await con.runAndReadAll(`SELECT * FROM read_parquet(${f}) LIMIT ${Math.trunc(rows)}`)).getRowObjectsJson() as Record<string, unknown>[]) : [];
    const byPath = new Map(chunks.map((c) => [c.path, c]));
    return {
      file,
      bytes: statSync(file).size,
      rows: Number(meta?.num_rows ?? 0),
      created_by: meta?.created_by ?? null,
      columns: schema.map((c) => {
        const chunk = byPath.get(c.column_name);
        return {
          name: c.column_name,
          type: c.column_type,
          codecs: chunk ? chunk.codecs.split(',') : [],
          compressed_bytes: Number(chunk?.compressed ?? 0),
          uncompressed_bytes: Number(chunk?.uncompressed ?? 0),
        };
      }),
      row_groups: groups.map((g) => ({ rows: Number(g.rows), compressed_bytes: Number(g.compressed) })),
      first_rows: first,
    };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file, `cannot read it as Parquet: ${duckMessage(err).split('\n')[0]}`);
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

/** How a terminal shows an inspection: values cut to `width` characters, one line each. */
export function formatInspection(i: Inspection, width = 100): string {
  const nameWidth = Math.min(28, Math.max(...i.columns.map((c) => c.name.length), 6));
  const lines = [
    `${i.file}: ${n(i.rows)} rows, ${n(i.bytes)} bytes, ${i.row_groups.length} row group${i.row_groups.length === 1 ? '' : 's'}${i.created_by ? `, written by ${i.created_by}` : ''}`,
    'columns:',
    ...i.columns.map(
      (c) => `  ${c.name.padEnd(nameWidth)} ${cut(c.type, 24).padEnd(24)} ${c.codecs.join(',').padEnd(12)} ${n(c.compressed_bytes).padStart(12)} bytes (${n(c.uncompressed_bytes)} uncompressed)`,
    ),
    'row groups:',
    ...i.row_groups.slice(0, 10).map((g, k) => `  ${String(k).padStart(4)}  ${n(g.rows).padStart(10)} rows  ${n(g.compressed_bytes).padStart(12)} bytes`),
    ...(i.row_groups.length > 10 ? [`  ... ${i.row_groups.length - 10} more`] : []),
  ];
  for (const [k, row] of i.first_rows.entries()) {
    lines.push(`row ${k}:`);
    for (const [name, value] of Object.entries(row)) lines.push(`  ${name.padEnd(nameWidth)} ${cut(value, width)}`);
  }
  return lines.join('\n');
}

/** A value on one line: whitespace runs as one space, cut with an ellipsis. */
export function cut(value: unknown, width: number): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? 'null').replace(/\s+/g, ' ').trim();
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
