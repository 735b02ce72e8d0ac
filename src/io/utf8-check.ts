import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * DuckDB rejects a shard with invalid UTF-8 (lone UTF-16 surrogates written as WTF-8, Latin-1
 * bytes, truncated sequences) but does not say which row holds it. This slow path, taken only
 * after such an error, reads the raw bytes with hyparquet and finds the first bad row.
 */
export async function findInvalidUtf8(
  file: string,
  columns: readonly string[],
  fromRow = 0,
  toRow?: number,
): Promise<{ row: number; column: string; detail: string } | undefined> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  // A part's file may hold only its own row groups (a sparse download): read no further.
  const total = Math.min(Number(metadata.num_rows), toRow ?? Number.POSITIVE_INFINITY);
  const step = 4096;
  for (let start = fromRow; start < total; start += step) {
    let rows: unknown[][] = [];
    await parquetRead({
      file: buffer,
      metadata,
      columns: [...columns],
      rowStart: start,
      rowEnd: Math.min(total, start + step),
      utf8: false,
      // hyparquet decodes UTF8-annotated columns leniently; keep the raw bytes to check them.
      parsers: { stringFromBytes: (bytes: Uint8Array) => bytes },
      compressors,
      onComplete: (r) => (rows = r),
    });
    for (let i = 0; i < rows.length; i++) {
      for (let c = 0; c < columns.length; c++) {
        const value = rows[i]![c];
        if (!(value instanceof Uint8Array)) continue;
        try {
          strictUtf8.decode(value);
        } catch {
          return { row: start + i, column: columns[c]!, detail: describeBadBytes(value) };
        }
      }
    }
  }
  return undefined;
}

function describeBadBytes(bytes: Uint8Array): string {
  const at = firstInvalidByte(bytes);
  if (at < 0) return 'invalid byte sequence';
  // 0xED 0xA0..0xBF is how a lone UTF-16 surrogate looks when encoded carelessly (WTF-8/CESU-8).
  if (bytes[at] === 0xed && (bytes[at + 1] ?? 0) >= 0xa0) return `a lone UTF-16 surrogate encoded at byte ${at}`;
  return `invalid byte 0x${bytes[at]!.toString(16)} at byte ${at}`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) {
      return i;
    }
    i += n + 1;
  }
  return -1;
}
