import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlFileList, sqlString } from '../io/duckdb.js';
import { readParquetChunks, type ParquetChunks } from '../io/parquet-layout.js';

/** The text column of signals files: the bulk of a run's bytes, which the report needs for a few documents only. */
export const TEXT = 'text';

/**
 * Where a row group's text can be read: the file itself (a local run), or a file made to hold it
 * (a run on S3: its head, those row groups' text chunks and its tail, src/report/mirror.ts).
 */
export type TextSource = (file: string, chunks: ParquetChunks, rowGroups: readonly number[]) => Promise<string>;

/**
 * The texts of documents by key from signals files, reading the text of the row groups that hold
 * them alone: the key column finds each document's file and row, then a range of row numbers per
 * row group (DuckDB skips the others) reads its text. A sample of a few dozen documents costs a few
 * row groups, not a scan of every text (measured: 13 s of a 100k-document run's 13.7 s report went to
 * scans of the text column, one per reason). Keys no file holds map to null.
 */
export async function textsByKey(
  con: DuckDBConnection,
  files: readonly string[],
  keys: readonly string[],
  source: TextSource = async (file) => file,
  chunksOf: (file: string) => Promise<ParquetChunks> = (file) => readParquetChunks(file),
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(keys.map((k) => [k, null]));
  if (keys.length === 0 || files.length === 0) return out;
  const found = await queryRows<{ key: string; filename: string; row: number }>(
    con,
    `SELECT key, filename, file_row_number AS row FROM read_parquet(${sqlFileList(files)}, filename = true, file_row_number = true)
     WHERE key IN (${keys.map(sqlString).join(', ')})`,
  );
  const byFile = new Map<string, typeof found>();
  for (const f of found) byFile.set(f.filename, [...(byFile.get(f.filename) ?? []), f]);
  for (const [file, rows] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const chunks = await chunksOf(file);
    const byGroup = new Map<number, typeof rows>();
    for (const row of rows) {
      const rg = rowGroupOf(chunks, Number(row.row));
      byGroup.set(rg, [...(byGroup.get(rg) ?? []), row]);
    }
    const readable = await source(file, chunks, [...byGroup.keys()]);
    for (const [rg, members] of byGroup) {
      const [first, end] = rowGroupRows(chunks, rg);
      const texts = await queryRows<{ row: number; text: string | null }>(
        con,
        `SELECT file_row_number AS row, ${TEXT} AS text FROM read_parquet(${sqlString(readable)}, file_row_number = true)
         WHERE file_row_number >= ${first} AND file_row_number < ${end} AND file_row_number IN (${members.map((r) => Number(r.row)).join(', ')})`,
      );
      const wanted = new Map(members.map((r) => [Number(r.row), r.key]));
      for (const t of texts) if (wanted.has(Number(t.row))) out.set(wanted.get(Number(t.row))!, t.text);
    }
  }
  return out;
}

/** The file row numbers [first, end) of a row group. */
function rowGroupRows(chunks: ParquetChunks, rg: number): [number, number] {
  const first = chunks.rowGroups.slice(0, rg).reduce((a, g) => a + g.rows, 0);
  return [first, first + chunks.rowGroups[rg]!.rows];
}

function rowGroupOf(chunks: ParquetChunks, row: number): number {
  let start = 0;
  for (const [i, rg] of chunks.rowGroups.entries()) {
    if (row < start + rg.rows) return i;
    start += rg.rows;
  }
  throw new Error(`row ${row} is past the file's ${start} rows`);
}
