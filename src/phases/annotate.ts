import { rmSync, statSync } from 'node:fs';
import type { DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../io/errors.js';
import { hashOf } from '../config/hash.js';
import type { InputShard } from '../io/inputs.js';
import { RunKeys } from '../io/layout.js';
import { checkMappedColumns, inspectShard, readShard, type MappedColumns } from '../io/parquet-reader.js';
import { columnValue, ParquetPartWriter, type ColumnSpec } from '../io/parquet-writer.js';
import type { RunStorage } from '../storage/storage.js';
import type { TaskContext } from './context.js';

export interface ShardInputRecord {
  /** Relative to the input root. */
  path: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface AnnotateResult {
  shard: number;
  status: 'done' | 'skipped';
  input: ShardInputRecord;
  /** Documents read (all rows, bad ones included). */
  rows: number;
  /** UTF-8 bytes of input text, before normalization. */
  textBytes: number;
  badRows: number;
  /** Signal part files, relative to the run folder. */
  signalFiles: string[];
  /** For a skipped shard: why. */
  error?: ReturnType<InputError['toJSON']>;
  /**
   * What the signals were computed from: the code, the config and the shard's content (sha256),
   * not its mtime. Later phases key on it, so a shard touched or copied but unchanged is hashed
   * again and everything after annotate is reused.
   */
  content: string;
}

/** The content fingerprint of a shard's annotation (AnnotateResult.content). */
export const annotationContent = (contentKey: string, sha256: string): string => hashOf({ contentKey, sha256 });

/** The fixed columns of a signals file, before the signal columns. */
export const SIGNAL_FILE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'shard', type: 'INTEGER' },
  { name: 'row', type: 'BIGINT' },
  { name: 'key', type: 'VARCHAR' },
  { name: 'id', type: 'VARCHAR' },
  { name: 'url', type: 'VARCHAR' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'text', type: 'VARCHAR' },
  { name: 'bad_input', type: 'VARCHAR' },
];

const PART_ROWS = 50_000;
const PART_BYTES = 64e6;

/**
 * Annotate one shard: stream its rows, normalize the text, compute every signal and write them
 * to work/signals/<shard>/ (document key, normalized text, one column per signal). Nothing is
 * decided here, so thresholds can change later without reading the input again.
 */
export async function annotateShard(ctx: TaskContext, shard: InputShard, file: string, hashed: { sha256: string; content: string }): Promise<AnnotateResult> {
  const { pipeline, layout } = ctx;
  const { content } = hashed;
  const tmp = await layout.scratch('annotate', String(shard.index));
  const bytes = statSync(file).size;
  const input: ShardInputRecord = { path: shard.name, rows: null, bytes, sha256: hashed.sha256 };
  try {
    const schema = await inspectShard(ctx.con, file, shard.path);
    input.rows = schema.rows;
    const columns = checkMappedColumns(shard.path, schema, pipeline.input.columns);
    const result = await writeSignals(ctx, shard, file, columns, tmp);
    const final = RunKeys.signals(shard.index);
    await layout.storage.commitDir(tmp, final);
    return {
      shard: shard.index,
      status: 'done',
      input,
      ...result,
      signalFiles: result.parts.map((p) => `${final}/${p}`),
      content,
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!(err instanceof InputError) || pipeline.input.on_error !== 'skip') throw err;
    return { shard: shard.index, status: 'skipped', input, rows: 0, textBytes: 0, badRows: 0, signalFiles: [], error: err.toJSON(), content };
  }
}

async function writeSignals(ctx: TaskContext, shard: InputShard, file: string, columns: MappedColumns, dir: string) {
  const { pipeline } = ctx;
  const annotator = await ctx.annotator();
  const maxBytes = pipeline.input.max_text_bytes;
  const fixed = SIGNAL_FILE_COLUMNS.length;
  const specs = [...SIGNAL_FILE_COLUMNS, ...annotator.columns];
  const writer = await ParquetPartWriter.open(ctx.con, dir, specs, {
    partRows: PART_ROWS,
    partBytes: PART_BYTES,
    rowGroupRows: pipeline.output.row_group_rows,
  });
  const wanted = [columns.text, columns.id, columns.url, columns.source].filter((c): c is string => c !== undefined);
  const at = (name: string | undefined) => (name === undefined ? -1 : wanted.indexOf(name));
  const [textAt, idAt, urlAt, sourceAt] = [at(columns.text), at(columns.id), at(columns.url), at(columns.source)];
  let rows = 0;
  let textBytes = 0;
  let badRows = 0;

  for await (const batch of readShard(ctx.reader, file, wanted, shard.path)) {
    ctx.checkAborted();
    const n = batch.rows.length;
    const out: DuckDBValue[][] = specs.map(() => new Array<DuckDBValue>(n));
    const [shardCol, rowCol, keyCol, idCol, urlCol, sourceCol, textCol, badCol] = out as [DuckDBValue[], ...DuckDBValue[][]];
    let batchBytes = 0;
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const key = `${shard.name}#${row}`;
      const id = idAt >= 0 ? batch.columns[idAt]![i]! : key;
      const raw = batch.columns[textAt]![i];
      const rawBytes = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : 0;
      batchBytes += rawBytes;
      const bad =
        raw === null || raw === undefined
          ? 'text is null'
          : rawBytes > maxBytes
            ? `text is ${rawBytes} bytes, over input.max_text_bytes (${maxBytes})`
            : null;
      if (bad !== null && pipeline.input.bad_rows === 'fail') {
        throw new InputError(shard.path, `${bad} (set input.bad_rows: reject to reject such rows instead)`, { row, id: id ?? undefined });
      }
      shardCol[i] = shard.index;
      rowCol![i] = BigInt(row);
      keyCol![i] = key;
      idCol![i] = id;
      urlCol![i] = urlAt >= 0 ? batch.columns[urlAt]![i]! : null;
      sourceCol![i] = sourceAt >= 0 ? batch.columns[sourceAt]![i]! : null;
      badCol![i] = bad;
      if (bad !== null) {
        badRows++;
        textCol![i] = null;
        for (let s = fixed; s < specs.length; s++) out[s]![i] = null;
        continue;
      }
      const { text, values } = annotator.annotate(raw as string, urlCol![i] as string | null, sourceCol![i] as string | null);
      textCol![i] = text;
      for (let s = 0; s < values.length; s++) out[fixed + s]![i] = columnValue(values[s]!);
    }
    await writer.append(out, n, batchBytes);
    rows += n;
    textBytes += batchBytes;
    ctx.progress(n, batchBytes);
  }
  const parts = (await writer.close()).map((f) => f.slice(dir.length + 1));
  return { rows, textBytes, badRows, parts };
}

export const signalsExist = async (storage: RunStorage, files: readonly string[]): Promise<boolean> =>
  (await Promise.all(files.map((f) => storage.exists(f)))).every(Boolean);
