import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { explainS3, isS3Url, objectFault, parseS3Url, readObjectRange, sharedS3Client } from '../storage/s3.js';

/**
 * Where a Parquet shard's data lies, from its footer alone: each row group's rows, the uncompressed
 * bytes of the text column in it, and the byte range its column chunks fill. Planning splits a
 * shard at row-group boundaries with it (src/execution/units.ts), and a task on S3 fetches only
 * its row groups' bytes (ranged GETs) instead of the whole shard.
 */
export interface ShardLayout {
  /** The file's size. */
  bytes: number;
  rows: number;
  rowGroups: { rows: number; textBytes: number; start: number; end: number }[];
  /**
   * Where the row groups' data ends: after it come the page indexes, bloom filters and the footer,
   * which a reader of any row group may need.
   */
  tailStart: number;
}

/** How much of a file's end is fetched first for its footer (hyparquet fetches more when the footer is larger). */
const FOOTER_FETCH = 1 << 16;

/**
 * Reads a shard's layout from its footer: a local file, or an object on S3 with ranged GETs (one
 * or two). Throws what the footer's reader says when it is not Parquet.
 */
export async function readShardLayout(path: string, textColumn: string, object?: { bytes: number; etag: string }): Promise<ShardLayout> {
  // Loaded here, in the main thread that plans: worker threads never read footers this way.
  const { parquetMetadataAsync } = await import('hyparquet');
  const buffer = isS3Url(path) ? s3Buffer(path, object) : fileBuffer(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { initialFetchSize: FOOTER_FETCH });
  } finally {
    buffer.close?.();
  }
  return layoutOf(metadata, buffer.byteLength, textColumn);
}

function layoutOf(metadata: FileMetaData, bytes: number, textColumn: string): ShardLayout {
  let dataEnd = 4; // after the leading magic "PAR1"
  const rowGroups = metadata.row_groups.map((rg) => {
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    let textBytes = 0;
    for (const chunk of rg.columns) {
      const meta = chunk.meta_data;
      if (!meta) continue;
      const data = Number(meta.data_page_offset);
      const dictionary = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset);
      const size = Number(meta.total_compressed_size);
      // Readers disagree on where a chunk starts when a writer's dictionary offset is odd (0 for
      // none, or after the data page): a row group's range covers every start a reader may use
      // (a superset), while the data's end is taken from the earliest, so the tail (page indexes,
      // footer) is never cut short.
      const starts = dictionary !== undefined && dictionary >= 4 ? [data, dictionary] : [data];
      const first = Math.min(...starts);
      start = Math.min(start, first);
      end = Math.max(end, Math.max(...starts) + size);
      dataEnd = Math.max(dataEnd, first + size);
      if (meta.path_in_schema.length === 1 && meta.path_in_schema[0] === textColumn) textBytes += Number(meta.total_uncompressed_size);
    }
    if (start === Number.POSITIVE_INFINITY) start = end = dataEnd;
    return { rows: Number(rg.num_rows), textBytes, start, end: Math.min(end, bytes) };
  });
  return { bytes, rows: Number(metadata.num_rows), rowGroups, tailStart: Math.min(dataEnd, bytes) };
}

/** Where each column chunk of a Parquet file lies: per row group, its rows and each top-level column's byte range. */
export interface ParquetChunks {
  bytes: number;
  rowGroups: { rows: number; chunks: { column: string; start: number; end: number }[] }[];
  /** Where the row groups' data ends (ShardLayout.tailStart): page indexes and the footer follow. */
  tailStart: number;
}

/**
 * A Parquet file's column chunks from its footer: a local file (a sparse download's footer is
 * there), or a remote one read by ranges (`remote`: an object of a run on S3, through its
 * storage). Lets a reader fetch some columns of some row groups (the report reads a run's signals
 * on S3 without their text).
 */
export async function readParquetChunks(path: string, remote?: { bytes: number; read(start: number, end: number): Promise<Uint8Array> }): Promise<ParquetChunks> {
  const { parquetMetadataAsync } = await import('hyparquet');
  const buffer: ClosableBuffer = remote
    ? {
        byteLength: remote.bytes,
        async slice(start: number, end = remote.bytes) {
          const bytes = await remote.read(start, end);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        },
      }
    : fileBuffer(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { initialFetchSize: FOOTER_FETCH });
  } finally {
    buffer.close?.();
  }
  const { tailStart } = layoutOf(metadata, buffer.byteLength, '');
  const rowGroups = metadata.row_groups.map((rg) => ({
    rows: Number(rg.num_rows),
    chunks: rg.columns.flatMap((chunk) => {
      const meta = chunk.meta_data;
      if (!meta) return [];
      const data = Number(meta.data_page_offset);
      const dictionary = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset);
      const size = Number(meta.total_compressed_size);
      // A chunk starts at its dictionary page when it has one before its data; with an odd
      // dictionary offset (see layoutOf), the range holds every start a reader may take. A range
      // too wide only fetches real bytes of the object more.
      const start = dictionary !== undefined && dictionary >= 4 && dictionary < data ? dictionary : data;
      const end = dictionary !== undefined && dictionary > data ? dictionary + size : start + size;
      return [{ column: meta.path_in_schema[0]!, start, end: Math.min(buffer.byteLength, end) }];
    }),
  }));
  return { bytes: buffer.byteLength, rowGroups, tailStart };
}

type ClosableBuffer = AsyncBuffer & { close?(): void };

/** A local file read by position: the footer's few kilobytes, not the file. */
function fileBuffer(path: string): ClosableBuffer {
  const fd = openSync(path, 'r');
  const size = statSync(path).size;
  return {
    byteLength: size,
    slice(start: number, end = size) {
      const out = Buffer.alloc(Math.max(0, end - start));
      let at = 0;
      while (at < out.length) {
        const n = readSync(fd, out, at, out.length - at, start + at);
        if (n === 0) break;
        at += n;
      }
      return out.buffer.slice(out.byteOffset, out.byteOffset + at);
    },
    close: () => closeSync(fd),
  };
}

/** An object on S3 read by ranged GETs of the listed version. */
function s3Buffer(url: string, object?: { bytes: number; etag: string }): ClosableBuffer {
  const { bucket, prefix } = parseS3Url(url);
  const key = prefix.replace(/\/$/, '');
  if (!object) throw new Error(`${url}: an object's size is needed to read its footer (list the input first)`);
  return {
    byteLength: object.bytes,
    async slice(start: number, end = object.bytes) {
      try {
        const bytes = await readObjectRange(sharedS3Client(), { bucket, key, etag: object.etag }, start, end);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      } catch (err) {
        // Replaced or removed since it was listed: the shard's, not the store's (its task says so).
        if (objectFault(err)) throw new Error(`${url} changed or vanished after it was listed`);
        throw explainS3(url, bucket, 'read the footer', err);
      }
    },
  };
}
